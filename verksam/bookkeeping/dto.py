"""Frozen dataclasses handed to other apps (expenses, card purchases, integrations) and to the SIE
writer, so they book and read vouchers without knowing this app's models."""

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum

VAT_RATES = (25, 12, 6, 0)  # DOMAIN.md "Money, VAT, time"


class BookingKind(StrEnum):
    OUTLAY = "outlay"  # utlägg: debit cost + 2641, credit 2820
    CARD = "card"  # inköp med företagskort: debit cost + 2641, credit 1930 or the card-settlement account


@dataclass(frozen=True)
class SourceRef:
    """What a voucher was made from: an app label, the object's id in it and a short description."""

    app: str
    object_id: str
    description: str = ""


@dataclass(frozen=True)
class GrossPart:
    """An amount including VAT at one rate; `cost_account` overrides the booking's cost account."""

    vat_rate: int
    gross_ore: int
    cost_account: str = ""
    # None: all the part's VAT is deductible. Else at most this much goes on input VAT and the rest
    # is a cost on Accounts.non_deductible_vat (representation meals: 300 kr excl. VAT a person).
    deductible_vat_ore: int | None = None


@dataclass(frozen=True)
class BookingIn:
    """One expense or card purchase to book (the input of `services.voucher_propose`)."""

    date: dt.date
    text: str
    parts: tuple[GrossPart, ...]
    cost_account: str
    kind: BookingKind
    source: SourceRef | None = None
    receipt_ref: str = ""  # a generic reference to the receipt file ("app.model:id"), blank when none


@dataclass(frozen=True)
class Accounts:
    """The company's booking accounts (AccountSettings), as the pure proposal rules need them."""

    input_vat: str = "2641"
    outlay_liability: str = "2820"
    bank: str = "1930"
    card_settlement: str = ""  # blank: card purchases are credited to the bank account
    # The VAT that may not be deducted (representation above 300 kr a person) is a cost on BAS 6072
    # "Representation, ej avdragsgill": a meal's cost is not deductible for income tax since 2017.
    non_deductible_vat: str = "6072"

    @property
    def card_credit(self) -> str:
        return self.card_settlement or self.bank


@dataclass(frozen=True)
class RowOut:
    """One voucher row: debit and credit in öre (one of them 0); `vat_rate` marks a cost row's rate."""

    account: str
    debit_ore: int = 0
    credit_ore: int = 0
    vat_rate: int | None = None
    text: str = ""
    project_id: int | None = None  # the row's project (SIE object dimension 6)
    project: str = ""  # its number, where read for export

    @property
    def amount_ore(self) -> int:
        """Signed as in SIE: debit positive, credit negative."""
        return self.debit_ore - self.credit_ore


@dataclass(frozen=True)
class Proposal:
    """The rows a booking proposes; they always balance."""

    rows: tuple[RowOut, ...]

    @property
    def balance_ore(self) -> int:
        return sum(r.amount_ore for r in self.rows)


@dataclass(frozen=True)
class VoucherOut:
    """A voucher as other apps see it (number is None while a draft)."""

    id: int
    series: str
    number: int | None
    date: dt.date
    text: str
    status: str
    fiscal_year_id: int
    rows: tuple[RowOut, ...] = field(default_factory=tuple)
    source: SourceRef | None = None
    receipt_ref: str = ""
    registered: dt.date | None = None

    @property
    def label(self) -> str:
        return f"{self.series}{self.number}" if self.number is not None else f"{self.series}–"
