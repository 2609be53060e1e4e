"""Writes for people and credentials."""

import hashlib
import hmac
import secrets
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from django.contrib.auth import authenticate
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from verksam.audit.services import record_for_user
from verksam.core.db import pipeline
from verksam.core.errors import DomainError, NotFound, Unauthenticated
from verksam.core.fixedquery import FixedQuery, datetime_value

from .models import ApiToken, RevokedReason, User, credential_check
from .ratelimit import LoginGuard

TOKEN_PREFIX = "vks_"


# Expiry a token may be given, in days (the profile page offers 30, 90 and 365, or none).
TOKEN_MAX_DAYS = 3650


def hash_token(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _token_audit(token: ApiToken, **extra: Any) -> dict[str, Any]:
    expires = token.expires_at
    return {
        "name": token.name,
        "prefix": token.prefix,
        "expires": timezone.localtime(expires).strftime("%Y-%m-%d %H:%M") if expires else None,
        **extra,
    }


@transaction.atomic
def api_token_create(*, user: User, name: str, expires_in_days: int | None = None) -> tuple[ApiToken, str]:
    """Create a personal API token, optionally expiring; return it with the secret, never stored."""
    if expires_in_days is not None and not 1 <= expires_in_days <= TOKEN_MAX_DAYS:
        raise DomainError(
            _("A token expires after 1 to %(max)s days, or never.") % {"max": TOKEN_MAX_DAYS},
            code="invalid_expiry",
        )
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    now = timezone.now()
    token = ApiToken(
        user=user,
        name=(name or "API").strip()[:100],
        prefix=secret[:12],
        key_hash=hash_token(secret),
        created_at=now,
        expires_at=now + timedelta(days=expires_in_days) if expires_in_days else None,
        credential_check=credential_check(user),
    )
    token.full_clean()
    token.save()
    record_for_user(user=user, action="api_token.create", target=token, data=_token_audit(token))
    return token, secret


def _revoke(token: ApiToken, reason: str) -> None:
    token.revoked_at = timezone.now()
    token.revoked_reason = reason
    token.save(update_fields=["revoked_at", "revoked_reason"])
    record_for_user(
        user=token.user, action="api_token.revoke", target=token, data=_token_audit(token, revocation=reason)
    )


@transaction.atomic
def api_token_revoke(*, user: User, token_id: int) -> ApiToken:
    """Revoke one of the user's own tokens; revoking twice is harmless (and audited once)."""
    token = ApiToken.objects.select_for_update().filter(user=user, pk=token_id).first()
    if token is None:
        raise NotFound(_("The token does not exist."))
    token.user = user
    if token.revoked_at is None:
        _revoke(token, RevokedReason.USER)
    return token


def _revoke_all(user: User, reason: str) -> int:
    tokens = list(ApiToken.objects.select_for_update().filter(user=user, revoked_at__isnull=True))
    for token in tokens:
        token.user = user
        _revoke(token, reason)
    return len(tokens)


@transaction.atomic
def user_password_set(*, user: User, password: str) -> User:
    """Set a new password and revoke every API token: whoever held the old password may hold a token."""
    user.set_password(password)
    user.save(update_fields=["password"])
    _revoke_all(user, RevokedReason.PASSWORD)
    return user


@transaction.atomic
def user_deactivate(*, user: User) -> User:
    """Deactivate a person's account and revoke every API token for good (reactivation needs new ones)."""
    user.is_active = False
    user.save(update_fields=["is_active"])
    _revoke_all(user, RevokedReason.DEACTIVATED)
    return user


_TOKEN_QUERIES: dict[tuple, FixedQuery[ApiToken]] = {}


def _token_query(also_select: dict[str, Any] | None) -> FixedQuery[ApiToken]:
    """The token's query, compiled once per process for each `also_select` (issue 13: it runs on
    every token API call; core.fixedquery)."""
    key = tuple((name, repr(expr)) for name, expr in (also_select or {}).items())
    query = _TOKEN_QUERIES.get(key)
    if query is None:

        def build(key_hash: str, now: Any) -> QuerySet[ApiToken]:
            tokens = (
                ApiToken.objects.select_related("user")
                .filter(key_hash=key_hash, revoked_at__isnull=True, user__is_active=True)
                .filter(Q(expires_at__isnull=True) | Q(expires_at__gt=now))
            )
            return (tokens.annotate(**also_select) if also_select else tokens).order_by("pk")[:1]

        query = _TOKEN_QUERIES.setdefault(
            key,
            FixedQuery(
                build,
                sentinels={
                    "key_hash": "\x00fixedquery-key-hash",
                    "now": datetime(1901, 2, 3, 4, 5, 6, 7, tzinfo=UTC),
                },
                adapt={"now": datetime_value},
            ),
        )
    return query


def user_for_token(
    secret: str,
    *,
    also_select: dict[str, Any] | None = None,
    alongside: Callable[[], None] | None = None,
) -> User | None:
    """The active user owning an unrevoked, unexpired token with this secret, or None.

    `also_select`: expressions evaluated in the select list of the token's query, for its row only
    (the API's token authentication switches the PostgreSQL session to the user's scope in the same
    statement, issue 13); their values are set as attributes of the user returned. `alongside`:
    called right after the token's query is sent, to send more statements in the same round trip
    (core.db.pipeline), which the server runs after it; it is called, and what it sent is to be read,
    whether or not a user is found."""
    if not secret or not secret.startswith(TOKEN_PREFIX):
        return None
    now = timezone.now()
    query = _token_query(also_select)
    if alongside is None:
        token = query.first(key_hash=hash_token(secret), now=now)
    else:
        with pipeline():
            read = query.send_first(key_hash=hash_token(secret), now=now)
            alongside()
        token = read()
    if token is None or not hmac.compare_digest(token.credential_check, credential_check(token.user)):
        return None
    for name in also_select or ():
        setattr(token.user, name, getattr(token, name))
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


def login_attempt(*, request, email: str, password: str, browser: bool = False) -> User:
    """Check e-mail and password within the login rate limits (ratelimit.py): every password check
    of the web login, the admin login and the API goes through here. `browser` when the caller will
    give the browser its device cookie (ratelimit.remember_device)."""
    guard = LoginGuard(request, email, browser=browser)
    guard.check()
    user = authenticate(request, email=email, password=password)
    if user is None:
        guard.failed()
        raise Unauthenticated(_("Wrong e-mail or password."), code="invalid_credentials")
    guard.succeeded()
    return user
