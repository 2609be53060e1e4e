"""Durations: hours as people type them ("7,5", "7.5", "7:30", "7") to integer minutes and back
(DESIGN.md rule 15: durations are integer minutes). Swedish uses a decimal comma; "7:30" is
hours:minutes. The one place minutes are formatted for people, so every page says it the same way."""

import datetime as dt
import re

_HM = re.compile(r"^(\d{1,2}):([0-5]\d)$")
_DECIMAL = re.compile(r"^(\d{1,2})(?:[.,](\d{1,2}))?$")


def parse_hours(text: str) -> int | None:
    """Minutes for `text`, None for an empty text; ValueError when it cannot be read."""
    value = (text or "").strip().lower().removesuffix("h").strip()
    if not value:
        return None
    match = _HM.match(value)
    if match:
        return int(match.group(1)) * 60 + int(match.group(2))
    match = _DECIMAL.match(value)
    if match:
        hours = int(match.group(1))
        fraction = match.group(2) or "0"
        # "7,5" = 7 h 30 min, "7,25" = 7 h 15 min; rounded to whole minutes.
        return hours * 60 + round(int(fraction) * 60 / 10 ** len(fraction))
    raise ValueError(text)


def hm(minutes: int, *, signed: bool = False) -> str:
    """`h:mm` (450 → "7:30", 0 → "0:00"); a negative balance keeps a real minus sign ("−2:30");
    `signed` also marks a positive movement ("+7:30"), as time-bank adjustments read."""
    sign = "−" if minutes < 0 else "+" if signed and minutes > 0 else ""
    hours, rest = divmod(abs(minutes), 60)
    return f"{sign}{hours}:{rest:02d}"


def format_minutes(minutes: int | None) -> str:
    """`h:mm` like `hm`, but blank for nothing: grids and lists leave empty cells empty."""
    return hm(minutes) if minutes else ""


def typed_hours(minutes: int) -> str:
    """Minutes as the hours a Swede types: 480 → "8", 390 → "6,5", 435 → "7,25", 400 → "6:40"."""
    hours, rest = divmod(minutes, 60)
    if not rest:
        return str(hours)
    if rest % 3 == 0:  # a whole number of hundredths of an hour
        return f"{hours},{rest * 100 // 60:02d}".rstrip("0")
    return f"{hours}:{rest:02d}"


def wall_clock_minutes(start: dt.time, end: dt.time) -> int:
    """Minutes between two wall-clock times of the same date.

    On the DST Sundays (last Sunday of March and October) the calendar day has 23 or 25 hours, but
    a time report states what the clock on the wall showed, so 01:00–04:00 is three hours on
    both days: minutes are computed from the wall-clock times alone, with no time zone involved."""
    return (end.hour * 60 + end.minute) - (start.hour * 60 + start.minute)
