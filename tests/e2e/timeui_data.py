"""Data for the browser tests of the time and attestation pages (issue 12): codes, a site the
employee is assigned to, a past month reported by the employee (all but its last week locked)
and `n` more employees of the same approver with a reported, locked month."""

import datetime as dt
from types import SimpleNamespace

from django.utils import timezone

from verksam.projects.tests.factories import ProjectFactory, ProjectMemberFactory
from verksam.tenancy.access import resolve
from verksam.tenancy.models import Licence, Membership
from verksam.tenancy.scope import tenant_scope
from verksam.tenancy.tests.factories import MembershipFactory, UserFactory
from verksam.timecodes.periods import period_for
from verksam.timecodes.tests.factories import AbsenceTypeFactory, TimeCodeFactory
from verksam.timereporting import services
from verksam.timereporting.models import EntryKind


def last_month() -> list[dt.date]:
    """The weekdays of last calendar month (a closed deviation period with start day 1)."""
    first = timezone.localdate().replace(day=1)
    period = period_for(first - dt.timedelta(days=1))
    return [d for d in period.days if d.weekday() < 5 and not _holiday(d)]


def _holiday(day: dt.date) -> bool:
    from verksam.core import timeutil

    return timeutil.holiday_name(day) is not None


def report_month(tenant, user, project, code, days, *, lock: bool = True) -> None:
    actor = resolve(user, tenant)
    with tenant_scope(tenant.pk):
        for day in days:
            services.time_entry_create(
                actor=actor,
                date=day,
                kind=EntryKind.WORK,
                project=project,
                time_code=code,
                start_time=dt.time(7, 0),
                end_time=dt.time(16, 0),
                break_minutes=60,
                comment="Stomresning och reglar",
            )
        if lock:
            services.day_lock(actor=actor, dates=days, nothing_to_report=True)


def time_site(tenant, employee, attestant, *, others: int = 0) -> SimpleNamespace:
    with tenant_scope(tenant.pk):
        normal = TimeCodeFactory(tenant=tenant, code="NT", name="Normaltid", is_default=True)
        vab = AbsenceTypeFactory(tenant=tenant, code="VAB", name="VAB", paxml_code="VAB", requires_child=True)
        sick = AbsenceTypeFactory(tenant=tenant, code="SJK", name="Sjuk", paxml_code="SJK")
        project = ProjectFactory(tenant=tenant, number="P7", name="Villa Ek")
        member = Membership.objects.get(user=employee)
        approver = Membership.objects.get(user=attestant)
        ProjectMemberFactory(tenant=tenant, project=project, membership=member)
    days = last_month()
    report_month(tenant, employee, project, normal, days[:-5], lock=True)
    report_month(tenant, employee, project, normal, days[-5:-1], lock=False)
    users = []
    for n in range(others):
        user = UserFactory(email=f"anst{n}@snickeri.se", name=f"Anställd {n:02d} Svensson")
        with tenant_scope(tenant.pk):
            membership = MembershipFactory(tenant=tenant, user=user, licence=Licence.LIGHT, approver=approver)
            ProjectMemberFactory(tenant=tenant, project=project, membership=membership)
        report_month(tenant, user, project, normal, days[: 10 + n % 10], lock=n % 3 != 0)
        users.append(user)
    return SimpleNamespace(
        member_id=member.pk,
        normal=normal,
        vab=vab,
        sick=sick,
        project=project,
        days=days,
        period=period_for(days[0]),
        users=users,
    )
