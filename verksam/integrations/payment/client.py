"""HTTP adapter for billing's PaymentProvider port. Speaks the provider's JSON API:
`POST /v1/payments` and `GET /v1/payments/{id}` with a Bearer API key. All HTTP goes through
verksam.core.http (timeouts, retries on 429/5xx)."""

import httpx
from django.conf import settings

from verksam.billing.payments import PROVIDER_ID_RE, PaymentProviderError, PaymentUnknown, ProviderPayment
from verksam.core import http


class HttpPaymentProvider:
    """Configured by PAYMENT_PROVIDER_URL and PAYMENT_PROVIDER_API_KEY; tests inject a transport
    through PAYMENT_PROVIDER_TRANSPORT (e.g. `httpx.WSGITransport(app=fake_app)`)."""

    def __init__(
        self,
        base_url: str | None = None,
        api_key: str | None = None,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.base_url = (base_url or settings.PAYMENT_PROVIDER_URL).rstrip("/")
        self.api_key = api_key or settings.PAYMENT_PROVIDER_API_KEY
        self.transport = transport or getattr(settings, "PAYMENT_PROVIDER_TRANSPORT", None)

    def _send(self, method: str, path: str, **kwargs) -> dict:
        headers = {"Authorization": f"Bearer {self.api_key}", "Accept": "application/json"}
        try:
            with http.client(self.base_url, transport=self.transport, headers=headers) as client:
                # A POST that creates a payment is not retried: a lost answer must not create two.
                retries = 0 if method == "POST" else 3
                response = http.request(client, method, path, retries=retries, **kwargs)
        except httpx.HTTPError as exc:
            raise PaymentProviderError(extra={"reason": exc.__class__.__name__}) from exc
        if response.status_code == 404 and method == "GET":
            raise PaymentUnknown()
        if response.status_code >= 400:
            raise PaymentProviderError(extra={"status": response.status_code})
        try:
            return response.json()
        except ValueError as exc:
            raise PaymentProviderError(extra={"reason": "invalid_json"}) from exc

    def create_payment(
        self, *, amount_ore: int, currency: str, reference: str, description: str, return_url: str
    ) -> tuple[str, str]:
        data = self._send(
            "POST",
            "/v1/payments",
            json={
                "amount": amount_ore,
                "currency": currency,
                "reference": reference,
                "description": description,
                "return_url": return_url,
            },
        )
        return str(data["id"]), str(data["checkout_url"])

    def get_payment(self, provider_payment_id: str) -> ProviderPayment:
        if not PROVIDER_ID_RE.match(provider_payment_id or ""):
            raise PaymentUnknown()
        data = self._send("GET", f"/v1/payments/{provider_payment_id}")
        return ProviderPayment(
            id=str(data["id"]),
            status=str(data["status"]),
            amount_ore=int(data["amount"]),
            currency=str(data["currency"]),
            reference=str(data.get("reference", "")),
            checkout_url=str(data.get("checkout_url", "")),
        )
