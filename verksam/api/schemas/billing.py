import datetime as dt

from ninja import Schema
from pydantic import Field, StrictInt

from verksam.core.bounds import MAX_TOPUP_QUANTITY

from ..types import StrictIn


class LicencePriceOut(Schema):
    licence: str
    monthly_ore: int = Field(description="Price per user and month in öre, excl. VAT")
    valid_from: dt.date


class BalanceOut(Schema):
    kind: str = Field(description="SMS, E_SIGNATURE or COMPANY_LOOKUP")
    label: str
    amount: int
    package_size: int
    package_price_ore: int

    @staticmethod
    def resolve_package_size(obj) -> int:
        return obj.package.size

    @staticmethod
    def resolve_package_price_ore(obj) -> int:
        return obj.package.price.ore


class BalanceEntryOut(Schema):
    id: int
    kind: str
    delta: int
    reason: str
    reference: str
    created_at: dt.datetime
    created_by_id: int | None


class TopupIn(StrictIn):
    kind: str = Field(max_length=20, description="SMS, E_SIGNATURE or COMPANY_LOOKUP")
    quantity: StrictInt = Field(
        ge=1, le=MAX_TOPUP_QUANTITY, description="Units to buy: a whole number of packages (see package_size)"
    )


class TopupOut(Schema):
    payment_id: int
    kind: str
    quantity: int
    amount_ore: int
    currency: str
    status: str = Field(description="created, paid, cancelled or failed")
    checkout_url: str
    created_at: dt.datetime
    paid_at: dt.datetime | None

    @staticmethod
    def resolve_payment_id(obj) -> int:
        return obj.pk


class PaymentWebhookIn(StrictIn):
    id: str = Field(
        max_length=100, description="The provider's payment id; its status is fetched from the provider"
    )


class PaymentWebhookOut(Schema):
    id: str
    status: str
