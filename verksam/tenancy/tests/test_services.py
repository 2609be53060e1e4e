"""Membership and partner-grant services: the domain rules, what they write and what they audit."""

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.utils import timezone

from verksam.audit.models import AuditEvent
from verksam.core.errors import Conflict, DomainError, Forbidden, NotFound
from verksam.tenancy import services
from verksam.tenancy.access import resolve
from verksam.tenancy.models import Licence, Membership, PartnerGrant, PartnerLevel, Variant
from verksam.tenancy.scope import tenant_scope

from .factories import MembershipFactory, TenantFactory, UserFactory, make_personnummer
from .helpers import db_state


def _actor(user, tenant):
    actor = resolve(user, tenant)
    assert actor is not None
    return actor


def _membership(tenant, user) -> Membership:
    with tenant_scope(tenant.pk):
        return Membership.objects.select_related("user").get(user=user)


def _audit(tenant, action=""):
    with tenant_scope(tenant.pk):
        return list(AuditEvent.objects.filter(action__startswith=action).order_by("pk"))


# --- invitations -----------------------------------------------------------------------------------


def test_invite_creates_an_invitation_audit_and_mail_but_no_user_or_membership(
    tenant, owner, django_capture_on_commit_callbacks
):
    # given the owner / when they invite a new address
    actor = _actor(owner, tenant)
    with django_capture_on_commit_callbacks(execute=True), tenant_scope(tenant.pk):
        invitation = services.membership_invite(
            actor=actor, email=" Ny@Example.se ", name="Nina Ny", licence=Licence.BASIC
        )
        # then an invitation waits for an answer; no account and no membership exist yet (issue 7)
        assert invitation.email == "ny@example.se"
        assert invitation.licence == Licence.BASIC
        assert not Membership.objects.filter(user__email="ny@example.se").exists()
    assert not get_user_model().objects.filter(email="ny@example.se").exists()
    assert [e.action for e in _audit(tenant, "membership")] == ["membership.invite"]
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["ny@example.se"]
    assert "/invitations/" in mail.outbox[0].body


def test_invite_of_a_user_from_another_tenant_does_not_add_them(
    tenant, owner, stranger, django_capture_on_commit_callbacks
):
    actor = _actor(owner, tenant)
    with django_capture_on_commit_callbacks(execute=True), tenant_scope(tenant.pk):
        invitation = services.membership_invite(actor=actor, email=stranger.email, name="x")
        assert not Membership.objects.filter(user=stranger).exists()
    assert invitation.user == stranger  # so it shows on their start page, never to the inviter
    assert resolve(stranger, tenant) is None
    assert "/invitations/" in mail.outbox[0].body


def test_invite_of_an_existing_member_is_a_conflict_and_writes_nothing(tenant, owner, employee):
    # given an e-mail already in the company
    actor = _actor(owner, tenant)
    before = db_state(tenant)
    # when invited again (in other case) / then Conflict and nothing written or sent
    with tenant_scope(tenant.pk), pytest.raises(Conflict) as exc:
        services.membership_invite(actor=actor, email=employee.email.upper(), name="Dubbel")
    assert exc.value.status == 409
    assert exc.value.code == "duplicate_email"
    assert db_state(tenant) == before
    assert mail.outbox == []


def test_invite_needs_users_manage(tenant, attestant):
    actor = _actor(attestant, tenant)
    before = db_state(tenant)
    with tenant_scope(tenant.pk), pytest.raises(Forbidden):
        services.membership_invite(actor=actor, email="x@example.se", name="X")
    assert db_state(tenant) == before


def test_invite_with_approver_of_another_tenant_is_refused(tenant, owner, other_tenant):
    # given a membership id of another tenant (forged)
    foreign = MembershipFactory(tenant=other_tenant)
    actor = _actor(owner, tenant)
    before = db_state(tenant, other_tenant)
    # when used as approver / then the model refuses it and nothing is written
    with tenant_scope(tenant.pk), pytest.raises(Exception) as exc:
        services.membership_invite(actor=actor, email="x@example.se", name="X", approver=foreign)
    assert "approver" in getattr(exc.value, "message_dict", {})
    assert db_state(tenant, other_tenant) == before


