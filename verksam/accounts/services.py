"""Writes for people and credentials."""

import hashlib
import secrets

from django.contrib.auth import authenticate
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from verksam.core.errors import NotFound, Unauthenticated

from .models import ApiToken, User
from .ratelimit import LoginGuard

TOKEN_PREFIX = "vks_"


def hash_token(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


@transaction.atomic
def api_token_create(*, user: User, name: str) -> tuple[ApiToken, str]:
    """Create a personal API token; return it with the secret, which is never stored."""
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        user=user, name=(name or "API").strip()[:100], prefix=secret[:12], key_hash=hash_token(secret)
    )
    token.full_clean()
    token.save()
    return token, secret


@transaction.atomic
def api_token_revoke(*, user: User, token_id: int) -> ApiToken:
    """Revoke one of the user's own tokens; revoking twice is harmless."""
    token = ApiToken.objects.filter(user=user, pk=token_id).first()
    if token is None:
        raise NotFound(_("The token does not exist."))
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token


def user_for_token(secret: str) -> User | None:
    """The active user owning an unrevoked token with this secret, or None."""
    if not secret or not secret.startswith(TOKEN_PREFIX):
        return None
    token = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=hash_token(secret), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
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
