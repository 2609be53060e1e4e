"""The company's accounting-system page (Inställningar > Bokföringssystem)."""

from urllib.parse import urlencode

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_htmx.http import HttpResponseClientRedirect

from verksam.core.errors import DomainError
from verksam.integrations.accounting import selectors, services
from verksam.integrations.accounting.models import Provider, PushStatus
from verksam.tenancy.models import Tenant
from verksam.tenancy.permissions import Perm
from verksam.web.decorators import tenant_view


def _page(
    request: HttpRequest, *, status: int = 200, error: str = "", authorize_url: str = ""
) -> HttpResponse:
    context = {
        "connection": selectors.connection_active(),
        "providers": Provider.choices,
        "pushes": selectors.push_list(),
        "PushStatus": PushStatus,
        "error": error,
        "authorize_url": authorize_url,
        # connecting and disconnecting are the company's own users' (a partner books, never connects)
        "may_connect": request.actor.has(Perm.ACCOUNTING_SYSTEM_CONNECT),  # type: ignore[attr-defined]
    }
    return render(request, "web/accounting_sync/settings.html", context, status=status)


@tenant_view(Perm.ACCOUNTING_SYSTEM)
def accounting_settings(request: HttpRequest, slug: str) -> HttpResponse:
    return _page(request)


@tenant_view(Perm.ACCOUNTING_SYSTEM_CONNECT)
@require_POST
def accounting_connect(request: HttpRequest, slug: str) -> HttpResponse:
    """Start the OAuth2 flow. With htmx the browser goes straight to the provider (HX-Redirect: CSP
    form-action would block a redirect after a POST); without JavaScript the page shows the link."""
    try:
        url = services.connection_start(actor=request.actor, provider=request.POST.get("provider", ""))  # type: ignore[attr-defined]
    except DomainError as exc:
        return _page(request, status=422, error=exc.message)
    if request.htmx:  # type: ignore[attr-defined]
        return HttpResponseClientRedirect(url)
    return _page(request, authorize_url=url)


def oauth_callback(request: HttpRequest, provider: str) -> HttpResponse:
    """The one redirect URI registered with the provider: find the company in `state` and hand over to
    its own page (which checks the person's access and the state)."""
    if provider not in Provider.values:
        raise Http404
    tenant_id = services.tenant_id_from_state(request.GET.get("state", ""))
    tenant = Tenant.objects.filter(pk=tenant_id).first() if tenant_id else None
    if tenant is None:
        raise Http404
    query = urlencode(
        {"provider": provider} | {k: request.GET.get(k, "") for k in ("code", "state", "error")}
    )
    return redirect(reverse("web:accounting_return", args=[tenant.slug]) + "?" + query)


@tenant_view(Perm.ACCOUNTING_SYSTEM_CONNECT)
def accounting_return(request: HttpRequest, slug: str) -> HttpResponse:
    """Opening the page only shows it (reads never write); its form posts back at once (htmx on load,
    or a button), and the POST exchanges the code for tokens."""
    provider = request.GET.get("provider", "")
    if provider not in Provider.values:
        raise Http404
    data = request.POST if request.method == "POST" else request.GET
    context = {
        "provider": Provider(provider),
        "code": data.get("code", ""),
        "state": data.get("state", ""),
        "error": "",
    }
    if request.method != "POST":
        if request.GET.get("error"):
            context["error"] = _("The accounting system did not approve the connection.")
        return render(request, "web/accounting_sync/return.html", context)
    try:
        connection = services.connection_complete(
            actor=request.actor,  # type: ignore[attr-defined]
            provider=provider,
            state=context["state"],
            code=context["code"],
        )
    except DomainError as exc:
        context["error"] = exc.message
        return render(request, "web/accounting_sync/return.html", context, status=422)
    messages.success(
        request, _("The company is connected to %(name)s.") % {"name": connection.get_provider_display()}
    )
    if request.htmx:  # type: ignore[attr-defined]
        return HttpResponseClientRedirect(reverse("web:accounting_settings", args=[slug]))
    return redirect("web:accounting_settings", slug)


@tenant_view(Perm.ACCOUNTING_SYSTEM_CONNECT)
@require_POST
def accounting_disconnect(request: HttpRequest, slug: str) -> HttpResponse:
    try:
        result = services.connection_disconnect(actor=request.actor)  # type: ignore[attr-defined]
    except DomainError as exc:
        return _page(request, status=422, error=exc.message)
    name = result.connection.get_provider_display()
    if result.revoked:
        messages.success(
            request, _("%(name)s is disconnected and Verksam's access is revoked.") % {"name": name}
        )
    else:
        messages.warning(request, result.message)
    return redirect("web:accounting_settings", slug)


@tenant_view(Perm.ACCOUNTING_SYSTEM)
@require_POST
def accounting_push_retry(request: HttpRequest, slug: str, push_id: int) -> HttpResponse:
    try:
        services.push_retry(actor=request.actor, push_id=push_id)  # type: ignore[attr-defined]
    except DomainError as exc:
        if exc.status == 404:
            raise Http404 from exc
        return _page(request, status=422, error=exc.message)
    messages.success(request, _("The voucher is queued again."))
    return redirect("web:accounting_settings", slug)
