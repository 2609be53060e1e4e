"""One employee's days of a deviation period turned into the payroll basis's `dto.Employee` (issue 9
item 1): the part of `selectors` that reads loaded rows only, no queries. The rules are in the
docstring of `verksam.payroll.selectors`."""

import datetime as dt
from collections import defaultdict
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from verksam.schedules.dto import ScheduleHistory
from verksam.tenancy.models import Membership, SalaryForm
from verksam.timecodes.periods import Period
from verksam.timereporting.absence import share_of
from verksam.timereporting.balances import Balances
from verksam.timereporting.models import DayStatus
from verksam.timereporting.worktime import DayFacts, EntryFacts, PayrollLine, classify_day

from . import dto

TIME_BANK_CODE = "TS1"  # the time bank (komp) in PAXml's balance codes
STATUS_NOT_REPORTED = "not_reported"
STATUS_OPEN = "open"
STATUS_LOCKED = "locked"


@dataclass(frozen=True, slots=True)
class AbsenceInfo:
    """An absence type as the basis reads it."""

    pk: int
    key: str  # its PAXml code, else its own code
    name: str


@dataclass(frozen=True, slots=True)
class RangeInfo:
    """An absence range (`AbsenceRange`) as the basis reads it."""

    start: dt.date
    end: dt.date
    percent: int
    child_personnummer: str
    absence: AbsenceInfo


@dataclass(frozen=True, slots=True)
class EntryRow:
    """One time entry as the basis reads it (plain values: 11,000 days load fast, issue 9 bench)."""

    date: dt.date
    minutes: int
    facts: EntryFacts
    absence: AbsenceInfo | None = None
    range_id: int | None = None
    child_personnummer: str = ""


@dataclass(frozen=True, slots=True)
class LockRow:
    status: str
    flex_minutes: int | None


@dataclass
class EmployeeDays:
    """What was loaded of one employee for the period (entries and locks by day)."""

    membership: Membership
    period: Period
    history: ScheduleHistory
    entries: Mapping[dt.date, list[EntryRow]]
    locks: Mapping[dt.date, LockRow]
    ranges: Mapping[int, RangeInfo]

    @property
    def hourly(self) -> bool:
        return self.membership.salary_form == SalaryForm.HOURLY

    def attested(self, day: dt.date) -> bool:
        lock = self.locks.get(day)
        return lock is not None and lock.status == DayStatus.ATTESTED

    def missing(self) -> Iterator[tuple[dt.date, str]]:
        """`(day, status)` of every day that is not in the basis but should be: reported time open
        or locked; for an active monthly employee a scheduled day with nothing reported (an hourly
        employee's unreported day is a day not worked; someone who left is expected no more)."""
        expect_reports = self.membership.is_active and not self.hourly
        for day in self.period.days:
            lock = self.locks.get(day)
            reported = bool(self.entries.get(day))
            if lock is not None and lock.status == DayStatus.ATTESTED:
                continue
            if lock is not None:
                # a locked week also locks its empty days off: not work to attest
                if reported or self.history.minutes_on(day):
                    yield day, STATUS_LOCKED
            elif reported:
                yield day, STATUS_OPEN
            elif expect_reports and self.history.minutes_on(day):
                yield day, STATUS_NOT_REPORTED


def _split_name(name: str) -> tuple[str, str]:
    parts = name.strip().rsplit(" ", 1)
    return (parts[0], parts[1]) if len(parts) == 2 else (parts[0], "")


def _range_line(
    days: EmployeeDays, range_id: int, entries: list[EntryRow], absence_codes: Mapping[int, str]
) -> dto.TimeTransaction | None:
    """One absence range's days in the period as ONE ranged line, when all of them are attested and
    are exactly the schedule × the extent (else None: the caller writes day lines)."""
    info = days.ranges.get(range_id)
    if info is None:
        return None
    start = max(info.start, days.period.start)
    end = min(info.end, days.period.end)
    expected = {}
    day = start
    while day <= end:
        minutes = share_of(days.history.minutes_on(day), info.percent)
        if minutes > 0:
            expected[day] = minutes
        day += dt.timedelta(days=1)
    actual = {e.date: e.minutes for e in entries}
    if actual != expected or not all(days.attested(d) for d in actual):
        return None
    return dto.TimeTransaction(
        info.absence.key,
        date_from=start,
        date_to=end,
        extent_percent=None if info.percent == 100 else Decimal(info.percent),
        payroll_code=absence_codes.get(info.absence.pk, ""),
        name=info.absence.name,
        child_personnummer=info.child_personnummer,
    )


