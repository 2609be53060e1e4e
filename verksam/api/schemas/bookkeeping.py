"""Schemas of bookkeeping (issue 10 items 6-7): settings, fiscal years, vouchers, SIE export."""

import datetime as dt
from typing import Annotated

from ninja import Schema
from pydantic import Field, StrictInt

from ..types import Amount, Date, QueryIn, StrictId, StrictIn

AccountNo = Annotated[str, Field(pattern=r"^[1-9][0-9]{3}$", description="BAS account, four digits")]
Series = Annotated[str, Field(min_length=1, max_length=10, pattern=r"^[A-Za-z0-9]+$")]


class AccountSettingsOut(Schema):
    input_vat_account: str
    outlay_liability_account: str
    bank_account: str
    card_settlement_account: str = Field(description="Empty: card purchases are credited to the bank account")
    outlay_series: str
    card_series: str
    manual_series: str


class AccountSettingsPatch(StrictIn):
    input_vat_account: AccountNo | None = None
    outlay_liability_account: AccountNo | None = None
    bank_account: AccountNo | None = None
    card_settlement_account: Annotated[str, Field(pattern=r"^([1-9][0-9]{3})?$")] | None = None
    outlay_series: Series | None = None
    card_series: Series | None = None
    manual_series: Series | None = None


class CostAccountOut(Schema):
    key: str
    name: str
    account: str


class CostAccountIn(StrictIn):
    name: str = Field(min_length=1, max_length=100)
    account: AccountNo


class FiscalYearOut(Schema):
    id: int
    start: dt.date
    end: dt.date


class FiscalYearIn(StrictIn):
    start: Date
    end: Date | None = Field(None, description="Empty: the last day of the calendar year")


class VoucherRowOut(Schema):
    account: str
    debit_ore: int
    credit_ore: int
    vat_rate: int | None
    project_id: int | None = Field(None, description="The row's project (SIE dimension 6)")


class VoucherRowIn(StrictIn):
    account: AccountNo
    debit_ore: Amount = 0
    credit_ore: Amount = 0
    vat_rate: StrictInt | None = Field(None, description="25, 12, 6 or 0 on a cost row")
    project_id: StrictId | None = Field(None, description="Optional: one of the company's projects")


class SourceOut(Schema):
    app: str
    object_id: str
    description: str


class VoucherOut(Schema):
    id: int
    series: str
    number: int | None = Field(description="Given when posted: gap-free per series and fiscal year")
    date: dt.date
    text: str
    status: str = Field(description="draft or posted")
    fiscal_year_id: int
    source: SourceOut | None
    receipt_ref: str
    reverses_id: int | None = None
    reversed_by_id: int | None = None
    rows: list[VoucherRowOut] | None = Field(None, description="On a single voucher")
    debit_total_ore: int | None = None


class VoucherIn(StrictIn):
    date: Date
    text: str = Field(min_length=1, max_length=200)
    series: Series | None = Field(None, description="Empty: the company's series for manual vouchers")
    rows: list[VoucherRowIn] = Field(min_length=2, max_length=500)
    post: bool = Field(False, description="Post at once (the next number of the series); false: a draft")


class VoucherReverseIn(StrictIn):
    date: Date | None = Field(None, description="Empty: today")


class VoucherQuery(QueryIn):
    series: Annotated[str, Field(max_length=10)] = ""
    status: Annotated[str, Field(pattern=r"^(|draft|posted)$")] = ""
    date_from: Date | None = None
    date_to: Date | None = None


class SieExportIn(StrictIn):
    voucher_ids: list[StrictId] | None = Field(None, max_length=10000, description="The chosen vouchers")
    series: Annotated[str, Field(max_length=10)] = ""
    date_from: Date | None = None
    date_to: Date | None = None


class OutlayToBookOut(Schema):
    """An attested outlay without a voucher (Att bokföra)."""

    expense_id: int
    employee: str
    registered_on: dt.date
    purchase_date: dt.date
    expense_type: str
    cost_account: str
    amount_ore: int
    vat_ore: int
    description: str


class VoucherPushOut(Schema):
    """The voucher's push to the connected accounting system (absent: not sent)."""

    voucher_id: int
    provider: str
    status: str
    remote_voucher_id: str
    attempts: int
    last_error: str


class PrivateOutlayOut(Schema):
    """An attested outlay registered in the period, with its voucher when booked (Privata utlägg)."""

    expense_id: int
    employee: str
    registered_on: dt.date
    purchase_date: dt.date
    expense_type: str
    amount_ore: int
    vat_ore: int
    voucher_id: int | None


class PrivateOutlaysQuery(QueryIn):
    period: str = Field("", description="Registration period, YYYY-MM (default: the current one)")
