"""How one day of one employee's time reads to payroll: flex, time bank and payroll codes (DOMAIN.md
"Working time", issue 8 items 2 and 3). Pure functions over frozen values: no queries, so the same
rules serve attestation (which stores a day's contribution), previews, the queue and the payroll
issue's exporters (which read `DayResult.lines`).

The rules, decided here once:
- The schedule of the day (0 on a day off, a weekend or a röd dag) is filled first by absence, then by
  ordinary worked time (TimeCodeKind.WORKED).
- Ordinary worked time within the schedule is TID for monthly staff (not a deviation: payroll pays the
  monthly salary and reads only deviations) and ARB for hourly staff (every hour is paid).
- Ordinary time beyond the schedule follows the company's `excess_time_rule`:
  FLEX (default) — it stays TID/ARB and, for monthly staff, is flex; PAID — it is mertid (MER) up to
  the employee's full-time day (`Schedule.full_time_minutes_on`, part-timers only), then övertid ÖT1.
- Time on an overtime code is what the employee chose: ÖT1–5 (paid) or ÖK1–5 (to the time bank at
  the code's factor); a part-timer's paid övertid below full time is mertid (MER) by Arbetstidslagen.
  Overtime is compensated by its own code, so it is never flex as well.
- Supplements (OB, jour, beredskap) are lines on top of the worked hours with their own code; they
  are neither worked time nor flex. Not-worked codes (restid) are lines with their own code.
- Flex (FLX) of a monthly employee's day = ordinary worked + absence − scheduled (minus what the PAID
  rule paid out as MER/ÖT); hourly staff are paid every hour, so they have no flex.
- The time bank moves only through codes: a time code's minutes × its factor (hundredths, rounded
  half away from zero per day) in or out by its effect, absence minutes 1:1 (komp-ledig KOM out).
"""

import datetime as dt
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass, field

from verksam.tenancy.models import SalaryForm
from verksam.timecodes.models import BANK_FACTOR_ONE, ExcessTimeRule, TimeBankEffect, TimeCodeKind

ABSENCE = "absence"
# Worked codes whose PAXml code is one of these are "ordinary time", mapped by the salary form.
ORDINARY_PAXML = {"", "TID", "ARB"}


@dataclass(frozen=True)
class EntryFacts:
    """What the rules need of one time entry (built from the entry and its code by selectors)."""

    minutes: int
    kind: str  # a TimeCodeKind, or ABSENCE
    code: str = ""  # the time code's or absence type's own code ("NORM", "KOM")
    paxml_code: str = ""
    time_bank_effect: str = TimeBankEffect.NONE
    time_bank_factor_pct: int = BANK_FACTOR_ONE


@dataclass(frozen=True)
class DayFacts:
    date: dt.date
    scheduled_minutes: int
    full_time_minutes: int
    salary_form: str = SalaryForm.MONTHLY
    entries: tuple[EntryFacts, ...] = ()


@dataclass(frozen=True)
class PayrollLine:
    """Minutes of one PAXml code on one day. `is_deviation` is False only for a monthly employee's
    TID within the schedule, which the monthly salary already pays (payroll exports deviations)."""

    paxml_code: str
    minutes: int
    is_deviation: bool = True


@dataclass(frozen=True)
class DayResult:
    date: dt.date
    scheduled_minutes: int
    worked_minutes: int  # ordinary + overtime (what counts as worked time)
    absence_minutes: int
    flex_minutes: int
    bank_minutes: int
    lines: tuple[PayrollLine, ...] = field(default_factory=tuple)

    def minutes_of(self, paxml_code: str) -> int:
        return sum(line.minutes for line in self.lines if line.paxml_code == paxml_code)


def round_hundredths(value: int) -> int:
    """`value / 100` rounded half away from zero (the one rounding of the bank factor)."""
    whole, rest = divmod(abs(value), 100)
    result = whole + (1 if rest >= 50 else 0)
    return result if value >= 0 else -result


