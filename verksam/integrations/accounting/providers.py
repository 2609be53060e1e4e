"""The port every accounting-system adapter implements, the errors they raise, and the shared
OAuth2/HTTP plumbing (all HTTP through verksam.core.http, DESIGN.md rule 13)."""

import hashlib
from dataclasses import dataclass
from datetime import timedelta
from importlib import import_module
from typing import Any, Protocol
from urllib.parse import urlencode

import httpx
from django.conf import settings
from django.utils import timezone

from verksam.core import http

from .dto import AttachmentToPush, RemoteVoucher, VoucherToPush

FORTNOX = "fortnox"
VISMA = "visma"


@dataclass(frozen=True)
class TokenSet:
    access_token: str
    refresh_token: str
    expires_at: Any  # aware datetime
    scope: str = ""


class ProviderError(Exception):
    """The provider refused or failed. `retryable` for 429/5xx/timeouts; `message` is the provider's
    own text, shown to the user."""

    def __init__(
        self,
        message: str,
        *,
        status: int | None = None,
        retryable: bool = False,
        retry_after: float | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.status = status
        self.retryable = retryable
        self.retry_after = retry_after


class AccountingProvider(Protocol):
    name: str

    def authorize_url(self, *, state: str, redirect_uri: str) -> str: ...
    def exchange_code(self, *, code: str, redirect_uri: str) -> TokenSet: ...
    def refresh(self, *, refresh_token: str) -> TokenSet: ...
    def revoke(self, *, refresh_token: str) -> None: ...
    def find_voucher(self, *, token: str, voucher: VoucherToPush, marker: str) -> RemoteVoucher | None: ...
    def create_voucher(self, *, token: str, voucher: VoucherToPush, marker: str) -> RemoteVoucher: ...
    def attach(
        self, *, token: str, remote: RemoteVoucher, attachments: tuple[AttachmentToPush, ...]
    ) -> int: ...


def marker_for(idempotency_key: str) -> str:
    """The mark written into the remote voucher's text, found again by a look-up after a crash."""
    return "VKS-" + hashlib.sha256(idempotency_key.encode()).hexdigest()[:10].upper()


def text_with_marker(text: str, marker: str, limit: int) -> str:
    room = limit - len(marker) - 1
    return f"{' '.join(text.split())[:room].rstrip()} {marker}".strip()


def kronor(ore: int) -> float:
    """Öre as the providers' decimal kronor with two decimals (spec: "double", max 2 decimals)."""
    return round(ore / 100, 2)


class OAuthHttpProvider:
    """OAuth2 authorisation-code client (RFC 6749 4.1) with HTTP Basic client authentication, which
    both Fortnox and Visma use at their token endpoints."""

    name = ""
    oauth_paths = ("", "", "")  # authorisation, token, revocation (RFC 7009) at the auth server
    scope = ""
    extra_authorize: dict[str, str] = {}

    def __init__(self, *, transport: httpx.BaseTransport | None = None) -> None:
        prefix = self.name.upper()
        self.authorize_path, self.token_path, self.revoke_path = self.oauth_paths
        self.auth_url = getattr(settings, f"{prefix}_AUTH_URL").rstrip("/")
        self.api_url = getattr(settings, f"{prefix}_API_URL").rstrip("/")
        self.client_id = getattr(settings, f"{prefix}_CLIENT_ID")
        self.client_secret = getattr(settings, f"{prefix}_CLIENT_SECRET")
        self.transport = transport or getattr(settings, f"{prefix}_TRANSPORT", None)
        self.timeout = float(getattr(settings, "ACCOUNTING_HTTP_TIMEOUT", 10.0))

    def authorize_url(self, *, state: str, redirect_uri: str) -> str:
        params = {
            "client_id": self.client_id,
            "redirect_uri": redirect_uri,
            "scope": self.scope,
            "state": state,
            "response_type": "code",
            **self.extra_authorize,
        }
        return f"{self.auth_url}{self.authorize_path}?{urlencode(params)}"

    def _auth_post(self, path: str, form: dict[str, str]) -> tuple[int, dict]:
        """POST a form to the authorisation server with HTTP Basic client authentication (both
        providers' token and revocation endpoints); (status, JSON body or {})."""
        try:
            with http.client(self.auth_url, transport=self.transport) as client:
                client.timeout = httpx.Timeout(self.timeout)
                response = http.request(
                    client,
                    "POST",
                    path,
                    retries=0,  # a code or refresh token works once: never send it twice
                    data=form,
                    auth=(self.client_id, self.client_secret),
                    headers={"Accept": "application/json"},
                )
        except httpx.HTTPError as exc:
            raise ProviderError(f"{exc.__class__.__name__}", retryable=True) from exc
        try:
            data = response.json() if response.content else {}
        except ValueError:
            data = {}
        if response.status_code != 200:
            raise ProviderError(
                str(data.get("error_description") or data.get("error") or f"HTTP {response.status_code}")
                if isinstance(data, dict)
                else f"HTTP {response.status_code}",
                status=response.status_code,
                retryable=response.status_code in http.RETRY_STATUSES,
            )
        return response.status_code, data if isinstance(data, dict) else {}

    def _token(self, form: dict[str, str]) -> TokenSet:
        _status, data = self._auth_post(self.token_path, form)
        if "access_token" not in data:
            raise ProviderError("HTTP 200 without access_token", status=200)
        return TokenSet(
            access_token=str(data["access_token"]),
            refresh_token=str(data.get("refresh_token", "")),
            expires_at=timezone.now() + timedelta(seconds=int(data.get("expires_in", 3600))),
            scope=str(data.get("scope", "")),
        )

    def exchange_code(self, *, code: str, redirect_uri: str) -> TokenSet:
        return self._token({"grant_type": "authorization_code", "code": code, "redirect_uri": redirect_uri})

    def refresh(self, *, refresh_token: str) -> TokenSet:
        return self._token({"grant_type": "refresh_token", "refresh_token": refresh_token})

    def revoke(self, *, refresh_token: str) -> None:
        """Revoke the refresh token at the provider (RFC 7009 section 2.1: `token` and
        `token_type_hint=refresh_token`, client authentication). Both providers revoke the refresh
        token, not the short-lived access token, which expires on its own within the hour."""
        self._auth_post(self.revoke_path, {"token": refresh_token, "token_type_hint": "refresh_token"})

    def error_message(self, data: Any, status: int) -> str:
        return f"HTTP {status}"

    def call(self, token: str, method: str, path: str, **kwargs: Any) -> Any:
        """One API request; no retries here (the push loop retries and records each attempt)."""
        headers = {"Authorization": f"Bearer {token}", "Accept": "application/json"}
        try:
            with http.client(self.api_url, transport=self.transport, headers=headers) as client:
                client.timeout = httpx.Timeout(self.timeout)
                response = http.request(client, method, path, retries=0, **kwargs)
        except httpx.TimeoutException as exc:
            raise ProviderError("Timeout", retryable=True) from exc
        except httpx.HTTPError as exc:
            raise ProviderError(exc.__class__.__name__, retryable=True) from exc
        try:
            data = response.json() if response.content else {}
        except ValueError:
            data = {}
        if response.status_code >= 400:
            retry_after = response.headers.get("Retry-After", "")
            raise ProviderError(
                self.error_message(data, response.status_code),
                status=response.status_code,
                retryable=response.status_code in http.RETRY_STATUSES,
                retry_after=float(retry_after) if retry_after.isdigit() else None,
            )
        return data


PROVIDER_CLASSES = {
    FORTNOX: "verksam.integrations.fortnox.client.FortnoxProvider",
    VISMA: "verksam.integrations.visma.client.VismaProvider",
}


def provider_for(name: str) -> AccountingProvider:
    module, _, cls = PROVIDER_CLASSES[name].rpartition(".")
    return getattr(import_module(module), cls)()
