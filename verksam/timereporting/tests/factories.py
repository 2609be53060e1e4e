import datetime as dt

import factory

from verksam.projects.tests.factories import ProjectFactory
from verksam.tenancy.tests.factories import TenantOwnedFactory
from verksam.timecodes.tests.factories import TimeCodeFactory
from verksam.timereporting.models import DayLock, DayStatus, EntryKind, TimeEntry


class TimeEntryFactory(TenantOwnedFactory):
    """Pass `membership`; project and time code are created in the membership's tenant."""

    class Meta:
        model = TimeEntry

    membership = None
    tenant = factory.SelfAttribute("membership.tenant")
    date = dt.date(2026, 11, 2)
    kind = EntryKind.WORK
    project = factory.SubFactory(ProjectFactory, tenant=factory.SelfAttribute("..tenant"))
    time_code = factory.SubFactory(TimeCodeFactory, tenant=factory.SelfAttribute("..tenant"))
    minutes = 480
    invoiceable_minutes = 480


class DayLockFactory(TenantOwnedFactory):
    class Meta:
        model = DayLock

    membership = None
    tenant = factory.SelfAttribute("membership.tenant")
    date = dt.date(2026, 11, 2)
    status = DayStatus.LOCKED


def attest(membership, days) -> list[DayLock]:
    """Attest `days` of `membership` as an approver would: lock them if open, mark them attested and
    store what each contributes to flex and the time bank (services.day_contributions_store)."""
    from django.utils import timezone

    from verksam.tenancy.scope import tenant_scope
    from verksam.timereporting.services import day_contributions_store

    with tenant_scope(membership.tenant_id):
        locks = []
        for day in days:
            lock = DayLock.objects.filter(membership=membership, date=day).first() or DayLock(
                tenant=membership.tenant, membership=membership, date=day
            )
            lock.status = DayStatus.ATTESTED
            lock.attested_at = timezone.now()
            lock.save()
            locks.append(lock)
        day_contributions_store(locks)
        return list(DayLock.objects.filter(pk__in=[lock.pk for lock in locks]))