def _sign(effect: str) -> int:
    return {TimeBankEffect.ADD: 1, TimeBankEffect.SUBTRACT: -1}.get(effect, 0)  # type: ignore[call-overload]


def bank_minutes(entries: Iterable[EntryFacts]) -> int:
    """The day's movement of the time bank: time codes at their factor, absence 1:1."""
    hundredths = 0
    for e in entries:
        factor = BANK_FACTOR_ONE if e.kind == ABSENCE else e.time_bank_factor_pct
        hundredths += _sign(e.time_bank_effect) * e.minutes * factor
    return round_hundredths(hundredths)


def classify_day(day: DayFacts, *, excess_time_rule: str = ExcessTimeRule.FLEX) -> DayResult:
    """Flex, time bank and payroll lines of one day by the rules in this module's docstring."""
    monthly = day.salary_form != SalaryForm.HOURLY
    lines: OrderedDict[tuple[str, bool], int] = OrderedDict()

    def add(code: str, minutes: int, deviation: bool = True) -> None:
        if minutes > 0:
            lines[(code, deviation)] = lines.get((code, deviation), 0) + minutes

    absence = sum(e.minutes for e in day.entries if e.kind == ABSENCE)
    ordinary = [e for e in day.entries if e.kind == TimeCodeKind.WORKED]
    overtime = [e for e in day.entries if e.kind == TimeCodeKind.OVERTIME]
    scheduled = max(day.scheduled_minutes, 0)
    # Mertid: from the schedule up to the full-time day (only part-timers have room for it).
    mertid_room = max(day.full_time_minutes - scheduled, 0)

    for e in day.entries:
        if e.kind == ABSENCE or e.kind in (TimeCodeKind.SUPPLEMENT, TimeCodeKind.NOT_WORKED):
            add(e.paxml_code or e.code, e.minutes)

    specific = sum(e.minutes for e in ordinary if e.paxml_code not in ORDINARY_PAXML)
    for e in ordinary:
        if e.paxml_code not in ORDINARY_PAXML:
            add(e.paxml_code, e.minutes)
    generic = sum(e.minutes for e in ordinary) - specific
    room = max(scheduled - absence - specific, 0)
    within = min(generic, room)
    excess = generic - within
    add("TID" if monthly else "ARB", within, deviation=not monthly)
    paid_excess = 0
    if excess_time_rule == ExcessTimeRule.PAID:
        mertid = min(excess, mertid_room)
        mertid_room -= mertid
        add("MER", mertid)
        add("ÖT1", excess - mertid)
        paid_excess = excess
    else:
        add("TID" if monthly else "ARB", excess, deviation=not monthly)

    for e in overtime:
        code = e.paxml_code or e.code
        if code.startswith("ÖT"):
            mertid = min(e.minutes, mertid_room)
            mertid_room -= mertid
            add("MER", mertid)
            add(code, e.minutes - mertid)
        else:
            add(code, e.minutes)

    ordinary_minutes = sum(e.minutes for e in ordinary)
    flex = (ordinary_minutes + absence - scheduled - paid_excess) if monthly else 0
    return DayResult(
        date=day.date,
        scheduled_minutes=scheduled,
        worked_minutes=ordinary_minutes + sum(e.minutes for e in overtime),
        absence_minutes=absence,
        flex_minutes=flex,
        bank_minutes=bank_minutes(day.entries),
        lines=tuple(PayrollLine(code, minutes, deviation) for (code, deviation), minutes in lines.items()),
    )


def code_totals(results: Iterable[DayResult]) -> list[tuple[str, int, bool]]:
    """`[(paxml_code, minutes, is_deviation)]` summed over days, in first-seen order."""
    totals: OrderedDict[tuple[str, bool], int] = OrderedDict()
    for result in results:
        for line in result.lines:
            key = (line.paxml_code, line.is_deviation)
            totals[key] = totals.get(key, 0) + line.minutes
    return [(code, minutes, deviation) for (code, deviation), minutes in totals.items()]
