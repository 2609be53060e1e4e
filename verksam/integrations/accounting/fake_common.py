"""What the Fortnox and Visma fakes share (DESIGN.md rule 13): a threaded loopback server, OAuth2
authorisation-code endpoints with rotating refresh tokens, request validation against the provider's
published schema (ref/), and fault injection for tests (429 with Retry-After, 500, hang).

Plain WSGI and the standard library plus `jsonschema`; no Django, state in memory behind a lock.
"""

import base64
import html
import json
import re
import secrets
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from email.parser import BytesParser
from email.policy import HTTP
from pathlib import Path
from socketserver import ThreadingMixIn
from typing import Any
from urllib.parse import parse_qs, urlencode
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

import jsonschema

REF_DIR = Path(__file__).resolve().parents[3] / ".." / "shared" / "ref"
REASONS = {
    200: "OK",
    201: "Created",
    204: "No Content",
    302: "Found",
    400: "Bad Request",
    401: "Unauthorized",
    404: "Not Found",
    405: "Method Not Allowed",
    429: "Too Many Requests",
    500: "Internal Server Error",
}


def ref_path(*parts: str) -> Path:
    """The shared reference directory: beside the repository (../shared/ref) or SHARED_REF_DIR."""
    import os

    base = Path(os.environ.get("SHARED_REF_DIR", "")) if os.environ.get("SHARED_REF_DIR") else None
    for candidate in (base, REF_DIR.resolve(), Path("/work/shared/ref")):
        if candidate and (candidate / parts[0]).exists():
            return candidate.joinpath(*parts)
    raise FileNotFoundError("/".join(parts))


class SchemaValidator:
    """Validate a JSON body against one named schema of an OpenAPI 3 / Swagger 2 document with the
    `jsonschema` library (draft 4 is what both dialects are built on). Only the formats whose meaning
    is unambiguous are checked ("date", "uuid"); Visma documents its "date-time" fields as yyyy-mm-dd."""

    def __init__(self, document: dict, pointer_root: str) -> None:
        self.document = document
        self.pointer_root = pointer_root  # "components/schemas" or "definitions"
        checker = jsonschema.FormatChecker(formats=("date", "uuid"))
        self._checker = checker
        self._validators: dict[str, jsonschema.Draft4Validator] = {}

    def errors(self, name: str, body: Any) -> list[str]:
        validator = self._validators.get(name)
        if validator is None:
            head, tail = self.pointer_root.split("/") if "/" in self.pointer_root else (self.pointer_root, "")
            root: dict[str, Any] = {"$ref": f"#/{self.pointer_root}/{name}"}
            root[head] = self.document[head]
            validator = jsonschema.Draft4Validator(root, format_checker=self._checker)
            self._validators[name] = validator
        return [
            f"{'/'.join(str(p) for p in err.absolute_path) or '(body)'}: {err.message}"
            for err in sorted(validator.iter_errors(body), key=lambda e: list(map(str, e.path)))
        ]


@dataclass
class Fault:
    status: int  # 429, 500, or 0 = hang
    remaining: int
    retry_after: int = 1
    hang_seconds: float = 5.0
    path_prefix: str = ""


class Request:
    def __init__(self, environ: dict) -> None:
        self.environ = environ
        self.method = environ.get("REQUEST_METHOD", "GET")
        self.path = environ.get("PATH_INFO", "/")
        self.query = {k: v[-1] for k, v in parse_qs(environ.get("QUERY_STRING", "")).items()}
        length = int(environ.get("CONTENT_LENGTH") or 0)
        self.body = environ["wsgi.input"].read(length) if length else b""
        self.content_type = environ.get("CONTENT_TYPE", "")
        self.authorization = environ.get("HTTP_AUTHORIZATION", "")

    def json(self) -> Any:
        return json.loads(self.body.decode("utf-8"))

    def form(self) -> dict[str, str]:
        return {k: v[-1] for k, v in parse_qs(self.body.decode("utf-8")).items()}

    def multipart_file(self, field: str) -> tuple[str, str, bytes] | None:
        """(file name, content type, bytes) of a multipart/form-data part, or None."""
        if not self.content_type.startswith("multipart/form-data"):
            return None
        head = f"Content-Type: {self.content_type}\r\nMIME-Version: 1.0\r\n\r\n".encode()
        message = BytesParser(policy=HTTP).parsebytes(head + self.body)
        for part in message.iter_parts():
            if part.get_param("name", header="content-disposition") == field:
                payload = part.get_payload(decode=True)
                data = payload if isinstance(payload, bytes) else b""
                return part.get_filename() or "", part.get_content_type(), data
        return None

    def basic_auth(self) -> tuple[str, str] | None:
        if not self.authorization.startswith("Basic "):
            return None
        try:
            user, _, password = base64.b64decode(self.authorization[6:]).decode().partition(":")
        except ValueError:
            return None
        return user, password


