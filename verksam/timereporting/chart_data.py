"""The figures behind the small charts of Översikt and the attestation queue (issue 12 item 6):
reads only, one query per chart whatever the number of days or employees."""

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable

from django.db.models import F, QuerySet, Sum, Value

from verksam.core.fixedquery import FixedValues, date_value
from verksam.tenancy.scope import FIXED_SCOPE

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


def _balance_change_rows(membership_id: int, until: dt.date) -> QuerySet:
    """The attested days' sums and the time bank's adjustments of one employee up to `until`, as a
    UNION ALL: one round trip for both."""
    attested = (
        DayLock.objects.filter(membership_id=membership_id, date__lte=until, status=DayStatus.ATTESTED)
        .order_by()
        .values("date")
        .annotate(flex=Sum("flex_minutes"), bank=Sum("bank_minutes"))
        .values_list("date", "flex", "bank")
    )
    adjusted = (
        TimeBankAdjustment.objects.filter(membership_id=membership_id, date__lte=until)
        .order_by()
        .annotate(flex=Value(0), bank=F("minutes"))
        .values_list("date", "flex", "bank")
    )
    return attested.union(adjusted, all=True)


# read on every Översikt: compiled once per process and scope size (issue 13, core.fixedquery)
_BALANCE_CHANGES = FixedValues(
    _balance_change_rows,
    sentinels={"membership_id": -7_100_000_201, "until": dt.date(1, 2, 3)},
    adapt={"until": date_value},
    scope=FIXED_SCOPE,
)


def balance_changes(*, membership_id: int, until: dt.date) -> dict[dt.date, tuple[int, int]]:
    """`{day: (flex, bank)}`: what each day up to `until` changed the employee's attested flex and
    time bank by, the bank's adjustments included (one query: the attested days' sums and the
    adjustments as a UNION ALL; the same sums as balances.balances, by day)."""
    changes: dict[dt.date, list[int]] = defaultdict(lambda: [0, 0])
    for day, flex, bank in _BALANCE_CHANGES.rows(membership_id=membership_id, until=until):
        changes[day][0] += flex or 0
        changes[day][1] += bank or 0
    return {day: (flex, bank) for day, (flex, bank) in changes.items()}


def balance_as_of(changes: dict[dt.date, tuple[int, int]], day: dt.date) -> tuple[int, int]:
    """`(flex, bank)` at the end of `day`, from `balance_changes` read up to `day` or later."""
    flex = bank = 0
    for changed, (f, b) in changes.items():
        if changed <= day:
            flex += f
            bank += b
    return flex, bank


def balances_per_week(
    changes: dict[dt.date, tuple[int, int]], mondays: list[dt.date]
) -> list[tuple[dt.date, int, int]]:
    """`[(sunday, flex, bank)]` at the end of each week, from `balance_changes` read up to the last
    Sunday or later."""
    series = []
    for monday in mondays:
        sunday = monday + dt.timedelta(days=6)
        series.append((sunday, *balance_as_of(changes, sunday)))
    return series
