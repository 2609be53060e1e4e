"""API authentication: personal tokens (`Authorization: Bearer vks_…`) or the browser session."""

from collections.abc import Callable

from django.db import connection
from django.db.models import F
from ninja.security import HttpBearer, SessionAuth

from verksam.accounts.services import user_for_token
from verksam.core.db import current_request_transaction
from verksam.tenancy.access import USER_SCOPE_APPLIED, keep_member_prefetched, send_member_lock
from verksam.tenancy.scope import SwitchToUser, SwitchToUserLocal, is_local, reapply

from .tenant import begin_request_transaction


class TokenAuth(HttpBearer):
    """`request_transaction`: begin the request's one transaction before the token's query (PostgreSQL;
    core.db.RequestTransaction, ended by api.tenant.ScopeMiddleware once the response exists). For
    an operation whose statements are few and short (issue 13: the create of one time entry): a
    service's row lock is then held until the response is built."""

    def __init__(self, *, request_transaction: bool = False, send_also: Callable[..., None] | None = None):
        super().__init__()
        self.request_transaction = request_transaction
        # called as send_also(request, tenant_id, read_member) right after the member's row is sent with
        # the token's query, to send the operation's own first read in the same round trip (issue 13)
        self.send_also = send_also

    def authenticate(self, request, token: str):
        switch = connection.vendor == "postgresql"
        if self.request_transaction:
            begin_request_transaction(request)
        # On PostgreSQL the token's query also switches the session to the user's own scope
        # (SwitchToUser; issue 13: one round trip less), which the tenant's entry then takes over.
        switch_to = SwitchToUserLocal if is_local() else SwitchToUser
        tenant_id = self._tenant_id(request) if switch and self.request_transaction else None
        read_member: list = []
        user = user_for_token(
            token,
            also_select={USER_SCOPE_APPLIED: switch_to(F("user_id"))} if switch else None,
            # the member's row, FOR UPDATE, in the token's round trip (tenancy.access.send_member_lock)
            alongside=None if tenant_id is None else lambda: self._send(request, tenant_id, read_member),
        )
        membership = read_member[0]() if read_member else None
        if user is not None:
            request.user = user  # an unused switch is reset by api.tenant.ScopeMiddleware
            if read_member and tenant_id is not None:
                keep_member_prefetched(user, tenant_id, membership)
        elif switch:
            reapply()  # a token found but refused (credential check) may have switched it
        return user

    def _send(self, request, tenant_id: int, read_member: list) -> None:
        read_member.append(send_member_lock(tenant_id))
        if self.send_also is not None:
            self.send_also(request, tenant_id, read_member[0])

    @staticmethod
    def _tenant_id(request) -> int | None:
        """The tenant of `/tenants/{tenant_id}/…` (its operation enters it with the member's row locked:
        api.tenant.tenant_endpoint(lock_member=True), the only kind that asks for the request's
        transaction), inside the request's transaction only (PostgreSQL, scope transaction-local or not)."""
        match = getattr(request, "resolver_match", None)
        value = str(match.kwargs.get("tenant_id", "")) if match is not None else ""
        # ninja's path parameter is still text here; one it would refuse (422) is not sent
        if (
            not (value.isascii() and value.isdigit() and len(value) < 19)
            or current_request_transaction() is None
        ):
            return None
        return int(value)


class SessionUserAuth(SessionAuth):
    """Session login; CSRF is enforced for unsafe methods (ninja's SessionAuth default)."""

    def authenticate(self, request, key):
        user = super().authenticate(request, key)
        return user if user is not None and user.is_active else None


AUTH = [TokenAuth(), SessionUserAuth()]
