"""The sensible bounds of business values, in one place (issue 7 item 5).

Services check them (the source of truth: a `DomainError` with a translatable message), API schemas
declare them (so the OpenAPI document says them) and forms use them. They keep absurd values out of
the database — a time entry in year 1, a time-bank adjustment of 2**62 minutes — because a stored
absurd value breaks every page that later sums or formats it.

Two kinds of date bound:
- `CALENDAR_MIN`…`CALENDAR_MAX`: any date anyone may ask about (a week, a month, a period, a
  range to list). Outside it a page answers 404 and the API 422: date arithmetic at the edges of
  Python's calendar (year 1, year 9999) overflows, and no business data can be there anyway.
- `EARLIEST_DATE`…`latest_date()`: a date something may be written on (a time entry, a time-bank
  adjustment, a delegation): not before 2000, at most a year ahead.
"""

import datetime as dt

from django.utils.translation import gettext as _

from .errors import DomainError
from .timeutil import today

CALENDAR_MIN = dt.date(2000, 1, 1)
CALENDAR_MAX = dt.date(2100, 12, 31)

EARLIEST_DATE = CALENDAR_MIN
DAYS_AHEAD = 366

MINUTES_PER_DAY = 24 * 60
# 2 000 hours: more than a year of full-time work, enough for any opening balance or payout.
MAX_TIME_BANK_ADJUSTMENT_MINUTES = 2000 * 60
# A delegation covers a holiday or a leave, not a career.
MAX_DELEGATION_DAYS = 366
# 10 000 000 kr in öre: far above any hourly rate or fixed price of the customers we serve.
MAX_AMOUNT_ORE = 1_000_000_000
# Units of a balance (SMS, e-signatures…) bought in one top-up.
MAX_TOPUP_QUANTITY = 1_000_000
# Database ids are 64-bit signed integers (BigAutoField).
MAX_ID = 2**63 - 1
# Paging: no list has more pages than this (at page_size 1).
MAX_PAGE = 1_000_000


def parse_id(text: str | None) -> int | None:
    """A database id typed into a query parameter or a header: ASCII digits only (not "²" or "٣",
    which str.isdigit() accepts), 1 to MAX_ID; anything else is None (never an exception)."""
    if not text or not (text.isascii() and text.isdigit()) or len(text) > 19:
        return None
    number = int(text)
    return number if 1 <= number <= MAX_ID else None


def parse_size(text: str | None) -> int | None:
    """A byte count from a header such as Content-Length: ASCII digits only, else None."""
    if not text or not (text.isascii() and text.isdigit()) or len(text) > 19:
        return None
    return int(text)


def latest_date() -> dt.date:
    """The last date something may be written on: a year ahead of today."""
    return today() + dt.timedelta(days=DAYS_AHEAD)


def in_calendar(day: dt.date) -> bool:
    return CALENDAR_MIN <= day <= CALENDAR_MAX


def check_calendar_date(day: dt.date, *, field: str = "date") -> dt.date:
    """Refuse a date outside the calendar this system knows (see the module docstring)."""
    if not in_calendar(day):
        raise DomainError(
            _("Choose a date between %(first)s and %(last)s.")
            % {"first": CALENDAR_MIN.isoformat(), "last": CALENDAR_MAX.isoformat()},
            code="date_out_of_range",
            extra={"field": field},
        )
    return day


def check_business_date(day: dt.date, *, field: str = "date") -> dt.date:
    """Refuse to write on a date before 2000 or more than a year ahead."""
    last = latest_date()
    if not EARLIEST_DATE <= day <= last:
        raise DomainError(
            _("Choose a date between %(first)s and %(last)s.")
            % {"first": EARLIEST_DATE.isoformat(), "last": last.isoformat()},
            code="date_out_of_range",
            extra={"field": field},
        )
    return day


def check_range(value: int, *, low: int, high: int, field: str) -> int:
    """Refuse a number outside `low`…`high` (inclusive)."""
    if not low <= value <= high:
        raise DomainError(
            _("Enter a number between %(low)s and %(high)s.") % {"low": low, "high": high},
            code="out_of_range",
            extra={"field": field},
        )
    return value
