"""Bokföring (issue 10 items 6-7), the bookkeeper's pages (Perm.BOOKKEEPING: the company's TOTAL users
and a FULL partner): the voucher list (filter by series, period and status; choose vouchers → SIE 4I),
a voucher with post / reverse (confirmed) / delete draft, and the settings (booking accounts, cost
accounts per kind of expense, fiscal years). Writes go through verksam.bookkeeping.services."""

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from verksam.bookkeeping import export, selectors, services
from verksam.core import bounds
from verksam.core.errors import DomainError
from verksam.tenancy.permissions import Perm
from verksam.web.decorators import TenantRequest, tenant_view
from verksam.web.errors import add_error

from .forms import AccountSettingsForm, CostAccountForm, FiscalYearForm, ReverseForm, VoucherFilterForm
from .views_push import push_context

PAGE_SIZE = 50
MAX_EXPORT_IDS = 1000  # chosen on a page; a whole period is exported through the filter


def _filter(form: VoucherFilterForm) -> selectors.VoucherFilter:
    if not form.is_valid():
        return selectors.VoucherFilter()
    data = form.cleaned_data
    return selectors.VoucherFilter(
        series=(data["series"] or "").strip().upper(),
        status=data["status"] or "",
        date_from=data["date_from"],
        date_to=data["date_to"],
    )


def _list_page(request: TenantRequest, *, status: int = 200) -> HttpResponse:
    form = VoucherFilterForm(request.GET or None)
    flt = _filter(form)
    page_number = bounds.parse_id(request.GET.get("page")) or 1
    page = Paginator(selectors.voucher_list(flt), PAGE_SIZE).get_page(page_number)
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "vouchers": selectors.with_debit_totals(list(page.object_list)),
        "query": query.urlencode(),
        "filtered": any([flt.series, flt.status, flt.date_from, flt.date_to]),
    }
    return render(request, "web/bookkeeping/list.html", context, status=status)


@tenant_view(Perm.BOOKKEEPING)
def voucher_list(request: TenantRequest, slug: str) -> HttpResponse:
    """The vouchers, newest first, 50 a page, in a constant number of queries."""
    return _list_page(request)


def _voucher(voucher_id: int):
    voucher = selectors.voucher_get(voucher_id=voucher_id)
    if voucher is None:
        raise Http404
    return voucher


def _detail(request: TenantRequest, voucher, *, reverse_form: ReverseForm | None = None, status: int = 200):
    rows = list(voucher.rows.all())
    context = {
        "voucher": voucher,
        "rows": rows,
        "debit_total": sum(r.debit_ore for r in rows),
        "credit_total": sum(r.credit_ore for r in rows),
        "has_projects": any(r.project_id for r in rows),
        "reversed_by": getattr(voucher, "reversed_by", None),
        "reverse_form": reverse_form or ReverseForm(),
        **push_context(voucher),
    }
    return render(request, "web/bookkeeping/voucher.html", context, status=status)


@tenant_view(Perm.BOOKKEEPING)
def voucher_detail(request: TenantRequest, slug: str, voucher_id: int) -> HttpResponse:
    return _detail(request, _voucher(voucher_id))


@tenant_view(Perm.BOOKKEEPING)
@require_POST
def voucher_post(request: TenantRequest, slug: str, voucher_id: int) -> HttpResponse:
    voucher = _voucher(voucher_id)
    try:
        posted = services.voucher_post(actor=request.actor, voucher_id=voucher.pk)
    except DomainError as exc:
        messages.error(request, exc.message)
        return _detail(request, _voucher(voucher_id), status=422)
    messages.success(request, _("The voucher is posted as %(label)s.") % {"label": posted.label})
    return redirect("web:bookkeeping_voucher", slug, voucher.pk)


@tenant_view(Perm.BOOKKEEPING)
@require_POST
def voucher_reverse(request: TenantRequest, slug: str, voucher_id: int) -> HttpResponse:
    voucher = _voucher(voucher_id)
    form = ReverseForm(request.POST)
    if form.is_valid():
        try:
            reversal = services.voucher_reverse(
                actor=request.actor, voucher_id=voucher.pk, date=form.cleaned_data["date"]
            )
        except (DomainError, ValidationError) as exc:
            add_error(form, exc)
        else:
            messages.success(request, _("The voucher is reversed by %(label)s.") % {"label": reversal.label})
            return redirect("web:bookkeeping_voucher", slug, reversal.id)
    return _detail(request, _voucher(voucher_id), reverse_form=form, status=422)


