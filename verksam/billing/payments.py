"""The payment port (DESIGN.md rule 13): billing talks to a payment provider only through this
Protocol; the adapter is chosen by the PAYMENT_PROVIDER_CLASS setting, so switching from the local
fake to a real provider is configuration only and billing never imports verksam.integrations."""

import re
from dataclasses import dataclass
from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

from verksam.core.errors import DomainError

DEFAULT_PROVIDER_CLASS = "verksam.integrations.payment.client.HttpPaymentProvider"
# Provider ids end up in a URL path: accept only what a real id looks like.
PROVIDER_ID_RE = re.compile(r"^[A-Za-z0-9_-]{1,64}$")

CREATED = "created"
PAID = "paid"
CANCELLED = "cancelled"


class PaymentProviderError(DomainError):
    """The payment provider could not be reached or refused the request."""

    status = 502
    code = "payment_provider_error"

    def __init__(self, message=None, **kwargs):
        super().__init__(
            message or _("The payment service is not available right now. Try again later."), **kwargs
        )


class PaymentUnknown(PaymentProviderError):
    """The provider has no payment with that id."""

    status = 404
    code = "payment_not_found"

    def __init__(self, message=None, **kwargs):
        super().__init__(message or _("The payment does not exist."), **kwargs)


@dataclass(frozen=True)
class ProviderPayment:
    """A payment as the provider sees it: the only source of truth for whether it was paid."""

    id: str
    status: str  # "created", "paid" or "cancelled"
    amount_ore: int
    currency: str
    reference: str
    checkout_url: str = ""


class PaymentProvider(Protocol):
    def create_payment(
        self, *, amount_ore: int, currency: str, reference: str, description: str, return_url: str
    ) -> tuple[str, str]:
        """Create a payment; return (provider_payment_id, checkout_url)."""
        ...

    def get_payment(self, provider_payment_id: str) -> ProviderPayment:
        """Fetch the payment's current status; raise PaymentProviderError when it is unknown."""
        ...


def payment_provider() -> PaymentProvider:
    """The configured adapter (imported lazily: the domain layer never imports integrations)."""
    path = getattr(settings, "PAYMENT_PROVIDER_CLASS", DEFAULT_PROVIDER_CLASS)
    return import_string(path)()
