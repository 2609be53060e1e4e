"""A partner never becomes the customer (DESIGN.md rule 11, issue 7 item 1): a FULL partner may
administer users below TOTAL, but never the customer's own access."""

import pytest
from django.utils import translation

from verksam.core.errors import Forbidden
from verksam.tenancy import services
from verksam.tenancy.access import resolve
from verksam.tenancy.models import Licence, PartnerGrant
from verksam.tenancy.scope import tenant_scope
from verksam.timereporting import services as time_services

from .factories import MembershipFactory, UserFactory
from .helpers import db_state, membership_of


def _actor(user, tenant):
    actor = resolve(user, tenant)
    assert actor is not None
    return actor


@pytest.fixture
def second_total(tenant, owner):
    # a second TOTAL user, so that "the last TOTAL user" is never the reason for a refusal here
    return MembershipFactory(
        tenant=tenant, user=UserFactory(email="total2@snickeri.se"), licence=Licence.TOTAL
    ).user


@pytest.mark.parametrize("licence", [Licence.LIGHT, Licence.TOTAL])
def test_full_partner_cannot_invite_their_own_email(tenant, owner, partner_full, licence):
    # given a FULL partner / when they invite their own e-mail as a member of the customer
    before = db_state(tenant)
    with tenant_scope(tenant.pk), pytest.raises(Forbidden) as exc:
        services.membership_invite(
            actor=_actor(partner_full, tenant), email=partner_full.email.upper(), name="x", licence=licence
        )
    # then refused: nothing written, and the partner is still only a partner
    assert exc.value.code in {"partner_own_firm", "total_reserved"}
    assert db_state(tenant) == before
    assert _actor(partner_full, tenant).is_partner


def test_full_partner_cannot_invite_anyone_of_their_own_firm(tenant, partner_full, partner_firm):
    # given a colleague at the accounting firm (even one without a grant)
    colleague = MembershipFactory(tenant=partner_firm, user=UserFactory(email="kollega@byra.se")).user
    before = db_state(tenant)
    with tenant_scope(tenant.pk), pytest.raises(Forbidden) as exc:
        services.membership_invite(
            actor=_actor(partner_full, tenant), email=colleague.email, name="Kollega", licence=Licence.LIGHT
        )
    assert exc.value.code == "partner_own_firm"
    assert db_state(tenant) == before


def test_full_partner_cannot_invite_a_new_total_user(tenant, partner_full):
    before = db_state(tenant)
    with tenant_scope(tenant.pk), pytest.raises(Forbidden) as exc:
        services.membership_invite(
            actor=_actor(partner_full, tenant), email="ny@example.se", name="Ny", licence=Licence.TOTAL
        )
    assert exc.value.code == "total_reserved"
    assert db_state(tenant) == before


def test_full_partner_may_invite_and_edit_users_below_total(tenant, partner_full, employee):
    # the admin pages below TOTAL stay open to a FULL partner (DOMAIN.md "fullständig")
    actor = _actor(partner_full, tenant)
    with tenant_scope(tenant.pk):
        new = services.membership_invite(
            actor=actor, email="ny@example.se", name="Ny", licence=Licence.STANDARD
        )
        services.membership_update(
            actor=actor, membership=membership_of(tenant, employee), licence=Licence.BASIC, is_active=False
        )
    assert new.licence == Licence.STANDARD
    changed = membership_of(tenant, employee)
    assert (changed.licence, changed.is_active) == (Licence.BASIC, False)


def test_full_partner_cannot_give_a_member_total(tenant, owner, partner_full, employee):
    before = db_state(tenant)
    with tenant_scope(tenant.pk), pytest.raises(Forbidden) as exc:
        services.membership_update(
            actor=_actor(partner_full, tenant),
            membership=membership_of(tenant, employee),
            licence=Licence.TOTAL,
        )
    assert exc.value.code == "total_reserved"
    assert db_state(tenant) == before


