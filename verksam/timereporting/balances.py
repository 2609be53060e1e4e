"""Reads of flex and the time bank (DOMAIN.md "Working time", issue 8 item 2).

A balance "as of" a date is the sum of what each *attested* day up to that date contributed, as
stored on its DayLock when it was attested (`worktime.classify_day` with the codes, schedule and
settings of that moment), plus the time bank's manual adjustments. So changing a time code's factor,
a schedule or the company's rule later never moves a balance that is already attested. Unattested
days are computed live and shown as a preview, never summed into the balance.

Every read here costs a constant number of queries, whatever the number of employees or days.
"""

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import FloatField, Q, QuerySet, Sum
from django.db.models.functions import Cast
from django.utils.translation import gettext as _

from verksam.core.duration import hm
from verksam.core.fixedquery import FixedQuery, FixedValues, date_value
from verksam.schedules.selectors import schedule_histories
from verksam.tenancy.models import Membership, SalaryForm
from verksam.tenancy.scope import FIXED_SCOPE
from verksam.timecodes.models import ExcessTimeRule, TimeBankEffect, TimeCodeKind, TimeSettings

from .models import DayLock, DayStatus, TimeBankAdjustment, TimeEntry
from .worktime import ABSENCE, DayFacts, DayResult, EntryFacts, bank_minutes, classify_day

MOVES_BANK = [TimeBankEffect.ADD, TimeBankEffect.SUBTRACT]


@dataclass(frozen=True)
class Balances:
    """An employee's balances as of a date: attested only (the payroll basis)."""

    flex_minutes: int = 0
    bank_minutes: int = 0

    @property
    def flex_hours(self) -> str:
        return hm(self.flex_minutes)

    @property
    def bank_hours(self) -> str:
        return hm(self.bank_minutes)


def entry_facts(entry: TimeEntry) -> EntryFacts:
    """The rules' view of one entry (its time code or absence type loaded)."""
    absence, code = entry.absence_type, entry.time_code
    if absence is not None:
        return EntryFacts(
            minutes=entry.minutes,
            kind=ABSENCE,
            code=absence.code,
            paxml_code=absence.paxml_code,
            time_bank_effect=absence.time_bank_effect,
        )
    if code is None:  # a work entry always has a time code (constraint); counted as ordinary time
        return EntryFacts(minutes=entry.minutes, kind=TimeCodeKind.WORKED)
    return EntryFacts(
        minutes=entry.minutes,
        kind=code.kind,
        code=code.code,
        paxml_code=code.paxml_code,
        time_bank_effect=code.time_bank_effect,
        time_bank_factor_pct=code.time_bank_factor_pct,
    )


def excess_time_rule() -> str:
    row = _EXCESS_TIME_RULE.first()
    return row.excess_time_rule if row is not None else ExcessTimeRule.FLEX


def _excess_time_rule_row() -> QuerySet[TimeSettings]:
    """The tenant's settings row, only its rule: what `.first()` reads (the first by pk)."""
    qs = TimeSettings.objects.only("excess_time_rule")
    return (qs if qs.ordered else qs.order_by("pk"))[:1]


# read on every page with balances: compiled once per process and scope size (issue 13, core.fixedquery)
_EXCESS_TIME_RULE: FixedQuery[TimeSettings] = FixedQuery(
    _excess_time_rule_row, sentinels={}, scope=FIXED_SCOPE
)


@dataclass(frozen=True)
class Loaded:
    """What a page read already for some employees and days, handed on so that it is not read again
    (issue 13: the week page read its entries, schedules and day locks twice): every entry of the
    employees in the days (with `time_code` and `absence_type` loaded), every day lock of theirs in
    the days, and their schedule histories."""

    entries: list[TimeEntry]
    locks: list[DayLock]
    histories: dict  # {membership_id: schedules.dto.ScheduleHistory}


def day_results(
    *,
    membership_ids: Iterable[int],
    start: dt.date,
    end: dt.date,
    loaded: Loaded | None = None,
) -> dict[int, dict[dt.date, DayResult]]:
    """`{membership_id: {day: DayResult}}` for every day from `start` to `end`, computed live from the
    entries, schedules, salary forms and codes as they are now (four queries; two when `loaded`
    holds the entries and schedules a page read already for the same employees and days)."""
    ids = list(membership_ids)
    if not ids:
        return {}
    entries: dict[int, dict[dt.date, list[EntryFacts]]] = defaultdict(lambda: defaultdict(list))
    rows = (
        loaded.entries
        if loaded is not None
        else TimeEntry.objects.filter(membership_id__in=ids, date__gte=start, date__lte=end).select_related(
            "time_code", "absence_type"
        )
    )
    for entry in rows:
        entries[entry.membership_id][entry.date].append(entry_facts(entry))
    histories = loaded.histories if loaded is not None else schedule_histories(membership_ids=ids)
    forms = dict(_SALARY_FORMS.rows(ids=ids))
    rule = excess_time_rule()
    days = [start + dt.timedelta(days=i) for i in range((end - start).days + 1)]
    result: dict[int, dict[dt.date, DayResult]] = {}
    for mid in ids:
        history = histories[mid]
        mine = entries.get(mid, {})
        result[mid] = {}
        for day in days:
            schedule = history.on(day)
            facts = DayFacts(
                date=day,
                scheduled_minutes=schedule.minutes_on(day),
                full_time_minutes=schedule.full_time_minutes_on(day),
                salary_form=forms.get(mid, SalaryForm.MONTHLY),
                entries=tuple(mine.get(day, ())),
            )
            result[mid][day] = classify_day(facts, excess_time_rule=rule)
    return result


