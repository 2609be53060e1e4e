"""Att bokföra (issue 10 item 6 wiring): the bookkeeper's list of attested outlays not yet booked,
each with its proposal booked and posted in one step (verksam.bookkeeping.outlays). An expense is
booked once; an unattested or already booked one is refused with a Swedish message (422)."""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from verksam.bookkeeping import outlays
from verksam.core.errors import DomainError, NotFound
from verksam.tenancy.permissions import Perm
from verksam.web.decorators import TenantRequest, tenant_view


def _page(request: TenantRequest, *, status: int = 200) -> HttpResponse:
    rows = outlays.outlays_to_book()
    return render(request, "web/bookkeeping/outlays.html", {"outlays": rows}, status=status)


@tenant_view(Perm.BOOKKEEPING)
def outlay_list(request: TenantRequest, slug: str) -> HttpResponse:
    """Attested outlays without a voucher, oldest registration first (constant number of queries)."""
    return _page(request)


@tenant_view(Perm.BOOKKEEPING)
@require_POST
def outlay_book(request: TenantRequest, slug: str, expense_id: int) -> HttpResponse:
    try:
        voucher = outlays.outlay_book(actor=request.actor, expense_id=expense_id)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    except DomainError as exc:
        messages.error(request, exc.message)
        return _page(request, status=422)
    messages.success(request, _("The outlay is booked as voucher %(label)s.") % {"label": voucher.label})
    return redirect("web:bookkeeping_voucher", slug, voucher.id)
