"""The classification of a day's time (worktime.py, issue 8 items 2 and 3): flex, the time bank with
its factor, and the payroll codes for monthly and hourly staff, part-timers, overtime and supplements.
Pure functions: no database."""

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from verksam.tenancy.models import SalaryForm
from verksam.timecodes.models import ExcessTimeRule, TimeBankEffect, TimeCodeKind
from verksam.timereporting.worktime import (
    ABSENCE,
    DayFacts,
    EntryFacts,
    bank_minutes,
    classify_day,
    code_totals,
    round_hundredths,
)

DAY = dt.date(2026, 11, 16)
NORM = EntryFacts(minutes=480, kind=TimeCodeKind.WORKED, code="NORM", paxml_code="TID")


def work(minutes, **kw):
    return EntryFacts(minutes=minutes, kind=TimeCodeKind.WORKED, code="NORM", paxml_code="TID", **kw)


def overtime(minutes, paxml="ÖT1", effect=TimeBankEffect.NONE, factor=100):
    return EntryFacts(minutes, TimeCodeKind.OVERTIME, "OT", paxml, effect, factor)


def absence(minutes, paxml="SJK", effect=TimeBankEffect.NONE):
    return EntryFacts(minutes, ABSENCE, paxml, paxml, effect)


def day(*entries, scheduled=480, full=480, form=SalaryForm.MONTHLY):
    return DayFacts(DAY, scheduled, full, form, tuple(entries))


def lines(result):
    return {(line.paxml_code, line.is_deviation): line.minutes for line in result.lines}


# --- monthly vs hourly --------------------------------------------------------------------------------


def test_monthly_time_within_the_schedule_is_tid_and_not_a_deviation():
    result = classify_day(day(work(480)))
    assert lines(result) == {("TID", False): 480}
    assert (result.worked_minutes, result.flex_minutes, result.bank_minutes) == (480, 0, 0)


def test_hourly_worked_time_is_arb_and_every_hour_goes_to_payroll():
    result = classify_day(day(work(540), form=SalaryForm.HOURLY))
    assert lines(result) == {("ARB", True): 540}
    assert result.flex_minutes == 0  # hourly staff are paid every hour: no flex


def test_absence_fills_the_schedule_and_keeps_its_own_code():
    result = classify_day(day(absence(240), work(240)))
    assert lines(result) == {("SJK", True): 240, ("TID", False): 240}
    assert result.flex_minutes == 0


def test_flex_is_worked_plus_absence_minus_scheduled_for_monthly_staff():
    assert classify_day(day(work(540))).flex_minutes == 60
    assert classify_day(day(work(420))).flex_minutes == -60
    # a day off (weekend, röd dag) has 0 scheduled: all of it is flex
    assert classify_day(day(work(120), scheduled=0, full=0)).flex_minutes == 120
    # nothing reported on a workday that was attested: the whole schedule is missing
    assert classify_day(day()).flex_minutes == -480


# --- beyond the schedule: flex, mertid, övertid ------------------------------------------------------


def test_with_the_paid_rule_a_part_timer_gets_mertid_up_to_full_time_then_overtime():
    # a 75 % part-timer (6 h scheduled, 8 h full time) works 9 h on normal time
    result = classify_day(day(work(540), scheduled=360, full=480), excess_time_rule=ExcessTimeRule.PAID)
    assert lines(result) == {("TID", False): 360, ("MER", True): 120, ("ÖT1", True): 60}
    assert result.flex_minutes == 0  # paid out, not flex


def test_with_the_flex_rule_time_beyond_the_schedule_is_flex():
    result = classify_day(day(work(540), scheduled=360, full=480))
    assert lines(result) == {("TID", False): 540}
    assert result.flex_minutes == 180


def test_overtime_is_the_code_the_employee_chose_and_never_flex():
    result = classify_day(day(work(480), overtime(120, "ÖT2")))
    assert lines(result) == {("TID", False): 480, ("ÖT2", True): 120}
    assert (result.worked_minutes, result.flex_minutes) == (600, 0)


def test_a_part_timers_paid_overtime_below_full_time_is_mertid():
    result = classify_day(day(work(360), overtime(180), scheduled=360, full=480))
    assert lines(result) == {("TID", False): 360, ("MER", True): 120, ("ÖT1", True): 60}


def test_overtime_to_komp_adds_to_the_bank_at_the_codes_factor():
    result = classify_day(day(work(480), overtime(60, "ÖK1", TimeBankEffect.ADD, factor=150)))
    assert lines(result) == {("TID", False): 480, ("ÖK1", True): 60}
    assert result.bank_minutes == 90


