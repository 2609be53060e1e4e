"""Prices in one place: the top-up packages of each balance and the licence-cost calculator.

Licence prices themselves are dated data (`LicencePrice`, seeded by a migration); the package
prices below are constants because they change with a deploy, not per day.
"""

from dataclasses import dataclass

from verksam.core.money import Money

from .models import BalanceKind

# Paying for a year at once gives 10 % off (1000 basis points, DESIGN.md rule 14).
ANNUAL_DISCOUNT_BP = 1000
MAX_PACKAGES = 100


@dataclass(frozen=True)
class TopupPackage:
    kind: str
    size: int  # units per package
    price: Money  # per package, excl. VAT


TOPUP_PACKAGES: dict[str, TopupPackage] = {
    BalanceKind.SMS: TopupPackage(BalanceKind.SMS, 100, Money.from_kronor(99)),
    BalanceKind.E_SIGNATURE: TopupPackage(BalanceKind.E_SIGNATURE, 10, Money.from_kronor(150)),
    BalanceKind.COMPANY_LOOKUP: TopupPackage(BalanceKind.COMPANY_LOOKUP, 100, Money.from_kronor(100)),
}


@dataclass(frozen=True)
class QuoteLine:
    licence: str
    users: int
    unit_price: Money  # per user and month
    monthly: Money


@dataclass(frozen=True)
class Quote:
    lines: tuple[QuoteLine, ...]
    annual: bool
    monthly: Money  # list price per month
    yearly: Money  # what a year costs with the chosen billing (discounted when annual)
    discount: Money  # saved per year by paying annually

    @property
    def users(self) -> int:
        return sum(line.users for line in self.lines)

    @property
    def per_month(self) -> Money:
        """The effective monthly cost (a twelfth of the year, rounded half up to whole öre)."""
        return Money((self.yearly.ore * 2 + 12) // 24)


def licence_quote(*, users: dict[str, int], prices: dict[str, int], annual: bool = False) -> Quote:
    """Cost of `users` per licence at `prices` (öre per user and month); annual billing is 10 % off."""
    lines = []
    for licence, unit_ore in prices.items():
        n = int(users.get(licence, 0) or 0)
        if n < 0:
            raise ValueError("number of users cannot be negative")
        lines.append(QuoteLine(licence, n, Money(unit_ore), Money(unit_ore).times(n)))
    monthly = Money(sum(line.monthly.ore for line in lines))
    list_year = monthly.times(12)
    yearly = list_year.percent_off(ANNUAL_DISCOUNT_BP) if annual else list_year
    return Quote(tuple(lines), annual, monthly, yearly, list_year - yearly)
