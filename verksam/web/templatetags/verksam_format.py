"""The one way the UI writes dates, hours and money (issue 12 item 2): "1 dec 2026", "7:30",
"1 234,50 kr". Exports and the API keep ISO dates and plain numbers."""

import datetime as dt

from django import template
from django.utils.dateformat import format as date_format

from verksam.core.duration import hm
from verksam.core.money import Money

register = template.Library()


@register.filter
def day(value: dt.date | dt.datetime | None) -> str:
    """A date as "1 dec 2026" (lower-case month, as Swedish writes it; "1 Dec 2026" in English)."""
    if not value:
        return ""
    if isinstance(value, dt.datetime):
        value = value.date()
    return date_format(value, "j b Y")


@register.filter
def hours(minutes: int | None) -> str:
    """Minutes as hours and minutes, "7:30"."""
    return "" if minutes is None else hm(int(minutes))


@register.filter
def money(ore: int | None) -> str:
    """Öre as Swedish money, "1 234,50 kr"."""
    return "" if ore is None else Money(int(ore)).format_sv()
