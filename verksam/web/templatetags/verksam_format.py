"""The one way the UI writes dates, hours and money (issue 12 item 2): "1 dec 2026", "7:30",
"1 234,50 kr". Exports and the API keep ISO dates and plain numbers."""

import datetime as dt

from django import template
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.translation import gettext as _

from verksam.core.duration import hm
from verksam.core.money import Money

register = template.Library()


@register.filter
def day(value: dt.date | dt.datetime | str | None) -> str:
    """A date as "1 dec 2026" (lower-case month, as Swedish writes it; "1 Dec 2026" in English).
    An ISO date string is read as its date; any other text is shown as it is."""
    if not value:
        return ""
    if isinstance(value, str):
        try:
            return date_format(dt.date.fromisoformat(value), "j b Y")
        except ValueError:
            return value
    if isinstance(value, dt.datetime):
        value = (timezone.localtime(value) if timezone.is_aware(value) else value).date()
    return date_format(value, "j b Y")


@register.filter
def moment(value: dt.datetime | None) -> str:
    """A point in time as "1 dec 2026 kl. 14:05", in the company's time zone."""
    if not value:
        return ""
    local = timezone.localtime(value) if timezone.is_aware(value) else value
    return _("%(day)s at %(time)s") % {
        "day": date_format(local.date(), "j b Y"),
        "time": local.strftime("%H:%M"),
    }


@register.filter
def hours(minutes: int | None) -> str:
    """Minutes as hours and minutes, "7:30"."""
    return "" if minutes is None else hm(int(minutes))


@register.filter
def money(ore: int | None) -> str:
    """Öre as Swedish money, "1 234,50 kr"."""
    return "" if ore is None else Money(int(ore)).format_sv()
