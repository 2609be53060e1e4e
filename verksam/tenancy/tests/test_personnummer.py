"""A personnummer is an identity, not a profile field (issue 7 item 3): access is granted by it only
once the person's accounting firm has confirmed it; changing it clears the confirmation; both audited."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from verksam.audit.models import AuditEvent
from verksam.core.errors import DomainError, Forbidden, NotFound
from verksam.tenancy import services
from verksam.tenancy.access import resolve
from verksam.tenancy.models import Licence, PartnerGrant
from verksam.tenancy.scope import tenant_scope

from .factories import MembershipFactory, UserFactory, make_personnummer
from .helpers import db_state, membership_of, sv


def _actor(user, tenant):
    actor = resolve(user, tenant)
    assert actor is not None
    return actor


def _audit(tenant, action):
    with tenant_scope(tenant.pk):
        return list(AuditEvent.objects.filter(action=action).order_by("pk"))


@pytest.fixture
def firm_owner(partner_firm):
    return MembershipFactory(
        tenant=partner_firm, user=UserFactory(email="chef@byra.se", name="Carl Chef"), licence=Licence.TOTAL
    ).user


@pytest.fixture
def staff(partner_firm):
    # a new accountant who typed their personnummer on their own page: not confirmed
    person = UserFactory(email="ny@byra.se", name="Nils Byrå", personnummer=make_personnummer(950))
    MembershipFactory(tenant=partner_firm, user=person, licence=Licence.STANDARD)
    return person


def test_grant_to_an_unconfirmed_person_is_refused_with_what_to_do(tenant, owner, staff):
    # given a firm member whose personnummer nobody has confirmed
    before = db_state(tenant)
    # when the customer's TOTAL user adds them by personnummer
    with tenant_scope(tenant.pk), pytest.raises(DomainError) as exc:
        services.partner_grant_create(
            actor=_actor(owner, tenant), personnummer=staff.personnummer, level="FULL"
        )
    # then refused, in Swedish, saying that the firm's administrator must confirm it first
    assert exc.value.code == "personnummer_not_verified"
    assert exc.value.extra == {"field": "personnummer"}
    assert "administratör" in sv(
        "The accounting firm has not yet confirmed this person's personnummer in Verksam. "
        "Ask the firm's administrator to confirm it (Users → Confirm personnummer), then try again."
    )
    assert db_state(tenant) == before


def test_the_firm_confirms_and_then_the_grant_matches(tenant, owner, partner_firm, firm_owner, staff):
    # given the firm's TOTAL user confirms the staff member's number from their ID document
    with tenant_scope(partner_firm.pk):
        services.user_personnummer_verify(
            actor=_actor(firm_owner, partner_firm),
            membership=membership_of(partner_firm, staff),
            personnummer=staff.personnummer[2:8] + "-" + staff.personnummer[8:],
        )
    staff.refresh_from_db()
    assert staff.personnummer_verified and staff.personnummer_verified_by == firm_owner
    (event,) = _audit(partner_firm, "user.personnummer_verify")
    assert event.user == firm_owner and event.data == {"personnummer": staff.personnummer_masked}
    assert staff.personnummer not in str(event.data)  # masked in the log
    # when the customer adds them / then it works
    with tenant_scope(tenant.pk):
        grant = services.partner_grant_create(
            actor=_actor(owner, tenant), personnummer=staff.personnummer, level="LIMITED"
        )
    assert grant.user == staff


def test_confirming_needs_the_number_the_person_entered(partner_firm, firm_owner, staff):
    before = db_state(partner_firm)
    with tenant_scope(partner_firm.pk), pytest.raises(DomainError) as exc:
        services.user_personnummer_verify(
            actor=_actor(firm_owner, partner_firm),
            membership=membership_of(partner_firm, staff),
            personnummer=make_personnummer(951),
        )
    assert exc.value.code == "personnummer_mismatch"
    staff.refresh_from_db()
    assert not staff.personnummer_verified
    assert db_state(partner_firm) == before


def test_a_person_without_a_personnummer_cannot_be_confirmed(partner_firm, firm_owner):
    person = MembershipFactory(tenant=partner_firm, user=UserFactory()).user
    with tenant_scope(partner_firm.pk), pytest.raises(DomainError) as exc:
        services.user_personnummer_verify(
            actor=_actor(firm_owner, partner_firm),
            membership=membership_of(partner_firm, person),
            personnummer=make_personnummer(952),
        )
    assert exc.value.code == "personnummer_missing"


def test_only_the_firms_total_user_confirms(partner_firm, staff):
    colleague = MembershipFactory(tenant=partner_firm, user=UserFactory(), licence=Licence.STANDARD).user
    with tenant_scope(partner_firm.pk), pytest.raises(Forbidden):
        services.user_personnummer_verify(
            actor=_actor(colleague, partner_firm),
            membership=membership_of(partner_firm, staff),
            personnummer=staff.personnummer,
        )


def test_an_ordinary_company_does_not_confirm(tenant, owner, employee):
    # the customer's TOTAL user vouches for nobody: only an accounting firm confirms its own people
    employee.personnummer = make_personnummer(953)
    employee.save()
    with tenant_scope(tenant.pk), pytest.raises(NotFound):
        services.user_personnummer_verify(
            actor=_actor(owner, tenant),
            membership=membership_of(tenant, employee),
            personnummer=employee.personnummer,
        )


def test_a_full_partner_cannot_confirm_in_the_customer(tenant, partner_full, employee):
    employee.personnummer = make_personnummer(954)
    employee.save()
    with tenant_scope(tenant.pk), pytest.raises(Forbidden):
        services.user_personnummer_verify(
            actor=_actor(partner_full, tenant),
            membership=membership_of(tenant, employee),
            personnummer=employee.personnummer,
        )


def test_changing_the_own_personnummer_clears_the_confirmation_and_is_audited(
    tenant, partner_full, partner_firm
):
    # given a confirmed partner / when they change their own personnummer
    assert partner_full.personnummer_verified
    old = partner_full.personnummer_masked
    services.user_profile_update(
        user=partner_full, name=partner_full.name, personnummer=make_personnummer(955)
    )
    partner_full.refresh_from_db()
    # then it is no longer confirmed, and the change is logged in the firm (masked)
    assert not partner_full.personnummer_verified and partner_full.personnummer_verified_by is None
    (event,) = _audit(partner_firm, "user.personnummer_change")
    assert event.user == partner_full
    assert event.data == {
        "before": {"personnummer": old},
        "after": {"personnummer": partner_full.personnummer_masked},
        "was_confirmed": True,
    }
    # and a new grant by the new number is refused until the firm confirms it again
    with tenant_scope(tenant.pk):
        PartnerGrant.objects.filter(user=partner_full).update(revoked_at=timezone.now())
    owner_actor = _actor(_owner(tenant), tenant)
    with tenant_scope(tenant.pk), pytest.raises(DomainError) as exc:
        services.partner_grant_create(actor=owner_actor, personnummer=partner_full.personnummer, level="FULL")
    assert exc.value.code == "personnummer_not_verified"


def _owner(tenant):
    from verksam.tenancy.models import Membership

    with tenant_scope(tenant.pk):
        return Membership.objects.get(licence=Licence.TOTAL).user


def test_saving_the_same_personnummer_keeps_the_confirmation(partner_full, partner_firm):
    services.user_profile_update(
        user=partner_full, name="Nytt Namn", personnummer=partner_full.personnummer[2:]
    )
    partner_full.refresh_from_db()
    assert partner_full.name == "Nytt Namn" and partner_full.personnummer_verified
    assert _audit(partner_firm, "user.personnummer_change") == []


def test_nobody_can_take_someone_elses_personnummer(partner_full, employee):
    # given a confirmed partner / when another user types the partner's number on their own page
    with pytest.raises(ValidationError) as exc:
        services.user_profile_update(
            user=employee, name=employee.name, personnummer=partner_full.personnummer
        )
    assert "personnummer" in exc.value.message_dict
    employee.refresh_from_db()
    assert employee.personnummer == ""
