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
from verksam.timecodes.periods import Period, period_previous
from verksam.timecodes.selectors import current_period
from verksam.timereporting import selectors as time
from verksam.timereporting.balances import balances

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
    return None if attestation.period_close_get(previous.key) is not None else previous


def my_time(actor: Actor, today: dt.date, period: Period, closing: Period | None = None) -> MyTime | None:
    if not actor.has(Perm.TIME_REPORT_OWN) or actor.membership is None:
        return None
    membership_id = actor.membership.pk
    monday = today - dt.timedelta(days=today.weekday())
    start, end = min(period.start, monday), max(period.end, monday + dt.timedelta(days=6))
    if closing is not None:
        start = min(start, closing.start)
    days = time.day_summaries(membership_id=membership_id, start=start, end=end)
    in_period = [d for d in days if d.date in period and d.date < today]
    in_closing = [d for d in days if closing is not None and d.date in closing and d.date < today]
    mine = balances(membership_ids=[membership_id], as_of=today)[membership_id]
    return MyTime(
        week_monday=monday,
        week_minutes=sum(d.minutes for d in days if monday <= d.date <= monday + dt.timedelta(days=6)),
        period=period,
        closing=closing,
        closing_days_to_report=_to_report(in_closing),
        closing_days_to_lock=_to_lock(in_closing),
        days_to_report=_to_report(in_period),
        days_to_lock=_to_lock(in_period),
        rejected=[d for d in days if d.status == "rejected"],
        time_bank_minutes=mine.bank_minutes,
        flex_minutes=mine.flex_minutes,
    )


def to_attest(actor: Actor, period: Period) -> ToAttest | None:
    if not actor.has(Perm.TIME_ATTEST):
        return None
    rows = attestation.attestation_queue(actor=actor, period=period, counts_only=True)
    if not rows:
        return None
    waiting = [r for r in rows if r.days_locked]
    return ToAttest(
        period=period,
        employees_waiting=len(waiting),
        days_waiting=sum(r.days_locked for r in waiting),
        employees_missing_days=sum(1 for r in rows if r.days_missing),
    )


def dashboard_context(actor: Actor) -> dict:
    today = timezone.localdate()
    if not actor.has(Perm.TIME_REPORT_OWN) and not actor.has(Perm.TIME_ATTEST):
        return {"today": today, "my_time": None, "to_attest": None}
    period = current_period(actor.tenant_id, today)
    closing = closing_period(period, attestation.attestation_settings().period_start_day)
    return {
        "today": today,
        "my_time": my_time(actor, today, period, closing),
        "to_attest": to_attest(actor, period),
        "to_attest_closing": to_attest(actor, closing) if closing is not None else None,
        **charts.dashboard_charts(actor, today),
    }
