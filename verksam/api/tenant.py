"""Resolve the tenant of `/tenants/{tenant_id}/…` once and hold its scope until the response is
written (DESIGN.md rule 5). The scope is closed by `ScopeMiddleware`, after ninja has serialised
the result, so lazily loaded relations are read inside the scope too."""

import functools
from collections.abc import Callable
from contextlib import ExitStack, nullcontext

from django.utils.translation import gettext as _

from verksam.core.db import request_transaction
from verksam.core.errors import Forbidden, NotFound
from verksam.tenancy.access import USER_SCOPE_APPLIED, Actor, tenant_entered
from verksam.tenancy.permissions import Perm
from verksam.tenancy.scope import cleared, reapply

_STACK_ATTR = "_verksam_scope_stack"
_TX_ATTR = "_verksam_request_transaction"


def enter_tenant(request, tenant_id: int, perm: Perm | None = None, *, lock_member: bool = False) -> Actor:
    stack = getattr(request, _STACK_ATTR, None)
    if stack is None:
        stack = ExitStack()
        setattr(request, _STACK_ATTR, stack)
    # resolved and its scope entered in one step: on PostgreSQL one set_config for the switch
    actor = stack.enter_context(tenant_entered(request.user, tenant_id, lock_member=lock_member))
    if actor is None:
        raise NotFound(_("The company does not exist or you do not have access to it."))
    if perm is not None and not actor.has(perm):
        raise Forbidden(_("You do not have permission to do this."), extra={"perm": str(perm)})
    request.actor = actor
    return actor


def tenant_endpoint(perm: Perm | None = None, *, lock_member: bool = False) -> Callable:
    """Decorate an operation whose first path parameter is `tenant_id`. `lock_member`: in the request's
    transaction (api.auth.TokenAuth(request_transaction=True)), the actor's membership row is read
    FOR UPDATE, for an operation whose service locks it anyway (issue 13: one round trip less)."""

    def decorator(func: Callable) -> Callable:
        @functools.wraps(func)
        def wrapper(request, tenant_id: int, *args, **kwargs):
            enter_tenant(request, tenant_id, perm, lock_member=lock_member)
            return func(request, tenant_id, *args, **kwargs)

        wrapper.required_perm = perm  # type: ignore[attr-defined]  # read by the web/API matrix test
        return wrapper

    return decorator


def begin_request_transaction(request) -> None:
    """Begin the request's one transaction (core.db.RequestTransaction; PostgreSQL only), which
    `ScopeMiddleware` ends once the response exists."""
    if getattr(request, _TX_ATTR, None) is None:
        setattr(request, _TX_ATTR, request_transaction())


class ScopeMiddleware:
    """Close a tenant scope opened by an API operation once its response exists, and end the
    request's transaction if it has one (`begin_request_transaction`): committed for an answer
    below 500 unless a block inside it failed (Django's atomic then rolls back, e.g. after a
    service refused the write), rolled back for a 5xx or an exception."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = None
        try:
            response = self.get_response(request)
            return response
        finally:
            tx = getattr(request, _TX_ATTR, None)
            local = tx is not None and tx.scope_is_local
            try:
                if tx is not None:
                    setattr(request, _TX_ATTR, None)
                    # first: inside a test's transaction the scope's reset below must not run in a
                    # transaction a failed service block marked for rollback
                    tx.end(commit=response is not None and response.status_code < 500)
            finally:
                # the end of a transaction-local scope's transaction cleared the session's scope
                with cleared() if local else nullcontext():
                    self._close_scope(request)

    @staticmethod
    def _close_scope(request) -> None:
        stack = getattr(request, _STACK_ATTR, None)
        if stack is not None:
            stack.close()
        if getattr(getattr(request, "user", None), "__dict__", {}).pop(USER_SCOPE_APPLIED, None) is not None:
            # the token's query switched the session to the user's scope (api/auth.py) and no
            # tenant's entry took it over (a call outside /tenants/{id}/, or refused before)
            reapply()
