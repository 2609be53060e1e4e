"""API authentication: personal tokens (`Authorization: Bearer vks_…`) or the browser session."""

from django.db import connection
from django.db.models import F
from ninja.security import HttpBearer, SessionAuth

from verksam.accounts.services import user_for_token
from verksam.tenancy.access import USER_SCOPE_APPLIED
from verksam.tenancy.scope import SwitchToUser, reapply


class TokenAuth(HttpBearer):
    def authenticate(self, request, token: str):
        switch = connection.vendor == "postgresql"
        # On PostgreSQL the token's query also switches the session to the user's own scope
        # (SwitchToUser; issue 13: one round trip less), which the tenant's entry then takes over.
        user = user_for_token(
            token, also_select={USER_SCOPE_APPLIED: SwitchToUser(F("user_id"))} if switch else None
        )
        if user is not None:
            request.user = user  # an unused switch is reset by api.tenant.ScopeMiddleware
        elif switch:
            reapply()  # a token found but refused (credential check) may have switched it
        return user


class SessionUserAuth(SessionAuth):
    """Session login; CSRF is enforced for unsafe methods (ninja's SessionAuth default)."""

    def authenticate(self, request, key):
        user = super().authenticate(request, key)
        return user if user is not None and user.is_active else None


AUTH = [TokenAuth(), SessionUserAuth()]
