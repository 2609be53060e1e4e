"""Approvers who can approve (issue 8 item 7): only a member whose licence allows attestation is
named approver; an approver who is demoted or deactivated hands their employees to a new approver
first; reminders never go to someone who cannot act; an employee who leaves with time not yet
attested is warned about, and their time stays in the queue until it is attested. Reopening attested
time mails the employee (item 6)."""

import datetime as dt

import pytest
from django.core import mail
from django.test import TestCase

from verksam.attestation import selectors, services
from verksam.audit.models import AuditEvent
from verksam.core.errors import Conflict, DomainError
from verksam.tenancy import services as tenancy_services
from verksam.tenancy.models import Invitation, Licence, Membership
from verksam.tenancy.scope import tenant_scope
from verksam.tenancy.tests.factories import MembershipFactory, UserFactory
from verksam.tenancy.tests.helpers import sv
from verksam.timecodes.periods import period_by_key

from .helpers import MON, THU, TUE, WED, actor, member, report, statuses


@pytest.fixture(autouse=True)
def scoped(tenant):
    with tenant_scope(tenant.pk):
        yield


def _members():
    return list(Membership.objects.order_by("pk").values())


def _snapshot():
    return _members(), AuditEvent.objects.count(), Invitation.objects.count()


@pytest.fixture
def light(tenant, owner):
    return MembershipFactory(tenant=tenant, user=UserFactory(name="Lisa Lätt"), licence=Licence.LIGHT)


def test_a_light_user_named_approver_is_refused_with_a_clear_swedish_error(tenant, owner, employee, light):
    boss = actor(tenant, owner)
    before = _snapshot()
    with pytest.raises(DomainError) as exc:
        tenancy_services.membership_update(actor=boss, membership=member(tenant, employee), approver=light)
    assert exc.value.code == "approver_cannot_attest" and exc.value.extra["field"] == "approver"
    assert "Lisa Lätt" in exc.value.message
    with pytest.raises(DomainError) as exc:
        tenancy_services.membership_invite(actor=boss, email="ny@snickeri.se", approver=light)
    assert exc.value.code == "approver_cannot_attest"
    assert _snapshot() == before
    assert sv("Only an active user with the STANDARD or TOTAL licence can be an approver.") != ""


def test_an_inactive_user_cannot_be_named_approver(tenant, owner, employee):
    gone = MembershipFactory(tenant=tenant, licence=Licence.STANDARD, is_active=False)
    with pytest.raises(DomainError) as exc:
        tenancy_services.membership_update(
            actor=actor(tenant, owner), membership=member(tenant, employee), approver=gone
        )
    assert exc.value.code == "approver_cannot_attest"


@pytest.mark.parametrize(
    "change", [{"licence": Licence.LIGHT}, {"licence": Licence.BASIC}, {"is_active": False}]
)
def test_demoting_or_deactivating_an_approver_asks_for_a_new_approver_first(
    tenant, owner, attestant, employee, change
):
    boss = actor(tenant, owner)
    before = _snapshot()
    with pytest.raises(Conflict) as exc:
        services.member_update(actor=boss, membership=member(tenant, attestant), **change)
    assert exc.value.code == "approver_has_employees"
    assert exc.value.extra["employees"] == [{"id": member(tenant, employee).pk, "name": "Erik Anställd"}]
    assert _snapshot() == before
    # a new approver who cannot attest is refused too, and nothing is half-written
    light = MembershipFactory(tenant=tenant, user=UserFactory(name="Lisa Lätt"), licence=Licence.LIGHT)
    before = _snapshot()
    with pytest.raises(DomainError) as exc:
        services.member_update(actor=boss, membership=member(tenant, attestant), new_approver=light, **change)
    assert exc.value.code == "approver_cannot_attest" and exc.value.extra["field"] == "new_approver"
    assert _snapshot() == before
    # when a TOTAL user is chosen, the employees move to them, in the same transaction, audited
    services.member_update(
        actor=boss, membership=member(tenant, attestant), new_approver=member(tenant, owner), **change
    )
    assert member(tenant, employee).approver_id == member(tenant, owner).pk
    event = AuditEvent.objects.get(action="membership.approver_reassign")
    assert event.data == {"approver": "Olle Ägare", "employees": ["Erik Anställd"]}


def test_promoting_or_editing_an_approver_needs_no_new_approver(tenant, owner, attestant, employee):
    services.member_update(
        actor=actor(tenant, owner), membership=member(tenant, attestant), employment_number="9"
    )
    assert member(tenant, employee).approver_id == member(tenant, attestant).pk


