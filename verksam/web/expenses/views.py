"""Mina utlägg and Mina resor (the employee, phone first), the approver's claims in Attestering,
the permission-checked receipt files, and Inställningar > Utlägg (types and rates). Issue 10."""

import datetime as dt

from django.conf import settings
from django.contrib import messages
from django.db import transaction
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from verksam.attestation import expenses as claims
from verksam.core import bounds
from verksam.core.errors import DomainError
from verksam.core.uploads import private_file_response, size_text
from verksam.expenses import mileage, perdiem, selectors, services
from verksam.expenses.models import RateKind
from verksam.tenancy.permissions import Perm
from verksam.web.claims import claim_act
from verksam.web.decorators import TenantRequest, tenant_view
from verksam.web.errors import add_error

from .forms import (
    CommentForm,
    ExpenseForm,
    ExpenseTypeForm,
    MealsForm,
    PerDiemForm,
    RateForm,
    TripForm,
)


def _too_large(request: TenantRequest) -> bool:
    """A request larger than one receipt may be is refused before its body is read (issue 10)."""
    size = bounds.parse_size(request.META.get("CONTENT_LENGTH") or "0")
    return size is None or size > settings.EXPENSES_MAX_RECEIPT_BYTES + 64 * 1024


def _me(request: TenantRequest) -> int:
    if request.actor.membership is None:
        raise Http404
    return request.actor.membership.pk


def _expense_values(form: ExpenseForm) -> dict:
    data = form.cleaned_data
    return {
        "expense_type": data["expense_type"],
        "purchase_date": data["purchase_date"],
        "amount_ore": data["amount"],
        "vat_25_ore": data["vat_25"],
        "vat_12_ore": data["vat_12"],
        "vat_6_ore": data["vat_6"],
        "description": data["description"],
        "participants": data["participants"],
        "representation_note": data["representation_note"],
    }


def _mine_page(request: TenantRequest, form: ExpenseForm, status: int = 200, error: str = "") -> HttpResponse:
    expenses = list(selectors.own_expenses(membership_id=_me(request))[:200])
    context = {"form": form, "expenses": expenses, "upload_error": error}
    return render(request, "web/expenses/mine.html", context, status=status)


@tenant_view(Perm.EXPENSES_OWN)
def expenses_mine(request: TenantRequest, slug: str) -> HttpResponse:
    _me(request)
    if request.method != "POST":
        return _mine_page(request, ExpenseForm(initial={"purchase_date": timezone.localdate()}))
    if _too_large(request):
        limit = size_text(settings.EXPENSES_MAX_RECEIPT_BYTES)
        error = _("The receipt is larger than %(limit)s.") % {"limit": limit}
        return _mine_page(request, ExpenseForm(), status=413, error=error)
    form = ExpenseForm(request.POST, request.FILES)
    if not form.is_valid():
        return _mine_page(request, form, status=422)
    try:
        with transaction.atomic():
            values = _expense_values(form)
            upload = form.cleaned_data.get("receipt_file")
            if upload:
                values["receipt"] = services.receipt_upload(
                    actor=request.actor, upload=upload, name=upload.name
                )
            expense = services.expense_create(actor=request.actor, **values)
            if request.POST.get("submit"):
                services.item_submit(actor=request.actor, item=expense)
    except DomainError as exc:
        if exc.extra.get("field") == "file":
            exc.extra["field"] = "receipt_file"
        add_error(form, exc)
        return _mine_page(request, form, status=422)
    messages.success(
        request,
        _("The outlay has been submitted.")
        if request.POST.get("submit")
        else _("The outlay has been saved."),
    )
    return redirect("web:expenses_mine", slug)


def _own(request: TenantRequest, kind: str, item_id: int):
    item = selectors.item_get(kind, item_id)
    if item is None or request.actor.membership is None or item.membership_id != request.actor.membership.pk:
        raise Http404
    return item


