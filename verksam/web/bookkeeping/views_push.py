"""Skicka till Fortnox / Visma eEkonomi (issue 10 item 8 wiring): a posted voucher queued for the
connected accounting system with its receipt (verksam.integrations.accounting.vouchers); its push's
status and the provider's error shown on the voucher page, "Skicka igen" after a failure."""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from verksam.core.errors import DomainError, NotFound
from verksam.integrations.accounting import selectors as accounting
from verksam.integrations.accounting import vouchers
from verksam.tenancy.permissions import Perm
from verksam.web.decorators import TenantRequest, tenant_view


def push_context(voucher) -> dict:
    """The connection and the voucher's push for the voucher page (two queries)."""
    if not voucher.is_posted:
        return {"push_connection": None, "push": None}
    return {
        "push_connection": accounting.connection_active(),
        "push": vouchers.push_for_vouchers([voucher.pk]).get(voucher.pk),
    }


@tenant_view(Perm.BOOKKEEPING)
@require_POST
def voucher_push(request: TenantRequest, slug: str, voucher_id: int) -> HttpResponse:
    try:
        vouchers.voucher_push(actor=request.actor, voucher_id=voucher_id)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    except DomainError as exc:
        from .views import _detail, _voucher  # the page re-rendered with the message (422)

        messages.error(request, exc.message)
        return _detail(request, _voucher(voucher_id), status=422)
    messages.success(request, _("The voucher is being sent to the accounting system."))
    return redirect("web:bookkeeping_voucher", slug, voucher_id)
