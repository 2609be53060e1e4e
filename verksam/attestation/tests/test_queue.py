"""The approver's queue and one employee's period; bulk attestation; deviation-period edges."""

import datetime as dt

import pytest
import time_machine

from verksam.attestation import selectors, services
from verksam.audit.models import AuditEvent
from verksam.core.errors import DomainError, Forbidden, NotFound
from verksam.core.timeutil import workdays
from verksam.tenancy.models import Licence
from verksam.tenancy.scope import tenant_scope
from verksam.tenancy.tests.factories import MembershipFactory, UserFactory
from verksam.tenancy.tests.helpers import count_queries
from verksam.timecodes.periods import period_by_key, period_for
from verksam.timereporting.models import DayLock

from .helpers import (
    FRI,
    MON,
    STOCKHOLM,
    THU,
    TUE,
    WED,
    TimeSettingsFactory,
    absence,
    actor,
    codes,
    delegate,
    lock,
    member,
    report,
    statuses,
    team,
)


@pytest.fixture(autouse=True)
def scoped(tenant):
    with tenant_scope(tenant.pk):
        yield


NOV = period_by_key("2026-11")


def _row(rows, membership):
    return next(r for r in rows if r.member_id == membership.pk)


def test_queue_counts_days_minutes_and_codes(tenant, owner, attestant, employee, today):
    # given the employee, on Friday 20 November (14 weekdays due before today): 2–13 November nothing,
    # Monday attested, Tuesday locked, Wednesday reported open, Thursday sick, Friday nothing
    kit = codes(tenant)
    m = member(tenant, employee)
    report(m, [MON], status="attested", kit=kit)
    report(m, [TUE], status="locked", kit=kit, minutes=450)
    report(m, [WED], kit=kit, minutes=240)
    from verksam.timereporting.tests.factories import TimeEntryFactory

    TimeEntryFactory(membership=m, date=WED, project=kit["project"], time_code=kit["overtime"], minutes=60)
    absence(m, THU, kit["sick"])
    # when the approver opens the queue
    rows = selectors.attestation_queue(actor=actor(tenant, attestant), period=NOV)
    # then the employee is the only row, with the figures
    assert [r.member_id for r in rows] == [m.pk]
    row = rows[0]
    assert row.name == "Erik Anställd" and row.employment_number == "17"
    assert (row.days_reported, row.days_open, row.days_locked, row.days_attested) == (4, 2, 1, 1)
    assert row.days_missing == 10  # 2–6 and 9–13 November (Friday 20th is today: not due yet)
    assert row.total_minutes == 480 + 450 + 240 + 60 + 480
    assert [(c.code, c.minutes) for c in row.time_codes] == [("NORM", 1170), ("OT50", 60)]
    assert [(c.code, c.name, c.minutes) for c in row.absence_types] == [("SJK", "Sjuk", 480)]
    assert row.status == "waiting" and not row.via_delegation


def test_queue_status_summary(tenant, owner, attestant, today):
    a = member(tenant, attestant)
    done, waiting, incomplete = team(tenant, a, 3)
    days = workdays(NOV.start, FRI)
    report(done, days, status="attested")
    report(waiting, days, status="locked")
    report(incomplete, days[:-2], status="attested")  # yesterday missing (today is not due yet)
    rows = selectors.attestation_queue(actor=actor(tenant, attestant), period=NOV)
    assert {r.member_id: r.status for r in rows} == {
        done.pk: "attested",
        waiting.pk: "waiting",
        incomplete.pk: "incomplete",
    }
    only = selectors.attestation_queue(actor=actor(tenant, attestant), period=NOV, waiting_only=True)
    assert [r.member_id for r in only] == [waiting.pk]


def test_queue_shows_only_people_the_actor_may_attest(tenant, owner, attestant, employee, today):
    a = member(tenant, attestant)
    others = MembershipFactory(tenant=tenant, licence=Licence.LIGHT)  # no approver
    # the approver sees their own people only; TOTAL sees everyone incl. themselves
    assert [r.member_id for r in selectors.attestation_queue(actor=actor(tenant, attestant), period=NOV)] == [
        member(tenant, employee).pk
    ]
    everyone = {r.member_id for r in selectors.attestation_queue(actor=actor(tenant, owner), period=NOV)}
    assert everyone == {member(tenant, u).pk for u in (owner, attestant, employee)} | {others.pk}
    assert a.pk in everyone
    # a LIGHT employee has no queue
    assert selectors.attestation_queue(actor=actor(tenant, employee), period=NOV) == []