@tenant_view(Perm.BOOKKEEPING)
@require_POST
def voucher_delete(request: TenantRequest, slug: str, voucher_id: int) -> HttpResponse:
    voucher = _voucher(voucher_id)
    try:
        services.voucher_delete(actor=request.actor, voucher_id=voucher.pk)
    except DomainError as exc:
        messages.error(request, exc.message)
        return _detail(request, _voucher(voucher_id), status=422)
    messages.success(request, _("The draft has been deleted."))
    return redirect("web:bookkeeping", slug)


@tenant_view(Perm.BOOKKEEPING)
@require_POST
def sie_download(request: TenantRequest, slug: str) -> HttpResponseBase:
    """The chosen vouchers (checkboxes), or every posted one the filter shows ("all"), as SIE 4I."""
    if request.POST.get("scope") == "filter":
        ids = None
        flt = _filter(VoucherFilterForm(request.POST))
    else:
        raw = request.POST.getlist("voucher")
        if len(raw) > MAX_EXPORT_IDS:
            messages.error(
                request, _("Choose at most %(n)d vouchers, or export the filter.") % {"n": MAX_EXPORT_IDS}
            )
            return _list_page(request, status=422)
        ids = [i for i in (bounds.parse_id(v) for v in raw) if i is not None]
        flt = None
    try:
        result = export.sie_export(actor=request.actor, voucher_ids=ids, flt=flt)
    except DomainError as exc:
        messages.error(request, exc.message)
        return _list_page(request, status=422)
    response = FileResponse(
        result.file, as_attachment=True, filename=result.filename, content_type="text/plain; charset=IBM437"
    )
    response["Cache-Control"] = "private, no-store"
    return response


# --- settings ------------------------------------------------------------------------------------


def _settings_page(
    request: TenantRequest,
    *,
    accounts_form: forms.Form | None = None,
    cost_form: forms.Form | None = None,
    year_form: forms.Form | None = None,
    status: int = 200,
) -> HttpResponse:
    settings = selectors.account_settings()
    initial = {
        name: getattr(settings, name)
        for name in (*services.SETTINGS_ACCOUNTS, "card_settlement_account", *services.SETTINGS_SERIES)
    }
    context = {
        "accounts_form": accounts_form or AccountSettingsForm(initial=initial, prefix="s"),
        "cost_accounts": selectors.cost_accounts(),
        "cost_form": cost_form or CostAccountForm(prefix="c"),
        "fiscal_years": list(selectors.fiscal_years()),
        "year_form": year_form or FiscalYearForm(prefix="y"),
    }
    return render(request, "web/bookkeeping/settings.html", context, status=status)


@tenant_view(Perm.BOOKKEEPING)
def settings_page(request: TenantRequest, slug: str) -> HttpResponse:
    return _settings_page(request)


# The settings page's two forms saved the same way: (form, its prefix, the service, its context name).
SETTINGS_FORMS: dict[str, tuple[type[forms.Form], str, Callable[..., Any], str]] = {
    "accounts": (AccountSettingsForm, "s", services.account_settings_update, "accounts_form"),
    "cost_account": (CostAccountForm, "c", services.cost_account_save, "cost_form"),
}


@tenant_view(Perm.BOOKKEEPING)
@require_POST
def settings_save(request: TenantRequest, slug: str, form_key: str) -> HttpResponse:
    """Save the booking accounts or a cost account (`form_key`, fixed by the URL); errors re-render
    the settings page with that form (422)."""
    form_class, prefix, save, context_name = SETTINGS_FORMS[form_key]
    form = form_class(request.POST, prefix=prefix)
    if form.is_valid():
        try:
            save(actor=request.actor, **form.cleaned_data)
        except (DomainError, ValidationError) as exc:
            add_error(form, exc)
        else:
            messages.success(request, _("The changes have been saved."))
            return redirect("web:bookkeeping_settings", slug)
    return _settings_page(request, **{context_name: form}, status=422)


@tenant_view(Perm.BOOKKEEPING)
@require_POST
def fiscal_year_create(request: TenantRequest, slug: str) -> HttpResponse:
    form = FiscalYearForm(request.POST, prefix="y")
    if form.is_valid():
        try:
            year = services.fiscal_year_create(
                actor=request.actor, start=form.cleaned_data["start"], end=form.cleaned_data["end"]
            )
        except (DomainError, ValidationError) as exc:
            add_error(form, exc)
        else:
            messages.success(request, _("The fiscal year %(year)s has been added.") % {"year": year})
            return redirect("web:bookkeeping_settings", slug)
    return _settings_page(request, year_form=form, status=422)
