"""What the start page (Översikt) shows: the person's own time this week and period, and for an
approver what waits for attestation. Reads only, through the modules' selectors; a constant number
of queries whatever the amount of time reported."""

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from verksam.attestation import selectors as attestation
from verksam.core.duration import hm
from verksam.tenancy.access import Actor
from verksam.tenancy.permissions import Perm
from verksam.timecodes.periods import Period, period_for, period_previous
from verksam.timereporting import chart_data
from verksam.timereporting import selectors as time

from . import charts


@dataclass(frozen=True)
class MyTime:
    week_monday: dt.date
    week_minutes: int
    period: Period
    days_to_report: int  # past scheduled days of the period with nothing reported and not locked
    days_to_lock: int  # past days with time reported but not yet locked
    rejected: list[time.DaySummary]
    time_bank_minutes: int
    flex_minutes: int = 0  # attested, as of today (DOMAIN.md "Working time")
    # The previous deviation period while it is not yet closed after payroll (issue 12 item 4): its
    # missing and unlocked days matter more than the current period's.
    closing: Period | None = None
    closing_days_to_report: int = 0
    closing_days_to_lock: int = 0

    @property
    def flex_hours(self) -> str:
        return hm(self.flex_minutes)

    @property
    def week_hours(self) -> str:
        return hm(self.week_minutes)

    @property
    def time_bank_hours(self) -> str:
        return hm(self.time_bank_minutes)


@dataclass(frozen=True)
class ToAttest:
    period: Period
    employees_waiting: int
    days_waiting: int
    employees_missing_days: int


def _to_report(days: list[time.DaySummary]) -> int:
    # a day is due when the work schedule has time on it (not a day off, weekend or röd dag)
    return sum(1 for d in days if not d.minutes and d.status in {"open", "rejected"} and d.scheduled_minutes)


def _to_lock(days: list[time.DaySummary]) -> int:
    return sum(1 for d in days if d.minutes and d.status in {"open", "rejected"})


def closing_period(period: Period, start_day: int) -> Period | None:
    """The deviation period being closed: the one before `period` while payroll has not closed it."""
    previous = period_previous(period, start_day)
    return None if attestation.period_is_closed(previous.key) else previous


@dataclass(frozen=True)
class OwnReads:
    """The person's own days and balance changes, read once for both "My time" and the charts."""

    days: list[time.DaySummary]
    balance_changes: dict[dt.date, tuple[int, int]]  # {day: (flex, bank)} up to this week's Sunday


def own_reads(actor: Actor, today: dt.date, period: Period, closing: Period | None) -> OwnReads | None:
    """Every day from the first of the charts' weeks, the closing period or the current period
    (whichever is first) to the end of this week or the period, and the attested flex and time bank
    changes: six queries in all."""
    if not actor.has(Perm.TIME_REPORT_OWN) or actor.membership is None:
        return None
    membership_id = actor.membership.pk
    first_monday, sunday = charts.chart_weeks(today)
    starts = [period.start, first_monday] + ([closing.start] if closing is not None else [])
    days = time.day_summaries(membership_id=membership_id, start=min(starts), end=max(period.end, sunday))
    changes = chart_data.balance_changes(membership_id=membership_id, until=max(today, sunday))
    return OwnReads(days=days, balance_changes=changes)


def my_time(
    actor: Actor, today: dt.date, period: Period, closing: Period | None = None, reads: OwnReads | None = None
) -> MyTime | None:
    reads = reads or own_reads(actor, today, period, closing)
    if reads is None:
        return None
    monday = today - dt.timedelta(days=today.weekday())
    sunday = monday + dt.timedelta(days=6)
    start, end = min(period.start, monday), max(period.end, sunday)
    if closing is not None:
        start = min(start, closing.start)
    days = [d for d in reads.days if start <= d.date <= end]
    in_period = [d for d in days if d.date in period and d.date < today]
    in_closing = [d for d in days if closing is not None and d.date in closing and d.date < today]
    flex, bank = chart_data.balance_as_of(reads.balance_changes, today)
    return MyTime(
        week_monday=monday,
        week_minutes=sum(d.minutes for d in days if monday <= d.date <= sunday),
        period=period,
        closing=closing,
        closing_days_to_report=_to_report(in_closing),
        closing_days_to_lock=_to_lock(in_closing),
        days_to_report=_to_report(in_period),
        days_to_lock=_to_lock(in_period),
        rejected=[d for d in days if d.status == "rejected"],
        time_bank_minutes=bank,
        flex_minutes=flex,
    )


def to_attest(actor: Actor, periods: list[Period]) -> list[ToAttest | None]:
    """For each of `periods`, what waits in the actor's attestation queue (None where the queue is
    empty, or the actor attests nobody): counts only, read once for all the periods."""
    if not actor.has(Perm.TIME_ATTEST):
        return [None for _ in periods]
    return [
        ToAttest(
            period=c.period,
            employees_waiting=c.employees_waiting,
            days_waiting=c.days_waiting,
            employees_missing_days=c.employees_missing_days,
        )
        if c.employees
        else None
        for c in attestation.attestation_queue_counts(actor=actor, periods=periods)
    ]


def dashboard_context(actor: Actor) -> dict:
    """Everything Översikt shows, each table read once: the time settings, the closing of the
    previous period, the person's days and balance changes (for "My time" and the charts alike) and
    the approver's queue counts for the current and the closing period together."""
    today = timezone.localdate()
    if not actor.has(Perm.TIME_REPORT_OWN) and not actor.has(Perm.TIME_ATTEST):
        return {"today": today, "my_time": None, "to_attest": None}
    start_day = attestation.attestation_settings().period_start_day
    period = period_for(today, start_day)
    closing = closing_period(period, start_day)
    reads = own_reads(actor, today, period, closing)
    current, *previous = to_attest(actor, [period] + ([closing] if closing is not None else []))
    return {
        "today": today,
        "my_time": my_time(actor, today, period, closing, reads) if reads is not None else None,
        "to_attest": current,
        "to_attest_closing": previous[0] if previous else None,
        "charts": charts.dashboard_charts(today, reads.days, reads.balance_changes) if reads else [],
    }
