"""The dry run before export (issue 9 item 4), the pure part: for one target system, every problem the
checks find, whether the file would pass its XSD, and each employee's totals side by side with the
previous period with large changes marked; plus the one-employee test export. The page and the API
that show it come with issue 8's attested basis.

A change is **large** when it moves at least `floor` (8 hours of a code, 1 absence day… see
`FLOORS`) and at least `threshold_percent` of the previous value — or anything at all from nothing.
"""

import dataclasses
from collections import defaultdict
from dataclasses import dataclass

from django.utils.translation import gettext as _

from .checks import Problem, check_basis
from .dto import ABSENCE_CODES, BALANCE_CODES, FLEX_CODE, Employee, PayrollBasis, Target, range_day_minutes
from .errors import PayrollFileInvalid, PayrollFileRefused
from .files import PayrollFile, make_file

MINUTES = "minutes"
DAYS = "days"
ORE = "ore"
# the least movement that can be "large", per unit
FLOORS = {MINUTES: 8 * 60, DAYS: 1, ORE: 100_000}


@dataclass(frozen=True)
class Figure:
    """One total of one employee: `key` is a PAXml code, "absence_days", "flex" or "amount"."""

    key: str
    unit: str  # MINUTES, DAYS or ORE
    previous: int | None
    current: int
    large: bool


@dataclass(frozen=True)
class EmployeeComparison:
    employment_number: str
    name: str
    figures: tuple[Figure, ...]

    @property
    def has_large_change(self) -> bool:
        return any(f.large for f in self.figures)


@dataclass(frozen=True)
class DryRun:
    target: Target
    problems: tuple[Problem, ...]
    file_error: str  # why the file could not be made (a refusal's message), "" when it could
    comparisons: tuple[EmployeeComparison, ...]

    @property
    def passes(self) -> bool:
        return not self.problems and not self.file_error


def employee_totals(employee: Employee) -> dict[str, tuple[str, int]]:
    """key → (unit, value): minutes per code (ranges over the schedule), absence days, closing
    flex, the pay lines' amount."""
    minutes: dict[str, int] = defaultdict(int)
    absence_days: set = set()
    schedule = employee.scheduled_minutes()
    for tx in employee.time:
        if tx.paxml_code in BALANCE_CODES:
            continue
        if tx.is_range:
            try:
                days = range_day_minutes(tx, schedule)
            except KeyError:  # the checks report it; the totals count what they can
                days = []
        else:
            assert tx.date is not None and tx.minutes is not None
            days = [(tx.date, tx.minutes)]
        for day, value in days:
            minutes[tx.paxml_code] += value
            if tx.paxml_code in ABSENCE_CODES and value:
                absence_days.add(day)
    totals: dict[str, tuple[str, int]] = {code: (MINUTES, value) for code, value in minutes.items()}
    totals["absence_days"] = (DAYS, len(absence_days))
    flex = [b.closing_minutes for b in employee.balances if b.paxml_code == FLEX_CODE]
    if flex:
        totals["flex"] = (MINUTES, flex[0])
    totals["amount"] = (ORE, sum(line.amount_ore or 0 for line in employee.pay_lines))
    return totals


def is_large(previous: int | None, current: int, unit: str, threshold_percent: int) -> bool:
    change = abs(current - (previous or 0))
    if change < FLOORS[unit]:
        return False
    if not previous:
        return True
    return change * 100 >= threshold_percent * abs(previous)


def compare(
    current: PayrollBasis, previous: PayrollBasis | None = None, *, threshold_percent: int = 25
) -> tuple[EmployeeComparison, ...]:
    """Each chosen employee's totals beside the previous period's (matched on the employment number)."""
    before = {e.employment_number: employee_totals(e) for e in previous.employees} if previous else {}
    rows = []
    for employee in current.employees:
        now = employee_totals(employee)
        then = before.get(employee.employment_number)
        figures = []
        for key in list(now) + [k for k in (then or {}) if k not in now]:
            if key in now:
                unit, value = now[key]
            else:  # gone since the previous period: listed at 0
                assert then is not None
                unit, value = then[key][0], 0
            old = then[key][1] if then and key in then else (None if then is None else 0)
            large = then is not None and is_large(old, value, unit, threshold_percent)
            figures.append(Figure(key, unit, old, value, large))
        rows.append(EmployeeComparison(employee.employment_number, employee.name, tuple(figures)))
    return tuple(rows)


def dry_run(
    basis: PayrollBasis, target: Target, previous: PayrollBasis | None = None, *, threshold_percent: int = 25
) -> DryRun:
    """Everything the check page shows for `target`; nothing is exported."""
    problems = tuple(check_basis(basis, target))
    file_error = ""
    if not problems:
        try:
            make_file(basis, target)
        except PayrollFileRefused as refused:
            file_error = refused.message
        except PayrollFileInvalid as invalid:  # a bug, but the dry run is where it must show
            file_error = _("The file does not pass the XSD: %(errors)s") % {
                "errors": "; ".join(invalid.errors[:3])
            }
    return DryRun(target, problems, file_error, compare(basis, previous, threshold_percent=threshold_percent))


def one_employee_export(basis: PayrollBasis, target: Target, employment_number: str) -> PayrollFile:
    """The file for one employee only, to try the import in the payroll system first."""
    chosen = tuple(e for e in basis.employees if e.employment_number == employment_number)
    if not chosen:
        raise PayrollFileRefused(
            _("No chosen employee has the employment number %(number)s.") % {"number": employment_number},
            code="no_such_employee",
        )
    return make_file(dataclasses.replace(basis, employees=chosen[:1]), target)