def _salary_forms(ids: list[int]) -> QuerySet:
    return Membership.objects.filter(pk__in_ids=ids).values_list("pk", "salary_form")


# compiled once per process and scope size, for any number of employees (issue 13, core.fixedquery)
_SALARY_FORMS = FixedValues(
    _salary_forms, sentinels={"ids": [-7_100_000_132]}, ids=("ids",), scope=FIXED_SCOPE
)


def balances(*, membership_ids: Iterable[int], as_of: dt.date) -> dict[int, Balances]:
    """`{membership_id: Balances}` of flex and the time bank as of `as_of` (inclusive): the stored
    contributions of attested days plus the bank's adjustments. Two queries for any number of
    employees and months."""
    ids = list(membership_ids)
    flex: dict[int, int] = dict.fromkeys(ids, 0)
    bank: dict[int, int] = dict.fromkeys(ids, 0)
    if ids:
        for mid, flex_total, bank_total in _STORED.rows(ids=ids, as_of=as_of):
            flex[mid] += flex_total or 0
            bank[mid] += bank_total or 0
        for mid, total in _adjustments(ids, as_of):
            bank[mid] += total
    return {mid: Balances(flex_minutes=flex[mid], bank_minutes=bank[mid]) for mid in ids}


def _stored(ids: list[int], as_of: dt.date) -> QuerySet:
    """The attested days' flex and time bank per employee up to `as_of`."""
    return (
        DayLock.objects.filter(membership_id__in_ids=ids, date__lte=as_of, status=DayStatus.ATTESTED)
        .order_by()
        .values("membership_id")
        .annotate(flex=Sum("flex_minutes"), bank=Sum("bank_minutes"))
        .values_list("membership_id", "flex", "bank")
    )


def _adjusted(ids: list[int], as_of: dt.date | None) -> QuerySet:
    qs = TimeBankAdjustment.objects.filter(membership_id__in_ids=ids)
    if as_of is not None:
        qs = qs.filter(date__lte=as_of)
    return (
        qs.order_by()
        .values("membership_id")
        # Summed as a float: adjustments are bounded (core.bounds), but one stored before the bound
        # existed must not overflow SQLite's 64-bit SUM and break every page that shows the bank.
        .annotate(total=Sum(Cast("minutes", output_field=FloatField())))
        .values_list("membership_id", "total")
    )


# compiled once per process and scope size, for any number of employees (issue 13, core.fixedquery)
_AS_OF = {"ids": [-7_100_000_051], "as_of": dt.date(1, 2, 3)}
_STORED = FixedValues(_stored, sentinels=_AS_OF, adapt={"as_of": date_value}, ids=("ids",), scope=FIXED_SCOPE)
_ADJUSTED = FixedValues(
    _adjusted, sentinels=_AS_OF, adapt={"as_of": date_value}, ids=("ids",), scope=FIXED_SCOPE
)


def _adjustments(ids: list[int], as_of: dt.date | None) -> list[tuple[int, int]]:
    adjusted = _ADJUSTED.rows(ids=ids, as_of=as_of) if as_of is not None else _adjusted(ids, None)
    return [(mid, round(total or 0)) for mid, total in adjusted]


def projected_bank(*, membership_id: int, exclude_entry_id: int | None = None) -> int:
    """The time bank with everything already registered, attested or not and whatever its date:
    what a new komp-ledig would draw from (issue 8: refused beyond the bank). Three queries."""
    total, by_day = projected_bank_parts(membership_id=membership_id, exclude_entry_id=exclude_entry_id)
    return total + sum(bank_minutes(facts) for facts in by_day.values())


def projected_bank_parts(
    *, membership_id: int, exclude_entry_id: int | None = None
) -> tuple[int, dict[dt.date, list[EntryFacts]]]:
    """`projected_bank` before its sum: the attested days' and adjustments' total, and the facts of
    the unattested entries that move the bank by day (each day is rounded as a whole), so a batch
    can add its own accepted entries to their days (rules.BatchContext.bank_balance)."""
    attested = DayLock.objects.filter(membership_id=membership_id, status=DayStatus.ATTESTED)
    total = attested.order_by().aggregate(total=Sum("bank_minutes"))["total"] or 0
    total += sum(minutes for _mid, minutes in _adjustments([membership_id], None))
    pending = (
        TimeEntry.objects.filter(membership_id=membership_id)
        .filter(
            Q(time_code__time_bank_effect__in=MOVES_BANK) | Q(absence_type__time_bank_effect__in=MOVES_BANK)
        )
        .exclude(date__in=attested.order_by().values("date"))
        .select_related("time_code", "absence_type")
    )
    if exclude_entry_id is not None:
        pending = pending.exclude(pk=exclude_entry_id)
    by_day: dict[dt.date, list[EntryFacts]] = defaultdict(list)
    for entry in pending:
        by_day[entry.date].append(entry_facts(entry))
    return total, by_day


