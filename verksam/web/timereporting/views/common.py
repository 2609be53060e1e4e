"""What the time pages share: parsing weeks, days and ids from the URL, and a day as the pages
show it (DayView)."""

import datetime as dt
import functools
import re
from dataclasses import dataclass

from django.http import Http404
from django.utils import dateformat
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from verksam.core import bounds, timeutil
from verksam.core.duration import format_minutes, hm
from verksam.tenancy.access import Actor
from verksam.timereporting.selectors import DayState, DaySummary
from verksam.web.decorators import TenantRequest

WEEK_RE = re.compile(r"^(\d{4})-W(\d{1,2})$", re.ASCII)
MONTH_RE = re.compile(r"^(\d{4})-(\d{1,2})$", re.ASCII)
CLOSED = {DayState.LOCKED, DayState.ATTESTED}


# --- helpers --------------------------------------------------------------------------------------


def monday_of(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def week_monday(value: str | None) -> dt.date:
    """The Monday of `2026-W48`; the current week when missing or not a week at all; 404 for a week
    that does not exist (week 54) or lies outside the calendar (core.bounds: the pages do arithmetic
    around it)."""
    match = WEEK_RE.match((value or "").strip())
    if not match:
        return monday_of(timeutil.today())
    try:
        monday = dt.date.fromisocalendar(int(match.group(1)), int(match.group(2)), 1)
    except ValueError:
        monday = None
    if monday is None or not bounds.in_calendar(monday):
        raise Http404
    return monday


def week_key(monday: dt.date) -> str:
    year, week, _weekday = monday.isocalendar()
    return f"{year}-W{week:02d}"


def parse_day(value: str) -> dt.date:
    """A day of a URL or a form (`2026-11-20`); 404 when it is no date of the calendar (core.bounds)."""
    try:
        day = dt.date.fromisoformat(value) if value.isascii() else None
    except ValueError:
        day = None
    if day is None or not bounds.in_calendar(day):
        raise Http404
    return day


def query_id(value: str | None) -> int:
    """An id from the query; 0 (none) for anything but ASCII digits or a number beyond a 64-bit id."""
    return bounds.parse_id(value) or 0


def own_member_id(actor: Actor) -> int:
    assert actor.membership is not None  # TIME_REPORT_OWN is held by members only
    return actor.membership.pk


def safe_next(request: TenantRequest, fallback: str) -> str:
    target = request.POST.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return fallback


def status_label(status: str) -> str:
    return {
        DayState.OPEN: _("Open"),
        DayState.LOCKED: _("Locked"),
        DayState.ATTESTED: _("Attested"),
        DayState.REJECTED: _("Rejected"),
    }[status]


@dataclass
class DayView:
    """A day as the pages show it."""

    summary: DaySummary
    status_label: str
    total: str
    in_range: bool = True
    url: str = ""  # the day page's address, where a page shows links to its days (the week page)

    @property
    def iso(self) -> str:
        return self.date.isoformat()  # what `|date:"Y-m-d"` writes, without the template filter

    @functools.cached_property
    def long_label(self) -> str:
        """ "måndag 2/11" (`|date:"l j/n"`), formatted once for the day's card and its grid cells."""
        return dateformat.format(self.date, "l j/n")

    @functools.cached_property
    def short_label(self) -> str:
        """ "mån 2/11" (`|date:"D j/n"`)."""
        return dateformat.format(self.date, "D j/n")

    @property
    def date(self) -> dt.date:
        return self.summary.date

    @property
    def status(self) -> str:
        return self.summary.status

    @property
    def is_closed(self) -> bool:
        return self.summary.status in CLOSED

    @property
    def holiday(self) -> str | None:
        """The röd dag's Swedish name ("Juldagen"); computed from the calendar, no query."""
        return timeutil.holiday_name(self.date)

    @property
    def is_day_off(self) -> bool:
        """A day without scheduled time (weekend, röd dag, the schedule's day off): shown muted,
        nothing is expected to be reported."""
        return not self.summary.scheduled_minutes

    @property
    def reported_text(self) -> str:
        return hm(self.summary.minutes)

    @property
    def scheduled_text(self) -> str:
        return hm(self.summary.scheduled_minutes)

    @property
    def is_short(self) -> bool:
        """Less time than the schedule and not confirmed ("6:00 av 8:00")."""
        return self.summary.is_short


def day_views(summaries: list[DaySummary], month: int | None = None) -> list[DayView]:
    return [
        DayView(
            summary=s,
            status_label=status_label(s.status),
            total=format_minutes(s.minutes),
            in_range=month is None or s.date.month == month,
        )
        for s in summaries
    ]
