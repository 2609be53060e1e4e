"""The figures behind the small charts of Översikt and the attestation queue (issue 12 item 6):
reads only, one query per chart whatever the number of days or employees."""

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable

from django.db.models import Sum

from .models import DayLock, DayStatus, TimeBankAdjustment, TimeEntry


def monday_of(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def hours_per_week(*, membership_ids: Iterable[int], start: dt.date, end: dt.date) -> dict[dt.date, int]:
    """`{monday: minutes}` reported from `start` to `end` by the memberships, every week present
    (one query)."""
    totals: dict[dt.date, int] = {}
    monday = monday_of(start)
    while monday <= end:
        totals[monday] = 0
        monday += dt.timedelta(days=7)
    rows = (
        TimeEntry.objects.filter(membership_id__in=list(membership_ids), date__gte=start, date__lte=end)
        .order_by()
        .values("date")
        .annotate(total=Sum("minutes"))
        .values_list("date", "total")
    )
    for day, total in rows:
        totals[monday_of(day)] += total or 0
    return totals


def balance_per_week(*, membership_id: int, mondays: list[dt.date]) -> list[tuple[dt.date, int, int]]:
    """`[(sunday, flex, bank)]`: the attested balances at the end of each week (one query for the
    attested days, one for the bank's adjustments; the same sums as balances.balances)."""
    sundays = [m + dt.timedelta(days=6) for m in mondays]
    if not sundays:
        return []
    last = sundays[-1]
    changes: dict[dt.date, list[int]] = defaultdict(lambda: [0, 0])
    stored = (
        DayLock.objects.filter(membership_id=membership_id, date__lte=last, status=DayStatus.ATTESTED)
        .order_by()
        .values("date")
        .annotate(flex=Sum("flex_minutes"), bank=Sum("bank_minutes"))
        .values_list("date", "flex", "bank")
    )
    for day, flex, bank in stored:
        changes[day][0] += flex or 0
        changes[day][1] += bank or 0
    for day, minutes in TimeBankAdjustment.objects.filter(
        membership_id=membership_id, date__lte=last
    ).values_list("date", "minutes"):
        changes[day][1] += minutes
    series = []
    for sunday in sundays:
        flex = sum(v[0] for d, v in changes.items() if d <= sunday)
        bank = sum(v[1] for d, v in changes.items() if d <= sunday)
        series.append((sunday, flex, bank))
    return series
