"""The dry run: problems, file validity, totals beside the previous period, the one-employee export."""

import dataclasses

import pytest
from lxml import etree

from verksam.payroll.dryrun import (
    DAYS,
    MINUTES,
    ORE,
    compare,
    dry_run,
    employee_totals,
    is_large,
    one_employee_export,
)
from verksam.payroll.dto import Target
from verksam.payroll.errors import PayrollFileRefused

from .builders import basis, employee, with_employee


def figures(comparison):
    return {f.key: (f.previous, f.current, f.large) for f in comparison.figures}


def test_totals():
    totals = employee_totals(employee(basis(), "1001"))
    assert totals["SJK"] == (MINUTES, 450)
    assert totals["SEM"] == (MINUTES, 4 * 480)  # 28–31 Dec; 1 Jan röd dag, 2–3 Jan weekend
    assert totals["VAB"] == (MINUTES, 240)
    assert totals["absence_days"] == (DAYS, 6)  # 17 Dec, 28–31 Dec, 11 Jan
    assert totals["flex"] == (MINUTES, 150)
    assert totals["amount"] == (ORE, 154700)
    assert "FLX" not in totals


@pytest.mark.parametrize(
    ("previous", "current", "unit", "large"),
    [
        (None, 480, MINUTES, True),  # from nothing, at least the floor
        (0, 479, MINUTES, False),  # under the 8-hour floor
        (2000, 2480, MINUTES, False),  # 8 h but 24 %
        (1920, 2400, MINUTES, True),  # 8 h and 25 %
        (2400, 1920, MINUTES, False),  # 20 % of the previous
        (4, 5, DAYS, True),
        (100_000, 124_000, ORE, False),
        (100_000, 200_000, ORE, True),
    ],
)
def test_large(previous, current, unit, large):
    assert is_large(previous, current, unit, 25) is large


def test_side_by_side_with_the_previous_period():
    previous = basis()
    asa = employee(previous, "1001")
    time = tuple(
        dataclasses.replace(t, minutes=t.minutes * 5) if t.paxml_code == "ÖT1" else t for t in asa.time
    )
    current = with_employee(previous, "1001", time=time)
    rows = {row.employment_number: row for row in compare(current, previous)}
    assert figures(rows["1001"])["ÖT1"] == (95, 475, False)  # 6 h 20 min more: under the floor
    current = with_employee(previous, "1001", time=tuple(t for t in asa.time if t.paxml_code != "SEM"))
    rows = {row.employment_number: row for row in compare(current, previous)}
    assert figures(rows["1001"])["SEM"] == (1920, 0, True)  # gone from the period: still listed
    assert rows["1001"].has_large_change and not rows["20017"].has_large_change
    # no previous period: nothing to compare, nothing large
    assert all(f.previous is None and not f.large for row in compare(current) for f in row.figures)


def test_dry_run_lists_problems_and_does_not_write(swedish):
    run = dry_run(with_employee(basis(), "20017", employment_number=""), Target.KONTEK)
    assert not run.passes and [p.kind for p in run.problems] == ["missing_employment_number"]
    assert run.file_error == ""
    assert dry_run(basis(), Target.VISMA).passes


def test_dry_run_reports_a_refusal_the_checks_cannot_see(swedish):
    b = with_employee(basis(), "20017", time=(), pay_lines=employee(basis(), "1001").pay_lines)
    run = dry_run(b, Target.VISMA)
    assert run.problems == () and "Łukasz Wiśniewski har utlägg men ingen tid" in run.file_error
    assert not run.passes


def test_one_employee_export(swedish):
    made = one_employee_export(basis(), Target.PAXML, "20017")
    root = etree.fromstring(made.content)
    assert {e.get("anstid") for e in root.iter("tidtrans", "person")} == {"20017"}
    with pytest.raises(PayrollFileRefused, match="anställningsnummer 999"):
        one_employee_export(basis(), Target.PAXML, "999")
