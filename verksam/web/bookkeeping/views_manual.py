"""Nytt verifikat (issue 10 item 6): the bookkeeper (Perm.BOOKKEEPING: the company's TOTAL users and
a FULL partner) enters a voucher by hand — series, date, text and rows of an account and a debit or
a credit in kronor — with a live sum of the difference (static/js/vouchers.js), and saves it as a
draft or posts it at once. The same service as `POST /api/v1/tenants/{id}/vouchers`: rows that do
not balance are refused with a Swedish message and nothing is written (422)."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from verksam.bookkeeping import selectors, services
from verksam.core.errors import DomainError
from verksam.projects.selectors import project_choices
from verksam.tenancy.permissions import Perm
from verksam.web.decorators import TenantRequest, tenant_view
from verksam.web.errors import add_error

from .forms import VoucherForm, VoucherRowFormSet

START_ROWS = 4


def _row_kwargs() -> dict:
    return {"projects": project_choices()}  # one query, shared by every row


def _page(request: TenantRequest, form: VoucherForm, rows, *, status: int = 200) -> HttpResponse:
    context = {
        "form": form,
        "rows": rows,
        "accounts": selectors.account_choices(),
        "fiscal_years": list(selectors.fiscal_years()),
    }
    return render(request, "web/bookkeeping/voucher_new.html", context, status=status)


@tenant_view(Perm.BOOKKEEPING)
def voucher_new(request: TenantRequest, slug: str) -> HttpResponse:
    """GET: an empty voucher in the manual series; POST: save it as a draft or post it (`action`)."""
    if request.method != "POST":
        form = VoucherForm(
            initial={"series": selectors.account_settings().manual_series, "date": timezone.localdate()}
        )
        rows = VoucherRowFormSet(prefix="rows", initial=[{}] * START_ROWS, form_kwargs=_row_kwargs())
        return _page(request, form, rows)
    form = VoucherForm(request.POST)
    rows = VoucherRowFormSet(request.POST, prefix="rows", form_kwargs=_row_kwargs())
    if form.is_valid() & rows.is_valid():  # both, so every error shows at once
        post = request.POST.get("action") == "post"
        try:
            voucher = services.voucher_create(
                actor=request.actor,
                date=form.cleaned_data["date"],
                text=form.cleaned_data["text"],
                series=form.cleaned_data["series"],
                rows=[r for r in (f.row() for f in rows.forms if f.cleaned_data) if r is not None],
                post=post,
            )
        except DomainError as exc:
            add_error(form, exc)
        else:
            if post:
                messages.success(request, _("The voucher is posted as %(label)s.") % {"label": voucher.label})
            else:
                messages.success(request, _("The voucher is saved as a draft."))
            return redirect("web:bookkeeping_voucher", slug, voucher.id)
    elif rows.non_form_errors():
        form.add_error(None, rows.non_form_errors())
    return _page(request, form, rows, status=422)