def test_queue_routes_to_substitute_on_behalf_of_the_approver(tenant, owner, attestant, employee, today):
    sub = MembershipFactory(tenant=tenant, user=UserFactory(name="Sune Ersättare"), licence=Licence.STANDARD)
    delegate(member(tenant, attestant), sub, MON, FRI)
    rows = selectors.attestation_queue(actor=actor(tenant, sub.user), period=NOV)
    assert [r.member_id for r in rows] == [member(tenant, employee).pk]
    assert rows[0].via_delegation and rows[0].on_behalf_of.pk == member(tenant, attestant).pk


def test_queue_uses_a_constant_number_of_queries(tenant, owner, attestant, today):
    # given 2 and then 30 employees with a week reported, locked and partly attested
    a = member(tenant, attestant)
    kit = codes(tenant)
    sub_for = MembershipFactory(tenant=tenant, licence=Licence.STANDARD)
    delegate(sub_for, a, MON, FRI)

    def add(n, prefix):
        people = team(tenant, a, n, prefix) + team(tenant, sub_for, 1, prefix + "d")
        for p in people:
            report(p, [MON, TUE], status="attested", kit=kit)
            report(p, [WED], status="locked", kit=kit)
            absence(p, THU, kit["sick"])

    add(2, "a")
    who = actor(tenant, attestant)
    small, rows = count_queries(lambda: selectors.attestation_queue(actor=who, period=NOV))
    assert len(rows) == 3
    add(28, "b")
    large, rows = count_queries(lambda: selectors.attestation_queue(actor=who, period=NOV))
    assert len(rows) == 32
    assert small == large <= 9  # 9: the open rejections behind the "Avvisade" filter (issue 12)


def test_employee_period_detail(tenant, attestant, employee, today):
    kit = codes(tenant)
    m = member(tenant, employee)
    report(m, [MON], status="attested", kit=kit, attested_by=attestant)
    report(m, [TUE], status="locked", kit=kit)
    absence(m, WED, kit["sick"], minutes=240)
    n, detail = count_queries(lambda: selectors.employee_period(membership=m, period=NOV))
    assert n == 11  # entries, locks, rejections, the schedule + the balances (schedules, codes, figures)
    assert len(detail.days) == 30 and detail.total_minutes == 480 * 2 + 240
    by_date = {d.date: d for d in detail.days}
    assert by_date[MON].is_attested and by_date[MON].lock.attested_by == attestant
    assert by_date[TUE].is_locked and by_date[TUE].hours == "8:00"
    assert by_date[WED].is_open and by_date[WED].entries[0].label == "Sjuk"
    assert by_date[TUE].entries[0].label == "P1 Villa Berg" and by_date[TUE].entries[0].code == "NORM"
    assert detail.locked_dates == [TUE]


# --- bulk attestation ---------------------------------------------------------------------------------


def test_bulk_attests_every_locked_day_of_the_team_once(tenant, owner, attestant, employee, today):
    a = member(tenant, attestant)
    people = [member(tenant, employee), *team(tenant, a, 2)]
    stranger_to_me = MembershipFactory(tenant=tenant, licence=Licence.LIGHT)  # not the attestant's
    for p in [*people, stranger_to_me]:
        report(p, [MON, TUE], status="locked")
        report(p, [WED])
    report(people[0], [dt.date(2026, 10, 30)], status="locked")  # another period
    result = services.time_attest_bulk(actor=actor(tenant, attestant), period_key="2026-11")
    assert result == {"employees": 3, "days": 6}
    for p in people:
        assert statuses(p) == {MON: "attested", TUE: "attested"} | (
            {dt.date(2026, 10, 30): "locked"} if p == people[0] else {}
        )
    assert statuses(stranger_to_me) == {MON: "locked", TUE: "locked"}
    with tenant_scope(tenant.pk):
        event = AuditEvent.objects.get(action="time.attest_bulk")
        first = DayLock.objects.get(membership=people[0], date=MON)
    assert event.data["days"] == 6 and event.data["dates"][str(people[0].pk)] == ["2026-11-16", "2026-11-17"]
    # when it runs again nothing changes: attested days stay attested, with their first attestation
    assert services.time_attest_bulk(actor=actor(tenant, attestant), period_key="2026-11") == {
        "employees": 0,
        "days": 0,
    }
    with tenant_scope(tenant.pk):
        assert DayLock.objects.get(pk=first.pk).attested_at == first.attested_at
        assert AuditEvent.objects.filter(action="time.attest_bulk").count() == 1


