"""Reads for licence prices, balances, the ledger and payments (each a constant number of queries)."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, QuerySet

from verksam.core.money import Money
from verksam.core.timeutil import today
from verksam.tenancy.models import Licence
from verksam.tenancy.selectors import invitation_list, membership_list

from .models import BalanceAccount, BalanceEntry, BalanceKind, LicencePrice, Payment
from .prices import TOPUP_PACKAGES, Quote, TopupPackage, licence_quote


@dataclass(frozen=True)
class Balance:
    kind: str
    label: str
    amount: int
    package: TopupPackage


def licence_price_list(on: dt.date | None = None) -> dict[str, LicencePrice]:
    """The price of each licence valid on `on` (default today), in licence order LIGHT…TOTAL."""
    on = on or today()
    current: dict[str, LicencePrice] = {}
    for price in LicencePrice.objects.filter(valid_from__lte=on).order_by("licence", "-valid_from"):
        current.setdefault(price.licence, price)
    return {licence: current[licence] for licence in Licence.values if licence in current}


def licence_prices_ore(on: dt.date | None = None) -> dict[str, int]:
    return {licence: price.monthly_ore for licence, price in licence_price_list(on).items()}


def licence_mix() -> dict[str, int]:
    """Active users per licence in the tenant in scope; licences are read live, so a change counts at once."""
    rows = membership_list(active_only=True).order_by().values("licence").annotate(users=Count("pk"))
    counts = dict.fromkeys(Licence.values, 0)
    counts.update({row["licence"]: row["users"] for row in rows})
    return counts


def licence_mix_invited() -> dict[str, int]:
    """Invitations waiting for an answer per licence (one query): not billed until accepted."""
    rows = invitation_list().order_by().values("licence").annotate(users=Count("pk"))
    counts = dict.fromkeys(Licence.values, 0)
    counts.update({row["licence"]: row["users"] for row in rows})
    return counts


def licence_cost_current(*, annual: bool = False) -> Quote:
    """What the tenant in scope pays now for its active users."""
    return licence_quote(users=licence_mix(), prices=licence_prices_ore(), annual=annual)


def balance_list() -> list[Balance]:
    """Every balance kind of the tenant in scope, 0 where no account exists yet (one query)."""
    amounts = dict(BalanceAccount.objects.values_list("kind", "amount"))
    return [
        Balance(
            kind=kind.value,
            label=str(kind.label),
            amount=amounts.get(kind.value, 0),
            package=TOPUP_PACKAGES[kind],
        )
        for kind in BalanceKind
    ]


def balance_get(kind: str) -> int:
    return BalanceAccount.objects.filter(kind=kind).values_list("amount", flat=True).first() or 0


def balance_entry_list(*, kind: str | None = None) -> QuerySet[BalanceEntry]:
    qs = BalanceEntry.objects.select_related("created_by").order_by("-created_at", "-id")
    return qs.filter(kind=kind) if kind else qs


def payment_list() -> QuerySet[Payment]:
    return Payment.objects.order_by("-created_at", "-id")


def payment_get(payment_id: int) -> Payment | None:
    return Payment.objects.filter(pk=payment_id).first()


def payment_get_by_provider_id(provider_payment_id: str) -> Payment | None:
    if not provider_payment_id:
        return None
    return Payment.objects.filter(provider_payment_id=provider_payment_id).first()


def package_price(kind: str) -> Money:
    return TOPUP_PACKAGES[kind].price
