"""What the Fortnox and Visma fakes share (DESIGN.md rule 13): a threaded loopback server, OAuth2
authorisation-code endpoints with rotating refresh tokens and revocation (RFC 7009), request
validation against the provider's published schema (ref/) and the voucher-row rules both enforce,
fault injection for tests (429 with Retry-After, 500, hang), the test hooks and the dev page, and the
`manage.py fake_<provider>` command.

Plain WSGI and the standard library plus `jsonschema`, state in memory behind a lock; Django only
inside `fake_command`.
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
from decimal import Decimal
from email.parser import BytesParser
from email.policy import HTTP
from functools import cache
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


@cache
def load_validator(spec_file: tuple[str, str], schema_root: str) -> SchemaValidator:
    """The validator of one provider's published spec (read once per process)."""
    with ref_path(*spec_file).open(encoding="utf-8") as fh:
        return SchemaValidator(json.load(fh), schema_root)


# A fake company's chart: BAS accounts 1000–8999 are active (the specs allow up to 9999; 9xxx is BAS's
# internal accounting, not in a normal chart); both providers refuse an account not in the chart.
CHART = range(1000, 9000)


def ore(value: float | int | None) -> int:
    return round((value or 0) * 100)


def two_decimals(value: float | int | None) -> bool:
    """The JSON number as written (its shortest repr), not a float product, whose error grows with the
    amount beyond any fixed epsilon (92233720368.54 × 100 is off, yet it has two decimals)."""
    return value is None or Decimal(repr(value)).as_tuple().exponent >= -2  # type: ignore[operator]


def rows_problem(
    rows: list[dict], *, rows_key: str, account: str, debit: str, credit: str
) -> tuple[str, str] | None:
    """(kind, message) of the first voucher-row rule the providers enforce beyond their schemas (at
    least two rows, accounts in the chart, each row debit or credit, two decimals, balance), or None.
    Kinds: rows, chart, side, decimals, balance — each fake maps them to its own error codes."""
    if len(rows) < 2:
        return "rows", f"{rows_key}: a voucher needs at least two rows"
    for row in rows:
        if row[account] not in CHART:
            return "chart", f"{account} {row[account]} is not in the chart of accounts"
        if not two_decimals(row.get(debit)) or not two_decimals(row.get(credit)):
            return "decimals", "Amounts: max 2 decimals"
        debit_ore, credit_ore = ore(row.get(debit)), ore(row.get(credit))
        if debit_ore < 0 or credit_ore < 0 or (debit_ore and credit_ore) or not (debit_ore or credit_ore):
            return "side", "Each row has either a debit or a credit amount"
    if sum(ore(r.get(debit)) for r in rows) != sum(ore(r.get(credit)) for r in rows):
        return "balance", "The voucher is not balanced (debit and credit differ)"
    return None


def route(
    verb: str, pattern: str, *, schema: str = ""
) -> Callable[[Callable[..., Response]], Callable[..., Response]]:
    """Mark a fake's method as the handler of `verb` on the path `pattern` (an anchored regex whose
    named groups become keyword arguments). With `schema`, the JSON body must be valid against that
    schema of the spec (else the provider's 400) and is handed over as `body`."""

    def mark(handler: Callable[..., Response]) -> Callable[..., Response]:
        handler.fake_route = (verb, pattern)  # type: ignore[attr-defined]
        handler.fake_schema = schema  # type: ignore[attr-defined]
        return handler

    return mark