def test_bulk_records_on_behalf_of_for_delegated_people(tenant, owner, attestant, employee, today):
    sub = MembershipFactory(tenant=tenant, licence=Licence.STANDARD)
    delegate(member(tenant, attestant), sub, MON, FRI)
    own_people = team(tenant, sub, 1)
    m = member(tenant, employee)
    for p in (m, *own_people):
        report(p, [MON], status="locked")
    assert services.time_attest_bulk(actor=actor(tenant, sub.user), period_key="2026-11")["days"] == 2
    with tenant_scope(tenant.pk):
        assert DayLock.objects.get(membership=m).attested_on_behalf_of_id == member(tenant, attestant).pk
        assert DayLock.objects.get(membership=own_people[0]).attested_on_behalf_of_id is None


def test_bulk_uses_a_constant_number_of_queries(tenant, owner, attestant, today):
    a = member(tenant, attestant)
    kit = codes(tenant)
    days = workdays(NOV.start, FRI)

    def run(n, prefix):
        for p in team(tenant, a, n, prefix):
            report(p, days, status="locked", kit=kit)
        return count_queries(
            lambda: services.time_attest_bulk(actor=actor(tenant, attestant), period_key="2026-11")
        )

    small, r1 = run(2, "a")
    large, r2 = run(30, "b")
    assert r1 == {"employees": 2, "days": 30} and r2 == {"employees": 30, "days": 450}
    assert small == large


def test_bulk_limited_to_members_and_refusals(tenant, owner, attestant, employee, other_tenant, today):
    a = member(tenant, attestant)
    mine = team(tenant, a, 2)
    for p in mine:
        report(p, [MON], status="locked")
    who = actor(tenant, attestant)
    assert services.time_attest_bulk(actor=who, period_key="2026-11", membership_ids=[mine[0].pk]) == {
        "employees": 1,
        "days": 1,
    }
    with pytest.raises(Forbidden):
        services.time_attest_bulk(actor=who, period_key="2026-11", membership_ids=[member(tenant, owner).pk])
    foreign = MembershipFactory(tenant=other_tenant)
    with pytest.raises(NotFound):
        services.time_attest_bulk(actor=who, period_key="2026-11", membership_ids=[foreign.pk])
    with pytest.raises(DomainError):
        services.time_attest_bulk(actor=who, period_key="2026-13")
    with pytest.raises(Forbidden):
        services.time_attest_bulk(actor=actor(tenant, employee), period_key="2026-11")
    assert statuses(mine[1]) == {MON: "locked"}


def test_bulk_with_explicit_dates(tenant, attestant, employee, today):
    m = member(tenant, employee)
    report(m, [MON, TUE], status="locked")
    r = services.time_attest_bulk(actor=actor(tenant, attestant), start=MON, end=MON)
    assert r == {"employees": 1, "days": 1}
    assert statuses(m) == {MON: "attested", TUE: "locked"}


# --- deviation periods with start day 16 and month ends ----------------------------------------------


def test_period_start_day_16_edges(tenant, owner, attestant, employee):
    # given periods from the 16th to the 15th; the December period is 16 November – 15 December
    TimeSettingsFactory(tenant=tenant, period_start_day=16)
    m = member(tenant, employee)
    report(
        m,
        [dt.date(2026, 11, 13), dt.date(2026, 11, 16), dt.date(2026, 12, 15), dt.date(2026, 12, 16)],
        status="locked",
    )
    settings = selectors.attestation_settings()
    period = selectors.period_get("2026-12", start_day=settings.period_start_day)
    assert (period.start, period.end) == (dt.date(2026, 11, 16), dt.date(2026, 12, 15))
    with time_machine.travel(dt.datetime(2026, 12, 20, 12, tzinfo=STOCKHOLM), tick=False):
        row = selectors.attestation_queue(actor=actor(tenant, attestant), period=period)[0]
        assert row.days_locked == 2
        # 16 Nov – 15 Dec has 22 weekdays; two are locked
        assert row.days_missing == 20
        result = services.time_attest_bulk(actor=actor(tenant, attestant), period_key="2026-12")
    assert result == {"employees": 1, "days": 2}
    assert statuses(m) == {
        dt.date(2026, 11, 13): "locked",
        dt.date(2026, 11, 16): "attested",
        dt.date(2026, 12, 15): "attested",
        dt.date(2026, 12, 16): "locked",
    }


