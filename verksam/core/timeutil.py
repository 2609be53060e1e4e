"""Local business dates (Europe/Stockholm), ISO weeks (DESIGN.md rule 15) and the Swedish workday
calendar (röda dagar)."""

import datetime as dt
from collections.abc import Mapping
from functools import lru_cache
from types import MappingProxyType

import holidays
from django.utils import timezone


def today() -> dt.date:
    return timezone.localdate()


def iso_week_dates(year: int, week: int) -> list[dt.date]:
    monday = dt.date.fromisocalendar(year, week, 1)
    return [monday + dt.timedelta(days=i) for i in range(7)]


# --- Swedish public holidays (röda dagar) ---------------------------------------------------------


@lru_cache(maxsize=64)
def _days_off(year: int) -> Mapping[dt.date, str]:
    """Every holiday of `year` that is not a workday, with its Swedish name (read-only, cached)."""
    calendar = holidays.Sweden(
        years=year,
        language="sv",
        # PUBLIC: the allmänna helgdagar of Lag (1989:253) om allmänna helgdagar (nyårsdagen,
        # långfredagen, Kristi himmelsfärdsdag, nationaldagen, juldagen …).
        # DE_FACTO: midsommarafton, julafton and nyårsafton. They are not allmänna helgdagar by law,
        # but semesterlagen (1977:480) 7 § treats them like a Sunday ("Med söndag jämställs allmän
        # helgdag samt midsommarafton, julafton och nyårsafton") and collective agreements make them
        # days off, so nobody is expected to report time on them. The library's Sweden calendar lists
        # them only in this category (holidays 0.108), not among PUBLIC.
        # BANK and OPTIONAL (e.g. "Skärtorsdagen (från kl. 14.00)", klämdagar) are workdays and left out.
        categories=(holidays.PUBLIC, holidays.DE_FACTO),
        # Sundays are weekend days anyway; with include_sundays=True every Sunday would be named "Söndag".
        include_sundays=False,
    )
    return MappingProxyType({day: str(name) for day, name in sorted(calendar.items())})


def swedish_holidays(year: int) -> dict[dt.date, str]:
    """`{date: Swedish name}` of the year's public holidays plus midsommarafton, julafton and
    nyårsafton — the days off of a Swedish workplace besides the weekend (röda dagar)."""
    return dict(_days_off(year))


def holiday_name(day: dt.date) -> str | None:
    """The Swedish name of the holiday on `day` (e.g. "Juldagen"), None on an ordinary day."""
    return _days_off(day.year).get(day)


def is_workday(day: dt.date) -> bool:
    """Monday–Friday and not a holiday of swedish_holidays() (so julafton is no workday either)."""
    return day.weekday() < 5 and day not in _days_off(day.year)


def workdays(start: dt.date, end: dt.date) -> list[dt.date]:
    """The workdays from `start` to `end` inclusive (empty when `end` is before `start`)."""
    days = (start + dt.timedelta(days=i) for i in range((end - start).days + 1))
    return [day for day in days if is_workday(day)]
