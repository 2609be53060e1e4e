"""The period's edges as the writers see them: a schedule change mid-period, an employee who left
mid-period, the DST weekends, and a day's classified payroll lines (issue 8's `DayResult.lines`)."""

import dataclasses
import datetime as dt

import pytest
from lxml import etree

from verksam.payroll import checks
from verksam.payroll.dto import ScheduleDay, Target, TimeTransaction, day_transactions
from verksam.payroll.paxml import write_paxml
from verksam.payroll.tlu import write_tlu

from .builders import START, basis, schedule, with_employee


def test_a_schedule_change_mid_period_spreads_a_range_by_each_day_s_hours():
    # full time until New Year's Eve, 75 % (6 h) from 1 January
    changed = schedule(480, START, dt.date(2026, 12, 31)) + schedule(
        360, dt.date(2027, 1, 1), dt.date(2027, 1, 15)
    )
    vacation = TimeTransaction(
        "SEM",
        date_from=dt.date(2026, 12, 30),
        date_to=dt.date(2027, 1, 5),
        payroll_code="040",
        name="Semester",
    )
    b = with_employee(basis(), "1001", schedule=changed, time=(vacation,), pay_lines=(), balances=())
    hogia = etree.fromstring(write_paxml(b, Target.HOGIA))
    rows = [
        (t.findtext("datum"), t.findtext("timmar"))
        for t in hogia.iter("tidtrans")
        if t.get("anstid") == "1001"
    ]
    # 30–31 Dec at 8 h; 1 Jan röd dag, 2–3 Jan weekend, 4–5 Jan at 6 h (6 Jan trettondagen is outside)
    assert rows == [
        ("2026-12-30", "8.00"),
        ("2026-12-31", "8.00"),
        ("2027-01-04", "6.00"),
        ("2027-01-05", "6.00"),
    ]
    tlu = etree.fromstring(write_tlu(b))
    asa = tlu.find("SalaryDataEmployee/Employee[@EmploymentNo='1001']")
    assert [t.get("SumOfHours") for t in asa.iter("Time")] == ["8.00", "8.00", "6.00", "6.00"]
    normal = {n.get("DateOfReport"): n.get("NormalWorkingTimeHours") for n in asa.iter("NormalWorkingTime")}
    assert (normal["2026-12-31"], normal["2027-01-04"]) == ("8.00", "6.00")


def test_an_employee_who_left_mid_period():
    # employed until 8 January: the schedule (and so the schema section) ends there
    left = schedule(480, START, dt.date(2027, 1, 8))
    b = with_employee(basis(), "1001", schedule=left)
    root = etree.fromstring(write_paxml(b))
    days = root.findall("schematransaktioner/schema[@anstid='1001']/dag")
    assert days[-1].get("datum") == "2027-01-08" and len(days) == 24
    # a range after the last day cannot be spread over a schedule that is not there: refused, named
    b = with_employee(
        b,
        "1001",
        time=(
            TimeTransaction(
                "SJK", date_from=dt.date(2027, 1, 7), date_to=dt.date(2027, 1, 11), payroll_code="050"
            ),
        ),
    )
    problems = checks.check_basis(b, Target.VISMA)
    assert [(p.kind, p.day) for p in problems] == [("range_without_schedule", dt.date(2027, 1, 9))]


@pytest.mark.parametrize(
    ("generated", "written"),
    [
        (dt.datetime(2027, 3, 28, 0, 30, tzinfo=dt.UTC), "2027-03-28T01:30:00+01:00"),  # before the change
        (dt.datetime(2027, 3, 28, 1, 30, tzinfo=dt.UTC), "2027-03-28T03:30:00+02:00"),  # after it
        (dt.datetime(2027, 10, 31, 0, 30, tzinfo=dt.UTC), "2027-10-31T02:30:00+02:00"),
        (dt.datetime(2027, 10, 31, 1, 30, tzinfo=dt.UTC), "2027-10-31T02:30:00+01:00"),  # the hour again
    ],
)
def test_generation_time_across_dst(generated, written):
    root = etree.fromstring(write_paxml(basis(generated_at=generated)))
    assert root.findtext("header/datum") == written


def test_a_dst_sunday_is_a_date_like_any_other():
    # the schedule and the time are per date: 23- and 25-hour days change nothing in the file
    dst_sunday = dt.date(2027, 3, 28)
    b = dataclasses.replace(basis(), period_start=dt.date(2027, 3, 16), period_end=dt.date(2027, 4, 15))
    b = with_employee(
        b,
        "1001",
        schedule=(ScheduleDay(dst_sunday, 0),),
        time=(TimeTransaction("OB1", date=dst_sunday, minutes=180, payroll_code="310"),),
        pay_lines=(),
        balances=(),
    )
    root = etree.fromstring(write_paxml(b))
    line = root.find("tidtransaktioner/tidtrans")
    assert (line.findtext("datum"), line.findtext("timmar")) == ("2027-03-28", "3.00")


@dataclasses.dataclass(frozen=True)
class Line:  # the shape of issue 8's worktime.PayrollLine
    paxml_code: str
    minutes: int
    is_deviation: bool = True


def test_day_transactions_keep_deviations_and_sum_per_code():
    day = dt.date(2027, 1, 12)
    lines = [Line("TID", 420, is_deviation=False), Line("ÖT1", 60), Line("OB1", 30), Line("OB1", 15)]
    result = day_transactions(day, lines, flex_minutes=-30, codes={"ÖT1": ("020", "Övertid 1")})
    assert [(t.paxml_code, t.minutes, t.payroll_code, t.name) for t in result] == [
        ("ÖT1", 60, "020", "Övertid 1"),
        ("OB1", 45, "", ""),
        ("FLX", -30, "", ""),
    ]
    assert all(t.date == day for t in result)
    # an hourly employee's ordinary time is a deviation (ARB), so it is exported
    assert [t.paxml_code for t in day_transactions(day, [Line("ARB", 480)])] == ["ARB"]