@pytest.mark.parametrize(
    ("key", "start_day", "start", "end"),
    [
        ("2026-02", 1, dt.date(2026, 2, 1), dt.date(2026, 2, 28)),
        ("2028-02", 1, dt.date(2028, 2, 1), dt.date(2028, 2, 29)),  # leap year
        ("2026-12", 1, dt.date(2026, 12, 1), dt.date(2026, 12, 31)),
        ("2027-01", 16, dt.date(2026, 12, 16), dt.date(2027, 1, 15)),  # across the year end
        ("2026-03", 16, dt.date(2026, 2, 16), dt.date(2026, 3, 15)),  # across February
        ("2026-10", 1, dt.date(2026, 10, 1), dt.date(2026, 10, 31)),  # contains the DST change (25 Oct)
    ],
)
def test_period_get_edges(key, start_day, start, end):
    period = selectors.period_get(key, start_day=start_day)
    assert (period.start, period.end, period.key) == (start, end, key)


@pytest.mark.parametrize("key", ["2026-13", "2026-00", "x", "2026-1", "20260-1"])
def test_period_get_refuses_malformed_keys(key):
    assert selectors.period_get(key, start_day=1) is None


def test_missing_days_stop_before_today_and_skip_weekends(tenant, attestant, employee):
    m = member(tenant, employee)
    # Sunday 1 November is the first day; on Tuesday 3rd, Monday is due (today is reported tonight)
    with time_machine.travel(dt.datetime(2026, 11, 3, 8, tzinfo=STOCKHOLM), tick=False):
        row = selectors.attestation_queue(
            actor=actor(tenant, attestant), period=period_for(dt.date(2026, 11, 3))
        )[0]
    assert row.member_id == m.pk and row.days_missing == 1
    # a past period counts all its weekdays: October 2026 has 22
    row = selectors.attestation_queue(actor=actor(tenant, attestant), period=period_by_key("2026-10"))[0]
    assert row.days_missing == 22


def test_queue_shows_each_employees_time_bank_at_the_end_of_the_period(tenant, attestant, employee, today):
    # given two hours of komp-in (adds to the bank) and one hour komp-ledig (draws from it) in November,
    # and two hours of komp-in in December (after the period: not counted)
    from verksam.timecodes.models import TimeBankEffect
    from verksam.timecodes.tests.factories import AbsenceTypeFactory, TimeCodeFactory
    from verksam.timereporting.tests.factories import TimeEntryFactory

    m = member(tenant, employee)
    komp_in = TimeCodeFactory(tenant=tenant, code="KOMPIN", time_bank_effect=TimeBankEffect.ADD)
    komp_ledig = AbsenceTypeFactory(tenant=tenant, code="KOM", time_bank_effect=TimeBankEffect.SUBTRACT)
    TimeEntryFactory(membership=m, date=MON, time_code=komp_in, minutes=120)
    TimeEntryFactory(membership=m, date=dt.date(2026, 12, 1), time_code=komp_in, minutes=120)
    absence(m, TUE, komp_ledig, minutes=60)
    from verksam.timereporting.tests.factories import attest

    attest(m, [MON, TUE, dt.date(2026, 12, 1)])  # balances count attested days only
    # when the approver opens November's queue
    row = selectors.attestation_queue(actor=actor(tenant, attestant), period=NOV)[0]
    # then the bank is +1:00 at the end of November
    assert row.time_bank_minutes == 60 and row.time_bank_hours == "1:00"


def test_the_empty_weekend_of_a_locked_week_is_not_counted_as_a_day_to_attest(tenant, attestant, employee):
    # given an employee who reported Monday–Friday and locked the whole week (Saturday and Sunday
    # are locked too, empty), and the week before attested in full (empty weekend included)
    m = member(tenant, employee)
    first = [dt.date(2026, 11, 2) + dt.timedelta(days=i) for i in range(5)]
    second = [dt.date(2026, 11, 9) + dt.timedelta(days=i) for i in range(5)]
    report(m, first, status="attested")
    report(m, second, status="locked")
    lock(m, [dt.date(2026, 11, 7), dt.date(2026, 11, 8)], status="attested")
    lock(m, [dt.date(2026, 11, 14), dt.date(2026, 11, 15)])
    # when the approver opens November on the 16th
    with time_machine.travel(dt.datetime(2026, 11, 16, 9, tzinfo=STOCKHOLM), tick=False):
        period = period_by_key("2026-11", start_day=1)
        row = selectors.attestation_queue(actor=actor(tenant, attestant), period=period)[0]
    # then locked and attested count the ten workdays with time, as reported does
    assert (row.days_reported, row.days_attested, row.days_locked) == (10, 5, 5)
    assert row.status == selectors.STATUS_WAITING
