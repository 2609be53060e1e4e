"""Reads of time entries, day locks and rejections (always inside a tenant scope)."""

import datetime as dt
from collections.abc import Iterable

from django.db.models import QuerySet

from .models import DayLock, DayRejection, TimeEntry


def time_entries(*, membership_ids: Iterable[int], start: dt.date, end: dt.date) -> QuerySet[TimeEntry]:
    """The entries of `membership_ids` from `start` to `end` inclusive, with their codes loaded."""
    return TimeEntry.objects.filter(
        membership_id__in=list(membership_ids), date__gte=start, date__lte=end
    ).select_related("project", "activity", "time_code", "absence_type")


def day_locks(*, membership_ids: Iterable[int], start: dt.date, end: dt.date) -> QuerySet[DayLock]:
    return DayLock.objects.filter(membership_id__in=list(membership_ids), date__gte=start, date__lte=end)


def day_status_map(*, membership_id: int, start: dt.date, end: dt.date) -> dict[dt.date, str]:
    """`{date: "locked" | "attested"}` for the days of one employee that are not open."""
    return dict(day_locks(membership_ids=[membership_id], start=start, end=end).values_list("date", "status"))


def open_rejections(*, membership_ids: Iterable[int], start: dt.date, end: dt.date) -> QuerySet[DayRejection]:
    """Rejections the employee has not yet answered by locking the day again."""
    return DayRejection.objects.filter(
        membership_id__in=list(membership_ids), date__gte=start, date__lte=end, resolved_at__isnull=True
    ).select_related("rejected_by")
