"""Writes of per diem (traktamente inrikes): a domestic trip with departure and return times,
nights without paid lodging and free meals per day, split from the dated rates (rates.py)."""

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from verksam.audit.services import record
from verksam.core.errors import DomainError
from verksam.tenancy.access import Actor

from .models import PerDiem
from .rates import RateTable, per_diem_split
from .services import check_editable, check_owner, own_membership, validated_save

# One claim covers at most 90 days; a longer stay at the same place is registered month by month,
# each claim carrying the day the stay began (`stay_began_on`), so its days after three months get
# 70 % and after two years 50 % (rates.per_diem_split).
MAX_DAYS = 90
FIELDS = (
    "departure",
    "return_at",
    "destination",
    "purpose",
    "far_from_home",
    "nights_without_lodging",
    "free_meals",
    "stay_began_on",
)


def _meals(value: Any, first: dt.date, last: dt.date) -> dict[str, str]:
    if not value:
        return {}
    if not isinstance(value, dict):
        raise DomainError(
            _("Free meals are given per day."), code="invalid_meals", extra={"field": "free_meals"}
        )
    out: dict[str, str] = {}
    for key, meals in value.items():
        try:
            day = dt.date.fromisoformat(str(key))
        except ValueError:
            day = None
        if day is None or not (first <= day <= last):
            raise DomainError(
                _("Free meals can only be given for the days of the trip."),
                code="invalid_meals",
                extra={"field": "free_meals", "date": str(key)[:20]},
            )
        text = "".join(sorted(set(str(meals)) & set("bld"), key="bld".index))
        if set(str(meals)) - set("bld"):
            raise DomainError(
                _("Free meals are b (breakfast), l (lunch) and d (dinner)."),
                code="invalid_meals",
                extra={"field": "free_meals"},
            )
        if text:
            out[day.isoformat()] = text
    return out


def _check(pd: PerDiem) -> None:
    if pd.departure is None or pd.return_at is None or pd.return_at <= pd.departure:
        raise DomainError(
            _("The return must be after the departure."), code="invalid_range", extra={"field": "return_at"}
        )
    if pd.return_at > timezone.now() + dt.timedelta(days=1):
        raise DomainError(
            _("A per diem is claimed after the trip: the return cannot be in the future."),
            code="date_in_future",
            extra={"field": "return_at"},
        )
    first, last = timezone.localtime(pd.departure).date(), timezone.localtime(pd.return_at).date()
    if (last - first).days >= MAX_DAYS:
        raise DomainError(
            _("A trip can be at most %(n)d days.") % {"n": MAX_DAYS},
            code="too_long",
            extra={"field": "return_at"},
        )
    nights = (last - first).days
    if not (0 <= (pd.nights_without_lodging or 0) <= nights):
        raise DomainError(
            _("Nights without paid lodging cannot be more than the trip's %(n)d nights.") % {"n": nights},
            code="invalid_nights",
            extra={"field": "nights_without_lodging"},
        )
    pd.free_meals = _meals(pd.free_meals, first, last)
    if pd.stay_began_on is None:
        pd.stay_began_on = first
    if pd.stay_began_on > first:
        raise DomainError(
            _("The stay at the place cannot begin after the departure (%(day)s).")
            % {"day": first.isoformat()},
            code="invalid_stay_start",
            extra={"field": "stay_began_on"},
        )
    split = per_diem_split(
        table=RateTable.load(),
        departure=pd.departure,
        return_at=pd.return_at,
        far_from_home=pd.far_from_home,
        nights_without_lodging=pd.nights_without_lodging or 0,
        free_meals=pd.free_meals,
        stay_began_on=pd.stay_began_on,
    )
    if split is None:
        raise DomainError(
            _("There is no per diem rate for these days. Ask an administrator to add one."),
            code="no_rate",
            extra={"field": "departure"},
        )
    pd.tax_free_ore, pd.taxable_ore = split.tax_free_ore, split.taxable_ore
    pd.breakdown = {"lines": split.lines}


def _data(pd: PerDiem) -> dict:
    return {
        "departure": pd.departure.isoformat(),
        "return_at": pd.return_at.isoformat(),
        "destination": pd.destination,
        "nights_without_lodging": pd.nights_without_lodging,
        "free_meals": pd.free_meals,
        "stay_began_on": pd.stay_began_on.isoformat() if pd.stay_began_on else None,
        "tax_free_ore": pd.tax_free_ore,
        "taxable_ore": pd.taxable_ore,
    }


@transaction.atomic
def per_diem_create(*, actor: Actor, **fields: Any) -> PerDiem:
    """Register a domestic per diem of the actor's own."""
    membership = own_membership(actor)
    pd = PerDiem(tenant_id=actor.tenant_id, membership=membership, registered_on=timezone.localdate())
    for name in FIELDS:
        if name in fields and fields[name] is not None:
            setattr(pd, name, fields[name])
    pd.destination, pd.purpose = (pd.destination or "").strip(), (pd.purpose or "").strip()
    _check(pd)
    validated_save(pd)
    record(actor=actor, action="perdiem.create", target=pd, data=_data(pd))
    return pd


@transaction.atomic
def per_diem_update(*, actor: Actor, per_diem: PerDiem, **changes: Any) -> PerDiem:
    """Change a per diem still in draft; the split is computed again."""
    own_membership(actor)
    pd = PerDiem.objects.select_for_update().get(pk=per_diem.pk)
    check_owner(actor, pd)
    check_editable(pd)
    before = _data(pd)
    # A start date that was the departure day's default follows a moved departure.
    follows = pd.stay_began_on in (None, timezone.localtime(pd.departure).date())
    for name in FIELDS:
        if name in changes and changes[name] is not None:
            setattr(pd, name, changes[name])
    if follows and changes.get("stay_began_on") is None:
        pd.stay_began_on = None
    _check(pd)
    pd.updated_at = timezone.now()
    validated_save(pd)
    record(actor=actor, action="perdiem.update", target=pd, data={"before": before, "after": _data(pd)})
    return pd
