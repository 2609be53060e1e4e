"""Helpers of the attestation tests: memberships and actors of the fixture users, reported days,
delegations, and a snapshot of everything attestation may change (for refused calls)."""

import datetime as dt
import zoneinfo

from verksam.attestation.models import Delegation, ReminderLog
from verksam.audit.models import AuditEvent
from verksam.projects.tests.factories import ProjectFactory
from verksam.tenancy.access import Actor, resolve
from verksam.tenancy.models import Licence, Membership
from verksam.tenancy.scope import tenant_scope
from verksam.tenancy.tests.factories import MembershipFactory, TenantOwnedFactory, UserFactory
from verksam.tenancy.tests.helpers import membership_of as member  # noqa: F401
from verksam.timecodes.models import TimeSettings
from verksam.timecodes.tests.factories import AbsenceTypeFactory, TimeCodeFactory
from verksam.timereporting.models import DayLock, DayRejection, EntryKind, TimeEntry
from verksam.timereporting.tests.factories import DayLockFactory, TimeEntryFactory

STOCKHOLM = zoneinfo.ZoneInfo("Europe/Stockholm")
# "Today" in most tests: Friday 20 November 2026, in the November 2026 period (calendar month).
TODAY = dt.datetime(2026, 11, 20, 12, 0, tzinfo=STOCKHOLM)
MON, TUE, WED, THU, FRI = (dt.date(2026, 11, d) for d in (16, 17, 18, 19, 20))
ROLES = ["owner", "attestant", "employee", "partner_full", "partner_limited"]


def actor(tenant, user) -> Actor:
    result = resolve(user, tenant)
    assert result is not None
    return result


class TimeSettingsFactory(TenantOwnedFactory):
    class Meta:
        model = TimeSettings


def codes(tenant) -> dict:
    return {
        "project": ProjectFactory(tenant=tenant, number="P1", name="Villa Berg"),
        "normal": TimeCodeFactory(tenant=tenant, code="NORM", name="Normaltid"),
        "overtime": TimeCodeFactory(tenant=tenant, code="OT50", name="Övertid 50 %"),
        "sick": AbsenceTypeFactory(tenant=tenant, code="SJK", name="Sjuk"),
    }


def report(membership, days, *, status=None, kit=None, minutes=480, **kwargs) -> None:
    """Report `minutes` of normal time on each of `days`; lock (or attest) them when `status` is given."""
    for day in days:
        if kit is not None:
            TimeEntryFactory(
                membership=membership,
                date=day,
                project=kit["project"],
                time_code=kit["normal"],
                minutes=minutes,
            )
        else:
            TimeEntryFactory(membership=membership, date=day, minutes=minutes)
        if status:
            lock(membership, [day], status=status, **kwargs)


def lock(membership, days, *, status="locked", **kwargs) -> None:
    for day in days:
        extra = {}
        if status == "attested":
            extra = {"attested_at": TODAY, "attested_by": kwargs.get("attested_by")}
        DayLockFactory(membership=membership, date=day, status=status, **extra)


def absence(membership, day, absence_type, minutes=480) -> None:
    TimeEntryFactory(
        membership=membership,
        date=day,
        kind=EntryKind.ABSENCE,
        project=None,
        time_code=None,
        absence_type=absence_type,
        minutes=minutes,
        invoiceable_minutes=0,
    )


def delegate(approver: Membership, substitute: Membership, start, end, **kwargs) -> Delegation:
    d = Delegation(
        tenant=approver.tenant,
        approver=approver,
        substitute=substitute,
        start_date=start,
        end_date=end,
        **kwargs,
    )
    with tenant_scope(approver.tenant_id):
        d.save()
    return d


def team(tenant, approver: Membership, n: int, prefix: str = "t") -> list[Membership]:
    return [
        MembershipFactory(
            tenant=tenant,
            user=UserFactory(email=f"{prefix}{i}@snickeri.se", name=f"Anställd {prefix}{i:03d}"),
            licence=Licence.LIGHT,
            approver=approver,
            employment_number=f"{prefix}{i}",
        )
        for i in range(n)
    ]


def statuses(membership) -> dict[dt.date, str]:
    with tenant_scope(membership.tenant_id):
        return dict(DayLock.objects.filter(membership=membership).values_list("date", "status"))


def state(*tenants) -> dict:
    """Everything attestation may write, to assert that a refused call changed nothing."""
    with tenant_scope(*(t.pk for t in tenants)):
        return {
            "locks": list(DayLock.objects.order_by("pk").values()),
            "rejections": list(DayRejection.objects.order_by("pk").values()),
            "entries": list(TimeEntry.objects.order_by("pk").values_list("pk", flat=True)),
            "delegations": list(Delegation.objects.order_by("pk").values()),
            "reminders": list(ReminderLog.objects.order_by("pk").values()),
            "audit": list(AuditEvent.objects.order_by("pk").values_list("pk", flat=True)),
        }
