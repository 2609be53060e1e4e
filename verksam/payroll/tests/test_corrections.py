"""Correction files: only the differences to what was exported — reversals and new lines."""

import dataclasses
import datetime as dt

import pytest
from lxml import etree

from verksam.payroll.corrections import correction_basis
from verksam.payroll.dto import PayLine, Target, TimeTransaction
from verksam.payroll.errors import PayrollFileRefused
from verksam.payroll.files import make_file
from verksam.payroll.paxml import read_paxml

from .builders import basis, employee, with_employee


def lines(b, number):
    e = employee(b, number)
    return [(t.paxml_code, t.date, t.minutes) for t in e.time], e.pay_lines


def test_nothing_changed_nothing_to_send(swedish):
    correction = correction_basis(basis(), basis())
    assert correction.employees == () and correction.is_correction
    with pytest.raises(PayrollFileRefused, match="Inget har ändrats"):
        make_file(correction, Target.PAXML)


def test_a_reopened_day_sends_the_difference():
    exported = basis()
    asa = employee(exported, "1001")
    time = tuple(dataclasses.replace(t, minutes=300) if t.paxml_code == "SJK" else t for t in asa.time)
    correction = correction_basis(exported, with_employee(exported, "1001", time=time))
    assert [e.employment_number for e in correction.employees] == ["1001"]
    assert lines(correction, "1001") == ([("SJK", dt.date(2026, 12, 17), -150)], ())


def test_a_shortened_vacation_reverses_the_removed_days():
    exported = basis()
    asa = employee(exported, "1001")
    time = tuple(
        dataclasses.replace(t, date_to=dt.date(2026, 12, 29)) if t.paxml_code == "SEM" else t
        for t in asa.time
    )
    correction = correction_basis(exported, with_employee(exported, "1001", time=time))
    assert lines(correction, "1001")[0] == [
        ("SEM", dt.date(2026, 12, 30), -480),
        ("SEM", dt.date(2026, 12, 31), -480),
    ]


def test_a_late_expense_is_a_new_line_and_a_changed_one_is_reversed_and_new():
    exported = basis()
    asa = employee(exported, "1001")
    late = PayLine("UTLÄGG", "U10", date=dt.date(2027, 1, 14), amount_ore=9900, text="Parkering")
    changed = dataclasses.replace(asa.pay_lines[1], amount_ore=30000)
    current = with_employee(exported, "1001", pay_lines=(asa.pay_lines[0], changed, late))
    correction = correction_basis(exported, current)
    _time, pay = lines(correction, "1001")
    assert [(p.text, p.amount_ore, p.quantity) for p in pay] == [
        ("", -31250, -asa.pay_lines[1].quantity),
        ("", 30000, asa.pay_lines[1].quantity),
        ("Parkering", 9900, None),
    ]


def test_an_employee_removed_after_export_is_reversed_and_a_new_one_added():
    exported = basis()
    current = dataclasses.replace(exported, employees=exported.employees[:2])
    correction = correction_basis(exported, current)
    assert [e.employment_number for e in correction.employees] == ["30005"]
    assert all(t.minutes < 0 for t in correction.employees[0].time)
    again = correction_basis(current, exported)
    assert [t.minutes > 0 for t in again.employees[0].time] == [True] * 4


@pytest.mark.parametrize("target", [Target.PAXML, Target.HOGIA, Target.KONTEK, Target.VISMA])
def test_the_correction_file_is_valid_and_clearly_named(target):
    exported = basis()
    asa = employee(exported, "1001")
    time = asa.time + (TimeTransaction("ÖT1", date=dt.date(2027, 1, 14), minutes=60, payroll_code="020"),)
    made = make_file(correction_basis(exported, with_employee(exported, "1001", time=time)), target)
    assert made.name.startswith(f"lonefil_korrigering_{target.value}_20261216_20270115")
    if target is Target.VISMA:
        root = etree.fromstring(made.content)
        assert [t.get("SumOfHours") for t in root.iter("Time")] == ["1.00"]
        assert root.find(".//NormalWorkingTime").get("NormalWorkingTimeHours") == ""  # no schedule again
    else:
        assert [(r.anstid, r.line.minutes) for r in read_paxml(made.content)] == [("1001", 60)]
        assert b"schematransaktioner" not in made.content


def test_different_periods_are_not_compared():
    with pytest.raises(ValueError):
        correction_basis(basis(), basis(period_end=dt.date(2027, 1, 14)))
