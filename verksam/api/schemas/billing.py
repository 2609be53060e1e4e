import datetime as dt

from ninja import Schema
from pydantic import Field


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


class TopupIn(Schema):
    kind: str = Field(description="SMS, E_SIGNATURE or COMPANY_LOOKUP")
    quantity: int = Field(description="Units to buy: a whole number of packages (see package_size)")


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


class PaymentWebhookIn(Schema):
    id: str = Field(description="The provider's payment id; its status is fetched from the provider")


class PaymentWebhookOut(Schema):
    id: str
    status: str
