"""The month as a calendar with per-day totals and status."""

import datetime as dt

from django.http import Http404, HttpResponse
from django.shortcuts import render

from verksam.core import bounds, timeutil
from verksam.core.duration import format_minutes
from verksam.tenancy.permissions import Perm
from verksam.timereporting import selectors
from verksam.timereporting.selectors import DayState
from verksam.web.decorators import TenantRequest, tenant_view

from .common import (
    MONTH_RE,
    day_views,
    monday_of,
    own_member_id,
)


def _month_start(value: str | None) -> dt.date:
    """The first day of `2026-11`; the current month when missing or not a month at all; 404 for
    month 13 or a month outside the calendar (core.bounds)."""
    match = MONTH_RE.match((value or "").strip())
    if not match:
        return timeutil.today().replace(day=1)
    if not 1 <= int(match.group(2)) <= 12:
        raise Http404
    first = dt.date(int(match.group(1)), int(match.group(2)), 1)
    if not (bounds.in_calendar(first) and bounds.in_calendar(_add_month(first, 1) - dt.timedelta(days=1))):
        raise Http404
    return first


def _add_month(first: dt.date, n: int) -> dt.date:
    index = first.year * 12 + first.month - 1 + n
    return dt.date(index // 12, index % 12 + 1, 1)


@tenant_view(Perm.TIME_REPORT_OWN)
def time_month(request: TenantRequest, slug: str) -> HttpResponse:
    """The month as a calendar: per-day totals and status (open/locked/attested/rejected)."""
    first = _month_start(request.GET.get("month"))
    last = _add_month(first, 1) - dt.timedelta(days=1)
    start, end = monday_of(first), monday_of(last) + dt.timedelta(days=6)
    member_id = own_member_id(request.actor)
    days = day_views(
        selectors.day_summaries(membership_id=member_id, start=start, end=end), month=first.month
    )
    in_month = [d for d in days if d.in_range]
    context = {
        "first": first,
        "weeks": [days[i : i + 7] for i in range(0, len(days), 7)],
        "month_total": format_minutes(sum(d.summary.minutes for d in in_month)) or "0:00",
        "rejected_days": [d for d in in_month if d.status == DayState.REJECTED],
        "prev_month": _add_month(first, -1).strftime("%Y-%m"),
        "next_month": _add_month(first, 1).strftime("%Y-%m"),
        "counts": {
            state: sum(1 for d in in_month if d.status == state)
            for state in (DayState.OPEN, DayState.LOCKED, DayState.ATTESTED, DayState.REJECTED)
        },
    }
    return render(request, "web/timereporting/month.html", context)
