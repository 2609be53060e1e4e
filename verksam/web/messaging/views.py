"""Meddelanden: the general and individual channels of a collaboration; new messages appear without
reload (the thread is polled by htmx every few seconds)."""

from django.contrib import messages as flash
from django.core.files.storage import default_storage
from django.db import transaction
from django.http import FileResponse, Http404, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from verksam.core.errors import DomainError
from verksam.messaging import selectors, services
from verksam.partners.selectors import collaboration_firm_ids
from verksam.tenancy.permissions import Perm
from verksam.tenancy.selectors import tenant_get
from verksam.web.decorators import TenantRequest, tenant_view
from verksam.web.portal.views import portal_frame

POLL_SECONDS = 5


def _frame(request: TenantRequest, firm_id: int) -> dict:
    actor = request.actor
    if actor.is_partner:
        return {
            "frame": "web/messaging/frame_portal.html",
            **portal_frame(actor, "messages"),
            "firm_id": firm_id,
        }
    return {"frame": "web/messaging/frame_own.html", "firm": tenant_get(firm_id), "firm_id": firm_id}


def _require(request: TenantRequest, firm_id: int) -> None:
    if not selectors.may_use(request.actor, firm_id):
        raise Http404


def _current(request: TenantRequest, firm_id: int, rows):
    key = request.GET.get("channel") or request.POST.get("channel") or (rows[0].key if rows else "")
    row = next((r for r in rows if r.key == key), None)
    if row is None and rows:
        raise Http404
    return row


@tenant_view()
def messages_home(request: TenantRequest, slug: str) -> HttpResponse:
    actor = request.actor
    if actor.is_partner:
        if not actor.has(Perm.MESSAGES_PARTNER) or actor.partner_tenant_id is None:
            raise Http404
        return redirect("web:messages", slug, actor.partner_tenant_id)
    firm_ids = collaboration_firm_ids(actor.tenant_id)
    if len(firm_ids) == 1:
        return redirect("web:messages", slug, firm_ids[0])
    return render(request, "web/messaging/home.html", {"firms": [tenant_get(pk) for pk in firm_ids]})


@tenant_view()
def channel_view(request: TenantRequest, slug: str, firm_id: int) -> HttpResponse:
    _require(request, firm_id)
    rows = selectors.channel_list(request.actor, firm_id)
    row = _current(request, firm_id, rows)
    context = {
        **_frame(request, firm_id),
        "rows": rows,
        "row": row,
        "items": list(selectors.message_list(row.channel if row else None)),
        "poll": POLL_SECONDS,
        "setting": selectors.message_setting(request.actor, firm_id),
    }
    return render(request, "web/messaging/channel.html", context)


@tenant_view()
def thread(request: TenantRequest, slug: str, firm_id: int) -> HttpResponse:
    """The thread alone, for htmx to poll: new messages appear without a reload."""
    _require(request, firm_id)
    row = _current(request, firm_id, selectors.channel_list(request.actor, firm_id))
    items = list(selectors.message_list(row.channel if row else None))
    return render(
        request,
        "web/messaging/channel.html#thread",
        {"row": row, "items": items, "firm_id": firm_id, "poll": POLL_SECONDS},
    )


@tenant_view()
@require_POST
def post(request: TenantRequest, slug: str, firm_id: int) -> HttpResponse:
    _require(request, firm_id)
    key = request.POST.get("channel", "")
    try:
        with transaction.atomic():
            services.message_post(
                actor=request.actor,
                firm_id=firm_id,
                key=key,
                body=request.POST.get("body", ""),
                files=request.FILES.getlist("files"),
            )
    except DomainError as exc:
        if exc.status == 404:
            raise Http404 from exc
        flash.error(request, exc.message)
        if request.htmx:  # type: ignore[attr-defined]
            return HttpResponse(exc.message, status=422)
    url = reverse("web:messages", args=[slug, firm_id]) + f"?channel={key}"
    return redirect(url)


@tenant_view()
@require_POST
def mark_read(request: TenantRequest, slug: str, firm_id: int) -> HttpResponse:
    _require(request, firm_id)
    try:
        services.channel_mark_read(actor=request.actor, firm_id=firm_id, key=request.POST.get("channel", ""))
    except DomainError as exc:
        raise Http404 from exc
    return HttpResponse(status=204)


@tenant_view()
def attachment(request: TenantRequest, slug: str, attachment_id: int) -> HttpResponseBase:
    found = selectors.attachment_get(request.actor, attachment_id)
    if found is None:
        raise Http404
    response = FileResponse(
        default_storage.open(found.file.name or "", "rb"),
        as_attachment=True,
        filename=found.name,
        content_type=found.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@tenant_view()
@require_POST
def notifications(request: TenantRequest, slug: str, firm_id: int) -> HttpResponse:
    """Turn one's own e-mail about new messages on or off (a checkbox on the messages page)."""
    _require(request, firm_id)
    services.message_setting_update(
        actor=request.actor, firm_id=firm_id, email_on_message=request.POST.get("email_on_message") == "on"
    )
    flash.success(request, _("Your notification settings have been saved."))
    return redirect("web:messages", slug, firm_id)
