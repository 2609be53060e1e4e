"""Closing a deviation period after payroll (issue 8 item 8): a TOTAL user or a FULL partner closes
it; a closed period refuses every change of its time (entries, lock, unlock, attest, reject,
reopen, bulk attest, time-bank adjustments) until it is reopened with a reason, which is audited and
flagged for the payroll correction file."""

import datetime as dt

import pytest
import time_machine

from verksam.attestation import selectors, services
from verksam.attestation.models import PeriodClose
from verksam.audit.models import AuditEvent
from verksam.core.errors import Conflict, DomainError, Forbidden
from verksam.tenancy.scope import tenant_scope
from verksam.tenancy.tests.helpers import sv
from verksam.timereporting import services as time_services
from verksam.timereporting.models import TimeBankAdjustment, TimeEntry

from .helpers import ROLES, TimeSettingsFactory, actor, lock, member, report, state

OCT_1, OCT_30, OCT_31 = dt.date(2026, 10, 1), dt.date(2026, 10, 30), dt.date(2026, 10, 31)
NOV_2 = dt.date(2026, 11, 2)


@pytest.fixture(autouse=True)
def scoped(tenant):
    with tenant_scope(tenant.pk):
        yield


@pytest.fixture
def october(tenant, owner, employee, today):
    """The employee's October: the 1st and the 30th attested, then the period closed by the owner."""
    m = member(tenant, employee)
    report(m, [OCT_1, OCT_30], status="attested")
    services.period_close(actor=actor(tenant, owner), period_key="2026-10")
    return m


def _snapshot(tenant):
    with tenant_scope(tenant.pk):
        return (
            state(tenant),
            list(PeriodClose.objects.order_by("pk").values()),
            list(TimeBankAdjustment.objects.values()),
        )


@pytest.mark.parametrize("role", ROLES)
def test_who_may_close_a_period(request, tenant, everyone, today, role):
    # TOTAL and a FULL partner (the payroll clerk) close; nobody else, and a refusal writes nothing
    before = _snapshot(tenant)

    def call():
        return services.period_close(actor=actor(tenant, request.getfixturevalue(role)), period_key="2026-10")

    if role in ("owner", "partner_full"):
        close = call()
        assert (close.start, close.end, close.period_key) == (OCT_1, OCT_31, "2026-10")
        assert AuditEvent.objects.filter(action="period.close").count() == 1
    else:
        with pytest.raises(Forbidden):
            call()
        assert _snapshot(tenant) == before


def test_a_period_that_has_not_ended_or_has_waiting_days_is_not_closed(tenant, owner, employee, today):
    m = member(tenant, employee)
    report(m, [OCT_30], status="locked")
    before = _snapshot(tenant)
    with pytest.raises(DomainError) as exc:
        services.period_close(actor=actor(tenant, owner), period_key="2026-11")  # ends 30 November
    assert exc.value.code == "period_not_ended"
    with pytest.raises(Conflict) as exc:
        services.period_close(actor=actor(tenant, owner), period_key="2026-10")
    assert exc.value.code == "period_has_waiting_days"
    assert exc.value.extra["employees"] == ["Erik Anställd"]
    with pytest.raises(DomainError) as exc:
        services.period_close(actor=actor(tenant, owner), period_key="2026-13")
    assert exc.value.code == "invalid_period"
    assert _snapshot(tenant) == before


def test_closing_twice_is_refused(tenant, owner, october):
    with pytest.raises(Conflict) as exc:
        services.period_close(actor=actor(tenant, owner), period_key="2026-10")
    assert exc.value.code == "period_already_closed"


def _refusals(tenant, owner, employee, m):
    entry = TimeEntry.objects.filter(membership=m, date=OCT_1).first()
    emp, boss = actor(tenant, employee), actor(tenant, owner)
    return {
        "create": lambda: report_via_service(emp, OCT_30 - dt.timedelta(days=1), entry),
        "create on behalf": lambda: report_via_service(boss, OCT_30 - dt.timedelta(days=1), entry, m),
        "update": lambda: time_services.time_entry_update(actor=emp, entry=entry, minutes=60),
        "delete": lambda: time_services.time_entry_delete(actor=emp, entry=entry),
        "lock": lambda: time_services.day_lock(actor=emp, dates=[dt.date(2026, 10, 29)]),
        "reopen": lambda: services.time_reopen(actor=boss, membership=m, dates=[OCT_1], reason="Fel"),
        "bank": lambda: time_services.time_bank_adjust(
            actor=boss, membership=m, date=OCT_30, minutes=60, reason="Ingående saldo"
        ),
    }


def report_via_service(actor_, day, like, employee=None):
    return time_services.time_entry_create(
        actor=actor_,
        employee=employee,
        date=day,
        project=like.project,
        time_code=like.time_code,
        minutes=60,
    )