Response = tuple[int, list[tuple[str, str]], bytes]


def json_response(status: int, data: Any, headers: Iterable[tuple[str, str]] = ()) -> Response:
    return status, [("Content-Type", "application/json"), *headers], json.dumps(data).encode()


def html_response(status: int, body: str, title: str) -> Response:
    page = (
        '<!DOCTYPE html><html lang="sv"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{html.escape(title)}</title></head><body>{body}</body></html>"
    )
    return status, [("Content-Type", "text/html; charset=utf-8")], page.encode()


class FakeProvider:
    """Base WSGI app: routes, the OAuth2 endpoints, the test hooks and the fault queue. Subclasses set
    the paths and the error format and add the accounting endpoints."""

    title = "Fake"
    authorize_path = "/oauth/authorize"
    token_path = "/oauth/token"
    access_token_seconds = 3600
    # (requests, seconds) per access token, answered 429 with Retry-After beyond it; None = no limit
    rate_limit: tuple[int, float] | None = None

    def __init__(
        self,
        client_id: str = "fake-client",
        client_secret: str = "fake-secret",  # noqa: S107 (a local fake's own secret)
    ) -> None:
        self.client_id = client_id
        self.client_secret = client_secret
        self.lock = threading.Lock()
        self.codes: dict[str, dict] = {}  # code -> {redirect_uri, scope}
        self.access_tokens: dict[str, float] = {}  # token -> expiry (epoch)
        self.refresh_tokens: set[str] = set()  # valid (not yet used) refresh tokens
        self.faults: list[Fault] = []
        self.requests: list[tuple[str, str]] = []  # (method, path) of every API call, for tests
        self.calls: dict[str, list[float]] = {}  # access token -> recent call times (rate limit)
        self.refresh_grants = 0  # refresh-token grants answered (tests of the rotation race)
        self.token_delay = 0.0  # seconds the token endpoint takes (widens a race in tests)

    # --- test hooks ------------------------------------------------------------------------------
    def inject(
        self,
        status: int,
        count: int = 1,
        *,
        retry_after: int = 1,
        hang_seconds: float = 5.0,
        path_prefix: str = "",
    ) -> None:
        """Answer the next `count` API requests (under `path_prefix`) with `status` (429 carries
        Retry-After), or with 0 hang `hang_seconds` and then answer 500 without doing anything."""
        with self.lock:
            self.faults.append(Fault(status, count, retry_after, hang_seconds, path_prefix))

    def issue_code(self, redirect_uri: str, scope: str = "") -> str:
        code = secrets.token_urlsafe(16)
        with self.lock:
            self.codes[code] = {"redirect_uri": redirect_uri, "scope": scope}
        return code

    def expire_access_tokens(self) -> None:
        with self.lock:
            self.access_tokens = dict.fromkeys(self.access_tokens, 0.0)

    # --- WSGI --------------------------------------------------------------------------------
    def routes(self) -> list[tuple[str, str, Callable[..., Response]]]:
        return []

    def __call__(self, environ, start_response):
        request = Request(environ)
        status, headers, body = self.dispatch(request)
        start_response(
            f"{status} {REASONS.get(status, 'Error')}", [*headers, ("Content-Length", str(len(body)))]
        )
        return [body]

    def dispatch(self, request: Request) -> Response:
        own = [
            ("GET", rf"^{re.escape(self.authorize_path)}$", self._authorize_page),
            ("POST", rf"^{re.escape(self.authorize_path)}$", self._authorize_answer),
            ("POST", rf"^{re.escape(self.token_path)}$", self._token),
            ("POST", r"^/_fake/faults$", self._hook_faults),
            ("GET", r"^/_fake/state$", self._hook_state),
            ("GET", r"^/$", self._index),
        ]
        for verb, pattern, handler in own:
            match = re.match(pattern, request.path)
            if match and verb == request.method:
                return handler(request, **match.groupdict())
        for verb, pattern, handler in self.routes():
            match = re.match(pattern, request.path)
            if match and verb == request.method:
                with self.lock:
                    self.requests.append((request.method, request.path))
                fault = self._take_fault(request.path)
                if fault is not None:
                    return self._fault_response(fault)
                if not self._authorised(request):
                    return self.error(401, "Invalid access token", code=2000311)
                limited = self._rate_limited(request.authorization)
                if limited is not None:
                    return self.error(
                        429, "Too many requests", code=2000429, headers=[("Retry-After", str(limited))]
                    )
                return handler(request, **match.groupdict())
        return self.error(404, "Not found", code=2000000)

    def _take_fault(self, path: str) -> Fault | None:
        with self.lock:
            for fault in self.faults:
                if fault.remaining > 0 and path.startswith(fault.path_prefix):
                    fault.remaining -= 1
                    return Fault(fault.status, 1, fault.retry_after, fault.hang_seconds)
            self.faults = [f for f in self.faults if f.remaining > 0]
        return None

    def _rate_limited(self, token: str) -> int | None:
        """Seconds to wait when `token` is over the provider's rate limit (a sliding window), else None."""
        if self.rate_limit is None:
            return None
        limit, window = self.rate_limit
        now = time.time()
        with self.lock:
            recent = [t for t in self.calls.get(token, []) if t > now - window]
            if len(recent) >= limit:
                self.calls[token] = recent
                return max(1, int(recent[0] + window - now + 0.999))
            recent.append(now)
            self.calls[token] = recent
        return None

    def _fault_response(self, fault: Fault) -> Response:
        if fault.status == 429:
            return self.error(
                429, "Too many requests", code=2000429, headers=[("Retry-After", str(fault.retry_after))]
            )
        if fault.status == 0:
            time.sleep(fault.hang_seconds)
            return self.error(500, "Timed out upstream", code=2000500)
        return self.error(fault.status, "Internal server error", code=2000500)

    def _authorised(self, request: Request) -> bool:
        token = request.authorization.removeprefix("Bearer ")
        with self.lock:
            expiry = self.access_tokens.get(token)
        return expiry is not None and expiry > time.time()

    def error(
        self, status: int, message: str, *, code: int, headers: Iterable[tuple[str, str]] = ()
    ) -> Response:
        raise NotImplementedError

    # --- OAuth2 (RFC 6749 section 4.1) ---------------------------------------------------------
    def _authorize_page(self, request: Request) -> Response:
        q = request.query
        if (
            q.get("client_id") != self.client_id
            or q.get("response_type") != "code"
            or not q.get("redirect_uri")
        ):
            return html_response(400, "<h1>Ogiltig begäran</h1>", self.title)
        hidden = "".join(
            f'<input type="hidden" name="{html.escape(k)}" value="{html.escape(v)}">' for k, v in q.items()
        )
        body = (
            f"<h1>{html.escape(self.title)}</h1><p>Verksam vill koppla till ditt företag "
            f"({html.escape(q.get('scope', ''))}).</p>"
            f'<form method="post" action="{self.authorize_path}">{hidden}'
            '<button type="submit" name="decision" value="allow">Godkänn</button>'
            '<button type="submit" name="decision" value="deny">Neka</button></form>'
        )
        return html_response(200, body, self.title)

    def _authorize_answer(self, request: Request) -> Response:
        form = request.form()
        redirect_uri = form.get("redirect_uri", "")
        params = {"state": form.get("state", "")}
        if form.get("decision") == "allow":
            params["code"] = self.issue_code(redirect_uri, form.get("scope", ""))
        else:
            params["error"] = "access_denied"
        sep = "&" if "?" in redirect_uri else "?"
        return 302, [("Location", f"{redirect_uri}{sep}{urlencode(params)}")], b""

    def _token(self, request: Request) -> Response:
        creds = request.basic_auth()
        if creds != (self.client_id, self.client_secret):
            return json_response(401, {"error": "invalid_client"})
        form = request.form()
        time.sleep(self.token_delay)
        with self.lock:
            if form.get("grant_type") == "authorization_code":
                grant = self.codes.pop(form.get("code", ""), None)  # a code works once
                if grant is None or grant["redirect_uri"] != form.get("redirect_uri"):
                    return json_response(400, {"error": "invalid_grant"})
                scope = grant["scope"]
            elif form.get("grant_type") == "refresh_token":
                old = form.get("refresh_token", "")
                if old not in self.refresh_tokens:
                    return json_response(400, {"error": "invalid_grant"})
                self.refresh_tokens.discard(old)  # rotation: the old refresh token is spent
                self.refresh_grants += 1
                scope = ""
            else:
                return json_response(400, {"error": "unsupported_grant_type"})
            access, refresh = secrets.token_urlsafe(24), secrets.token_urlsafe(24)
            self.access_tokens[access] = time.time() + self.access_token_seconds
            self.refresh_tokens.add(refresh)
        return json_response(
            200,
            {
                "access_token": access,
                "refresh_token": refresh,
                "token_type": "Bearer",
                "expires_in": self.access_token_seconds,
                "scope": scope,
            },
        )

    # --- hooks for tests and the dev UI --------------------------------------------------------
    def _hook_faults(self, request: Request) -> Response:
        try:
            data = request.json()
            self.inject(
                int(data["status"]),
                int(data.get("count", 1)),
                retry_after=int(data.get("retry_after", 1)),
                hang_seconds=float(data.get("hang_seconds", 5)),
                path_prefix=str(data.get("path_prefix", "")),
            )
        except (ValueError, KeyError, TypeError):
            return json_response(400, {"error": "status, count, retry_after, hang_seconds, path_prefix"})
        return 204, [], b""

    def state(self) -> dict:
        return {}

    def _hook_state(self, request: Request) -> Response:
        with self.lock:
            return json_response(200, self.state())

    def _index(self, request: Request) -> Response:
        """What was booked, as a page: each voucher with its rows and its receipts shown inline."""
        with self.lock:
            vouchers = self.state().get("Vouchers", [])
        parts = [f"<h1>{html.escape(self.title)}</h1>"]
        for v in vouchers:
            text = v.get("Description") or v.get("VoucherText") or ""
            number = v.get("NumberAndNumberSeries") or f"{v.get('VoucherSeries')}{v.get('VoucherNumber')}"
            rows = "".join(
                "<tr>"
                + "".join(
                    f"<td>{html.escape(str(r.get(k, '') or ''))}</td>"
                    for k in ("Account", "AccountNumber", "Debit", "DebitAmount", "Credit", "CreditAmount")
                    if k in r
                )
                + "</tr>"
                for r in v.get("VoucherRows") or v.get("Rows") or []
            )
            files = "".join(_file_html(f) for f in v.get("Files") or v.get("Attachments") or [])
            parts.append(
                f'<section class="voucher"><h2>{html.escape(str(number))} – {html.escape(text)}</h2>'
                f"<table>{rows}</table>{files}</section>"
            )
        if not vouchers:
            parts.append("<p>Inga verifikat ännu.</p>")
        return html_response(200, "".join(parts), self.title)


def _file_html(item: dict) -> str:
    url = f"/_fake/files/{html.escape(item['Id'])}"
    name = html.escape(item.get("Name") or item.get("FileName") or "")
    if str(item.get("ContentType", "")).startswith("image/"):
        return f'<figure><img src="{url}" alt="{name}" width="200"><figcaption>{name}</figcaption></figure>'
    return f'<a href="{url}">{name}</a>'


class _ThreadingServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        pass


def serve(app: FakeProvider, host: str = "127.0.0.1", port: int = 0) -> tuple[WSGIServer, threading.Thread]:
    """Serve `app` on a loopback port (0 = any free port) in a background thread; tests read
    `server.server_port` and call `server.shutdown()`."""
    server = make_server(host, port, app, server_class=_ThreadingServer, handler_class=_QuietHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    return server, thread
