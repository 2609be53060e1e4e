"""Correction files (issue 9 item 5): once a period's file has been exported, a later change to it (a
reopened and re-attested day, a late expense) goes to the payroll system as a file with **only the
differences**. Pure: the basis as it was exported against the basis as it is now.

How the differences are made:
- Time is compared **per employee, code and day**: a date range is spread over that basis's schedule
  first (a range cannot be reversed as a range, PAXml has no negative extent), so a shortened
  vacation shows as the removed days. The correction line carries the difference in minutes: negative
  is a reversal, positive new time. A day whose total did not change gives no line.
- Pay lines are compared whole: a line that is no longer there is reversed (quantity and amounts
  negated), a new one is added, a changed one is both (reversal and new line), so the payroll system
  never has to guess what a changed line replaced.
- Employees are matched on the employment number; one who is only in the exported basis has all
  of their lines reversed, one only in the current basis has all of theirs added. Employees without
  differences are left out; a correction with nobody in it has nothing to send.
- The correction carries no schedule (`keeps_schedules` off: the schedule was sent with the first
  file) and the current balances of the employees it names.
"""

import dataclasses
from collections import Counter
from collections.abc import Iterable

from django.utils.translation import gettext as _

from .dto import Employee, PayLine, PayrollBasis, TimeTransaction, range_day_minutes
from .errors import PayrollFileRefused

DayKey = tuple  # (paxml_code, payroll_code, date, child_personnummer, name)


def _day_minutes(employee: Employee) -> dict[DayKey, int]:
    totals: dict[DayKey, int] = {}
    schedule = employee.scheduled_minutes()
    for tx in employee.time:
        if tx.is_range:
            try:
                days = range_day_minutes(tx, schedule)
            except KeyError as exc:
                raise PayrollFileRefused(
                    _(
                        "%(employee)s: the schedule does not cover %(day)s, so %(code)s cannot be spread "
                        "over the working days."
                    )
                    % {"employee": employee.name, "day": exc.args[0].isoformat(), "code": tx.paxml_code},
                    code="range_without_schedule",
                ) from exc
        else:
            assert tx.date is not None and tx.minutes is not None
            days = [(tx.date, tx.minutes)]
        for day, minutes in days:
            key = (tx.paxml_code, tx.payroll_code, day, tx.child_personnummer, tx.name)
            totals[key] = totals.get(key, 0) + minutes
    return totals


def _reversed(line: PayLine) -> PayLine:
    return dataclasses.replace(
        line,
        quantity=None if line.quantity is None else -line.quantity,
        amount_ore=None if line.amount_ore is None else -line.amount_ore,
    )


def _time_differences(before: Employee | None, after: Employee | None) -> tuple[TimeTransaction, ...]:
    old = _day_minutes(before) if before else {}
    new = _day_minutes(after) if after else {}
    lines = []
    for key in sorted(old.keys() | new.keys(), key=lambda k: (k[2], k[0], k[1], k[3])):
        delta = new.get(key, 0) - old.get(key, 0)
        if delta:
            code, payroll_code, day, child, name = key
            lines.append(
                TimeTransaction(
                    code,
                    date=day,
                    minutes=delta,
                    payroll_code=payroll_code,
                    name=name,
                    child_personnummer=child,
                )
            )
    return tuple(lines)


def _pay_differences(before: Iterable[PayLine], after: Iterable[PayLine]) -> tuple[PayLine, ...]:
    old, new = Counter(before), Counter(after)
    gone, added = old - new, new - old
    return tuple(_reversed(line) for line in gone.elements()) + tuple(added.elements())


def correction_basis(exported: PayrollBasis, current: PayrollBasis) -> PayrollBasis:
    """The differences between what was exported and what is true now, as a basis to write."""
    if (exported.period_start, exported.period_end) != (current.period_start, current.period_end):
        raise ValueError("a correction compares the same period")
    before = {e.employment_number: e for e in exported.employees}
    after = {e.employment_number: e for e in current.employees}
    order = [e.employment_number for e in current.employees]
    order += [n for n in before if n not in after]
    employees = []
    for number in order:
        old, new = before.get(number), after.get(number)
        time = _time_differences(old, new)
        pay = _pay_differences(old.pay_lines if old else (), new.pay_lines if new else ())
        if not (time or pay):
            continue
        person = new or old
        assert person is not None
        employees.append(
            dataclasses.replace(
                person, schedule=(), time=time, pay_lines=pay, balances=new.balances if new else ()
            )
        )
    return dataclasses.replace(current, employees=tuple(employees), keeps_schedules=False, is_correction=True)
