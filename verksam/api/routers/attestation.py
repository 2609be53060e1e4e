"""API of the attestation module: the approver's queue, attest / reject / reopen, bulk attest and
delegations (issue 3, items 4, 5 and 7)."""

from collections.abc import Callable
from typing import Annotated, Any, Literal

from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Path, Query, Router, Status
from pydantic import Field

from verksam.attestation import selectors, services
from verksam.core import timeutil
from verksam.core.errors import DomainError, Forbidden
from verksam.tenancy.access import Actor
from verksam.tenancy.permissions import Perm
from verksam.tenancy.selectors import membership_get
from verksam.timecodes.periods import Period

from ..paging import Page, PageParams, paginate
from ..schemas.attestation import (
    AttestationDaysChangedOut,
    AttestIn,
    BulkAttestIn,
    BulkAttestOut,
    DelegationIn,
    DelegationOut,
    EmployeePeriodOut,
    PeriodReopenIn,
    PeriodStatusOut,
    QueueOut,
    RejectIn,
    ReopenIn,
)
from ..schemas.timereporting import BalancesOut
from ..tenant import tenant_endpoint
from ..types import Id, QueryDate, QueryIn
from .timereporting import BalancesParams, balances_out

router = Router(tags=["attestation"])
PeriodKey = Annotated[str, Path(max_length=7, description="YYYY-MM: the month the period ends in")]


class PeriodParams(QueryIn):
    period: str | None = Field(None, max_length=7, description="YYYY-MM; default: the current period")
    date: QueryDate | None = Field(None, description="Balances as of this date; default: the period's end")


class QueueParams(PeriodParams):
    waiting_only: bool = False
    filter: Literal["missing", "locked", "rejected"] | None = Field(
        None,
        description="Only who misses days, has locked days waiting or has rejected days (the page's filters)",
    )


class DelegationListParams(PageParams):
    include_ended: bool = False


def _period(key: str | None) -> Period:
    settings = selectors.attestation_settings()
    period = selectors.period_get(key, start_day=settings.period_start_day)
    if period is None:
        raise DomainError(_("Unknown period."), code="invalid_period", extra={"field": "period"})
    return period


def _period_out(period: Period) -> dict:
    return {"key": period.key, "start": period.start, "end": period.end}


def _member(member_id: int):
    membership = membership_get(member_id)
    if membership is None:
        raise Http404
    return membership


def _route(actor: Actor, member_id: int) -> selectors.Route:
    route = selectors.attest_route(actor=actor, membership=_member(member_id))
    if route is None:
        raise Forbidden(_("You may not attest this employee's time."), code="not_approver")
    return route


def _change_days(request, member_id: int, change: Callable[..., int], **arguments: Any) -> dict:
    """Attest, reject or reopen (`change`) days of one employee; answers AttestationDaysChangedOut."""
    membership = _member(member_id)
    days = change(actor=request.actor, membership=membership, **arguments)
    return {"member_id": membership.pk, "days": days}


@router.get(
    "/tenants/{tenant_id}/attestation/queue", response=QueueOut, summary="The approver's queue for a period"
)
@tenant_endpoint(Perm.TIME_ATTEST)
def attestation_queue(request, tenant_id: Id, params: Query[QueueParams]):
    period = _period(params.period)
    rows = selectors.attestation_queue(
        actor=request.actor, period=period, waiting_only=params.waiting_only, as_of=params.date
    )
    if params.filter:
        rows = [r for r in rows if selectors.QUEUE_FILTERS[params.filter](r)]
    return {
        "period": _period_out(period),
        "balances_date": params.date or period.end,
        "rows": [
            {
                "member_id": r.member_id,
                "name": r.name,
                "employment_number": r.employment_number,
                "days_reported": r.days_reported,
                "days_missing": r.days_missing,
                "days_open": r.days_open,
                "days_locked": r.days_locked,
                "days_attested": r.days_attested,
                "total_minutes": r.total_minutes,
                "time_bank_minutes": r.time_bank_minutes,
                "scheduled_minutes": r.scheduled_minutes,
                "days_short": r.days_short,
                "days_rejected": r.days_rejected,
                "flex_minutes": r.flex_minutes,
                "time_codes": [vars(c) for c in r.time_codes],
                "absence_types": [vars(c) for c in r.absence_types],
                "via_delegation": r.via_delegation,
                "on_behalf_of_id": r.on_behalf_of.pk if r.on_behalf_of else None,
                "status": r.status,
            }
            for r in rows
        ],
    }