def test_komp_ledig_draws_the_bank_one_to_one_and_fills_the_schedule():
    result = classify_day(day(absence(480, "KOM", TimeBankEffect.SUBTRACT)))
    assert lines(result) == {("KOM", True): 480}
    assert (result.bank_minutes, result.flex_minutes) == (-480, 0)


# --- supplements --------------------------------------------------------------------------------------


def test_ob_is_a_supplement_on_top_of_the_worked_hour_not_instead_of_it():
    ob = EntryFacts(120, TimeCodeKind.SUPPLEMENT, "OB", "OB1")
    result = classify_day(day(work(480), ob))
    assert lines(result) == {("TID", False): 480, ("OB1", True): 120}
    assert (result.worked_minutes, result.flex_minutes) == (480, 0)


def test_restid_is_not_worked_time_and_has_its_own_code():
    travel = EntryFacts(90, TimeCodeKind.NOT_WORKED, "RES", "RE1")
    result = classify_day(day(work(480), travel))
    assert lines(result) == {("TID", False): 480, ("RE1", True): 90}
    assert (result.worked_minutes, result.flex_minutes) == (480, 0)


def test_code_totals_sum_the_days():
    results = [classify_day(day(work(480))), classify_day(day(work(540), form=SalaryForm.MONTHLY))]
    assert code_totals(results) == [("TID", 1020, False)]


# --- arithmetic over random days ----------------------------------------------------------------------

KINDS = [
    TimeCodeKind.WORKED,
    TimeCodeKind.OVERTIME,
    TimeCodeKind.SUPPLEMENT,
    TimeCodeKind.NOT_WORKED,
    ABSENCE,
]
PAXML = {
    TimeCodeKind.WORKED: "TID",
    TimeCodeKind.OVERTIME: "ÖK1",
    TimeCodeKind.SUPPLEMENT: "OB1",
    TimeCodeKind.NOT_WORKED: "RE1",
    ABSENCE: "SEM",
}
entries = st.builds(
    lambda minutes, kind, effect, factor: EntryFacts(
        minutes, kind, kind, PAXML[kind], effect if kind != TimeCodeKind.SUPPLEMENT else "none", factor
    ),
    st.integers(1, 600),
    st.sampled_from(KINDS),
    st.sampled_from(list(TimeBankEffect.values)),
    st.integers(1, 1000),
)
days = st.builds(
    lambda scheduled, percent, form, es: DayFacts(
        DAY, scheduled, round(scheduled * 100 / percent), form, tuple(es)
    ),
    st.integers(0, 720),
    st.integers(1, 100),
    st.sampled_from(list(SalaryForm.values)),
    st.lists(entries, max_size=6),
)


@given(days, st.sampled_from(list(ExcessTimeRule.values)))
def test_every_minute_is_classified_once_and_flex_is_the_rule(facts, rule):
    result = classify_day(facts, excess_time_rule=rule)
    # every reported minute lands on exactly one payroll line
    assert sum(line.minutes for line in result.lines) == sum(e.minutes for e in facts.entries)
    assert all(line.minutes > 0 for line in result.lines)
    ordinary = sum(e.minutes for e in facts.entries if e.kind == TimeCodeKind.WORKED)
    absent = sum(e.minutes for e in facts.entries if e.kind == ABSENCE)
    paid_out = result.minutes_of("MER") + result.minutes_of("ÖT1") if rule == ExcessTimeRule.PAID else 0
    overtime_mer = 0  # overtime-coded entries here are ÖK (komp): never mertid
    if facts.salary_form == SalaryForm.HOURLY:
        assert result.flex_minutes == 0
    else:
        assert result.flex_minutes == ordinary + absent - facts.scheduled_minutes - (paid_out - overtime_mer)
    # MER never exceeds the room between the schedule and full time
    assert result.minutes_of("MER") <= max(facts.full_time_minutes - facts.scheduled_minutes, 0)


@given(st.lists(entries, max_size=8))
def test_the_bank_is_minutes_times_factor_rounded_once_per_day(es):
    exact = 0
    for e in es:
        sign = {"add": 1, "subtract": -1}.get(e.time_bank_effect, 0)
        exact += sign * e.minutes * (100 if e.kind == ABSENCE else e.time_bank_factor_pct)
    assert bank_minutes(es) == round_hundredths(exact)
    assert abs(bank_minutes(es) * 100 - exact) <= 50


@given(st.integers(-(10**9), 10**9))
def test_rounding_is_half_away_from_zero(value):
    rounded = round_hundredths(value)
    assert abs(rounded * 100 - value) <= 50
    assert round_hundredths(-value) == -rounded
