"""The VAT of a receipt must be one the amount can carry (issue 10 "Bad input").

A receipt's amount incl. VAT `A` splits into parts at 25, 12, 6 and 0 %; the VAT of a part of gross
`g` at rate `r` is `round_half_up(g × r / (100 + r))` öre. Entered VAT amounts `v_r` fit when some
split exists: the smallest gross giving `v_r` is `g_min(v_r) = ceil((v_r − ½) × (100 + r) / r)`, and
the parts must fit into the amount: Σ g_min(v_r) ≤ A (the rest is at 0 %)."""

from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from django.utils.translation import gettext as _

from verksam.core.errors import DomainError

RATES = (25, 12, 6)


def vat_of(gross_ore: int, rate: int) -> int:
    """The VAT in a gross amount at `rate` percent, rounded half up to whole öre."""
    return int((Decimal(gross_ore) * rate / (100 + rate)).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def min_gross(vat_ore: int, rate: int) -> int:
    """The smallest gross amount whose VAT at `rate` rounds to `vat_ore`."""
    if vat_ore <= 0:
        return 0
    exact = (Fraction(vat_ore) - Fraction(1, 2)) * (100 + rate) / rate
    return -((-exact.numerator) // exact.denominator)  # ceil


def vat_fits(amount_ore: int, vat_by_rate: dict[int, int]) -> bool:
    if amount_ore <= 0 or any(v < 0 for v in vat_by_rate.values()):
        return False
    return sum(min_gross(v, r) for r, v in vat_by_rate.items()) <= amount_ore


def check_vat(amount_ore: int, vat_by_rate: dict[int, int]) -> None:
    """Raise a DomainError naming the field when the VAT cannot belong to the amount."""
    if amount_ore <= 0:
        raise DomainError(_("Enter an amount above zero."), code="invalid_amount", extra={"field": "amount"})
    for rate, vat in vat_by_rate.items():
        if vat < 0:
            raise DomainError(
                _("VAT cannot be negative."), code="invalid_vat", extra={"field": f"vat_{rate}"}
            )
    total = sum(vat_by_rate.values())
    if total > amount_ore:
        raise DomainError(
            _("The VAT is larger than the amount."), code="vat_exceeds_amount", extra={"field": "vat_25"}
        )
    if not vat_fits(amount_ore, vat_by_rate):
        worst = max(vat_by_rate, key=lambda r: min_gross(vat_by_rate[r], r) - vat_by_rate[r])
        raise DomainError(
            _(
                "The VAT does not fit the amount: at most %(max)s kr VAT at %(rate)d %% can be in "
                "%(amount)s kr."
            )
            % {
                "max": f"{vat_of(amount_ore, worst) / 100:.2f}".replace(".", ","),
                "rate": worst,
                "amount": f"{amount_ore / 100:.2f}".replace(".", ","),
            },
            code="vat_does_not_fit",
            extra={"field": f"vat_{worst}"},
        )