@dataclass(frozen=True)
class DayBalance:
    """One day's contribution: stored when attested, else computed now (`attested` False: a preview)."""

    date: dt.date
    scheduled_minutes: int
    worked_minutes: int
    flex_minutes: int
    bank_minutes: int
    attested: bool
    counted: bool  # attested, or with time or a lock: a day that says something

    @property
    def flex_hours(self) -> str:
        return hm(self.flex_minutes, signed=True)

    @property
    def bank_hours(self) -> str:
        return hm(self.bank_minutes, signed=True)

    @property
    def scheduled_hours(self) -> str:
        return hm(self.scheduled_minutes)


@dataclass(frozen=True)
class BalanceView:
    """Balances as of `as_of` (attested only), each day from `start` to `end`, the payroll
    classification of those days (computed now) and the preview of their unattested days."""

    as_of: dt.date
    balances: Balances
    days: dict[dt.date, DayBalance]
    results: dict[dt.date, DayResult]

    @property
    def unattested_flex_minutes(self) -> int:
        return sum(d.flex_minutes for d in self.days.values() if d.counted and not d.attested)

    @property
    def unattested_bank_minutes(self) -> int:
        return sum(d.bank_minutes for d in self.days.values() if d.counted and not d.attested)

    @property
    def flex_minutes(self) -> int:
        """Flex of the days shown: stored for attested days, computed for the others."""
        return sum(d.flex_minutes for d in self.days.values() if d.counted)

    @property
    def bank_minutes(self) -> int:
        return sum(d.bank_minutes for d in self.days.values() if d.counted)

    @property
    def flex_hours(self) -> str:
        return hm(self.flex_minutes, signed=True)

    @property
    def bank_hours(self) -> str:
        return hm(self.bank_minutes, signed=True)


def balance_view(
    *,
    membership_id: int,
    start: dt.date,
    end: dt.date,
    as_of: dt.date | None = None,
    loaded: Loaded | None = None,
) -> BalanceView:
    """One employee's balances as of `as_of` (default `end`) and the days from `start` to `end` (seven
    queries, whatever the range; four with `loaded`, the employee's rows of those days)."""
    as_of = as_of or end
    results = day_results(membership_ids=[membership_id], start=start, end=end, loaded=loaded)[membership_id]
    locks = {
        lock.date: lock
        for lock in (
            loaded.locks
            if loaded is not None
            else DayLock.objects.filter(membership_id=membership_id, date__gte=start, date__lte=end)
        )
    }
    days = {}
    for day, result in results.items():
        lock = locks.get(day)
        if lock is not None and lock.status == DayStatus.ATTESTED and lock.flex_minutes is not None:
            days[day] = DayBalance(
                date=day,
                scheduled_minutes=lock.scheduled_minutes or 0,
                worked_minutes=lock.worked_minutes or 0,
                flex_minutes=lock.flex_minutes or 0,
                bank_minutes=lock.bank_minutes or 0,
                attested=True,
                counted=True,
            )
        else:
            has_time = bool(result.worked_minutes or result.absence_minutes or result.lines)
            days[day] = DayBalance(
                date=day,
                scheduled_minutes=result.scheduled_minutes,
                worked_minutes=result.worked_minutes,
                flex_minutes=result.flex_minutes,
                bank_minutes=result.bank_minutes,
                attested=False,
                counted=has_time or lock is not None,
            )
    return BalanceView(
        as_of=as_of,
        balances=balances(membership_ids=[membership_id], as_of=as_of)[membership_id],
        days=days,
        results=results,
    )


def draws_bank(entry: TimeEntry) -> bool:
    """The entry takes time from the time bank (komp-ledig): its warning reads the balance."""
    return bank_minutes([entry_facts(entry)]) < 0


def time_bank_warning(entry: TimeEntry) -> dict | None:
    """The warning for an entry that took the time bank below zero (komp-ledig where the company
    allows a negative bank; elsewhere the rules refused it): `{code, message, extra}` as the API's
    errors, shown by the day page and returned by the API's writes (issue 8 item 2). None when the
    entry does not draw the bank or the bank stays at zero or above; only for one that draws it
    (`draws_bank`) is the balance read."""
    if not draws_bank(entry):
        return None
    balance = projected_bank(membership_id=entry.membership_id)
    if balance >= 0:
        return None
    return {
        "code": "time_bank_negative",
        "message": _("The time bank is now below zero: %(balance)s h.") % {"balance": hm(balance)},
        "extra": {"balance_minutes": balance},
    }
