"""Who may attest, reject and reopen whose time (issue 3, items 4 and 5)."""

import datetime as dt

import pytest
from django.core import mail

from verksam.attestation import services
from verksam.audit.models import AuditEvent
from verksam.core.errors import DomainError, Forbidden
from verksam.tenancy.models import Licence
from verksam.tenancy.scope import tenant_scope
from verksam.tenancy.tests.factories import MembershipFactory, UserFactory
from verksam.tenancy.tests.helpers import sv
from verksam.timereporting.models import DayLock, DayRejection

from .helpers import FRI, MON, THU, TUE, WED, actor, delegate, lock, member, report, state, statuses


@pytest.fixture(autouse=True)
def scoped(tenant):
    """Services run inside the tenant's scope, as views, endpoints and tasks run them."""
    with tenant_scope(tenant.pk):
        yield


@pytest.fixture
def locked(tenant, employee, today):
    """The employee reported Monday–Thursday and locked Monday–Wednesday."""
    m = member(tenant, employee)
    report(m, [MON, TUE, WED], status="locked")
    report(m, [THU])
    return m


@pytest.fixture
def colleague(tenant, owner):
    """Another STANDARD user, possible substitute of the attestant."""
    return MembershipFactory(
        tenant=tenant,
        user=UserFactory(email="sub@snickeri.se", name="Sune Ersättare"),
        licence=Licence.STANDARD,
    )


# --- attest ----------------------------------------------------------------------------------------


def test_approver_attests_locked_days(tenant, attestant, locked):
    # when the employee's approver attests Monday and Tuesday
    count = services.time_attest(actor=actor(tenant, attestant), membership=locked, dates=[MON, TUE])
    # then both are attested by them, not on anyone's behalf, and audited
    assert count == 2
    assert statuses(locked) == {MON: "attested", TUE: "attested", WED: "locked"}
    with tenant_scope(tenant.pk):
        day = DayLock.objects.get(membership=locked, date=MON)
        assert day.attested_by == attestant and day.attested_on_behalf_of_id is None
        assert AuditEvent.objects.filter(action="time.attest", target_id=str(locked.pk)).exists()


def test_attesting_open_days_is_refused(tenant, attestant, locked):
    before = state(tenant)
    with pytest.raises(DomainError) as exc:
        services.time_attest(actor=actor(tenant, attestant), membership=locked, dates=[THU])
    assert exc.value.code == "not_locked"
    assert state(tenant) == before


def test_non_approver_cannot_attest(tenant, colleague, locked):
    # given a STANDARD user who is not the employee's approver
    before = state(tenant)
    with pytest.raises(Forbidden) as exc:
        services.time_attest(actor=actor(tenant, colleague.user), membership=locked, dates=[MON])
    assert exc.value.code == "not_approver"
    assert state(tenant) == before


def test_light_user_cannot_attest_even_if_named_approver(tenant, owner, today):
    # given an employee whose named approver only has a LIGHT licence
    boss = MembershipFactory(tenant=tenant, licence=Licence.LIGHT)
    worker = MembershipFactory(tenant=tenant, licence=Licence.LIGHT, approver=boss)
    report(worker, [MON], status="locked")
    with pytest.raises(Forbidden):
        services.time_attest(actor=actor(tenant, boss.user), membership=worker, dates=[MON])
    assert statuses(worker) == {MON: "locked"}


@pytest.mark.parametrize("role", ["owner", "partner_full"])
def test_attest_all_may_attest_anyone(request, tenant, locked, role):
    user = request.getfixturevalue(role)
    assert services.time_attest(actor=actor(tenant, user), membership=locked, dates=[MON]) == 1
    assert statuses(locked)[MON] == "attested"


def test_partner_limited_cannot_attest(tenant, partner_limited, locked):
    before = state(tenant)
    with pytest.raises(Forbidden):
        services.time_attest(actor=actor(tenant, partner_limited), membership=locked, dates=[MON])
    assert state(tenant) == before


def test_own_time_is_refused_without_attest_own(tenant, owner, today):
    # given a STANDARD user who is (wrongly) their own approver's approver… and their own time locked
    boss = MembershipFactory(tenant=tenant, licence=Licence.STANDARD)
    boss_approver = MembershipFactory(tenant=tenant, licence=Licence.STANDARD)
    boss.approver = boss_approver
    with tenant_scope(tenant.pk):
        boss.save()
    report(boss, [MON], status="locked")
    before = state(tenant)
    with pytest.raises(Forbidden) as exc:
        services.time_attest(actor=actor(tenant, boss.user), membership=boss, dates=[MON])
    assert exc.value.message == "You cannot attest your own time." or exc.value.message == sv(
        "You cannot attest your own time."
    )
    assert exc.value.code == "own_time"
    assert state(tenant) == before


def test_total_may_attest_own_time(tenant, owner, today):
    me = member(tenant, owner)
    report(me, [MON], status="locked")
    assert services.time_attest(actor=actor(tenant, owner), membership=me, dates=[MON]) == 1


