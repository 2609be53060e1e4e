import pytest

from verksam.tenancy.models import Membership
from verksam.tenancy.scope import NoScopeError, tenant_scope

from .factories import MembershipFactory, TenantFactory


def test_scoped_manager_raises_without_scope(db):
    with pytest.raises(NoScopeError):
        list(Membership.objects.all())


def test_scope_sees_only_its_tenant(db):
    a, b = TenantFactory(), TenantFactory()
    MembershipFactory(tenant=a)
    MembershipFactory(tenant=b)
    with tenant_scope(a.pk):
        assert {m.tenant_id for m in Membership.objects.all()} == {a.pk}
    with tenant_scope(a.pk, b.pk):
        assert Membership.objects.count() == 2


def test_scope_is_restored_after_nested_scope(db):
    a, b = TenantFactory(), TenantFactory()
    MembershipFactory(tenant=a)
    with tenant_scope(a.pk):
        with tenant_scope(b.pk):
            assert Membership.objects.count() == 0
        assert Membership.objects.count() == 1