# --- the last TOTAL user -----------------------------------------------------------------------------


@pytest.mark.parametrize("change", [{"licence": Licence.STANDARD}, {"is_active": False}])
def test_last_total_user_cannot_be_demoted_or_deactivated(tenant, owner, employee, change):
    # given the only TOTAL user
    actor = _actor(owner, tenant)
    membership = _membership(tenant, owner)
    before = db_state(tenant)
    # when demoted or deactivated / then refused and nothing written
    with tenant_scope(tenant.pk), pytest.raises(DomainError) as exc:
        services.membership_update(actor=actor, membership=membership, **change)
    assert exc.value.code == "last_total_user"
    assert db_state(tenant) == before


@pytest.mark.parametrize("change", [{"licence": Licence.STANDARD}, {"is_active": False}])
def test_a_total_user_can_be_demoted_when_another_exists(tenant, owner, attestant, change):
    # given a second TOTAL user
    actor = _actor(owner, tenant)
    second = _membership(tenant, attestant)
    with tenant_scope(tenant.pk):
        services.membership_update(actor=actor, membership=second, licence=Licence.TOTAL)
    # when the owner is demoted or deactivated by the second TOTAL user
    with tenant_scope(tenant.pk):
        services.membership_update(
            actor=_actor(attestant, tenant), membership=_membership(tenant, owner), **change
        )
    # then the change is stored and audited with before and after
    changed = _membership(tenant, owner)
    assert (changed.licence, changed.is_active) != (Licence.TOTAL, True)
    last = _audit(tenant, "membership.update")[-1]
    assert last.user == attestant
    assert list(last.data["after"].items()) == [(k, str(v)) for k, v in change.items()]


def test_inactive_total_does_not_count_as_the_other_total(tenant, owner, attestant):
    actor = _actor(owner, tenant)
    with tenant_scope(tenant.pk):
        services.membership_update(
            actor=actor, membership=_membership(tenant, attestant), licence=Licence.TOTAL
        )
        services.membership_update(actor=actor, membership=_membership(tenant, attestant), is_active=False)
        with pytest.raises(DomainError):
            services.membership_update(
                actor=actor, membership=_membership(tenant, owner), licence=Licence.LIGHT
            )


def test_own_approver_is_refused(tenant, owner, employee):
    actor = _actor(owner, tenant)
    membership = _membership(tenant, employee)
    before = db_state(tenant)
    with tenant_scope(tenant.pk), pytest.raises(DomainError) as exc:
        services.membership_update(actor=actor, membership=membership, approver=membership)
    assert exc.value.code == "own_approver"
    assert db_state(tenant) == before


def test_unknown_fields_and_licences_are_refused(tenant, owner, employee):
    actor = _actor(owner, tenant)
    membership = _membership(tenant, employee)
    with tenant_scope(tenant.pk):
        with pytest.raises(DomainError):
            services.membership_update(actor=actor, membership=membership, tenant_id=99)
        with pytest.raises(DomainError) as exc:
            services.membership_update(actor=actor, membership=membership, licence="GOD")
    assert exc.value.code == "invalid_licence"


# --- partner grants -------------------------------------------------------------------------------


@pytest.fixture
def firm_person(partner_firm):
    """A person at the accounting firm who has no grant yet."""
    person = UserFactory(
        email="ny@byra.se",
        name="Nils Byrå",
        personnummer=make_personnummer(900),
        personnummer_verified_at=timezone.now(),  # confirmed by the firm
    )
    MembershipFactory(tenant=partner_firm, user=person, licence=Licence.STANDARD)
    return person