class FakeProvider:
    """Base WSGI app: routes, the OAuth2 endpoints (authorise, token, revoke), body validation against
    the provider's spec, the test hooks and the fault queue. Subclasses set the paths, the spec and the
    error format and add the accounting endpoints."""

    # `name` gives the settings of `manage.py fake_<name>` (<NAME>_CLIENT_ID, …) and the default
    # client credentials fake-<name>-client / fake-<name>-secret; `default_port` is where it serves.
    title, name, default_port = "Fake", "provider", 0
    oauth_paths = ("/oauth/authorize", "/oauth/token", "/oauth/revoke")  # authorise, token, revoke
    spec = ("", "", "definitions")  # ref/ directory, file, and the JSON pointer of its schemas
    validation_code = 0  # the provider's error code for a body that breaks its schema
    access_token_seconds = 3600
    # (requests, seconds) per access token, answered 429 with Retry-After beyond it; None = no limit
    rate_limit: tuple[int, float] | None = None

    def __init__(self, client_id: str | None = None, client_secret: str | None = None) -> None:
        self.client_id = client_id or f"fake-{self.name}-client"
        self.client_secret = client_secret or f"fake-{self.name}-secret"
        self.authorize_path, self.token_path, self.revoke_path = self.oauth_paths
        self.lock = threading.Lock()
        self.codes: dict[str, dict] = {}  # code -> {redirect_uri, scope}
        self.access_tokens: dict[str, float] = {}  # token -> expiry (epoch)
        self.refresh_tokens: set[str] = set()  # valid (not yet used) refresh tokens
        self.revoked: set[str] = set()  # refresh tokens revoked (RFC 7009): refused from then on
        self.faults: list[Fault] = []
        self.requests: list[tuple[str, str]] = []  # (method, path) of every API call, for tests
        self.queries: list[dict[str, str]] = []  # the query string of each of those calls
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
        Retry-After), or with 0 hang `hang_seconds` and then answer 500 without doing anything. The
        OAuth endpoints (token, revoke) take a fault only when `path_prefix` names them."""
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

    # --- what subclasses provide (and their @route methods) ----------------------------------------
    def routes(self) -> list[tuple[str, str, Callable[..., Response]]]:
        """The API endpoints: every method marked with @route."""
        marked = (getattr(self, name) for name in dir(type(self)) if not name.startswith("__"))
        return [(*m.fake_route, m) for m in marked if callable(m) and hasattr(m, "fake_route")]

    def error(
        self, status: int, message: str, *, code: int, headers: Iterable[tuple[str, str]] = ()
    ) -> Response:
        raise NotImplementedError

    def stored_file(self, file_id: str) -> dict | None:
        """A received file ({ContentType, data, …}) by id, for `GET /_fake/files/<id>`."""
        return None

    def _booked(self) -> list[dict]:
        """Every voucher with its files (called under the lock)."""
        return []

    def revoke_answer(self) -> Response:
        """A successful revocation (RFC 7009 2.2: 200, the body is the provider's own)."""
        return 200, [], b""

    # --- shared by the providers' endpoints --------------------------------------------------------
    def validator(self) -> SchemaValidator:
        directory, file_name, schema_root = self.spec
        return load_validator((directory, file_name), schema_root)

    def body(self, request: Request, schema: str) -> tuple[dict | None, Response | None]:
        """The JSON body if it is valid against the spec's `schema`, else the provider's 400."""
        try:
            body = request.json()
        except (ValueError, UnicodeDecodeError):
            return None, self.error(400, "Invalid JSON", code=self.validation_code)
        problems = self.validator().errors(schema, body)
        if problems:
            return None, self.error(400, "; ".join(problems), code=self.validation_code)
        return body, None

    def booked(self) -> list[dict]:
        """Every voucher with its files, for tests."""
        with self.lock:
            return self._booked()

    def state(self) -> dict:
        return {"Vouchers": self._booked()}

    # --- WSGI --------------------------------------------------------------------------------
    def __call__(self, environ, start_response):
        request = Request(environ)
        status, headers, body = self.dispatch(request)
        start_response(
            f"{status} {REASONS.get(status, 'Error')}", [*headers, ("Content-Length", str(len(body)))]
        )
        return [body]

    def dispatch(self, request: Request) -> Response:
        oauth = [
            ("GET", self.authorize_path, self._authorize_page),
            ("POST", self.authorize_path, self._authorize_answer),
            ("POST", self.token_path, self._token),
            ("POST", self.revoke_path, self._revoke),
        ]
        for verb, path, oauth_handler in oauth:
            if request.path == path and verb == request.method:
                fault = self._take_fault(request.path, named_only=True)
                return self._fault_response(fault) if fault else oauth_handler(request)
        hooks: list[tuple[str, str, Callable[..., Response]]] = [
            ("POST", r"^/_fake/faults$", self._hook_faults),
            ("GET", r"^/_fake/state$", self._hook_state),
            ("GET", r"^/_fake/files/(?P<file_id>[^/]+)$", self._hook_file),
            ("GET", r"^/$", self._index),
        ]
        for verb, pattern, handler in [*hooks, *self.routes()]:
            match = re.match(pattern, request.path)
            if not match or verb != request.method:
                continue
            kwargs: dict[str, Any] = match.groupdict()
            if not pattern.startswith("^/_fake/") and pattern != "^/$":
                refused = self._before_api_call(request)
                if refused is not None:
                    return refused
            if getattr(handler, "fake_schema", ""):
                kwargs["body"], refused = self.body(request, handler.fake_schema)  # type: ignore[attr-defined]
                if refused is not None:
                    return refused
            return handler(request, **kwargs)
        return self.error(404, "Not found", code=404)

    def _before_api_call(self, request: Request) -> Response | None:
        """Log the call, then the injected fault, the access token and the rate limit, in that order."""
        with self.lock:
            self.requests.append((request.method, request.path))
            self.queries.append(dict(request.query))
        fault = self._take_fault(request.path)
        if fault is not None:
            return self._fault_response(fault)
        if not self._authorised(request):
            return self.error(401, "Invalid access token", code=401)
        limited = self._rate_limited(request.authorization)
        if limited is not None:
            return self.error(429, "Too many requests", code=429, headers=[("Retry-After", str(limited))])
        return None

    def _take_fault(self, path: str, *, named_only: bool = False) -> Fault | None:
        with self.lock:
            for fault in self.faults:
                if named_only and not fault.path_prefix:
                    continue
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
                429, "Too many requests", code=429, headers=[("Retry-After", str(fault.retry_after))]
            )
        if fault.status == 0:
            time.sleep(fault.hang_seconds)
            return self.error(500, "Timed out upstream", code=500)
        return self.error(fault.status, "Internal server error", code=500)

    def _authorised(self, request: Request) -> bool:
        token = request.authorization.removeprefix("Bearer ")
        with self.lock:
            expiry = self.access_tokens.get(token)
        return expiry is not None and expiry > time.time()

    # --- OAuth2 (RFC 6749 section 4.1, RFC 7009) ------------------------------------------------
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
                if old in self.revoked:
                    return json_response(
                        400, {"error": "invalid_grant", "error_description": "The refresh token is revoked"}
                    )
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

    def _revoke(self, request: Request) -> Response:
        """RFC 7009: the client authenticates (HTTP Basic); `token` (+ optional `token_type_hint`) is
        revoked, and an unknown or already spent token is answered 200 as well (section 2.2)."""
        if request.basic_auth() != (self.client_id, self.client_secret):
            return json_response(401, {"error": "invalid_client"})
        form = request.form()
        token = form.get("token", "")
        if not token:
            return json_response(400, {"error": "invalid_request", "error_description": "token: required"})
        if form.get("token_type_hint", "refresh_token") not in ("refresh_token", "access_token"):
            return json_response(400, {"error": "unsupported_token_type"})
        with self.lock:
            if token in self.refresh_tokens:
                self.refresh_tokens.discard(token)
                self.revoked.add(token)
        return self.revoke_answer()

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

    def _hook_state(self, request: Request) -> Response:
        with self.lock:
            return json_response(200, self.state())

    def _hook_file(self, request: Request, file_id: str) -> Response:
        with self.lock:
            item = self.stored_file(file_id)
        if item is None:
            return self.error(404, "Not found", code=404)
        return 200, [("Content-Type", item["ContentType"])], item["data"]

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


def fake_command(fake_class: type[FakeProvider]) -> type:
    """The `manage.py fake_<provider>` command: serve `fake_class` on localhost (its default port) with
    the client credentials of the settings, for `make run` and browser tests."""
    import contextlib

    from django.conf import settings
    from django.core.management.base import BaseCommand

    class Command(BaseCommand):
        help = (
            f"Serve the {fake_class.title} (OAuth2 + vouchers + attachments) on localhost "
            f"(default port {fake_class.default_port})."
        )

        def add_arguments(self, parser) -> None:
            parser.add_argument("--port", type=int, default=fake_class.default_port)
            parser.add_argument("--host", default="127.0.0.1")

        def handle(self, *args, port: int, host: str, **options) -> None:
            prefix = fake_class.name.upper()
            fake = fake_class(
                client_id=getattr(settings, f"{prefix}_CLIENT_ID"),
                client_secret=getattr(settings, f"{prefix}_CLIENT_SECRET"),
            )
            server, thread = serve(fake, host, port)
            self.stdout.write(f"{fake_class.title} on http://{host}:{server.server_port} (Ctrl-C to stop)")
            with contextlib.suppress(KeyboardInterrupt):
                thread.join()
            server.shutdown()

    return Command