# --- delegation --------------------------------------------------------------------------------------


def test_substitute_attests_on_behalf_of_the_approver(tenant, attestant, colleague, locked, today):
    # given the attestant named the colleague substitute for this week
    delegate(member(tenant, attestant), colleague, MON, FRI)
    # when the substitute attests
    services.time_attest(actor=actor(tenant, colleague.user), membership=locked, dates=[MON])
    # then it is recorded on behalf of the approver
    with tenant_scope(tenant.pk):
        day = DayLock.objects.get(membership=locked, date=MON)
        event = AuditEvent.objects.get(action="time.attest")
    assert day.attested_by == colleague.user
    assert day.attested_on_behalf_of_id == member(tenant, attestant).pk
    assert event.data["on_behalf_of"] == member(tenant, attestant).pk


@pytest.mark.parametrize(
    ("start", "end", "allowed"),
    [
        (dt.date(2026, 11, 20), dt.date(2026, 11, 20), True),  # covers today only
        (dt.date(2026, 11, 1), dt.date(2026, 11, 19), False),  # ended yesterday
        (dt.date(2026, 11, 21), dt.date(2026, 11, 30), False),  # starts tomorrow
    ],
)
def test_substitute_only_while_the_delegation_covers_today(
    tenant, attestant, colleague, locked, start, end, allowed
):
    delegate(member(tenant, attestant), colleague, start, end)
    sub = actor(tenant, colleague.user)
    if allowed:
        assert services.time_attest(actor=sub, membership=locked, dates=[MON]) == 1
    else:
        before = state(tenant)
        with pytest.raises(Forbidden):
            services.time_attest(actor=sub, membership=locked, dates=[MON])
        assert state(tenant) == before


def test_revoked_delegation_gives_nothing(tenant, attestant, colleague, locked, today):
    d = delegate(member(tenant, attestant), colleague, MON, FRI)
    services.delegation_revoke(actor=actor(tenant, attestant), delegation=d)
    with pytest.raises(Forbidden):
        services.time_attest(actor=actor(tenant, colleague.user), membership=locked, dates=[MON])
    assert statuses(locked)[MON] == "locked"


def test_approver_still_attests_during_delegation_and_not_on_behalf(
    tenant, attestant, colleague, locked, today
):
    delegate(member(tenant, attestant), colleague, MON, FRI)
    services.time_attest(actor=actor(tenant, attestant), membership=locked, dates=[MON])
    with tenant_scope(tenant.pk):
        assert DayLock.objects.get(membership=locked, date=MON).attested_on_behalf_of_id is None


def test_delegation_create_rules(tenant, attestant, employee, colleague, owner, today):
    me = member(tenant, attestant)
    # an approver names a substitute for themselves
    d = services.delegation_create(
        actor=actor(tenant, attestant), substitute=colleague, start_date=today, end_date=FRI
    )
    assert d.approver == me and d.substitute == colleague
    with tenant_scope(tenant.pk):
        assert AuditEvent.objects.filter(action="delegation.create", target_id=str(d.pk)).exists()
    # a LIGHT user cannot be a substitute
    with pytest.raises(DomainError) as exc:
        services.delegation_create(
            actor=actor(tenant, attestant),
            substitute=member(tenant, employee),
            start_date=today,
            end_date=FRI,
        )
    assert exc.value.code == "invalid_substitute"
    # nobody is their own substitute, and the range must be in order and not over
    with pytest.raises(DomainError) as exc:
        services.delegation_create(
            actor=actor(tenant, attestant), substitute=me, start_date=today, end_date=FRI
        )
    assert exc.value.code == "own_substitute"
    with pytest.raises(DomainError) as exc:
        services.delegation_create(
            actor=actor(tenant, attestant), substitute=colleague, start_date=FRI, end_date=MON
        )
    assert exc.value.code == "end_before_start"
    with pytest.raises(DomainError) as exc:
        services.delegation_create(
            actor=actor(tenant, attestant), substitute=colleague, start_date=MON, end_date=THU
        )
    assert exc.value.code == "ended"
    # a STANDARD approver cannot name substitutes for someone else; TOTAL can
    with pytest.raises(Forbidden):
        services.delegation_create(
            actor=actor(tenant, colleague.user),
            approver=me,
            substitute=colleague,
            start_date=today,
            end_date=FRI,
        )
    d2 = services.delegation_create(
        actor=actor(tenant, owner), approver=colleague, substitute=me, start_date=today, end_date=FRI
    )
    assert d2.approver == colleague and d2.created_by == owner


def test_delegation_revoke_rules(tenant, attestant, colleague, owner, today):
    d = delegate(member(tenant, attestant), colleague, MON, FRI)
    # the substitute cannot revoke it; the approver can, once
    with pytest.raises(Forbidden):
        services.delegation_revoke(actor=actor(tenant, colleague.user), delegation=d)
    services.delegation_revoke(actor=actor(tenant, attestant), delegation=d)
    with pytest.raises(DomainError) as exc:
        services.delegation_revoke(actor=actor(tenant, owner), delegation=d)
    assert exc.value.code == "already_revoked"
    with tenant_scope(tenant.pk):
        assert AuditEvent.objects.filter(action="delegation.revoke").count() == 1