def test_deactivating_an_employee_with_unattested_time_warns_and_lists_it(
    tenant, owner, attestant, employee, today
):
    # given the employee's locked Monday and Tuesday, an open Wednesday and an attested Thursday
    m = member(tenant, employee)
    report(m, [MON, TUE], status="locked")
    report(m, [WED])
    report(m, [THU], status="attested")
    boss = actor(tenant, owner)
    before = _snapshot()
    # when they are deactivated without confirming / then the days are listed and nothing changes
    with pytest.raises(Conflict) as exc:
        services.member_update(actor=boss, membership=m, is_active=False)
    assert exc.value.code == "open_time"
    assert [(d["date"], d["status"]) for d in exc.value.extra["days"]] == [
        ("2026-11-16", "locked"),
        ("2026-11-17", "locked"),
        ("2026-11-18", "open"),
    ]
    assert _snapshot() == before
    # when confirmed / then they are inactive, and their time stays in the approver's queue
    services.member_update(actor=boss, membership=m, is_active=False, confirm_open_time=True)
    assert not member(tenant, employee).is_active
    period = period_by_key("2026-11")
    rows = selectors.attestation_queue(actor=actor(tenant, attestant), period=period)
    assert [(r.name, r.days_locked, r.days_missing) for r in rows] == [("Erik Anställd", 2, 0)]
    # and the approver attests it (the wednesday stays open: it is the employee's, now gone)
    services.time_attest(actor=actor(tenant, attestant), membership=m, dates=[MON, TUE])
    assert statuses(m)[MON] == "attested"
    services.time_attest_bulk(actor=actor(tenant, attestant), period_key="2026-11")


def test_a_former_employee_leaves_the_queue_once_everything_is_attested(
    tenant, owner, attestant, employee, today
):
    m = member(tenant, employee)
    report(m, [MON], status="attested")
    Membership.objects.filter(pk=m.pk).update(is_active=False)
    rows = selectors.attestation_queue(actor=actor(tenant, attestant), period=period_by_key("2026-11"))
    assert rows == []


def test_a_bulk_attestation_includes_a_former_employees_locked_days(tenant, attestant, employee, today):
    m = member(tenant, employee)
    report(m, [MON, TUE], status="locked")
    Membership.objects.filter(pk=m.pk).update(is_active=False)
    result = services.time_attest_bulk(actor=actor(tenant, attestant), period_key="2026-11")
    assert result == {"employees": 1, "days": 2}


def test_reopening_attested_time_mails_the_employee(tenant, owner, employee, today):
    m = member(tenant, employee)
    report(m, [MON], status="attested")
    with TestCase.captureOnCommitCallbacks(execute=True):
        services.time_reopen(actor=actor(tenant, owner), membership=m, dates=[MON], reason="Fel projekt")
    (sent,) = mail.outbox
    assert sent.to == [employee.email]
    assert "Fel projekt" in sent.body and "Olle Ägare" in sent.body
    assert dt.date(2026, 11, 16).strftime("%Y") in sent.body


def test_an_invitation_never_gives_an_approver_who_can_no_longer_attest(tenant, owner, attestant, employee):
    # given an invitation naming a STANDARD approver who has no employees yet
    boss = actor(tenant, owner)
    second = MembershipFactory(
        tenant=tenant, user=UserFactory(name="Sven Standard"), licence=Licence.STANDARD
    )
    invitation = tenancy_services.membership_invite(actor=boss, email="ny@snickeri.se", approver=second)
    # when the approver is demoted to LIGHT before the invitation is accepted (no employees: no hand-over)
    tenancy_services.membership_update(actor=boss, membership=second, licence=Licence.LIGHT)
    newcomer = UserFactory(email="ny@snickeri.se")
    joined = tenancy_services.invitation_accept(invitation=invitation, user=newcomer)
    # then the new member has no approver who cannot act (TOTAL users attest everyone meanwhile)
    assert joined.approver_id is None


def test_handing_over_an_approvers_employees_moves_their_pending_invitations_too(
    tenant, owner, attestant, employee
):
    boss = actor(tenant, owner)
    invitation = tenancy_services.membership_invite(
        actor=boss, email="ny@snickeri.se", approver=member(tenant, attestant)
    )
    services.member_update(
        actor=boss,
        membership=member(tenant, attestant),
        licence=Licence.LIGHT,
        new_approver=member(tenant, owner),
    )
    assert Invitation.objects.get(pk=invitation.pk).approver_id == member(tenant, owner).pk
