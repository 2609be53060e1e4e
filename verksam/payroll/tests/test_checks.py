"""The checks before export: every problem listed with employee, day, code and a Swedish message;
and `make_file` refuses the whole file while any is left."""

import dataclasses
import datetime as dt

import pytest

from verksam.payroll import checks
from verksam.payroll.dto import Balance, PayLine, Target, TimeTransaction
from verksam.payroll.errors import PayrollFileRefused
from verksam.payroll.files import make_file

from .builders import basis, employee, with_employee

ALL_TARGETS = list(Target)


@pytest.mark.parametrize("target", ALL_TARGETS)
def test_a_clean_basis_has_no_problems_and_makes_a_valid_file(target):
    assert checks.check_basis(basis(), target) == []
    made = make_file(basis(), target)
    assert (
        made.name == f"lonefil_{target.value}_20261216_20270115.{'tlu' if target is Target.VISMA else 'xml'}"
    )
    assert len(made.sha256) == 64


def test_missing_employment_number(swedish):
    problems = checks.check_basis(with_employee(basis(), "20017", employment_number=""), Target.PAXML)
    assert [(p.kind, p.employee) for p in problems] == [("missing_employment_number", "Łukasz Wiśniewski")]
    assert problems[0].message == "Łukasz Wiśniewski saknar anställningsnummer, som lönesystemet matchar på."


def test_duplicate_employment_numbers_name_everyone_involved(swedish):
    problems = checks.check_basis(with_employee(basis(), "20017", employment_number="1001"), Target.CRONA)
    assert [p.kind for p in problems] == ["duplicate_employment_number"] * 2
    assert "Åsa Öberg (1001)" in problems[0].message and "Łukasz Wiśniewski (1001)" in problems[0].message


def test_kontek_duplicates_are_the_last_four_digits(swedish):
    b = with_employee(basis(), "20017", employment_number="71001")
    assert checks.check_basis(b, Target.PAXML) == []
    problems = checks.check_basis(b, Target.KONTEK)
    assert [p.kind for p in problems] == ["duplicate_employment_number"] * 2
    assert "1001" in problems[0].message and "fyra" in problems[0].message


@pytest.mark.parametrize("value", ["8112189876", "19811218987", "198112189875", "19811218-9876", ""])
def test_personnummer_must_be_12_valid_digits(value, swedish):
    problems = checks.check_basis(with_employee(basis(), "1001", personnummer=value), Target.PAXML)
    assert [(p.kind, p.employee) for p in problems] == [("invalid_personnummer", "Åsa Öberg (1001)")]
    assert "inte ett giltigt personnummer med 12 siffror" in problems[0].message


def test_samordningsnummer_is_valid():
    assert checks.valid_personnummer("198112789873")  # born on the 18th, day + 60


def test_vab_child_personnummer_is_checked_with_its_day(swedish):
    b = basis()
    asa = employee(b, "1001")
    time = tuple(
        dataclasses.replace(t, child_personnummer="2015010123") if t.paxml_code == "VAB" else t
        for t in asa.time
    )
    problems = checks.check_basis(with_employee(b, "1001", time=time), Target.PAXML)
    assert [(p.kind, p.day, p.code) for p in problems] == [
        ("invalid_personnummer", dt.date(2027, 1, 11), "VAB")
    ]
    assert "barnets personnummer" in problems[0].message


def test_unmapped_codes_for_visma_list_employee_day_and_code(swedish):
    b = basis()
    asa = employee(b, "1001")
    time = tuple(
        dataclasses.replace(t, payroll_code="") if t.paxml_code in {"SEM", "FLX"} else t for t in asa.time
    )
    b = with_employee(b, "1001", time=time, balances=(Balance("TS1", 0, 60),))
    problems = checks.check_basis(b, Target.VISMA)
    # FLX lines need no code of their own (they are flex, not time); the balance does
    assert [(p.kind, p.day, p.code) for p in problems] == [
        ("unmapped_code", dt.date(2026, 12, 28), "Semester"),
        ("unmapped_code", None, "TS1"),
    ]
    assert problems[0].message == "Åsa Öberg: koden ”Semester” saknar lönekod för Visma Lön 300/600."
    # the PAXml variants carry the PAXml code, which is all they need
    assert checks.check_basis(b, Target.FORTNOX) == []


def test_a_code_outside_paxml_is_unmapped_for_paxml(swedish):
    b = with_employee(
        basis(),
        "20017",
        time=(
            TimeTransaction("", date=dt.date(2027, 1, 4), minutes=60, payroll_code="099", name="Studiedag"),
        ),
        pay_lines=(
            PayLine("", "U99", amount_ore=100, name="Friskvård"),
            PayLine("ÖVRIGT", amount_ore=100, name="Övrigt"),
        ),
    )
    problems = checks.check_basis(b, Target.PAXML)
    assert [(p.code, p.day) for p in problems] == [("Studiedag", dt.date(2027, 1, 4)), ("Övrigt", None)]
    assert "PAXml 2.0" in problems[0].message


def test_the_same_unmapped_code_is_reported_once_per_employee():
    b = with_employee(
        basis(),
        "20017",
        time=tuple(TimeTransaction("X", date=dt.date(2027, 1, d), minutes=60, name="X") for d in (4, 5, 6)),
    )
    assert len(checks.check_basis(b, Target.PAXML)) == 1


@pytest.mark.parametrize("target", [Target.HOGIA, Target.VISMA])
def test_ranges_need_the_schedule_where_the_target_wants_days(target, swedish):
    b = with_employee(basis(), "1001", schedule=())
    problems = [p for p in checks.check_basis(b, target) if p.kind == "range_without_schedule"]
    assert [(p.day, p.code) for p in problems] == [
        (dt.date(2026, 12, 28), "SEM"),
        (dt.date(2027, 1, 11), "VAB"),
    ]
    assert checks.check_basis(b, Target.PAXML) == []


def test_visma_limits(swedish):
    b = with_employee(basis(), "30005", employment_number="1" * 21, first_name="")
    problems = checks.check_basis(b, Target.VISMA)
    assert [(p.kind, p.employee) for p in problems] == [("too_long", "Yılmaz (111111111111111111111)")] * 2
    assert "20 tecken" in problems[0].message and "förnamn" in problems[1].message
    assert checks.check_basis(b, Target.PAXML) == []


def test_make_file_refuses_the_whole_file_with_every_problem(swedish):
    b = with_employee(basis(), "20017", employment_number="", personnummer="123")
    with pytest.raises(PayrollFileRefused) as caught:
        make_file(b, Target.PAXML)
    assert caught.value.message == "Lönefilen skapades inte: 2 problem måste åtgärdas först."
    assert [p.kind for p in caught.value.problems] == ["missing_employment_number", "invalid_personnummer"]
    assert caught.value.status == 422


def test_make_file_needs_an_employee(swedish):
    with pytest.raises(PayrollFileRefused, match="minst en anställd"):
        make_file(basis(employees=()), Target.PAXML)