def _absence_day_line(entry: EntryRow, absence_codes: Mapping[int, str]) -> dto.TimeTransaction:
    absence = entry.absence
    assert absence is not None
    return dto.TimeTransaction(
        absence.key,
        date=entry.date,
        minutes=entry.minutes,
        payroll_code=absence_codes.get(absence.pk, ""),
        name=absence.name,
        child_personnummer=entry.child_personnummer,
    )


def _without_absence(lines: tuple[PayrollLine, ...], absence: Mapping[str, int]) -> list[Any]:
    """The day's classified lines less its absence (absence has lines of its own here)."""
    left = dict(absence)
    result = []
    for line in lines:
        minutes = line.minutes
        if line.is_deviation and left.get(line.paxml_code):
            taken = min(minutes, left[line.paxml_code])
            left[line.paxml_code] -= taken
            minutes -= taken
        if minutes:
            result.append(PayrollLine(line.paxml_code, minutes, line.is_deviation))
    return result


def employee_from_days(
    days: EmployeeDays,
    *,
    codes: Mapping[str, tuple[str, str]],
    absence_codes: Mapping[int, str],
    excess_time_rule: str,
    opening: Balances,
    closing: Balances,
) -> dto.Employee:
    """The employee's part of the basis: attested days only."""
    m = days.membership
    time: list[dto.TimeTransaction] = []
    ranges: dict[int, list[EntryRow]] = defaultdict(list)
    for day in days.period.days:
        if not days.attested(day):
            continue
        day_entries = days.entries.get(day, [])
        absence: dict[str, int] = defaultdict(int)
        for entry in day_entries:
            if entry.absence is not None:
                absence[entry.absence.key] += entry.minutes
                if entry.range_id is not None:
                    ranges[entry.range_id].append(entry)
                else:
                    time.append(_absence_day_line(entry, absence_codes))
        schedule = days.history.on(day)
        result = classify_day(
            DayFacts(
                date=day,
                scheduled_minutes=schedule.minutes_on(day),
                full_time_minutes=schedule.full_time_minutes_on(day),
                salary_form=m.salary_form,
                entries=tuple(e.facts for e in day_entries),
            ),
            excess_time_rule=excess_time_rule,
        )
        lock = days.locks[day]
        flex = lock.flex_minutes if lock.flex_minutes is not None else result.flex_minutes
        time.extend(
            dto.day_transactions(
                day,
                _without_absence(result.lines, absence),
                flex_minutes=0 if days.hourly else flex,
                codes=codes,
            )
        )
    for range_id, range_entries in ranges.items():
        line = _range_line(days, range_id, range_entries, absence_codes)
        if line is not None:
            time.append(line)
        else:
            time.extend(_absence_day_line(e, absence_codes) for e in range_entries)
    time.sort(key=lambda tx: (tx.first_day, tx.paxml_code))
    balances = []
    if not days.hourly:
        flex_code, flex_name = codes.get(dto.FLEX_CODE, ("", ""))
        balances.append(
            dto.Balance(
                dto.FLEX_CODE,
                closing.flex_minutes - opening.flex_minutes,
                closing.flex_minutes,
                flex_code,
                flex_name or "Flex",
            )
        )
    if closing.bank_minutes or opening.bank_minutes:
        bank_code, bank_name = codes.get(TIME_BANK_CODE, ("", ""))
        balances.append(
            dto.Balance(
                TIME_BANK_CODE,
                closing.bank_minutes - opening.bank_minutes,
                closing.bank_minutes,
                bank_code,
                bank_name or "Komptid",
            )
        )
    first, last = _split_name(m.user.name)
    no_schedule = days.hourly and not days.history.schedules
    return dto.Employee(
        first_name=first,
        last_name=last,
        personnummer=m.user.personnummer,
        employment_number=m.employment_number,
        salary_form=dto.SALARY_HOURLY if days.hourly else dto.SALARY_MONTHLY,
        schedule=()
        if no_schedule
        else tuple(dto.ScheduleDay(d, days.history.minutes_on(d)) for d in days.period.days),
        time=tuple(time),
        pay_lines=(),
        balances=tuple(balances),
    )
