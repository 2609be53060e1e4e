"""Model rules: same-tenant references (rule 9) and the scoped manager (rule 4)."""

import pytest
from django.core.exceptions import ValidationError

from verksam.tenancy.models import Membership
from verksam.tenancy.scope import tenant_scope

from .factories import MembershipFactory
from .helpers import count_queries


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


def test_clean_refuses_a_loaded_object_of_another_tenant_without_querying_it(tenant, owner, other_tenant):
    # given a membership of another tenant held as a loaded object (e.g. read by a careless query)
    foreign = MembershipFactory(tenant=other_tenant)
    with tenant_scope(tenant.pk):
        membership = Membership.objects.get(user=owner)
        membership.approver = foreign
        # when only the same-tenant rule runs / then it refuses on the field, from the object's tenant
        with pytest.raises(ValidationError) as exc:
            queries, _ = count_queries(membership.clean)
        assert exc.value.error_dict["approver"][0].code == "other_tenant"
        # and a loaded object of the same tenant costs no query
        membership.approver = MembershipFactory(tenant=tenant)
        queries, _ = count_queries(membership.clean)
        assert queries == 0


def test_clean_does_not_trust_a_cache_left_behind_by_a_reassigned_id(tenant, owner, attestant, other_tenant):
    # given the approver loaded, then the id replaced by another tenant's row (Django drops the cache)
    foreign = MembershipFactory(tenant=other_tenant)
    with tenant_scope(tenant.pk):
        membership = Membership.objects.get(user=owner)
        membership.approver = Membership.objects.get(user=attestant)
        membership.approver_id = foreign.pk
        with pytest.raises(ValidationError) as exc:
            membership.clean()
    assert "approver" in exc.value.error_dict