@pytest.mark.parametrize(
    "change", ["create", "create on behalf", "update", "delete", "lock", "reopen", "bank"]
)
def test_a_closed_period_refuses_every_change(tenant, owner, employee, october, change):
    before = _snapshot(tenant)
    with pytest.raises(DomainError) as exc:
        _refusals(tenant, owner, employee, october)[change]()
    assert exc.value.code == "period_closed"
    assert exc.value.extra["period"] == "2026-10"
    assert "2026-10" in sv(exc.value.message) or "2026-10" in exc.value.message
    assert _snapshot(tenant) == before


def test_a_closed_period_refuses_unlock_attest_reject_and_bulk_attest(
    tenant, owner, attestant, employee, today
):
    # given locked days in October (legacy: locked before closing was refused) and a closed October
    m = member(tenant, employee)
    report(m, [OCT_30], status="attested")
    services.period_close(actor=actor(tenant, owner), period_key="2026-10")
    lock(m, [dt.date(2026, 10, 29)])
    days = [dt.date(2026, 10, 29)]
    before = _snapshot(tenant)
    for call in (
        lambda: time_services.day_unlock(actor=actor(tenant, employee), dates=days),
        lambda: services.time_attest(actor=actor(tenant, attestant), membership=m, dates=days),
        lambda: services.time_reject(actor=actor(tenant, attestant), membership=m, dates=days, comment="Nej"),
        lambda: services.time_attest_bulk(actor=actor(tenant, attestant), period_key="2026-10"),
    ):
        with pytest.raises(DomainError) as exc:
            call()
        assert exc.value.code == "period_closed"
    assert _snapshot(tenant) == before


def test_the_next_period_stays_open(tenant, employee, october, projects_free):
    # 2 November is in the open November period
    entry = TimeEntry.objects.filter(membership=october).first()
    report_via_service(actor(tenant, employee), NOV_2, entry)


@pytest.fixture
def projects_free(tenant, employee):
    """The project of the reported entries is internal, so the LIGHT employee may report on it."""
    from verksam.projects.models import ProjectKind

    with tenant_scope(tenant.pk):
        for entry in TimeEntry.objects.select_related("project"):
            entry.project.kind = ProjectKind.INTERNAL
            entry.project.save()


def test_reopen_needs_a_reason_then_opens_the_period_and_flags_the_correction(
    tenant, owner, employee, october, projects_free
):
    boss = actor(tenant, owner)
    before = _snapshot(tenant)
    with pytest.raises(DomainError) as exc:
        services.period_reopen(actor=boss, period_key="2026-10", reason="  ")
    assert exc.value.code == "reason_required"
    with pytest.raises(Forbidden):
        services.period_reopen(actor=actor(tenant, employee), period_key="2026-10", reason="Fel")
    assert _snapshot(tenant) == before
    # when the owner reopens it with a reason
    close = services.period_reopen(actor=boss, period_key="2026-10", reason="Sjukdag saknades")
    # then it is audited with the reason, flagged for the correction file, and its time may change
    event = AuditEvent.objects.get(action="period.reopen")
    assert event.data == {"period": "2026-10", "reason": "Sjukdag saknades"}
    assert list(selectors.period_corrections_pending()) == [close]
    assert selectors.period_close_get("2026-10") is None
    assert (
        time_services.day_lock(
            actor=actor(tenant, employee), dates=[dt.date(2026, 10, 29)], nothing_to_report=True
        )
        == 1
    )
    # and reopening an open period is refused; closing again writes a new row of the history
    with pytest.raises(Conflict):
        services.period_reopen(actor=boss, period_key="2026-10", reason="Igen")
    services.time_attest(actor=boss, membership=october, dates=[dt.date(2026, 10, 29)])
    services.period_close(actor=boss, period_key="2026-10")
    assert [c.is_closed for c in selectors.period_close_history("2026-10")] == [True, False]


def test_a_16th_to_15th_period_closes_across_new_year(tenant, owner, employee):
    # given periods from the 16th to the 15th, and the period 16 December 2026 – 15 January 2027
    TimeSettingsFactory(tenant=tenant, period_start_day=16)
    with time_machine.travel(dt.datetime(2027, 1, 20, 12, tzinfo=dt.UTC), tick=False):
        close = services.period_close(actor=actor(tenant, owner), period_key="2027-01")
        assert (close.start, close.end) == (dt.date(2026, 12, 16), dt.date(2027, 1, 15))
        # then New Year's Eve and the 15th are closed, the 16th and the 15th of December are open
        assert selectors.period_closed_days([dt.date(2026, 12, 31)]) is not None
        assert selectors.period_closed_days([dt.date(2027, 1, 15)]) is not None
        assert selectors.period_closed_days([dt.date(2027, 1, 16), dt.date(2026, 12, 15)]) is None
        m = member(tenant, employee)
        with pytest.raises(DomainError) as exc:
            time_services.day_lock(
                actor=actor(tenant, employee), dates=[dt.date(2027, 1, 15), dt.date(2027, 1, 16)]
            )
        assert exc.value.extra["dates"] == ["2027-01-15"]
        assert time_services.day_lock(actor=actor(tenant, employee), dates=[dt.date(2027, 1, 16)]) == 1
        assert m.pk
