"""Resolve the tenant from the URL once, authorise, and run the view inside its scope (rules 5, 8)."""

import functools
from collections.abc import Callable

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse

from verksam.core import bounds
from verksam.tenancy.access import Actor, resolve
from verksam.tenancy.models import Tenant
from verksam.tenancy.permissions import Perm
from verksam.tenancy.scope import tenant_scope
from verksam.tenancy.selectors import tenant_get_by_slug


class TenantRequest(HttpRequest):
    """The request a `tenant_view` receives (for type checking)."""

    actor: Actor
    tenant: Tenant


def tenant_view(perm: Perm | None = None) -> Callable:
    """Decorate a view taking `(request, slug, ...)`: 404 unless the user may enter the tenant,
    403 unless they hold `perm`. Sets `request.actor` and `request.tenant`."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @functools.wraps(view)
        def wrapper(request: HttpRequest, slug: str, *args, **kwargs) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if any(isinstance(v, int) and v > bounds.MAX_ID for v in kwargs.values()):
                raise Http404  # an id no row can have (<int:…> accepts any length): like a missing row
            tenant = tenant_get_by_slug(slug)
            actor = resolve(request.user, tenant) if tenant is not None else None
            if actor is None:
                raise Http404
            if perm is not None and not actor.has(perm):
                raise PermissionDenied
            request.actor = actor  # type: ignore[attr-defined]
            request.tenant = tenant  # type: ignore[attr-defined]
            with tenant_scope(actor.tenant_id):
                response = view(request, slug, *args, **kwargs)
                if hasattr(response, "render") and not getattr(response, "is_rendered", True):
                    response = response.render()  # render lazily-built responses inside the scope
                return response

        wrapper.required_perm = perm  # type: ignore[attr-defined]  # read by the web/API matrix test
        return wrapper

    return decorator