@pytest.mark.parametrize("level", [PartnerLevel.FULL, PartnerLevel.LIMITED])
def test_partner_grant_by_personnummer_in_any_form(tenant, owner, partner_firm, firm_person, level):
    # given a person at an accounting firm / when the owner adds them by dashed 10-digit personnummer
    pnr = firm_person.personnummer
    short = f"{pnr[2:8]}-{pnr[8:]}"
    with tenant_scope(tenant.pk):
        grant = services.partner_grant_create(actor=_actor(owner, tenant), personnummer=short, level=level)
    # then the grant points at the firm, is audited, and the person can enter with the level's perms
    assert (grant.user, grant.partner_tenant, grant.level, grant.created_by) == (
        firm_person,
        partner_firm,
        level,
        owner,
    )
    events = _audit(tenant, "partner_grant")
    assert [(e.action, e.user, e.data) for e in events] == [("partner_grant.create", owner, {"level": level})]
    assert events[0].partner_tenant is None  # the owner is a member, not a partner
    actor = resolve(firm_person, tenant)
    assert actor.is_partner and actor.partner_level == level


def test_partner_grant_needs_a_person_in_a_partner_tenant(tenant, owner, other_tenant, stranger):
    # given a person with a personnummer who belongs only to an ordinary company
    stranger.personnummer = make_personnummer(901)
    stranger.save()
    before = db_state(tenant)
    with tenant_scope(tenant.pk), pytest.raises(NotFound) as exc:
        services.partner_grant_create(
            actor=_actor(owner, tenant), personnummer=stranger.personnummer, level=PartnerLevel.FULL
        )
    assert exc.value.code == "partner_not_found"
    assert db_state(tenant) == before


def test_partner_grant_for_unknown_or_invalid_personnummer(tenant, owner):
    actor = _actor(owner, tenant)
    before = db_state(tenant)
    with tenant_scope(tenant.pk):
        with pytest.raises(NotFound):
            services.partner_grant_create(actor=actor, personnummer=make_personnummer(902), level="FULL")
        with pytest.raises(DomainError) as exc:
            services.partner_grant_create(actor=actor, personnummer="19900101-0018", level="FULL")
    assert exc.value.code == "invalid_personnummer"
    assert exc.value.extra == {"field": "personnummer"}
    assert db_state(tenant) == before


def test_partner_grant_level_must_be_full_or_limited(tenant, owner, firm_person):
    with tenant_scope(tenant.pk), pytest.raises(DomainError) as exc:
        services.partner_grant_create(
            actor=_actor(owner, tenant), personnummer=firm_person.personnummer, level="ADMIN"
        )
    assert exc.value.code == "invalid_level"


def test_duplicate_partner_grant_is_refused(tenant, owner, partner_full):
    before = db_state(tenant)
    with tenant_scope(tenant.pk), pytest.raises(Conflict) as exc:
        services.partner_grant_create(
            actor=_actor(owner, tenant), personnummer=partner_full.personnummer, level=PartnerLevel.LIMITED
        )
    assert exc.value.code == "duplicate_grant"
    assert db_state(tenant) == before


def test_deactivated_firm_member_cannot_be_granted(tenant, owner, partner_firm, firm_person):
    with tenant_scope(partner_firm.pk):
        Membership.objects.filter(user=firm_person).update(is_active=False)
    with tenant_scope(tenant.pk), pytest.raises(NotFound):
        services.partner_grant_create(
            actor=_actor(owner, tenant), personnummer=firm_person.personnummer, level="FULL"
        )


def test_a_firm_cannot_grant_itself(owner, partner_firm, firm_person):
    # given the firm's own admin (a member of the firm) / when granting a colleague to the firm itself
    MembershipFactory(tenant=partner_firm, user=owner, licence=Licence.TOTAL)
    with tenant_scope(partner_firm.pk), pytest.raises(DomainError) as exc:
        services.partner_grant_create(
            actor=_actor(owner, partner_firm), personnummer=firm_person.personnummer, level="FULL"
        )
    assert exc.value.code == "own_partner"


@pytest.mark.parametrize("role", ["attestant", "employee", "partner_limited"])
def test_partner_grant_needs_the_permission(request, tenant, firm_person, role):
    user = request.getfixturevalue(role)
    before = db_state(tenant)
    with tenant_scope(tenant.pk), pytest.raises(Forbidden):
        services.partner_grant_create(
            actor=_actor(user, tenant), personnummer=firm_person.personnummer, level="FULL"
        )
    assert db_state(tenant) == before


