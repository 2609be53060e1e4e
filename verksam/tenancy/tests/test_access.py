"""resolve(): who may enter a tenant, and with which permissions (DESIGN.md rules 5, 7, 11)."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from verksam.tenancy.access import resolve
from verksam.tenancy.models import Membership, PartnerGrant
from verksam.tenancy.permissions import LICENCE_PERMS, PARTNER_LEVEL_PERMS, Perm
from verksam.tenancy.scope import tenant_scope
from verksam.tenancy.selectors import tenants_for_user

from .factories import MembershipFactory, PartnerGrantFactory, TenantFactory, UserFactory


@pytest.mark.parametrize(
    ("role", "licence"), [("owner", "TOTAL"), ("attestant", "STANDARD"), ("employee", "LIGHT")]
)
def test_member_gets_the_perms_of_their_licence(request, tenant, role, licence):
    user = request.getfixturevalue(role)
    actor = resolve(user, tenant)
    assert actor.perms == LICENCE_PERMS[licence]
    assert actor.licence == licence
    assert not actor.is_partner and actor.partner_tenant_id is None


@pytest.mark.parametrize(("role", "level"), [("partner_full", "FULL"), ("partner_limited", "LIMITED")])
def test_partner_with_active_grant_gets_the_perms_of_the_level(request, tenant, partner_firm, role, level):
    user = request.getfixturevalue(role)
    actor = resolve(user, tenant)
    assert actor.perms == PARTNER_LEVEL_PERMS[level]
    assert actor.is_partner and actor.partner_tenant_id == partner_firm.pk and actor.partner_level == level
    assert actor.membership is None


def test_limited_partner_sees_salary_data_but_not_admin():
    limited = PARTNER_LEVEL_PERMS["LIMITED"]
    assert {
        Perm.EMPLOYEES_VIEW,
        Perm.EMPLOYEE_SALARY_VIEW,
        Perm.PAYROLL_VIEW,
        Perm.EXPENSES_VIEW_ALL,
    } <= limited
    assert Perm.USERS_MANAGE not in limited and Perm.PARTNER_GRANTS_MANAGE not in limited
    # LIMITED is that and nothing else (issue 7 item 2); FULL is TOTAL without the customer's own
    # access and without the own-work permissions of an employee (a partner has no time of its own)
    assert limited == {
        Perm.EMPLOYEES_VIEW,
        Perm.EMPLOYEE_SALARY_VIEW,
        Perm.PAYROLL_VIEW,
        Perm.EXPENSES_VIEW_ALL,
    }
    withheld = {
        Perm.PARTNER_GRANTS_MANAGE,
        Perm.USERS_MANAGE_TOTAL,
        Perm.IDENTITY_VERIFY,
        Perm.TIME_REPORT_OWN,
        Perm.EXPENSES_OWN,
        Perm.TIME_ATTEST_OWN,
        Perm.EXPENSE_RATES_MANAGE,
        # the firm's own portal administration (issue 11): meaningless inside a customer's account
        Perm.COLLABORATIONS_VIEW_ALL,
        Perm.COLLABORATIONS_CREATE,
        # which Fortnox/Visma account the books go to is the customer's own decision (issue 10)
        Perm.ACCOUNTING_SYSTEM_CONNECT,
    }
    assert PARTNER_LEVEL_PERMS["FULL"] == LICENCE_PERMS["TOTAL"] - withheld


def test_revoked_grant_gives_no_access(tenant, partner_full):
    with tenant_scope(tenant.pk):
        PartnerGrant.objects.filter(user=partner_full).update(revoked_at=timezone.now())
    assert resolve(partner_full, tenant) is None
    assert tenant not in [c.tenant for c in tenants_for_user(partner_full)]


def test_deactivated_firm_membership_gives_no_access(tenant, partner_full, partner_firm):
    # given the partner has left the firm (membership deactivated) but the grant is still active
    with tenant_scope(partner_firm.pk):
        Membership.objects.filter(user=partner_full).update(is_active=False)
    # then the grant no longer lets them in
    assert resolve(partner_full, tenant) is None
    assert [c.tenant for c in tenants_for_user(partner_full)] == []


def test_grant_through_a_firm_the_person_does_not_belong_to_gives_no_access(tenant, partner_firm):
    # given a grant naming a firm where the person is not a member (e.g. moved to another firm)
    person = UserFactory()
    MembershipFactory(tenant=TenantFactory(variant="partner"), user=person)
    PartnerGrantFactory(tenant=tenant, partner_tenant=partner_firm, user=person, level="FULL")
    assert resolve(person, tenant) is None


def test_deactivated_member_and_user_and_anonymous_get_nothing(tenant, owner, employee):
    with tenant_scope(tenant.pk):
        Membership.objects.filter(user=employee).update(is_active=False)
    assert resolve(employee, tenant) is None
    owner.is_active = False
    assert resolve(owner, tenant) is None
    assert resolve(AnonymousUser(), tenant) is None
    assert resolve(None, tenant) is None


def test_stranger_gets_nothing(tenant, owner, stranger):
    assert resolve(stranger, tenant) is None


def test_membership_wins_over_a_grant(tenant, partner_full):
    MembershipFactory(tenant=tenant, user=partner_full, licence="LIGHT")
    actor = resolve(partner_full, tenant)
    assert actor.licence == "LIGHT" and not actor.is_partner


def test_tenants_for_user_lists_memberships_and_grants(tenant, partner_full, partner_firm):
    choices = tenants_for_user(partner_full)
    assert [(c.tenant, c.role, c.via_partner) for c in choices] == [
        (partner_firm, "TOTAL", ""),
        (tenant, "FULL", partner_firm.name),
    ]
