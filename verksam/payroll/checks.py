"""The checks before a payroll file is made (issue 9 items 3 and 4, "Bad input"): pure functions over
a `PayrollBasis` for one target system, returning every problem found — never only the first — so
the dry run can list them all and the refusal can say exactly which employees, days and codes to fix.

Checked here (attestation is checked where the attested state lives, not in this pure module):
- every chosen employee has an employment number, and no two share one — as the target matches it
  (Kontek: the last four characters);
- every personnummer (and a VAB child's) is 12 digits and valid (the `personnummer` library, which
  accepts samordningsnummer);
- every code used is mapped for the target: a PAXml `tidkod` from the XSD's closed list for the PAXml
  variants; a pay line's PAXml `lonkod` from its list or the system's own lönart; for Visma Lön its
  own code on every time line, balance and outlay;
- an absence range can be spread over the schedule where the target wants days (Hogia, Visma);
- Visma's field limits (names 1–50 characters, employment number ≤ 20, codes ≤ 10).
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.utils.translation import gettext as _
from personnummer import personnummer as _pnr

from .dto import BALANCE_CODES, Employee, PayrollBasis, Target
from .paxml import VARIANTS, anstid_for, pay_codes, time_codes

MISSING_EMPLOYMENT_NUMBER = "missing_employment_number"
DUPLICATE_EMPLOYMENT_NUMBER = "duplicate_employment_number"
INVALID_PERSONNUMMER = "invalid_personnummer"
UNMAPPED_CODE = "unmapped_code"
RANGE_WITHOUT_SCHEDULE = "range_without_schedule"
TOO_LONG = "too_long"


@dataclass(frozen=True)
class Problem:
    """One thing that stops the file: who, which day and code (when it is about one), and what."""

    kind: str
    employee: str  # "Name (employment number)" as people find them
    message: str
    day: dt.date | None = None
    code: str = ""


def valid_personnummer(value: str) -> bool:
    """12 digits that the `personnummer` library accepts (Luhn, a real date, samordningsnummer)."""
    if len(value) != 12 or not value.isdigit():
        return False
    try:
        return bool(_pnr.valid(value))
    except Exception:  # the library raises its own types on malformed input
        return False


def _who(employee: Employee) -> str:
    return f"{employee.name} ({employee.employment_number})" if employee.employment_number else employee.name


def check_employment_numbers(basis: PayrollBasis, target: Target) -> list[Problem]:
    problems: list[Problem] = []
    by_number: dict[str, list[Employee]] = defaultdict(list)
    for employee in basis.employees:
        number = employee.employment_number.strip()
        if not number:
            problems.append(
                Problem(
                    MISSING_EMPLOYMENT_NUMBER,
                    _who(employee),
                    _("%(employee)s has no employment number, which the payroll system matches on.")
                    % {"employee": employee.name},
                )
            )
            continue
        by_number[anstid_for(target, number)].append(employee)
    for matched_as, employees in by_number.items():
        if len(employees) < 2:
            continue
        names = ", ".join(_who(e) for e in employees)
        for employee in employees:
            if target is Target.KONTEK:
                message = _(
                    "Kontek matches on the last four digits of the employment number, and %(number)s is "
                    "shared by %(names)s."
                ) % {"number": matched_as, "names": names}
            else:
                message = _("The employment number %(number)s is shared by %(names)s.") % {
                    "number": matched_as,
                    "names": names,
                }
            problems.append(Problem(DUPLICATE_EMPLOYMENT_NUMBER, _who(employee), message))
    return problems


def check_personnummer(basis: PayrollBasis) -> list[Problem]:
    problems: list[Problem] = []
    for employee in basis.employees:
        if not valid_personnummer(employee.personnummer):
            problems.append(
                Problem(
                    INVALID_PERSONNUMMER,
                    _who(employee),
                    _("%(employee)s: the personnummer “%(value)s” is not a valid 12-digit personnummer.")
                    % {"employee": employee.name, "value": employee.personnummer},
                )
            )
        for tx in employee.time:
            if tx.child_personnummer and not valid_personnummer(tx.child_personnummer):
                problems.append(
                    Problem(
                        INVALID_PERSONNUMMER,
                        _who(employee),
                        _(
                            "%(employee)s: the child's personnummer “%(value)s” is not a valid "
                            "12-digit personnummer."
                        )
                        % {"employee": employee.name, "value": tx.child_personnummer},
                        day=tx.first_day,
                        code=tx.paxml_code,
                    )
                )
    return problems


def _unmapped(employee: Employee, day: dt.date | None, code: str, system: str) -> Problem:
    return Problem(
        UNMAPPED_CODE,
        _who(employee),
        _("%(employee)s: the code “%(code)s” has no payroll code for %(system)s.")
        % {"employee": employee.name, "code": code, "system": system},
        day=day,
        code=code,
    )


def check_codes(basis: PayrollBasis, target: Target) -> list[Problem]:
    """Every code used is mapped for `target`; one problem per employee, code and first day."""
    problems: list[Problem] = []
    system = VARIANTS[target].label if target in VARIANTS else "Visma Lön 300/600"
    seen: set[tuple[str, str, str]] = set()

    def report(employee: Employee, day: dt.date | None, code: str) -> None:
        key = (employee.employment_number, employee.name, code)
        if key not in seen:
            seen.add(key)
            problems.append(_unmapped(employee, day, code, system))

    for employee in basis.employees:
        for tx in employee.time:
            label = tx.name or tx.paxml_code or tx.payroll_code
            if target.is_paxml:
                if tx.paxml_code not in time_codes():
                    report(employee, tx.first_day, label)
            elif tx.paxml_code not in BALANCE_CODES and not tx.payroll_code:
                report(employee, tx.first_day, label)
        for line in employee.pay_lines:
            label = line.name or line.paxml_code or line.payroll_code
            if target.is_paxml:
                if line.paxml_code not in pay_codes() and not line.payroll_code:
                    report(employee, line.date, label)
            elif not line.payroll_code:
                report(employee, line.date, label)
        if not target.is_paxml:
            for balance in employee.balances:
                if not balance.payroll_code:
                    report(employee, None, balance.paxml_code)
    return problems


def check_ranges(basis: PayrollBasis, target: Target) -> list[Problem]:
    """Targets without date ranges (Hogia, Visma) need the schedule of every day in a range."""
    if target.is_paxml and not VARIANTS[target].absence_day_by_day:
        return []
    problems: list[Problem] = []
    for employee in basis.employees:
        schedule = employee.scheduled_minutes()
        for tx in employee.time:
            if not tx.is_range:
                continue
            assert tx.date_from is not None and tx.date_to is not None
            day = tx.date_from
            while day <= tx.date_to:
                if day not in schedule:
                    problems.append(
                        Problem(
                            RANGE_WITHOUT_SCHEDULE,
                            _who(employee),
                            _(
                                "%(employee)s: the schedule does not cover %(day)s, so %(code)s cannot be "
                                "spread over the working days."
                            )
                            % {"employee": employee.name, "day": day.isoformat(), "code": tx.paxml_code},
                            day=day,
                            code=tx.paxml_code,
                        )
                    )
                    break
                day += dt.timedelta(days=1)
    return problems


def check_visma_limits(basis: PayrollBasis) -> list[Problem]:
    problems: list[Problem] = []

    def too_long(employee: Employee, field: str, value: str, limit: int, code: str = "") -> None:
        problems.append(
            Problem(
                TOO_LONG,
                _who(employee),
                _(
                    "%(employee)s: the %(field)s “%(value)s” is longer than Visma Lön allows "
                    "(%(limit)s characters)."
                )
                % {"employee": employee.name, "field": field, "value": value, "limit": limit},
                code=code,
            )
        )

    for employee in basis.employees:
        if len(employee.employment_number) > 20:
            too_long(employee, _("employment number"), employee.employment_number, 20)
        for field, value in ((_("first name"), employee.first_name), (_("last name"), employee.last_name)):
            if not value or len(value) > 50:
                too_long(employee, field, value, 50)
        codes = {tx.payroll_code for tx in employee.time} | {line.payroll_code for line in employee.pay_lines}
        codes |= {b.payroll_code for b in employee.balances}
        for code in sorted(c for c in codes if len(c) > 10):
            too_long(employee, _("payroll code"), code, 10, code=code)
    return problems


def check_basis(basis: PayrollBasis, target: Target) -> list[Problem]:
    """Every problem that stops a file for `target` (empty: the file can be made)."""
    problems = check_employment_numbers(basis, target)
    problems += check_personnummer(basis)
    problems += check_codes(basis, target)
    problems += check_ranges(basis, target)
    if target is Target.VISMA:
        problems += check_visma_limits(basis)
    return problems
