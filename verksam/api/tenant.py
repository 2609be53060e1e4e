"""Resolve the tenant of `/tenants/{tenant_id}/…` once and hold its scope until the response is
written (DESIGN.md rule 5). The scope is closed by `ScopeMiddleware`, after ninja has serialised
the result, so lazily loaded relations are read inside the scope too."""

import functools
from collections.abc import Callable
from contextlib import ExitStack

from django.utils.translation import gettext as _

from verksam.core.errors import Forbidden, NotFound
from verksam.tenancy.access import USER_SCOPE_APPLIED, Actor, tenant_entered
from verksam.tenancy.permissions import Perm
from verksam.tenancy.scope import reapply

_STACK_ATTR = "_verksam_scope_stack"


def enter_tenant(request, tenant_id: int, perm: Perm | None = None) -> Actor:
    stack = getattr(request, _STACK_ATTR, None)
    if stack is None:
        stack = ExitStack()
        setattr(request, _STACK_ATTR, stack)
    # resolved and its scope entered in one step: on PostgreSQL one set_config for the switch
    actor = stack.enter_context(tenant_entered(request.user, tenant_id))
    if actor is None:
        raise NotFound(_("The company does not exist or you do not have access to it."))
    if perm is not None and not actor.has(perm):
        raise Forbidden(_("You do not have permission to do this."), extra={"perm": str(perm)})
    request.actor = actor
    return actor


def tenant_endpoint(perm: Perm | None = None) -> Callable:
    """Decorate an operation whose first path parameter is `tenant_id`."""

    def decorator(func: Callable) -> Callable:
        @functools.wraps(func)
        def wrapper(request, tenant_id: int, *args, **kwargs):
            enter_tenant(request, tenant_id, perm)
            return func(request, tenant_id, *args, **kwargs)

        wrapper.required_perm = perm  # type: ignore[attr-defined]  # read by the web/API matrix test
        return wrapper

    return decorator


class ScopeMiddleware:
    """Close a tenant scope opened by an API operation once its response exists."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            return self.get_response(request)
        finally:
            stack = getattr(request, _STACK_ATTR, None)
            if stack is not None:
                stack.close()
            if (
                getattr(getattr(request, "user", None), "__dict__", {}).pop(USER_SCOPE_APPLIED, None)
                is not None
            ):
                # the token's query switched the session to the user's scope (api/auth.py) and no
                # tenant's entry took it over (a call outside /tenants/{id}/, or refused before)
                reapply()
