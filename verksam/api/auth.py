"""API authentication: personal tokens (`Authorization: Bearer vks_…`) or the browser session."""

from ninja.security import HttpBearer, SessionAuth

from verksam.accounts.services import user_for_token


class TokenAuth(HttpBearer):
    def authenticate(self, request, token: str):
        user = user_for_token(token)
        if user is not None:
            request.user = user
        return user


class SessionUserAuth(SessionAuth):
    """Session login; CSRF is enforced for unsafe methods (ninja's SessionAuth default)."""

    def authenticate(self, request, key):
        user = super().authenticate(request, key)
        return user if user is not None and user.is_active else None


AUTH = [TokenAuth(), SessionUserAuth()]
