"""Local business dates (Europe/Stockholm) and ISO weeks (DESIGN.md rule 15)."""

import datetime as dt

from django.utils import timezone


def today() -> dt.date:
    return timezone.localdate()


def iso_week_dates(year: int, week: int) -> list[dt.date]:
    monday = dt.date.fromisocalendar(year, week, 1)
    return [monday + dt.timedelta(days=i) for i in range(7)]
