"""A local fake of the payment provider: plain WSGI, no Django, state in memory (thread-safe).

JSON API (Bearer API key):
  POST /v1/payments        {amount, currency, reference, description, return_url}
                           -> 201 {id, status, amount, currency, reference, checkout_url}
  GET  /v1/payments/{id}   -> 200 {id, status, amount, currency, reference, checkout_url}
Browser checkout:
  GET  /checkout/{id}              page with "Betala" and "Avbryt"
  POST /checkout/{id}/pay|cancel   marks the payment and redirects (303) to return_url?payment_id={id}

Tests mount it with `httpx.WSGITransport(app=FakePaymentProvider())`; `manage.py fake_payment_provider`
serves it on localhost for development and browser tests.
"""

import html
import json
import re
import secrets
import threading
from urllib.parse import urlencode, urlsplit, urlunsplit
from wsgiref.util import application_uri

STATUSES = ("created", "paid", "cancelled")


class FakePaymentProvider:
    def __init__(self, api_key: str = "fake-key", base_url: str = "") -> None:
        self.api_key = api_key
        self.base_url = base_url.rstrip("/")  # default: the host the request came to
        self.payments: dict[str, dict] = {}
        self._lock = threading.Lock()

    # --- helpers for tests -------------------------------------------------------------------
    def set_status(self, payment_id: str, status: str) -> None:
        with self._lock:
            self.payments[payment_id]["status"] = status

    # --- WSGI --------------------------------------------------------------------------------
    def __call__(self, environ, start_response):
        method = environ.get("REQUEST_METHOD", "GET")
        path = environ.get("PATH_INFO", "/")
        routes = [
            ("POST", r"^/v1/payments/?$", self._create),
            ("GET", r"^/v1/payments/(?P<pid>[A-Za-z0-9_-]+)$", self._get),
            ("GET", r"^/checkout/(?P<pid>[A-Za-z0-9_-]+)$", self._checkout),
            ("POST", r"^/checkout/(?P<pid>[A-Za-z0-9_-]+)/(?P<action>pay|cancel)$", self._finish),
        ]
        for verb, pattern, handler in routes:
            match = re.match(pattern, path)
            if match and verb == method:
                return handler(environ, start_response, **match.groupdict())
        if any(re.match(pattern, path) for _verb, pattern, _h in routes):
            return self._json(start_response, 405, {"error": "method_not_allowed"})
        return self._json(start_response, 404, {"error": "not_found"})

    def _authorised(self, environ) -> bool:
        return environ.get("HTTP_AUTHORIZATION", "") == f"Bearer {self.api_key}"

    def _base(self, environ) -> str:
        return self.base_url or application_uri(environ).rstrip("/")

    def _public(self, payment: dict, environ) -> dict:
        data = {k: v for k, v in payment.items() if k != "description"}
        data["checkout_url"] = f"{self._base(environ)}/checkout/{payment['id']}"
        return data

    def _create(self, environ, start_response):
        if not self._authorised(environ):
            return self._json(start_response, 401, {"error": "unauthorized"})
        try:
            length = int(environ.get("CONTENT_LENGTH") or 0)
            body = json.loads(environ["wsgi.input"].read(length) or b"{}")
            amount = body["amount"]
            if not isinstance(amount, int) or isinstance(amount, bool) or amount <= 0:
                raise ValueError("amount")
            if not str(body.get("return_url", "")).startswith(("http://", "https://")):
                raise ValueError("return_url")
            payment = {
                "id": "pay_" + secrets.token_hex(8),
                "status": "created",
                "amount": amount,
                "currency": str(body.get("currency", "SEK")),
                "reference": str(body.get("reference", "")),
                "description": str(body.get("description", "")),
                "return_url": str(body["return_url"]),
            }
        except (ValueError, KeyError, TypeError):
            return self._json(start_response, 400, {"error": "invalid_request"})
        with self._lock:
            self.payments[payment["id"]] = payment
        return self._json(start_response, 201, self._public(payment, environ))

    def _get(self, environ, start_response, pid: str):
        if not self._authorised(environ):
            return self._json(start_response, 401, {"error": "unauthorized"})
        with self._lock:
            payment = dict(self.payments[pid]) if pid in self.payments else None
        if payment is None:
            return self._json(start_response, 404, {"error": "not_found"})
        return self._json(start_response, 200, self._public(payment, environ))

    def _checkout(self, environ, start_response, pid: str):
        with self._lock:
            payment = dict(self.payments[pid]) if pid in self.payments else None
        if payment is None:
            return self._html(start_response, 404, "<h1>Betalningen finns inte</h1>")
        kronor = (
            f"{payment['amount'] // 100},{payment['amount'] % 100:02d} {html.escape(payment['currency'])}"
        )
        if payment["status"] != "created":
            body = f"<h1>Betalningen är redan {html.escape(payment['status'])}</h1>"
        else:
            body = (
                f"<h1>Fake Pay</h1><p>{html.escape(payment['description'])}</p>"
                f'<p class="amount">Att betala: <strong>{kronor}</strong></p>'
                f'<form method="post" action="/checkout/{pid}/pay">'
                '<button type="submit">Betala</button></form>'
                f'<form method="post" action="/checkout/{pid}/cancel">'
                '<button type="submit">Avbryt</button></form>'
            )
        return self._html(start_response, 200, body)

    def _finish(self, environ, start_response, pid: str, action: str):
        with self._lock:
            payment = self.payments.get(pid)
            if payment is None:
                return self._html(start_response, 404, "<h1>Betalningen finns inte</h1>")
            if payment["status"] == "created":
                payment["status"] = "paid" if action == "pay" else "cancelled"
            return_url = payment["return_url"]
        scheme, netloc, path, query, fragment = urlsplit(return_url)
        query = "&".join(q for q in (query, urlencode({"payment_id": pid})) if q)
        location = urlunsplit((scheme, netloc, path, query, fragment))
        start_response("303 See Other", [("Location", location), ("Content-Length", "0")])
        return [b""]

    @staticmethod
    def _json(start_response, status: int, data: dict):
        payload = json.dumps(data).encode()
        reason = {
            200: "OK",
            201: "Created",
            400: "Bad Request",
            401: "Unauthorized",
            404: "Not Found",
            405: "Method Not Allowed",
        }[status]
        start_response(
            f"{status} {reason}",
            [("Content-Type", "application/json"), ("Content-Length", str(len(payload)))],
        )
        return [payload]

    @staticmethod
    def _html(start_response, status: int, body: str):
        page = (
            '<!DOCTYPE html><html lang="sv"><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width, initial-scale=1"><title>Fake Pay</title>'
            f"</head><body>{body}</body></html>"
        ).encode()
        start_response(
            f"{status} {'OK' if status == 200 else 'Not Found'}",
            [("Content-Type", "text/html; charset=utf-8"), ("Content-Length", str(len(page)))],
        )
        return [page]


app = FakePaymentProvider()
