from verksam.tenancy.models import Membership
from verksam.tenancy.scope import tenant_scope
from verksam.timereporting.models import DayStatus
from verksam.timereporting.tests.factories import DayLockFactory, TimeEntryFactory


def test_factories_create_rows_in_the_membership_tenant(tenant, employee):
    with tenant_scope(tenant.pk):
        membership = Membership.objects.get(user=employee)
    entry = TimeEntryFactory(membership=membership)
    lock = DayLockFactory(membership=membership)
    assert entry.project.tenant_id == tenant.pk and entry.time_code.tenant_id == tenant.pk
    assert lock.status == DayStatus.LOCKED