# --- reject ------------------------------------------------------------------------------------------


def test_reject_opens_days_again_and_emails_the_employee(
    tenant, attestant, employee, locked, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        count = services.time_reject(
            actor=actor(tenant, attestant),
            membership=locked,
            dates=[MON, TUE, THU],
            comment="Fel projekt på måndag",
        )
    # then the locked ones are open again with the comment; the open Thursday is untouched
    assert count == 2
    assert statuses(locked) == {WED: "locked"}
    with tenant_scope(tenant.pk):
        assert set(DayRejection.objects.values_list("date", flat=True)) == {MON, TUE}
        assert AuditEvent.objects.get(action="time.reject").data["comment"] == "Fel projekt på måndag"
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [employee.email]
    assert "Fel projekt på måndag" in message.body
    assert "2026" in message.body and "/t/snickeri/time/" in message.body


def test_reject_needs_a_comment(tenant, attestant, locked, django_capture_on_commit_callbacks):
    before = state(tenant)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(DomainError) as exc:
        services.time_reject(actor=actor(tenant, attestant), membership=locked, dates=[MON], comment="  ")
    assert exc.value.code == "comment_required"
    assert state(tenant) == before
    assert mail.outbox == []


def test_reject_by_non_approver_is_refused(tenant, colleague, locked):
    before = state(tenant)
    with pytest.raises(Forbidden):
        services.time_reject(
            actor=actor(tenant, colleague.user), membership=locked, dates=[MON], comment="Nej"
        )
    assert state(tenant) == before


# --- reopen -----------------------------------------------------------------------------------------


@pytest.fixture
def attested(tenant, attestant, locked):
    services.time_attest(actor=actor(tenant, attestant), membership=locked, dates=[MON, TUE])
    return locked


def test_total_reopens_with_a_reason_in_the_audit_log(tenant, owner, attested):
    count = services.time_reopen(
        actor=actor(tenant, owner), membership=attested, dates=[MON], reason="Fel tidkod"
    )
    assert count == 1
    assert statuses(attested) == {TUE: "attested", WED: "locked"}
    with tenant_scope(tenant.pk):
        event = AuditEvent.objects.get(action="time.reopen")
    assert event.data == {"dates": ["2026-11-16"], "reason": "Fel tidkod"}
    assert event.user == owner


def test_reopen_needs_a_reason(tenant, owner, attested):
    before = state(tenant)
    with pytest.raises(DomainError) as exc:
        services.time_reopen(actor=actor(tenant, owner), membership=attested, dates=[MON], reason=" ")
    assert exc.value.code == "reason_required"
    assert state(tenant) == before


@pytest.mark.parametrize("role", ["attestant", "employee", "partner_limited"])
def test_reopen_needs_total(request, tenant, attested, role):
    user = request.getfixturevalue(role)
    before = state(tenant)
    with pytest.raises(Forbidden):
        services.time_reopen(actor=actor(tenant, user), membership=attested, dates=[MON], reason="Fel")
    assert state(tenant) == before


def test_reopen_of_days_not_attested_is_refused(tenant, owner, attested):
    with pytest.raises(DomainError) as exc:
        services.time_reopen(actor=actor(tenant, owner), membership=attested, dates=[WED], reason="Fel")
    assert exc.value.code == "not_attested"


def test_attested_day_cannot_be_rejected(tenant, attestant, attested):
    with pytest.raises(DomainError) as exc:
        services.time_reject(actor=actor(tenant, attestant), membership=attested, dates=[MON], comment="Fel")
    assert exc.value.code == "not_locked"
    assert statuses(attested)[MON] == "attested"


def test_lock_helper_makes_attested_days(tenant, employee, attestant, today):
    m = member(tenant, employee)
    lock(m, [FRI], status="attested", attested_by=attestant)
    assert statuses(m) == {FRI: "attested"}


def test_a_partner_cannot_attest_or_reopen_its_own_time(tenant, owner, partner_full, today):
    # given a FULL partner who was once employed by the customer (membership now inactive): it acts
    # through its grant, but the locked days are still its own (issue 7 item 1: a partner never
    # becomes the customer, nor its own approver)
    own = MembershipFactory(tenant=tenant, user=partner_full, licence=Licence.LIGHT, is_active=False)
    report(own, [MON], status="locked")
    report(own, [TUE], status="attested")
    assert actor(tenant, partner_full).is_partner
    before = state(tenant)
    with pytest.raises(Forbidden):
        services.time_attest(actor=actor(tenant, partner_full), membership=own, dates=[MON])
    with pytest.raises(Forbidden):
        services.time_reopen(actor=actor(tenant, partner_full), membership=own, dates=[TUE], reason="x")
    assert state(tenant) == before
