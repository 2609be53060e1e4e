import datetime as dt
from typing import Literal

from ninja import Schema
from pydantic import Field, StrictBool

from ..types import Amount, Date, StrictId, StrictIn


class CardOut(Schema):
    id: int
    holder_id: int
    holder_name: str
    last_four: str
    name: str
    active: bool
    receipts_missing: int = 0

    @staticmethod
    def resolve_holder_name(obj) -> str:
        return obj.holder.user.name


class CardIn(StrictIn):
    holder_id: StrictId
    last_four: str = Field(
        min_length=4, max_length=4, description="The last four digits only, never the card number"
    )
    name: str = Field("", max_length=80)
    active: StrictBool = True


class CardPatch(StrictIn):
    holder_id: StrictId | None = None
    last_four: str | None = Field(None, min_length=4, max_length=4)
    name: str | None = Field(None, max_length=80)
    active: StrictBool | None = None


class CardPurchaseOut(Schema):
    id: int
    card_id: int
    last_four: str
    holder_id: int
    source: Literal["entered", "imported"]
    status: Literal["open", "submitted", "attested", "booked", "merged"]
    purchase_date: dt.date
    amount_ore: int
    vat_25_ore: int
    vat_12_ore: int
    vat_6_ore: int
    merchant: str
    account: str
    description: str
    receipt_id: int | None
    receipt_missing: bool
    statement_reference: str
    voucher_id: int | None
    attested_at: dt.datetime | None

    @staticmethod
    def resolve_last_four(obj) -> str:
        return obj.card.last_four

    @staticmethod
    def resolve_holder_id(obj) -> int:
        return obj.card.holder_id


class CardPurchaseIn(StrictIn):
    card_id: StrictId
    purchase_date: Date
    amount_ore: Amount = Field(description="Öre, VAT included")
    vat_25_ore: Amount = 0
    vat_12_ore: Amount = 0
    vat_6_ore: Amount = 0
    merchant: str = Field(min_length=1, max_length=200)
    account: str = Field("", max_length=4, description="BAS cost account, four digits")
    description: str = Field("", max_length=500)
    receipt_id: StrictId | None = None


class CardPurchasePatch(StrictIn):
    purchase_date: Date | None = None
    amount_ore: Amount | None = None
    vat_25_ore: Amount | None = None
    vat_12_ore: Amount | None = None
    vat_6_ore: Amount | None = None
    merchant: str | None = Field(None, min_length=1, max_length=200)
    account: str | None = Field(None, max_length=4)
    description: str | None = Field(None, max_length=500)
    receipt_id: StrictId | None = None


class MatchPickIn(StrictIn):
    purchase_id: StrictId = Field(
        description="The entered purchase whose receipt belongs to this statement line"
    )


class CardRejectIn(StrictIn):
    comment: str = Field(min_length=1, max_length=500)


class StatementImportOut(Schema):
    statement_id: int
    imported: int
    duplicate_rows: list[int]
    matched: int


class BookOut(Schema):
    voucher_id: int
    voucher_label: str
    status: str
