"""Lock and unlock a whole ISO week ("Lås veckan" / "Lås upp veckan" on the week page): the own week
under `/time/weeks/{week}/…`, an employee's under `/employees/{member_id}/time/weeks/{week}/…`
(reporting on behalf, docs/attestation.md). The same services as the pages (`week_lock`,
`week_unlock`), so the same rules and codes: a week not begun (`future_week`), a week that does not
exist (`invalid_week`), attested days (`day_attested`), a closed period (`period_closed`), a scheduled
day without time (`nothing_reported`), an employee one may not act for (403 `not_approver`).

`{week}` is the week page's own key, `2026-W45`."""

import re
from typing import Annotated

from django.utils.translation import gettext as _
from ninja import Path, Router

from verksam.core.errors import DomainError
from verksam.tenancy.models import Membership
from verksam.tenancy.permissions import Perm
from verksam.timereporting import selectors, services

from ..schemas.timereporting import DaysChangedOut, WeekLockIn
from ..tenant import tenant_endpoint
from ..types import Id
from .timereporting import _day

router = Router(tags=["time entries"])
OWN = "/tenants/{tenant_id}/time/weeks/{week}"
BEHALF = "/tenants/{tenant_id}/employees/{member_id}/time/weeks/{week}"
WeekKey = Annotated[str, Path(max_length=8, description="ISO week, YYYY-Www (e.g. 2026-W45)")]
_WEEK_KEY = re.compile(r"^(\d{4})-W(\d{1,2})$", re.ASCII)


def _year_week(key: str) -> tuple[int, int]:
    """The (year, week) of `2026-W45`; anything else is `invalid_week` (400), as a week that does not
    exist is (services.week_days)."""
    match = _WEEK_KEY.match(key)
    if not match:
        raise DomainError(_("There is no such week."), code="invalid_week", extra={"field": "week"})
    year, week = int(match.group(1)), int(match.group(2))
    services.week_days(year, week)
    return year, week


def _week_out(membership_id: int, year: int, week: int, changed: int) -> dict:
    days = services.week_days(year, week)
    summaries = selectors.day_summaries(membership_id=membership_id, start=days[0], end=days[-1])
    return {"changed": changed, "days": [_day(s) for s in summaries]}


def _employee(request, member_id: int) -> Membership:
    # 404 for a missing or another tenant's employee, 403 for one the actor may not act for
    return selectors.report_target_get(actor=request.actor, membership_id=member_id)


@router.post(
    OWN + "/lock",
    response=DaysChangedOut,
    summary='Lock my week up to today ("Lås veckan"): its days go for attestation',
)
@tenant_endpoint(Perm.TIME_REPORT_OWN)
def time_week_lock(request, tenant_id: Id, week: WeekKey, payload: WeekLockIn):
    year, number = _year_week(week)
    changed = services.week_lock(
        actor=request.actor, year=year, week=number, nothing_to_report=payload.nothing_to_report
    )
    return _week_out(request.actor.membership.pk, year, number, changed)


@router.post(OWN + "/unlock", response=DaysChangedOut, summary="Unlock my week's days not yet attested")
@tenant_endpoint(Perm.TIME_REPORT_OWN)
def time_week_unlock(request, tenant_id: Id, week: WeekKey):
    year, number = _year_week(week)
    changed = services.week_unlock(actor=request.actor, year=year, week=number)
    return _week_out(request.actor.membership.pk, year, number, changed)


# No permission on the decorator: who may act for whom is data (the approver relation) as well as
# TIME_REPORT_OTHERS; `_employee` checks it first (time_on_behalf.py does the same).
@router.post(BEHALF + "/lock", response=DaysChangedOut, summary="Lock an employee's week up to today")
@tenant_endpoint()
def behalf_week_lock(request, tenant_id: Id, member_id: Id, week: WeekKey, payload: WeekLockIn):
    member = _employee(request, member_id)
    year, number = _year_week(week)
    changed = services.week_lock(
        actor=request.actor,
        year=year,
        week=number,
        employee=member,
        nothing_to_report=payload.nothing_to_report,
    )
    return _week_out(member.pk, year, number, changed)


@router.post(
    BEHALF + "/unlock", response=DaysChangedOut, summary="Unlock an employee's week (days not attested)"
)
@tenant_endpoint()
def behalf_week_unlock(request, tenant_id: Id, member_id: Id, week: WeekKey):
    member = _employee(request, member_id)
    year, number = _year_week(week)
    changed = services.week_unlock(actor=request.actor, year=year, week=number, employee=member)
    return _week_out(member.pk, year, number, changed)
