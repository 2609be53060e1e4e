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