@pytest.mark.parametrize(
    "change",
    [
        {"licence": Licence.STANDARD},  # demote the owner
        {"is_active": False},  # deactivate the owner
        {"approver": None},  # change the owner's approver
        {"employment_number": "666"},
        {"work_day_minutes": 240},
        {"licence": Licence.TOTAL},  # even a change to the same value
    ],
)
def test_full_partner_cannot_change_a_total_member(tenant, owner, second_total, partner_full, change):
    # given two TOTAL users (so the last-TOTAL rule is not what refuses)
    before = db_state(tenant)
    with tenant_scope(tenant.pk), pytest.raises(Forbidden) as exc:
        services.membership_update(
            actor=_actor(partner_full, tenant), membership=membership_of(tenant, owner), **change
        )
    assert exc.value.code == "total_reserved"
    assert db_state(tenant) == before


def test_the_attack_of_the_issue_is_refused_and_revoking_ends_access(
    tenant, owner, second_total, partner_full
):
    # given a FULL partner who tries to become the customer: invite itself as TOTAL, deactivate the owner
    actor = _actor(partner_full, tenant)
    with tenant_scope(tenant.pk):
        with pytest.raises(Forbidden):
            services.membership_invite(actor=actor, email=partner_full.email, name="x", licence=Licence.TOTAL)
        with pytest.raises(Forbidden):
            services.membership_update(actor=actor, membership=membership_of(tenant, owner), is_active=False)
        grant = PartnerGrant.objects.get(user=partner_full)
        # when the customer revokes the grant
        services.partner_grant_revoke(actor=_actor(owner, tenant), grant=grant)
    # then the partner has no way in any more, and the owner is still an active TOTAL user
    assert resolve(partner_full, tenant) is None
    assert _actor(owner, tenant).is_total


def test_total_member_keeps_every_right_a_partner_lacks(tenant, owner, attestant, partner_firm):
    # the company's own TOTAL user may still give TOTAL and invite anyone, incl. accounting-firm people
    colleague = MembershipFactory(tenant=partner_firm, user=UserFactory(email="kollega@byra.se")).user
    actor = _actor(owner, tenant)
    with tenant_scope(tenant.pk):
        services.membership_update(
            actor=actor, membership=membership_of(tenant, attestant), licence=Licence.TOTAL
        )
        invited = services.membership_invite(
            actor=actor, email=colleague.email, name="Kollega", licence=Licence.TOTAL
        )
    assert invited.licence == Licence.TOTAL


def test_full_partner_may_adjust_the_time_bank_of_a_total_member(tenant, owner, partner_full):
    # Decided: the time bank is payroll data, not access; the accounting firm keeps it for everyone.
    import datetime as dt

    with tenant_scope(tenant.pk):
        adjustment = time_services.time_bank_adjust(
            actor=_actor(partner_full, tenant),
            membership=membership_of(tenant, owner),
            date=dt.date(2026, 1, 1),
            minutes=60,
            reason="Ingående saldo",
        )
    assert adjustment.minutes == 60


def test_full_partner_cannot_reactivate_or_change_its_own_membership(tenant, owner, partner_full):
    # given the partner was once a member of the customer (deactivated): it acts through its grant
    MembershipFactory(tenant=tenant, user=partner_full, licence=Licence.LIGHT, is_active=False)
    actor = _actor(partner_full, tenant)
    assert actor.is_partner
    before = db_state(tenant)
    # when it reactivates that membership (to keep access after the grant is revoked) / then refused
    with tenant_scope(tenant.pk), pytest.raises(Forbidden) as exc:
        services.membership_update(
            actor=actor, membership=membership_of(tenant, partner_full), is_active=True
        )
    assert exc.value.code == "partner_own_firm"
    assert db_state(tenant) == before


