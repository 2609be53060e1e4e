"""The payroll basis from the database (issue 9 item 1): attested days only, deviations for monthly
staff and all time for hourly staff, ranged absence, balances, the missing days, the period's edges
(16th–15th across New Year, DST weekends, a schedule change and a leaver mid-period), and a
constant number of queries."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from verksam.core.errors import DomainError
from verksam.payroll import selectors
from verksam.payroll.dto import Target, range_day_minutes
from verksam.payroll.files import make_file
from verksam.tenancy.scope import tenant_scope
from verksam.timecodes.tests.factories import PayrollCodeFactory

from .db import absence_day, absence_range, attest, days, kit, lock, period_start_day, person, schedule, work

D = dt.date
# 16 December 2026 – 15 January 2027: the period named 2027-01 when periods start on the 16th
NEW_YEAR = "2027-01"


def basis(tenant, key=NEW_YEAR, **kwargs):
    with tenant_scope(tenant.pk):
        return selectors.basis_and_missing(tenant=tenant, period_key=key, **kwargs)


def lines(employee, code=None):
    return [tx for tx in employee.time if code is None or tx.paxml_code == code]


@pytest.fixture
def codes(tenant):
    period_start_day(tenant, 16)
    return kit(tenant)


def test_monthly_deviations_only_across_new_year(tenant, codes):
    m = person(tenant, 1)
    workdays = days(D(2026, 12, 16), D(2027, 1, 15))
    work(m, workdays, codes)
    work(m, [D(2027, 1, 12)], codes["overtime"], 95)
    work(m, [D(2026, 12, 17)], codes["normal"], 30)  # 30 minutes beyond the schedule: flex
    attest(m, workdays)
    b, missing = basis(tenant)
    assert missing == [] and not b.preliminary
    assert (b.period_start, b.period_end) == (D(2026, 12, 16), D(2027, 1, 15))
    (e,) = b.employees
    assert e.employment_number == "1001" and e.salary_form == "monthly"
    assert not lines(e, "TID")  # the monthly salary pays the schedule: not exported
    (ot,) = lines(e, "ÖT1")
    assert (ot.date, ot.minutes, ot.name) == (D(2027, 1, 12), 95, "Övertid 50 %")
    (flex,) = lines(e, "FLX")
    assert (flex.date, flex.minutes) == (D(2026, 12, 17), 30)
    assert [(x.paxml_code, x.period_minutes, x.closing_minutes) for x in e.balances] == [("FLX", 30, 30)]
    # every day of the period is in the schedule; röda dagar (juldagen, nyårsdagen) have 0
    schedule_days = e.scheduled_minutes()
    assert len(schedule_days) == 31 and schedule_days[D(2026, 12, 25)] == 0
    assert schedule_days[D(2027, 1, 1)] == 0 and schedule_days[D(2027, 1, 4)] == 480
    make_file(b, Target.PAXML)  # a complete basis makes a valid file


def test_hourly_all_worked_time_and_supplements_on_top(tenant, codes):
    m = person(tenant, 2, salary_form="hourly")
    work(m, [D(2027, 1, 11), D(2027, 1, 12)], codes, 437)
    work(m, [D(2027, 1, 12)], codes["ob"], 120)
    attest(m, [D(2027, 1, 11), D(2027, 1, 12)])
    b, missing = basis(tenant)
    assert missing == []  # an hourly employee's unreported day is a day not worked
    (e,) = b.employees
    assert [(x.paxml_code, x.date, x.minutes) for x in e.time] == [
        ("ARB", D(2027, 1, 11), 437),
        ("ARB", D(2027, 1, 12), 437),
        ("OB1", D(2027, 1, 12), 120),
    ]
    assert e.is_hourly and e.balances == ()


def test_unattested_days_make_it_preliminary_and_stay_out(tenant, codes):
    m = person(tenant, 3)
    workdays = days(D(2026, 12, 16), D(2027, 1, 15))
    work(m, workdays, codes)
    work(m, [D(2027, 1, 13), D(2027, 1, 14)], codes["overtime"], 60)
    attest(m, workdays[:-3])
    lock(m, [D(2027, 1, 13)])  # waiting for the approver; 14th open; 15th reported, open
    b, missing = basis(tenant)
    assert b.preliminary
    assert [(x.date, x.status) for x in missing] == [
        (D(2027, 1, 13), "locked"),
        (D(2027, 1, 14), "open"),
        (D(2027, 1, 15), "open"),
    ]
    assert missing[0].link == f"/t/{tenant.slug}/attestation/{m.pk}/?period={NEW_YEAR}"
    assert missing[0].employment_number == "1003"
    assert lines(b.employees[0], "ÖT1") == []


def test_scheduled_days_without_report_are_missing(tenant, codes):
    m = person(tenant, 4)
    work(m, [D(2027, 1, 15)], codes)
    attest(m, [D(2027, 1, 15)])
    b, missing = basis(tenant)
    assert b.preliminary
    expected = [d for d in days(D(2026, 12, 16), D(2027, 1, 15)) if d != D(2027, 1, 15)]
    assert [x.date for x in missing] == expected
    assert {x.status for x in missing} == {"not_reported"}


def test_absence_range_is_one_line_with_extent_and_vab_child(tenant, codes):
    m = person(tenant, 5)
    workdays = days(D(2026, 12, 16), D(2027, 1, 15))
    vacation = [d for d in workdays if D(2026, 12, 28) <= d <= D(2027, 1, 3)]
    vab = [D(2027, 1, 11), D(2027, 1, 12)]
    work(m, [d for d in workdays if d not in vacation and d not in vab], codes)
    work(m, vab, codes, 240)
    absence_range(m, codes["vacation"], D(2026, 12, 28), D(2027, 1, 3))
    absence_range(m, codes["vab"], D(2027, 1, 11), D(2027, 1, 12), percent=50, child="201501012387")
    absence_day(m, D(2026, 12, 17), codes["sick"], 120)
    attest(m, workdays)
    b, missing = basis(tenant)
    (e,) = b.employees
    (sem,) = lines(e, "SEM")
    assert (sem.date_from, sem.date_to, sem.extent_percent) == (D(2026, 12, 28), D(2027, 1, 3), None)
    assert sum(m for _d, m in range_day_minutes(sem, e.scheduled_minutes())) == 480 * len(vacation)
    (v,) = lines(e, "VAB")
    assert (v.date_from, v.date_to, v.extent_percent) == (D(2027, 1, 11), D(2027, 1, 12), Decimal(50))
    assert v.child_personnummer == "201501012387"
    (sick,) = lines(e, "SJK")
    assert (sick.date, sick.minutes) == (D(2026, 12, 17), 120)
    # the absence is its own line, never again inside the day's classified lines
    assert all(tx.paxml_code in {"SEM", "VAB", "SJK", "FLX"} for tx in e.time)
    make_file(b, Target.PAXML)
    make_file(b, Target.HOGIA)  # day by day over the schedule


def test_range_over_the_period_edge_is_clipped_and_partly_attested_range_is_day_lines(tenant, codes):
    m = person(tenant, 6)
    absence_range(m, codes["vacation"], D(2027, 1, 11), D(2027, 1, 22))
    attest(m, days(D(2027, 1, 11), D(2027, 1, 15)))
    b, _missing = basis(tenant)
    (sem,) = lines(b.employees[0], "SEM")
    assert (sem.date_from, sem.date_to) == (D(2027, 1, 11), D(2027, 1, 15))
    n = person(tenant, 7)
    absence_range(n, codes["vacation"], D(2027, 1, 11), D(2027, 1, 15))
    attest(n, [D(2027, 1, 11), D(2027, 1, 12)])
    b, missing = basis(tenant, member_ids=[n.pk])
    assert [(x.date, x.minutes) for x in lines(b.employees[0], "SEM")] == [
        (D(2027, 1, 11), 480),
        (D(2027, 1, 12), 480),
    ]
    assert [x.date for x in missing if x.status == "open"] == [D(2027, 1, 13), D(2027, 1, 14), D(2027, 1, 15)]


def test_schedule_change_mid_period(tenant, codes):
    m = person(tenant, 8)
    schedule(m, D(2026, 1, 1), (480, 480, 480, 480, 480, 0, 0))
    schedule(m, D(2027, 1, 1), (240, 240, 240, 240, 240, 0, 0), percent=50)
    absence_range(m, codes["vacation"], D(2026, 12, 28), D(2027, 1, 8))
    attest(m, days(D(2026, 12, 28), D(2027, 1, 8)))
    b, _missing = basis(tenant, member_ids=[m.pk])
    (e,) = b.employees
    assert e.scheduled_minutes()[D(2026, 12, 30)] == 480 and e.scheduled_minutes()[D(2027, 1, 5)] == 240
    (sem,) = lines(e, "SEM")  # one range; the file spreads it over each day's own schedule
    spread = dict(range_day_minutes(sem, e.scheduled_minutes()))
    assert spread[D(2026, 12, 30)] == 480 and spread[D(2027, 1, 5)] == 240


def test_employee_who_left_mid_period(tenant, codes):
    leaver = person(tenant, 9, active=False)
    stayer = person(tenant, 10)
    first_half = days(D(2026, 12, 16), D(2026, 12, 31))
    work(leaver, first_half, codes)
    work(leaver, [D(2026, 12, 18)], codes["overtime"], 60)
    attest(leaver, first_half)
    gone = person(tenant, 11, active=False)  # left before the period: not in it
    with tenant_scope(tenant.pk):
        chosen = selectors.chosen_member_ids(tenant=tenant, period_key=NEW_YEAR)
    assert leaver.pk in chosen and stayer.pk in chosen and gone.pk not in chosen
    b, missing = basis(tenant, member_ids=[leaver.pk])
    assert missing == []  # nothing more is expected from someone who has left
    (ot,) = lines(b.employees[0], "ÖT1")
    assert ot.date == D(2026, 12, 18)


@pytest.mark.parametrize(
    ("key", "sunday"),
    [("2026-10", D(2026, 10, 25)), ("2026-03", D(2026, 3, 29))],  # DST ends / begins
)
def test_dst_weekend(tenant, codes, key, sunday):
    period_start_day(tenant, 1)
    m = person(tenant, 12, salary_form="hourly")
    saturday = sunday - dt.timedelta(days=1)
    work(m, [saturday, sunday, sunday + dt.timedelta(days=1)], codes, 600)
    attest(m, [saturday, sunday, sunday + dt.timedelta(days=1)])
    with tenant_scope(tenant.pk):
        b = selectors.payroll_basis(tenant=tenant, period_key=key)
    (e,) = b.employees
    assert [(x.date, x.minutes) for x in e.time] == [
        (saturday, 600),
        (sunday, 600),
        (sunday + dt.timedelta(days=1), 600),
    ]
    assert b.period_start.day == 1 and b.period_end.month == sunday.month


def test_target_payroll_codes_and_balances(tenant, codes):
    m = person(tenant, 13)
    with tenant_scope(tenant.pk):
        PayrollCodeFactory(tenant=tenant, system="visma", time_code=codes["overtime"], code="020")
    work(m, [D(2027, 1, 12)], codes)
    work(m, [D(2027, 1, 12)], codes["overtime"], 60)
    attest(m, [D(2027, 1, 12)])
    with tenant_scope(tenant.pk):
        b = selectors.payroll_basis(tenant=tenant, period_key=NEW_YEAR, target=Target.VISMA)
        plain = selectors.payroll_basis(tenant=tenant, period_key=NEW_YEAR)
    (ot,) = lines(b.employees[0], "ÖT1")
    assert ot.payroll_code == "020"
    assert lines(plain.employees[0], "ÖT1")[0].payroll_code == ""


def test_malformed_period_is_refused(tenant, codes):
    for key in ("", "2027-13", "abc", "2027-1"):
        with pytest.raises(DomainError) as caught, tenant_scope(tenant.pk):
            selectors.payroll_basis(tenant=tenant, period_key=key)
        assert caught.value.code == "invalid_period"


def _queries(tenant, n, codes, offset):
    members = [
        person(tenant, offset + i, salary_form="hourly" if i % 3 == 0 else "monthly") for i in range(n)
    ]
    for m in members:
        work(m, [D(2027, 1, 11), D(2027, 1, 12)], codes)
        absence_range(m, codes["vacation"], D(2027, 1, 13), D(2027, 1, 14))  # one ranged line
        absence_range(m, codes["sick"], D(2026, 12, 21), D(2026, 12, 22))  # half attested: day lines
        attest(m, [D(2027, 1, 11), D(2027, 1, 12), D(2027, 1, 13), D(2027, 1, 14), D(2026, 12, 21)])
    with CaptureQueriesContext(connection) as ctx:
        b, missing = basis(tenant)
    assert len(b.employees) >= n and missing
    assert all(any(tx.is_range for tx in e.time) for e in b.employees if e.time)
    return len(ctx.captured_queries)


def test_query_count_does_not_grow_with_employees(tenant, other_tenant, codes):
    few = _queries(tenant, 3, codes, 100)
    period_start_day(other_tenant, 16)
    many = _queries(other_tenant, 30, kit(other_tenant), 300)
    assert few == many, (few, many)
