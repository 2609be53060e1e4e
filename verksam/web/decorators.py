"""Resolve the tenant from the URL once, authorise, and run the view inside its scope (rules 5, 8)."""

import functools
from collections.abc import Callable
from typing import Any

from django.contrib import auth
from django.contrib.auth import SESSION_KEY
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.db.models import F
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.functional import SimpleLazyObject, empty

from verksam.accounts.backends import selecting_also
from verksam.core import bounds
from verksam.tenancy.access import USER_SCOPE_APPLIED, Actor, tenant_entered_by_slug
from verksam.tenancy.models import Tenant
from verksam.tenancy.permissions import Perm
from verksam.tenancy.scope import SwitchToUser, reapply


class TenantRequest(HttpRequest):
    """The request a `tenant_view` receives (for type checking)."""

    actor: Actor
    tenant: Tenant


def session_user(request: HttpRequest) -> tuple[Any, bool]:
    """The session's user, and whether the PostgreSQL session now holds that user's own scope.

    On PostgreSQL the user's row is read with `scope.SwitchToUser` in its select list (issue 13: one
    round trip less on every page, as the API token's query does); Django's own session checks (the
    backend named in the session, the password's session hash) run unchanged. A user read but refused
    there (inactive, a stale session hash) has the switch undone at once. Elsewhere, or when the user
    was read already, this is `request.user`."""
    lazy = request.__dict__.get("user")
    if (
        connection.vendor != "postgresql"
        or not isinstance(lazy, SimpleLazyObject)
        or lazy._wrapped is not empty  # type: ignore[attr-defined]
        or hasattr(request, "_cached_user")
    ):
        return request.user, False
    had_user = SESSION_KEY in request.session
    with selecting_also({USER_SCOPE_APPLIED: SwitchToUser(F("pk"))}):
        user = auth.get_user(request)
    request._cached_user = user  # type: ignore[attr-defined]  # what AuthenticationMiddleware's lazy user returns
    applied = user.is_authenticated and user.__dict__.pop(USER_SCOPE_APPLIED, None) is not None
    if had_user and not applied:
        reapply()  # a row read but refused may have switched the session
    return request.user, applied


def tenant_view(perm: Perm | None = None) -> Callable:
    """Decorate a view taking `(request, slug, ...)`: 404 unless the user may enter the tenant,
    403 unless they hold `perm`. Sets `request.actor` and `request.tenant`."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @functools.wraps(view)
        def wrapper(request: HttpRequest, slug: str, *args, **kwargs) -> HttpResponse:
            user, user_applied = session_user(request)
            if not user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if any(isinstance(v, int) and v > bounds.MAX_ID for v in kwargs.values()):
                if user_applied:
                    reapply()  # no scope is entered: the session's user scope must not outlive this
                raise Http404  # an id no row can have (<int:…> accepts any length): like a missing row
            # a full page draws the tenant switcher: read the user's memberships once, for both
            full_page = request.method == "GET" and not getattr(request, "htmx", False)
            with tenant_entered_by_slug(
                user, slug, user_applied=user_applied, with_memberships=full_page
            ) as entry:
                actor = entry.actor
                if actor is None:
                    raise Http404
                if perm is not None and not actor.has(perm):
                    raise PermissionDenied
                request.actor = actor  # type: ignore[attr-defined]
                request.tenant = actor.tenant  # type: ignore[attr-defined]
                if entry.memberships is not None:
                    request.own_memberships = entry.memberships  # type: ignore[attr-defined]
                response = view(request, slug, *args, **kwargs)
                if hasattr(response, "render") and not getattr(response, "is_rendered", True):
                    response = response.render()  # render lazily-built responses inside the scope
                return response

        wrapper.required_perm = perm  # type: ignore[attr-defined]  # read by the web/API matrix test
        return wrapper

    return decorator