def test_full_partner_cannot_change_a_colleagues_membership(tenant, owner, partner_full, partner_firm):
    # given a colleague of the firm whom the customer made a LIGHT member
    colleague = MembershipFactory(tenant=partner_firm, user=UserFactory(email="kollega@byra.se")).user
    MembershipFactory(tenant=tenant, user=colleague, licence=Licence.LIGHT)
    before = db_state(tenant)
    with tenant_scope(tenant.pk), pytest.raises(Forbidden) as exc:
        services.membership_update(
            actor=_actor(partner_full, tenant),
            membership=membership_of(tenant, colleague),
            licence=Licence.STANDARD,
        )
    assert exc.value.code == "partner_own_firm"
    assert db_state(tenant) == before


def test_full_partner_cannot_adjust_its_own_time_bank(tenant, owner, partner_full):
    import datetime as dt

    MembershipFactory(tenant=tenant, user=partner_full, licence=Licence.LIGHT, is_active=False)
    before = db_state(tenant)
    with tenant_scope(tenant.pk), pytest.raises(Forbidden) as exc:
        time_services.time_bank_adjust(
            actor=_actor(partner_full, tenant),
            membership=membership_of(tenant, partner_full),
            date=dt.date(2026, 1, 1),
            minutes=6000,
            reason="Utbetalning",
        )
    assert exc.value.code == "own_time_bank"
    assert db_state(tenant) == before


@pytest.mark.parametrize("service", ["invitation_resend", "invitation_revoke"])
def test_full_partner_cannot_resend_or_withdraw_a_total_invitation(tenant, owner, partner_full, service):
    # given the owner has invited a second administrator
    with tenant_scope(tenant.pk):
        invitation = services.membership_invite(
            actor=_actor(owner, tenant), email="new-admin@snickeri.se", licence=Licence.TOTAL
        )
    before = db_state(tenant)
    # when a FULL partner resends or withdraws it / then refused and nothing changed
    with tenant_scope(tenant.pk), pytest.raises(Forbidden) as exc:
        getattr(services, service)(actor=_actor(partner_full, tenant), invitation=invitation)
    assert exc.value.code == "total_reserved"
    assert db_state(tenant) == before


def test_full_partner_cannot_invite_a_colleague_of_its_firm(tenant, owner, partner_full, partner_firm):
    # given a colleague in the partner's firm
    colleague = MembershipFactory(tenant=partner_firm, user=UserFactory(email="kollega@byra.se")).user
    # when the FULL partner invites the colleague's address (other case) / then refused
    with tenant_scope(tenant.pk), pytest.raises(Forbidden) as exc:
        services.membership_invite(actor=_actor(partner_full, tenant), email=colleague.email.upper())
    assert exc.value.code == "partner_own_firm"


def test_revoking_a_grant_withdraws_the_invitations_the_partner_sent(tenant, owner, partner_full, mailoutbox):
    # given a FULL partner who invited a worker, and the owner who invited another
    from verksam.tenancy.models import Invitation, InvitationStatus

    with tenant_scope(tenant.pk):
        by_partner = services.membership_invite(
            actor=_actor(partner_full, tenant), email="arbetare@example.se"
        )
        by_owner = services.membership_invite(actor=_actor(owner, tenant), email="annan@example.se")
        grant = PartnerGrant.objects.get(user=partner_full)
        # when the customer revokes the partner's access
        services.partner_grant_revoke(actor=_actor(owner, tenant), grant=grant)
        # then what the partner offered in the customer's name is withdrawn (its link stops working),
        # and the owner's own invitation still stands
        assert Invitation.objects.get(pk=by_partner.pk).status == InvitationStatus.REVOKED
        assert Invitation.objects.get(pk=by_owner.pk).status == InvitationStatus.PENDING
        from verksam.audit.models import AuditEvent

        withdrawn = AuditEvent.objects.get(action="invitation.revoke")
        assert withdrawn.data["withdrawn_because"] == "partner_grant_revoked"
    from verksam.audit.presentation import details

    with translation.override("sv"):
        assert ("Återkallad eftersom", "byråns åtkomst togs bort") in details(withdrawn.data)
