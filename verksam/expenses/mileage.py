"""Writes of mileage (milersättning): business trips by car, split into a tax-free and a taxable
part from the dated rates (rates.py) of the trip's date."""

import datetime as dt
from typing import Any

from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from verksam.core.errors import DomainError
from verksam.tenancy.access import Actor

from .models import Trip, Vehicle
from .rates import RateTable, mileage_split
from .services import draft_create, draft_update

# The most one person drives in a day that we accept: 2,000 km is 20 hours at 100 km/h; a larger
# figure is a typing error (5,000 instead of 500).
MAX_KM_PER_DAY = 2000
TRIP_FIELDS = ("date", "origin", "destination", "purpose", "km", "vehicle", "project")


def _check(trip: Trip) -> None:
    if trip.date > timezone.localdate():
        raise DomainError(
            _("The trip cannot be in the future."), code="date_in_future", extra={"field": "date"}
        )
    if trip.date < timezone.localdate() - dt.timedelta(days=3 * 366):
        raise DomainError(_("The date is too far back."), code="date_too_old", extra={"field": "date"})
    if trip.vehicle not in Vehicle.values:
        raise DomainError(_("Choose a vehicle."), code="invalid_vehicle", extra={"field": "vehicle"})
    if not isinstance(trip.km, int) or trip.km <= 0:
        raise DomainError(
            _("Enter the distance in whole kilometres, more than 0 km."),
            code="invalid_km",
            extra={"field": "km"},
        )
    others = (
        Trip.objects.filter(membership_id=trip.membership_id, date=trip.date)
        .exclude(pk=trip.pk)
        .aggregate(total=Sum("km"))["total"]
        or 0
    )
    if trip.km + others > MAX_KM_PER_DAY:
        raise DomainError(
            _("At most %(max)d km a day can be reported (%(day)s would have %(km)d km).")
            % {"max": MAX_KM_PER_DAY, "day": trip.date.isoformat(), "km": trip.km + others},
            code="too_many_km",
            extra={"field": "km", "max": MAX_KM_PER_DAY},
        )
    split = mileage_split(table=RateTable.load(), day=trip.date, km=trip.km, vehicle=trip.vehicle)
    if split is None:
        raise DomainError(
            _("There is no mileage rate for %(day)s. Ask an administrator to add one.") % {"day": trip.date},
            code="no_rate",
            extra={"field": "date"},
        )
    trip.tax_free_ore, trip.taxable_ore = split.tax_free_ore, split.taxable_ore


def _checked(trip: Trip, _membership: Any) -> None:
    _check(trip)


def _data(trip: Trip) -> dict:
    return {
        "date": trip.date.isoformat(),
        "origin": trip.origin,
        "destination": trip.destination,
        "km": trip.km,
        "vehicle": trip.vehicle,
        "tax_free_ore": trip.tax_free_ore,
        "taxable_ore": trip.taxable_ore,
    }


def trip_create(*, actor: Actor, **fields: Any) -> Trip:
    """Register a business trip of the actor's own (at most MAX_KM_PER_DAY km a day in all)."""
    values = {name: fields[name] for name in TRIP_FIELDS if name in fields}
    for name in ("origin", "destination", "purpose"):
        values[name] = (values.get(name) or "").strip()
    return draft_create(actor=actor, model=Trip, fields=values, check=_checked, data=_data)


def trip_update(*, actor: Actor, trip: Trip, **changes: Any) -> Trip:
    """Change a trip still in draft; the amounts are computed again from that day's rates."""
    changes = {
        name: value.strip() if isinstance(value, str) else value
        for name, value in changes.items()
        if name in TRIP_FIELDS
    }
    return draft_update(actor=actor, item=trip, changes=changes, check=_checked, data=_data)
