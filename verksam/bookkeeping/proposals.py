"""Booking proposals (issue 10 item 6), pure: from an amount including VAT per rate, the voucher
rows of an outlay or a company-card purchase (DOMAIN.md "BAS accounts used by the booking rules").

VAT is derived from the gross per rate: VAT = gross × rate / (100 + rate), rounded half up to whole
öre (DOMAIN.md "Money, VAT, time": 2 decimals, rounded half up) — the rate applied to the amount
*including* VAT, as a Swedish receipt states it (e.g. 20 % of a gross at 25 %). Each part's cost is
its gross minus its VAT, so the rows always balance to the öre."""

from collections import defaultdict

from .dto import VAT_RATES, Accounts, BookingIn, BookingKind, GrossPart, Proposal, RowOut


class ProposalError(ValueError):
    """The booking cannot be proposed (unknown rate, negative or zero amount, bad account)."""


def vat_of_gross(gross_ore: int, rate: int) -> int:
    """The VAT in `gross_ore` at `rate` percent, rounded half up to whole öre (integers only)."""
    if rate not in VAT_RATES:
        raise ProposalError(f"unknown VAT rate {rate}")
    if gross_ore < 0:
        raise ProposalError("a gross amount is never negative")
    denominator = 100 + rate
    # round half up of gross*rate/denominator, exact in integers
    return (2 * gross_ore * rate + denominator) // (2 * denominator)


def is_account(value: str) -> bool:
    """A BAS account number: four digits, not starting with 0."""
    return len(value) == 4 and value.isdigit() and value[0] != "0"


def propose(booking: BookingIn, accounts: Accounts) -> Proposal:
    """The rows of `booking`: cost account(s) and input VAT debited, the liability (outlay) or the
    bank/card-settlement account (card) credited with the whole gross. A part's VAT above its
    `deductible_vat_ore` is debited to `accounts.non_deductible_vat` instead of input VAT."""
    if not booking.parts:
        raise ProposalError("a booking needs at least one amount")
    cost_by_account: dict[tuple[str, int], int] = defaultdict(int)
    vat_total = 0
    gross_total = 0
    non_deductible = 0
    for part in booking.parts:
        account = part.cost_account or booking.cost_account
        if not is_account(account):
            raise ProposalError(f"not a BAS account: {account!r}")
        vat = vat_of_gross(part.gross_ore, part.vat_rate)
        deductible = vat
        if part.deductible_vat_ore is not None:
            # only the deductible VAT on input VAT; the rest is a cost (representation)
            if part.deductible_vat_ore < 0:
                raise ProposalError("deductible VAT is never negative")
            deductible = min(vat, part.deductible_vat_ore)
        non_deductible += vat - deductible
        cost_by_account[(account, part.vat_rate)] += part.gross_ore - vat
        vat_total += deductible
        gross_total += part.gross_ore
    if gross_total <= 0:
        raise ProposalError("a booking's total must be more than 0")
    credit = accounts.outlay_liability if booking.kind == BookingKind.OUTLAY else accounts.card_credit
    for acc in (accounts.input_vat, credit):
        if not is_account(acc):
            raise ProposalError(f"not a BAS account: {acc!r}")
    rows = [
        RowOut(account, debit_ore=cost, vat_rate=rate)
        for (account, rate), cost in sorted(cost_by_account.items(), key=lambda kv: (-kv[0][1], kv[0][0]))
        if cost
    ]
    if non_deductible:
        if not is_account(accounts.non_deductible_vat):
            raise ProposalError(f"not a BAS account: {accounts.non_deductible_vat!r}")
        rows.append(RowOut(accounts.non_deductible_vat, debit_ore=non_deductible, text="Ej avdragsgill moms"))
    if vat_total:
        rows.append(RowOut(accounts.input_vat, debit_ore=vat_total))
    rows.append(RowOut(credit, credit_ore=gross_total))
    return Proposal(tuple(rows))


def parts_from_mapping(gross_by_rate: dict[int, int], cost_account: str = "") -> tuple[GrossPart, ...]:
    """{25: 12500, 12: 0, …} → the non-zero parts, highest rate first."""
    return tuple(
        GrossPart(rate, gross, cost_account)
        for rate, gross in sorted(gross_by_rate.items(), reverse=True)
        if gross
    )
