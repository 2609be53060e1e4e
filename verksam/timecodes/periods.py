"""The deviation period (avvikelseperiod): the payroll period that time and absence belong to.

With start day 1 it is the calendar month. With start day d > 1 a period runs from day d of one month
to day d-1 of the next (e.g. 16 November – 15 December) and is named after the month it ends in,
the month whose payroll it feeds.
"""

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Period:
    start: dt.date
    end: dt.date  # inclusive

    def __contains__(self, day: object) -> bool:
        return isinstance(day, dt.date) and self.start <= day <= self.end

    @property
    def days(self) -> list[dt.date]:
        return [self.start + dt.timedelta(days=i) for i in range((self.end - self.start).days + 1)]

    @property
    def key(self) -> str:
        """`YYYY-MM` of the month the period ends in (its payroll month)."""
        return f"{self.end.year:04d}-{self.end.month:02d}"


def _add_months(year: int, month: int, n: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + n
    return index // 12, index % 12 + 1


def period_for(day: dt.date, start_day: int = 1) -> Period:
    """The period that contains `day` when periods start on `start_day` (1–28)."""
    if not 1 <= start_day <= 28:
        raise ValueError("start_day must be 1–28")
    if start_day == 1 or day.day >= start_day:
        year, month = day.year, day.month
    else:
        year, month = _add_months(day.year, day.month, -1)
    start = dt.date(year, month, start_day)
    next_year, next_month = _add_months(year, month, 1)
    end = dt.date(next_year, next_month, start_day) - dt.timedelta(days=1)
    return Period(start, end)


def period_by_key(key: str, start_day: int = 1) -> Period:
    """The period named `YYYY-MM` (the month it ends in)."""
    year, month = (int(part) for part in key.split("-"))
    return period_for(dt.date(year, month, start_day - 1 if start_day > 1 else 1), start_day)


def period_next(period: Period, start_day: int = 1) -> Period:
    return period_for(period.end + dt.timedelta(days=1), start_day)


def period_previous(period: Period, start_day: int = 1) -> Period:
    return period_for(period.start - dt.timedelta(days=1), start_day)