@tenant_view(Perm.EXPENSES_OWN)
def expense_edit(request: TenantRequest, slug: str, item_id: int) -> HttpResponse:
    expense = _own(request, "expense", item_id)
    initial = {
        "expense_type": expense.expense_type,
        "purchase_date": expense.purchase_date,
        "amount": f"{expense.amount_ore / 100:.2f}".replace(".", ","),
        "vat_25": f"{expense.vat_25_ore / 100:.2f}".replace(".", ","),
        "vat_12": f"{expense.vat_12_ore / 100:.2f}".replace(".", ","),
        "vat_6": f"{expense.vat_6_ore / 100:.2f}".replace(".", ","),
        "description": expense.description,
        "participants": expense.participants,
        "representation_note": expense.representation_note,
    }
    form = ExpenseForm(initial=initial)
    status = 200
    if request.method == "POST":
        if _too_large(request):
            raise Http404
        form = ExpenseForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                with transaction.atomic():
                    values = _expense_values(form)
                    upload = form.cleaned_data.get("receipt_file")
                    if upload:
                        values["receipt"] = services.receipt_upload(
                            actor=request.actor, upload=upload, name=upload.name
                        )
                    services.expense_update(actor=request.actor, expense=expense, **values)
                messages.success(request, _("The outlay has been saved."))
                return redirect("web:expenses_mine", slug)
            except DomainError as exc:
                add_error(form, exc)
        status = 422
    return render(
        request, "web/expenses/expense_edit.html", {"form": form, "expense": expense}, status=status
    )


@tenant_view(Perm.EXPENSES_OWN)
@require_POST
def claim_own_action(request: TenantRequest, slug: str, kind: str, item_id: int, action: str) -> HttpResponse:
    return claim_act(request, slug, kind, item_id, action, own=True)


def _receipt_response(request: TenantRequest, receipt_id: int, thumbnail: bool) -> FileResponse:
    found = claims.receipt_file(actor=request.actor, receipt_id=receipt_id, thumbnail=thumbnail)
    if found is None:
        raise Http404
    return private_file_response(*found)


@tenant_view()
def receipt_file(request: TenantRequest, slug: str, receipt_id: int) -> FileResponse:
    return _receipt_response(request, receipt_id, thumbnail=False)


@tenant_view()
def receipt_thumbnail(request: TenantRequest, slug: str, receipt_id: int) -> FileResponse:
    return _receipt_response(request, receipt_id, thumbnail=True)


# --- Mina resor --------------------------------------------------------------------------------


def _trips_page(request: TenantRequest, trip_form=None, pd_form=None, status: int = 200) -> HttpResponse:
    me = _me(request)
    context = {
        "trip_form": trip_form
        or TripForm(initial={"date": timezone.localdate(), "vehicle": "own"}, prefix="trip"),
        "pd_form": pd_form or PerDiemForm(prefix="pd"),
        "trips": list(selectors.own_trips(membership_id=me)[:200]),
        "per_diems": list(selectors.own_per_diems(membership_id=me)[:200]),
        "max_km": mileage.MAX_KM_PER_DAY,
    }
    return render(request, "web/expenses/trips.html", context, status=status)


@tenant_view(Perm.EXPENSES_OWN)
def trips_mine(request: TenantRequest, slug: str) -> HttpResponse:
    _me(request)
    if request.method != "POST":
        return _trips_page(request)
    if request.POST.get("form") == "perdiem":
        pd_form = PerDiemForm(request.POST, prefix="pd")
        if pd_form.is_valid():
            try:
                perdiem.per_diem_create(actor=request.actor, **pd_form.cleaned_data)
                messages.success(request, _("The per diem has been saved."))
                return redirect("web:trips_mine", slug)
            except DomainError as exc:
                add_error(pd_form, exc)
        return _trips_page(request, pd_form=pd_form, status=422)
    form = TripForm(request.POST, prefix="trip")
    if form.is_valid():
        try:
            mileage.trip_create(actor=request.actor, **form.cleaned_data)
            messages.success(request, _("The trip has been saved."))
            return redirect("web:trips_mine", slug)
        except DomainError as exc:
            add_error(form, exc)
    return _trips_page(request, trip_form=form, status=422)


@tenant_view(Perm.EXPENSES_OWN)
def per_diem_meals(request: TenantRequest, slug: str, item_id: int) -> HttpResponse:
    pd = _own(request, "perdiem", item_id)
    first = timezone.localtime(pd.departure).date()
    last = timezone.localtime(pd.return_at).date()
    days = [first + dt.timedelta(days=i) for i in range((last - first).days + 1)]
    form = MealsForm(request.POST or None, days=days, initial_meals=pd.free_meals)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                perdiem.per_diem_update(actor=request.actor, per_diem=pd, free_meals=form.meals())
                messages.success(request, _("The per diem has been saved."))
                return redirect("web:trips_mine", slug)
            except DomainError as exc:
                form.add_error(None, exc.message)
        status = 422
    return render(request, "web/expenses/meals.html", {"form": form, "pd": pd}, status=status)


