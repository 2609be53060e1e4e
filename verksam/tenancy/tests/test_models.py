"""Model rules: same-tenant references (rule 9) and the scoped manager (rule 4)."""

import pytest
from django.core.exceptions import ValidationError

from verksam.tenancy.models import Membership
from verksam.tenancy.scope import tenant_scope

from .factories import MembershipFactory


def test_clean_rejects_an_approver_from_another_tenant(tenant, owner, other_tenant):
    # given a membership of the tenant and one of another tenant
    foreign = MembershipFactory(tenant=other_tenant)
    with tenant_scope(tenant.pk):
        membership = Membership.objects.get(user=owner)
        # when the foreign one is set as approver / then clean() refuses it on the field
        membership.approver_id = foreign.pk
        with pytest.raises(ValidationError) as exc:
            membership.full_clean()
    # SQLite: clean() finds the row in another tenant; PostgreSQL: RLS already hides it from the FK check.
    assert {e.code for e in exc.value.error_dict["approver"]} <= {"other_tenant", "invalid"}


def test_clean_rejects_a_missing_approver(tenant, owner):
    with tenant_scope(tenant.pk):
        membership = Membership.objects.get(user=owner)
        membership.approver_id = 10**9
        with pytest.raises(ValidationError) as exc:
            membership.full_clean()
    assert "approver" in exc.value.error_dict


def test_clean_accepts_an_approver_of_the_same_tenant(tenant, owner, attestant):
    with tenant_scope(tenant.pk):
        membership = Membership.objects.get(user=owner)
        membership.approver = Membership.objects.get(user=attestant)
        membership.full_clean()


def test_employment_number_is_unique_per_tenant(tenant, employee, other_tenant):
    MembershipFactory(tenant=other_tenant, employment_number="17")  # another tenant may reuse it
    with tenant_scope(tenant.pk):
        clash = Membership(
            tenant=tenant, user=MembershipFactory(tenant=other_tenant).user, employment_number="17"
        )
        with pytest.raises(ValidationError) as exc:
            clash.full_clean()
    assert exc.value.messages