def test_revoke_ends_access_at_once_and_is_idempotent(tenant, owner, partner_limited):
    # given an active grant
    with tenant_scope(tenant.pk):
        grant = PartnerGrant.objects.get(user=partner_limited)
        # when revoked twice
        services.partner_grant_revoke(actor=_actor(owner, tenant), grant=grant)
        first = PartnerGrant.objects.get(pk=grant.pk).revoked_at
        services.partner_grant_revoke(actor=_actor(owner, tenant), grant=grant)
        again = PartnerGrant.objects.get(pk=grant.pk)
    # then access ends, the first revocation stands and it is audited once
    assert first is not None and again.revoked_at == first and again.revoked_by == owner
    assert resolve(partner_limited, tenant) is None
    assert [e.action for e in _audit(tenant, "partner_grant")] == ["partner_grant.revoke"]


def test_a_revoked_person_can_be_granted_again(tenant, owner, partner_limited):
    with tenant_scope(tenant.pk):
        grant = PartnerGrant.objects.get(user=partner_limited)
        services.partner_grant_revoke(actor=_actor(owner, tenant), grant=grant)
        again = services.partner_grant_create(
            actor=_actor(owner, tenant), personnummer=partner_limited.personnummer, level="FULL"
        )
    assert again.pk != grant.pk
    assert resolve(partner_limited, tenant).partner_level == "FULL"


def test_full_partner_cannot_grant_access_to_others(tenant, partner_full, partner_firm, firm_person):
    # given a FULL partner acting in the customer's account
    actor = _actor(partner_full, tenant)
    # when they try to add a colleague
    with tenant_scope(tenant.pk), pytest.raises(Forbidden):
        services.partner_grant_create(
            actor=actor, personnummer=firm_person.personnummer, level=PartnerLevel.LIMITED
        )
    # then only the customer's own TOTAL users can decide who gets in: nothing was written
    with tenant_scope(tenant.pk):
        assert not PartnerGrant.objects.filter(user=firm_person).exists()
    assert _audit(tenant, "partner_grant") == []


def test_full_partner_acting_on_members_is_audited_with_the_firm(
    tenant, partner_full, partner_firm, employee
):
    with tenant_scope(tenant.pk):
        services.membership_update(
            actor=_actor(partner_full, tenant),
            membership=_membership(tenant, employee),
            employment_number="99",
        )
    (event,) = _audit(tenant, "membership.update")
    assert event.partner_tenant_id == partner_firm.pk


def test_partner_firm_variant_is_required(tenant, owner):
    # given a person whose only membership is in a tenant that is not a partner firm
    not_a_firm = TenantFactory(variant=Variant.BUSINESS)
    person = UserFactory(personnummer=make_personnummer(903))
    MembershipFactory(tenant=not_a_firm, user=person)
    with tenant_scope(tenant.pk), pytest.raises(NotFound):
        services.partner_grant_create(
            actor=_actor(owner, tenant), personnummer=person.personnummer, level="FULL"
        )


def test_invitation_mail_is_plain_text_without_html_escapes(owner, django_capture_on_commit_callbacks):
    # given a company whose name has an ampersand (plain-text mail must not show "&amp;")
    from verksam.tenancy.tests.factories import MembershipFactory, TenantFactory

    firm = TenantFactory(name="Ekonomi & Lön AB", slug="ekonomi-lon")
    MembershipFactory(tenant=firm, user=owner, licence=Licence.TOTAL)
    actor = _actor(owner, firm)
    # when someone is invited
    with django_capture_on_commit_callbacks(execute=True), tenant_scope(firm.pk):
        services.membership_invite(actor=actor, email="ny@example.se", name="Nina & Co")
    # then subject and body carry the name as written
    assert "Ekonomi & Lön AB" in mail.outbox[0].subject
    assert "Ekonomi & Lön AB" in mail.outbox[0].body
    assert "&amp;" not in mail.outbox[0].subject + mail.outbox[0].body