@router.get(
    "/tenants/{tenant_id}/attestation/employees/{member_id}",
    response=EmployeePeriodOut,
    summary="One employee's period, day by day",
)
@tenant_endpoint(Perm.TIME_ATTEST)
def attestation_employee(request, tenant_id: Id, member_id: Id, params: Query[PeriodParams]):
    route = _route(request.actor, member_id)
    period = _period(params.period)
    detail = selectors.employee_period(membership=route.membership, period=period, as_of=params.date)
    view = detail.balances
    m = route.membership
    return {
        "member_id": m.pk,
        "name": m.user.name,
        "employment_number": m.employment_number,
        "on_behalf_of_id": route.on_behalf_of.pk if route.on_behalf_of else None,
        "period": _period_out(period),
        "total_minutes": detail.total_minutes,
        "scheduled_minutes": detail.scheduled_minutes,
        "balances_date": view.as_of,
        "flex_minutes": view.balances.flex_minutes,
        "bank_minutes": view.balances.bank_minutes,
        "payroll_codes": [vars(c) for c in detail.payroll_codes],
        "days": [
            {
                "date": day.date,
                "status": day.status,
                "minutes": day.minutes,
                "scheduled_minutes": day.scheduled_minutes,
                "short": day.is_short,
                "flex_minutes": day.balance.flex_minutes if day.balance.counted else 0,
                "bank_minutes": day.balance.bank_minutes if day.balance.counted else 0,
                "contribution_attested": day.balance.attested,
                "attested_by": (
                    day.lock.attested_by.name if day.is_attested and day.lock.attested_by else None
                ),
                "attested_on_behalf_of_id": day.lock.attested_on_behalf_of_id if day.lock else None,
                "rejection_comment": day.rejection.comment if day.rejection else None,
                "entries": [
                    {
                        "id": line.entry.pk,
                        "client_uuid": str(line.entry.client_uuid),
                        "kind": line.entry.kind,
                        "project_id": line.entry.project_id,
                        "project": "" if line.is_absence else line.label,
                        "time_code": "" if line.is_absence else line.code,
                        "absence_type": line.code if line.is_absence else "",
                        "minutes": line.entry.minutes,
                        "invoiceable_minutes": line.entry.invoiceable_minutes,
                        "comment": line.entry.comment,
                        "internal_comment": line.entry.internal_comment,
                    }
                    for line in day.entries
                ],
            }
            for day in detail.days
        ],
    }


@router.post(
    "/tenants/{tenant_id}/attestation/attest",
    response=AttestationDaysChangedOut,
    summary="Attest locked days",
)
@tenant_endpoint(Perm.TIME_ATTEST)
def attestation_attest(request, tenant_id: Id, payload: AttestIn):
    return _change_days(request, payload.member_id, services.time_attest, dates=payload.dates)


@router.post(
    "/tenants/{tenant_id}/attestation/reject",
    response=AttestationDaysChangedOut,
    summary="Send locked days back to the employee with a comment",
)
@tenant_endpoint(Perm.TIME_ATTEST)
def attestation_reject(request, tenant_id: Id, payload: RejectIn):
    return _change_days(
        request, payload.member_id, services.time_reject, dates=payload.dates, comment=payload.comment
    )


@router.post(
    "/tenants/{tenant_id}/attestation/reopen",
    response=AttestationDaysChangedOut,
    summary="Reopen attested days with a reason (TOTAL)",
)
@tenant_endpoint(Perm.TIME_REOPEN)
def attestation_reopen(request, tenant_id: Id, payload: ReopenIn):
    return _change_days(
        request, payload.member_id, services.time_reopen, dates=payload.dates, reason=payload.reason
    )


@router.post(
    "/tenants/{tenant_id}/attestation/attest-bulk",
    response=BulkAttestOut,
    summary="Attest every locked day of the period for everyone you attest",
)
@tenant_endpoint(Perm.TIME_ATTEST)
def attestation_attest_bulk(request, tenant_id: Id, payload: BulkAttestIn):
    _period(payload.period)
    return services.time_attest_bulk(
        actor=request.actor, period_key=payload.period, membership_ids=payload.member_ids
    )


