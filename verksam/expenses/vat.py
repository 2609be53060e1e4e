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


# --- representation (meals) ----------------------------------------------------------------------
# Input VAT on a representation meal (food and drink, internal or external) is deductible only on a
# base of at most 300 kr excluding VAT per person and occasion (13 kap. 24–25 §§ mervärdesskattelagen
# (2023:200), before 1 July 2023 8 kap. 9 § ML (1994:200); Skatteverket "Representation"): at most
# 36 kr VAT per person at 12 % (food), 75 kr at 25 % (alcoholic drinks). When the base is larger
# and the receipt mixes rates, the 300 kr are shared in proportion to the costs at each rate
# (Skatteverket's "proportionering"; its alternative flat 46 kr per person for a meal with alcohol is
# not used). The base is the part of the receipt that carries VAT, each rate's base read back from its
# VAT (VAT × 100 / rate); a part at 0 % (a tip) is no part of it. The VAT above the cap is not
# deductible: it is a cost (booked by bookkeeping on the non-deductible representation account).
REPRESENTATION_BASE_PER_PERSON_ORE = 30000
# An occasion of more than 10 000 people is a typing error, not a meal: refused.
MAX_PARTICIPANTS = 10_000


def _round_half_up(value: Fraction) -> int:
    return (value + Fraction(1, 2)).__floor__()


def representation_deductible_vat(vat_by_rate: dict[int, int], participants: int) -> dict[int, int]:
    """The deductible part of each rate's VAT on a representation meal for `participants` people:
    all of it when the base is at most 300 kr a person, else each rate's VAT × cap / base, rounded
    half up to whole öre (so a single rate gives exactly 300 kr × rate × participants)."""
    if participants < 1:
        raise ValueError("a representation has at least one participant")
    base = sum((Fraction(v * 100, r) for r, v in vat_by_rate.items() if r and v > 0), Fraction(0))
    cap = REPRESENTATION_BASE_PER_PERSON_ORE * participants
    if base <= cap:
        return {r: max(v, 0) for r, v in vat_by_rate.items()}
    return {r: _round_half_up(Fraction(max(v, 0)) * cap / base) if r else 0 for r, v in vat_by_rate.items()}


def check_representation(participants: int | None, note: str) -> None:
    """Raise a DomainError when a representation lacks its participants or its purpose (Skatteverket:
    who took part and why is written down with the receipt)."""
    if participants is None:
        raise DomainError(
            _("Enter the number of participants of the representation."),
            code="participants_required",
            extra={"field": "participants"},
        )
    check_participants(participants)
    if not (note or "").strip():
        raise DomainError(
            _("Enter the participants and the purpose of the representation."),
            code="representation_note_required",
            extra={"field": "representation_note"},
        )


def check_participants(participants: int | None) -> None:
    """A number of participants, when given, is 1 to MAX_PARTICIPANTS."""
    if participants is None:
        return
    if not isinstance(participants, int) or isinstance(participants, bool) or participants < 1:
        raise DomainError(
            _("The number of participants must be at least 1."),
            code="invalid_participants",
            extra={"field": "participants"},
        )
    if participants > MAX_PARTICIPANTS:
        raise DomainError(
            _("The number of participants can be at most %(max)s.")
            % {"max": f"{MAX_PARTICIPANTS:,}".replace(",", "\u00a0")},
            code="invalid_participants",
            extra={"field": "participants"},
        )


def expense_deductible_vat(expense) -> dict[int, int]:
    """`{rate: deductible VAT öre}` of an outlay: all its VAT, or for a representation meal with its
    participants the capped part (what bookkeeping books on input VAT; the rest is a cost)."""
    vat = {25: expense.vat_25_ore, 12: expense.vat_12_ore, 6: expense.vat_6_ore}
    if expense.expense_type.representation and expense.participants:
        return representation_deductible_vat(vat, expense.participants)
    return vat