# --- the approver ------------------------------------------------------------------------------


@tenant_view(Perm.TIME_ATTEST)
def claims_queue(request: TenantRequest, slug: str) -> HttpResponse:
    rows = claims.claim_queue(actor=request.actor)
    return render(
        request,
        "web/expenses/queue.html",
        {"rows": rows, "may_reopen": request.actor.has(Perm.TIME_REOPEN), "comment_form": CommentForm()},
    )


@tenant_view(Perm.TIME_ATTEST)
@require_POST
def claim_decide(request: TenantRequest, slug: str, kind: str, item_id: int, action: str) -> HttpResponse:
    return claim_act(request, slug, kind, item_id, action, own=False)


# --- Inställningar > Utlägg --------------------------------------------------------------------


def _settings_page(request: TenantRequest, type_form=None, rate_form=None, status: int = 200) -> HttpResponse:
    context = {
        "types": list(selectors.expense_types()),
        "rates": list(selectors.allowance_rates()),
        "kinds": dict(RateKind.choices),
        "type_form": type_form or ExpenseTypeForm(prefix="type"),
        "rate_form": rate_form or RateForm(prefix="rate"),
        "may_edit_rates": request.actor.has(Perm.EXPENSE_RATES_MANAGE),
    }
    return render(request, "web/expenses/settings.html", context, status=status)


def _rate_values(form: RateForm) -> dict:
    data = form.cleaned_data
    return {
        "kind": data["kind"],
        "valid_from": data["valid_from"],
        "tax_free_ore": data["tax_free"],
        "paid_ore": data["paid"],
        "source": data["source"],
    }


@tenant_view(Perm.SETTINGS_MANAGE)
def expense_settings(request: TenantRequest, slug: str) -> HttpResponse:
    if request.method != "POST":
        return _settings_page(request)
    if request.POST.get("form") == "rate":
        rate_form = RateForm(request.POST, prefix="rate")
        if rate_form.is_valid():
            try:
                services.allowance_rate_save(actor=request.actor, **_rate_values(rate_form))
                messages.success(request, _("The rate has been saved."))
                return redirect("web:expense_settings", slug)
            except DomainError as exc:
                add_error(rate_form, exc)
        return _settings_page(request, rate_form=rate_form, status=422)
    form = ExpenseTypeForm(request.POST, prefix="type")
    if form.is_valid():
        try:
            services.expense_type_create(actor=request.actor, **form.cleaned_data)
            messages.success(request, _("The expense type has been saved."))
            return redirect("web:expense_settings", slug)
        except DomainError as exc:
            add_error(form, exc)
    return _settings_page(request, type_form=form, status=422)


@tenant_view(Perm.SETTINGS_MANAGE)
def expense_type_edit(request: TenantRequest, slug: str, type_id: int) -> HttpResponse:
    kind = selectors.expense_type_get(type_id)
    if kind is None:
        raise Http404
    fields = ("name", "account", "paxml_code", "payroll_code", "active", "representation")
    form = ExpenseTypeForm(request.POST or None, initial={f: getattr(kind, f) for f in fields})
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.expense_type_update(actor=request.actor, expense_type=kind, **form.cleaned_data)
                messages.success(request, _("The expense type has been saved."))
                return redirect("web:expense_settings", slug)
            except DomainError as exc:
                add_error(form, exc)
        status = 422
    return render(request, "web/expenses/type_edit.html", {"form": form, "object": kind}, status=status)


@tenant_view(Perm.EXPENSE_RATES_MANAGE)
def rate_edit(request: TenantRequest, slug: str, rate_id: int) -> HttpResponse:
    rate = selectors.allowance_rate_get(rate_id)
    if rate is None:
        raise Http404
    initial = {
        "kind": rate.kind,
        "valid_from": rate.valid_from,
        "tax_free": f"{rate.tax_free_ore / 100:.2f}".replace(".", ","),
        "paid": f"{rate.paid_ore / 100:.2f}".replace(".", ","),
        "source": rate.source,
    }
    form = RateForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.allowance_rate_save(actor=request.actor, rate=rate, **_rate_values(form))
                messages.success(request, _("The rate has been saved."))
                return redirect("web:expense_settings", slug)
            except DomainError as exc:
                add_error(form, exc)
        status = 422
    return render(request, "web/expenses/rate_edit.html", {"form": form, "object": rate}, status=status)