@router.get(
    "/tenants/{tenant_id}/attestation/delegations",
    response=Page[DelegationOut],
    summary="Substitutes (ersättare)",
)
@tenant_endpoint(Perm.TIME_ATTEST)
def delegation_list(request, tenant_id: Id, params: Query[DelegationListParams]):
    qs = selectors.delegation_list(actor=request.actor, include_ended=params.include_ended)
    return paginate(qs, params.page, params.page_size)


@router.post(
    "/tenants/{tenant_id}/attestation/delegations",
    response={201: DelegationOut},
    summary="Name a substitute for a date range",
)
@tenant_endpoint(Perm.TIME_ATTEST)
def delegation_create(request, tenant_id: Id, payload: DelegationIn):
    substitute = _member(payload.substitute_id)
    approver = _member(payload.approver_id) if payload.approver_id is not None else None
    delegation = services.delegation_create(
        actor=request.actor,
        substitute=substitute,
        approver=approver,
        start_date=payload.start_date,
        end_date=payload.end_date,
    )
    return Status(201, selectors.delegation_get(delegation.pk))


@router.delete(
    "/tenants/{tenant_id}/attestation/delegations/{delegation_id}",
    response=DelegationOut,
    summary="Revoke a delegation",
)
@tenant_endpoint(Perm.TIME_ATTEST)
def delegation_revoke(request, tenant_id: Id, delegation_id: Id):
    delegation = selectors.delegation_get(delegation_id)
    if delegation is None:
        raise Http404
    return services.delegation_revoke(actor=request.actor, delegation=delegation)


# --- closing a deviation period (issue 8 item 8) ----------------------------------------------------


def _period_status(period: Period) -> dict:
    history = list(selectors.period_close_history(period.key))
    return {
        "period": _period_out(period),
        "closed": any(c.is_closed for c in history),
        "history": [
            {
                "closed_at": c.closed_at,
                "closed_by": str(c.closed_by) if c.closed_by else None,
                "reopened_at": c.reopened_at,
                "reopened_by": str(c.reopened_by) if c.reopened_by else None,
                "reopen_reason": c.reopen_reason,
                "correction_pending": c.reopened_at is not None and c.correction_handled_at is None,
            }
            for c in history
        ],
    }


@router.get(
    "/tenants/{tenant_id}/attestation/periods/{period_key}",
    response=PeriodStatusOut,
    summary="Whether a deviation period is closed after payroll, and its closings",
)
@tenant_endpoint(Perm.TIME_ATTEST)
def attestation_period(request, tenant_id: Id, period_key: PeriodKey):
    return _period_status(_period(period_key))


@router.post(
    "/tenants/{tenant_id}/attestation/periods/{period_key}/close",
    response=PeriodStatusOut,
    summary="Close a deviation period after payroll (TOTAL, FULL partner)",
)
@tenant_endpoint(Perm.PERIOD_CLOSE)
def attestation_period_close(request, tenant_id: Id, period_key: PeriodKey):
    period = _period(period_key)
    services.period_close(actor=request.actor, period_key=period.key)
    return _period_status(period)


@router.post(
    "/tenants/{tenant_id}/attestation/periods/{period_key}/reopen",
    response=PeriodStatusOut,
    summary="Reopen a closed deviation period with a reason (flagged for the payroll correction file)",
)
@tenant_endpoint(Perm.PERIOD_CLOSE)
def attestation_period_reopen(request, tenant_id: Id, period_key: PeriodKey, payload: PeriodReopenIn):
    period = _period(period_key)
    services.period_reopen(actor=request.actor, period_key=period.key, reason=payload.reason)
    return _period_status(period)


@router.get(
    "/tenants/{tenant_id}/members/{member_id}/balances",
    response=BalancesOut,
    tags=["attestation"],
    summary="An employee's flex and time bank as of a date: their approver (or substitute), or a TOTAL user",
)
@tenant_endpoint(Perm.TIME_ATTEST)
def member_balances(request, tenant_id: Id, member_id: Id, params: Query[BalancesParams]):
    membership = _member(member_id)
    if not selectors.may_read_balances(actor=request.actor, membership=membership):
        raise Forbidden(_("You may not see this employee's balances."), code="not_approver")
    return balances_out(request.actor.tenant_id, membership.pk, params.date or timeutil.today())
