"""Privata utlägg (issue 10 item 9), the accounting firm's tab for a customer: choose a registration
period, see the attested outlays, trips and per diems; a FULL partner (Perm.BOOKKEEPING) books the
unbooked outlays — posted and sent to the connected Fortnox/Visma when there is one — or downloads
the period's outlay vouchers as SIE 4I. A LIMITED partner sees but cannot book. Audited as the partner
(the services record the actor, who carries the firm)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from verksam.bookkeeping import export, outlays
from verksam.core.errors import DomainError
from verksam.integrations.accounting import selectors as accounting
from verksam.integrations.accounting import vouchers
from verksam.payroll.selectors import period_of
from verksam.tenancy.permissions import Perm
from verksam.timecodes.periods import period_for
from verksam.web.decorators import TenantRequest, tenant_view


def _period(request: TenantRequest):
    key = request.GET.get("period") or request.POST.get("period") or period_for(timezone.localdate()).key
    return period_of(period_key=key)


def _page(request: TenantRequest, *, status: int = 200) -> HttpResponse:
    try:
        period = _period(request)
    except DomainError as exc:
        messages.error(request, exc.message)
        period, status = period_of(period_key=period_for(timezone.localdate()).key), 422
    claims = outlays.period_claims(start=period.start, end=period.end)
    frame = {"frame": "web/bookkeeping/frame_own.html"}
    if request.actor.is_partner:
        from verksam.web.portal.views import portal_frame

        frame = {"frame": "web/bookkeeping/frame_portal.html", **portal_frame(request.actor, "expenses")}
    context = {
        **frame,
        "period": period,
        "may_book": request.actor.has(Perm.BOOKKEEPING),
        "connection": accounting.connection_active() if request.actor.has(Perm.BOOKKEEPING) else None,
        **claims,
    }
    return render(request, "web/bookkeeping/private_outlays.html", context, status=status)


@tenant_view(Perm.EXPENSES_VIEW_ALL)
def private_outlays(request: TenantRequest, slug: str) -> HttpResponse:
    return _page(request)


@tenant_view(Perm.EXPENSES_VIEW_ALL)
@require_POST
def private_outlays_book(request: TenantRequest, slug: str) -> HttpResponseBase:
    """Book every unbooked attested outlay of the period; send each to the accounting system."""
    if not request.actor.has(Perm.BOOKKEEPING):
        raise PermissionDenied
    try:
        period = _period(request)
        to_book = outlays.outlays_to_book(start=period.start, end=period.end)
        send = accounting.connection_active() is not None and request.actor.has(Perm.ACCOUNTING_SYSTEM)
        for expense in to_book:
            voucher = outlays.outlay_book(actor=request.actor, expense_id=expense.pk)
            if send:
                vouchers.voucher_push(actor=request.actor, voucher_id=voucher.id)
    except DomainError as exc:
        messages.error(request, exc.message)
        return _page(request, status=422)
    messages.success(request, _("%(n)d outlays are booked.") % {"n": len(to_book)})
    return redirect(request.path.removesuffix("book/") + f"?period={period.key}")


@tenant_view(Perm.EXPENSES_VIEW_ALL)
@require_POST
def private_outlays_sie(request: TenantRequest, slug: str) -> HttpResponseBase:
    """The period's booked outlay vouchers as SIE 4I."""
    if not request.actor.has(Perm.BOOKKEEPING):
        raise PermissionDenied
    try:
        period = _period(request)
        claims = outlays.period_claims(start=period.start, end=period.end)
        ids = [voucher_id for _e, voucher_id in claims["expenses"] if voucher_id]
        result = export.sie_export(actor=request.actor, voucher_ids=ids, flt=None)
    except DomainError as exc:
        messages.error(request, exc.message)
        return _page(request, status=422)
    response = FileResponse(
        result.file, as_attachment=True, filename=result.filename, content_type="text/plain; charset=IBM437"
    )
    response["Cache-Control"] = "private, no-store"
    return response
