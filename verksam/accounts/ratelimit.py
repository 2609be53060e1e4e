"""Login rate limits that an attacker cannot turn against the account's owner.

Every password check (web login, the admin site's login, `POST /api/v1/auth/token`) goes through
`services.login_attempt`, which asks a `LoginGuard` before and tells it after. State lives in Django's
cache: Redis or the database in production (config.settings.prod refuses a per-process cache), so
every gunicorn worker and every server counts together.

Three counts of failures, each forgotten LOGIN_FAILURE_WINDOW_SECONDS after its last failure:

1. **Account and client** (LOGIN_MAX_FAILURES): one client guessing one account. The client is the
   browser's device cookie when that browser has logged in to this account before, else the address.
2. **Account from unknown clients** (LOGIN_ACCOUNT_MAX_FAILURES): one account guessed from many
   addresses. Only clients the account has never logged in from are counted and held back.
3. **Address over all accounts** (LOGIN_CLIENT_MAX_FAILURES): password spraying, i.e. few guesses at
   many accounts from one address. Again only clients unknown to the tried account are held back.

Past its limit each count makes the client wait, doubling with every further failure from
LOGIN_BACKOFF_BASE_SECONDS up to LOGIN_BACKOFF_MAX_SECONDS (15 minutes); the account itself is never
locked. A client is *known* to an account for LOGIN_KNOWN_CLIENT_DAYS after a successful login from
it: the browser by its device cookie, any client by its address. So the owner's own browser, and
their usual address, are only ever slowed by their own failures (count 1), never by an attacker's
(counts 2 and 3); a stranger's guesses slow only clients the account has never used, at most 15
minutes at a time. The address is the real client's behind the documented proxy (core.net.client_ip),
which the client cannot choose. A refused attempt checks no password and is not counted.
"""

import hashlib
import math
import secrets
import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from verksam.core.errors import RateLimited
from verksam.core.net import client_ip, client_network

DEVICE_COOKIE = "verksam_device"
_PREFIX = "login:"


def _digest(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()[:32]


def device_id(request: HttpRequest) -> str:
    """This browser's device id: its cookie, or a new one that `remember_device` will set."""
    current = getattr(request, "_verksam_device", None)
    if current is None:
        cookie = request.COOKIES.get(DEVICE_COOKIE, "")
        current = cookie if 20 <= len(cookie) <= 64 and cookie.isascii() else secrets.token_urlsafe(24)
        request._verksam_device = current  # type: ignore[attr-defined]
    return current


def remember_device(request: HttpRequest, response: HttpResponse) -> None:
    """Give the browser its device cookie after a successful login (web login only)."""
    response.set_cookie(
        DEVICE_COOKIE,
        device_id(request),
        max_age=settings.LOGIN_KNOWN_CLIENT_DAYS * 86400,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )


def _backoff(failures: int, limit: int) -> int:
    """Seconds to wait after `failures` failures where `limit` are free: doubling, bounded."""
    excess = failures - limit
    if excess < 0:
        return 0
    return min(settings.LOGIN_BACKOFF_BASE_SECONDS * 2 ** min(excess, 20), settings.LOGIN_BACKOFF_MAX_SECONDS)


class LoginGuard:
    """The rate limits of one login attempt: `check()` before the password, then `failed()` or
    `succeeded()`."""

    def __init__(self, request: HttpRequest, email: str, *, browser: bool = False):
        self.account = _digest(email.strip().lower())
        self.network = client_network(client_ip(request))
        # Only a browser keeps the device cookie; other clients are known by their address alone.
        self.device = device_id(request) if browser else ""
        known = cache.get_many([self._known("d", self.device), self._known("a", self.network)])
        self.known_device = bool(self.device) and self._known("d", self.device) in known
        self.known = bool(known)
        # The known browser is counted on its own, so an attacker behind the same address (an
        # office's NAT) does not slow its owner; anything else is counted by its address.
        client = f"d:{self.device}" if self.known_device else f"a:{self.network}"
        self.counts = [(f"{self.account}:{client}", settings.LOGIN_MAX_FAILURES)]
        if not self.known:
            self.counts += [
                (f"account:{self.account}", settings.LOGIN_ACCOUNT_MAX_FAILURES),
                (f"address:{self.network}", settings.LOGIN_CLIENT_MAX_FAILURES),
            ]

    def _known(self, kind: str, client: str) -> str:
        return f"{_PREFIX}known:{self.account}:{kind}:{_digest(client)}"

    def check(self) -> None:
        """Raise RateLimited, with the wait in whole minutes, while any count holds this client back."""
        now = time.time()
        blocks = cache.get_many([f"{_PREFIX}block:{name}" for name, _limit in self.counts])
        until = max(blocks.values(), default=0)
        if until > now:
            wait = math.ceil(until - now)
            minutes = max(1, math.ceil(wait / 60))
            raise RateLimited(
                ngettext(
                    "Too many failed login attempts. Try again in %(count)d minute.",
                    "Too many failed login attempts. Try again in %(count)d minutes.",
                    minutes,
                )
                % {"count": minutes},
                extra={"retry_after": wait},
            )

    def failed(self) -> None:
        window = settings.LOGIN_FAILURE_WINDOW_SECONDS
        for name, limit in self.counts:
            failures = _count_request(f"{_PREFIX}fail:{name}", window)
            wait = _backoff(failures, limit)
            if wait:
                cache.set(f"{_PREFIX}block:{name}", time.time() + wait, wait)

    def succeeded(self) -> None:
        """Forget this client's own failures and remember it as known to the account."""
        name = self.counts[0][0]
        cache.delete_many([f"{_PREFIX}fail:{name}", f"{_PREFIX}block:{name}"])
        known = {self._known("a", self.network): 1}
        if self.device:
            known[self._known("d", self.device)] = 1
        cache.set_many(known, settings.LOGIN_KNOWN_CLIENT_DAYS * 86400)


# --- password reset requests ---------------------------------------------------------------------------
# A reset request sends a mail, so it is counted whether the address has an account or not (the
# answer must not tell which): per e-mail address (no one floods a person's inbox) and per client
# address (no one walks a list of addresses). Each count is forgotten PASSWORD_RESET_WINDOW_SECONDS
# after its last request, like the login counts above, in the same shared cache.
_RESET_PREFIX = "password-reset:"


def _count_request(key: str, window: int) -> int:
    """Add one to a count forgotten `window` seconds after its last addition. add + incr is atomic
    on Redis; touch keeps the window open while requests go on (the database cache's incr would
    otherwise shorten it)."""
    cache.add(key, 0, window)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, window)
        count = 1
    cache.touch(key, window)
    return count


def password_reset_allowed(request: HttpRequest, email: str) -> bool:
    """Count one password-reset request; raise RateLimited when this client has asked too often (it
    says nothing about any account), and return False when this e-mail address has — then no mail
    goes out and the page answers as it always does."""
    window = settings.PASSWORD_RESET_WINDOW_SECONDS
    network = client_network(client_ip(request))
    if (
        _count_request(f"{_RESET_PREFIX}address:{_digest(network)}", window)
        > settings.PASSWORD_RESET_PER_CLIENT
    ):
        raise RateLimited(
            _("Too many password reset requests from your address. Try again later."),
            code="password_reset_limit",
            extra={"retry_after": window},
        )
    account = _digest(email.strip().lower())
    return _count_request(f"{_RESET_PREFIX}email:{account}", window) <= settings.PASSWORD_RESET_PER_EMAIL
