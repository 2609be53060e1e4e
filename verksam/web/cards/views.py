"""Mina kortköp (the holder, phone first), Företagskort (cards and statement import), the approver's
card purchases, and the statement templates. Issue 10 item 5."""

import datetime as dt

from django.conf import settings
from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from verksam.attestation.selectors import attestable_members
from verksam.cards import booking, importing, selectors, services, statement
from verksam.core import bounds
from verksam.core.errors import DomainError
from verksam.core.uploads import size_text
from verksam.expenses import claims
from verksam.expenses import services as expense_services
from verksam.tenancy.permissions import Perm
from verksam.web.claims import claim_act
from verksam.web.decorators import TenantRequest, tenant_view
from verksam.web.errors import add_error

from .forms import CardForm, LineForm, PeriodForm, PurchaseForm, StatementForm

MAX_STATEMENT_BYTES = 10 * 1024 * 1024


def _too_large(request: TenantRequest, limit: int) -> bool:
    size = bounds.parse_size(request.META.get("CONTENT_LENGTH") or "0")
    return size is None or size > limit + 64 * 1024


def _me(request: TenantRequest) -> int:
    if request.actor.membership is None:
        raise Http404
    return request.actor.membership.pk


def _receipt(request: TenantRequest, form) -> dict:
    upload = form.cleaned_data.get("receipt_file")
    if not upload:
        return {}
    return {"receipt": expense_services.receipt_upload(actor=request.actor, upload=upload, name=upload.name)}


def _vat(form) -> dict:
    data = form.cleaned_data
    return {"vat_25_ore": data["vat_25"], "vat_12_ore": data["vat_12"], "vat_6_ore": data["vat_6"]}


def _mine_page(
    request: TenantRequest, form: PurchaseForm, status: int = 200, error: str = ""
) -> HttpResponse:
    me = _me(request)
    context = {
        "form": form,
        "purchases": list(selectors.own_purchases(membership_id=me)[:200]),
        "missing": selectors.receipt_missing_count(membership_id=me),
        "has_cards": selectors.own_cards(membership_id=me).exists(),
        "upload_error": error,
    }
    return render(request, "web/cards/mine.html", context, status=status)


@tenant_view(Perm.EXPENSES_OWN)
def cards_mine(request: TenantRequest, slug: str) -> HttpResponse:
    me = _me(request)
    if request.method != "POST":
        return _mine_page(
            request, PurchaseForm(membership_id=me, initial={"purchase_date": timezone.localdate()})
        )
    if _too_large(request, settings.EXPENSES_MAX_RECEIPT_BYTES):
        error = _("The receipt is larger than %(limit)s.") % {
            "limit": size_text(settings.EXPENSES_MAX_RECEIPT_BYTES)
        }
        return _mine_page(request, PurchaseForm(membership_id=me), status=413, error=error)
    form = PurchaseForm(request.POST, request.FILES, membership_id=me)
    if not form.is_valid():
        return _mine_page(request, form, status=422)
    data = form.cleaned_data
    try:
        with transaction.atomic():
            purchase = services.purchase_create(
                actor=request.actor,
                card=data["card"],
                purchase_date=data["purchase_date"],
                amount_ore=data["amount"],
                merchant=data["merchant"],
                account=data["account"],
                description=data["description"],
                **_vat(form),
                **_receipt(request, form),
            )
            if request.POST.get("submit"):
                claims.item_submit(actor=request.actor, item=purchase)
    except DomainError as exc:
        if exc.extra.get("field") in ("file", "receipt"):
            exc.extra["field"] = "receipt_file"
        add_error(form, exc)
        return _mine_page(request, form, status=422)
    messages.success(request, _("The card purchase has been saved."))
    return redirect("web:cards_mine", slug)


def _own(request: TenantRequest, purchase_id: int):
    purchase = selectors.purchase_get(purchase_id)
    if purchase is None or purchase.card.holder_id != _me(request):
        raise Http404
    return purchase


def _line_page(request, purchase, form, status=200) -> HttpResponse:
    context = {"purchase": purchase, "form": form, "candidates": importing.match_candidates(line=purchase)}
    return render(request, "web/cards/line.html", context, status=status)


@tenant_view(Perm.EXPENSES_OWN)
def purchase_edit(request: TenantRequest, slug: str, purchase_id: int) -> HttpResponse:
    """One purchase of the holder's: add the receipt, VAT and account, pick a matching receipt, submit."""
    purchase = _own(request, purchase_id)
    money = lambda ore: f"{ore / 100:.2f}".replace(".", ",")  # noqa: E731
    initial = {
        "vat_25": money(purchase.vat_25_ore),
        "vat_12": money(purchase.vat_12_ore),
        "vat_6": money(purchase.vat_6_ore),
        "account": purchase.account,
        "description": purchase.description,
    }
    if request.method != "POST":
        return _line_page(request, purchase, LineForm(initial=initial))
    if _too_large(request, settings.EXPENSES_MAX_RECEIPT_BYTES):
        raise Http404
    form = LineForm(request.POST, request.FILES)
    if not form.is_valid():
        return _line_page(request, purchase, form, status=422)
    try:
        with transaction.atomic():
            changes = {
                "account": form.cleaned_data["account"],
                "description": form.cleaned_data["description"],
            }
            purchase = services.purchase_update(
                actor=request.actor, purchase=purchase, **changes, **_vat(form), **_receipt(request, form)
            )
            if request.POST.get("submit"):
                claims.item_submit(actor=request.actor, item=purchase)
    except DomainError as exc:
        if exc.extra.get("field") in ("file", "receipt"):
            exc.extra["field"] = "receipt_file"
        add_error(form, exc)
        return _line_page(request, _own(request, purchase_id), form, status=422)
    messages.success(request, _("The card purchase has been saved."))
    return redirect("web:cards_mine", slug)


@tenant_view(Perm.EXPENSES_OWN)
@require_POST
def purchase_pick(request: TenantRequest, slug: str, purchase_id: int, entered_id: int) -> HttpResponse:
    line = _own(request, purchase_id)
    entered = _own(request, entered_id)
    try:
        importing.match_pick(actor=request.actor, line=line, entered=entered)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("web:card_purchase_edit", slug, purchase_id)
    messages.success(request, _("The receipt is now linked to the statement line."))
    return redirect("web:cards_mine", slug)


# --- administration: cards and statements ---------------------------------------------------------


def _admin_page(request, card_form, statement_form, status=200, result=None, errors=()) -> HttpResponse:
    cards = list(selectors.cards())
    counts = selectors.card_counts()
    for card in cards:
        card.receipts_missing = counts.get(card.pk, 0)  # type: ignore[attr-defined]
    context = {
        "cards": cards,
        "card_form": card_form,
        "statement_form": statement_form,
        "may_import": request.actor.has(Perm.BOOKKEEPING),
        "result": result,
        "import_errors": errors,
        "imports": list(selectors.statement_imports()[:10]),
    }
    return render(request, "web/cards/admin.html", context, status=status)


@tenant_view(Perm.SETTINGS_MANAGE)
def cards_admin(request: TenantRequest, slug: str) -> HttpResponse:
    if request.method != "POST":
        return _admin_page(request, CardForm(), StatementForm())
    form = CardForm(request.POST)
    if not form.is_valid():
        return _admin_page(request, form, StatementForm(), status=422)
    try:
        services.card_create(actor=request.actor, **form.cleaned_data)
    except DomainError as exc:
        add_error(form, exc)
        return _admin_page(request, form, StatementForm(), status=422)
    messages.success(request, _("The card has been added."))
    return redirect("web:cards_admin", slug)


@tenant_view(Perm.SETTINGS_MANAGE)
@require_POST
def card_toggle(request: TenantRequest, slug: str, card_id: int) -> HttpResponse:
    card = selectors.card_get(card_id)
    if card is None:
        raise Http404
    services.card_update(actor=request.actor, card=card, active=not card.active)
    return redirect("web:cards_admin", slug)


@tenant_view(Perm.BOOKKEEPING)
def statement_upload(request: TenantRequest, slug: str) -> HttpResponse:
    if request.method != "POST":
        return redirect("web:cards_admin", slug)
    if _too_large(request, MAX_STATEMENT_BYTES):
        form = StatementForm()
        form.add_error(None, _("The file is larger than 10 MB."))
        return _admin_page(request, CardForm(), form, status=413)
    form = StatementForm(request.POST, request.FILES)
    if not form.is_valid():
        return _admin_page(request, CardForm(), form, status=422)
    upload = form.cleaned_data["file"]
    try:
        result = importing.statement_import(actor=request.actor, data=upload.read(), file_name=upload.name)
    except DomainError as exc:
        form.add_error(None, exc.message)
        return _admin_page(request, CardForm(), form, status=422, errors=exc.extra.get("errors", ()))
    return _admin_page(request, CardForm(), StatementForm(), result=result)


@tenant_view()
def statement_template(request: TenantRequest, slug: str, fmt: str) -> HttpResponse:
    if fmt == "csv":
        response = HttpResponse(statement.template_csv(), content_type="text/csv; charset=utf-8")
    elif fmt == "xlsx":
        response = HttpResponse(
            statement.template_xlsx(),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    else:
        raise Http404
    response["Content-Disposition"] = f'attachment; filename="kortutdrag-mall.{fmt}"'
    return response


# --- the approver ----------------------------------------------------------------------------------


@tenant_view(Perm.TIME_ATTEST)
def cards_queue(request: TenantRequest, slug: str) -> HttpResponse:
    ids = [r.membership.pk for r in attestable_members(actor=request.actor, active_only=False)]
    return render(request, "web/cards/queue.html", {"purchases": selectors.submitted_for(membership_ids=ids)})


@tenant_view(Perm.TIME_ATTEST)
@require_POST
def cards_decide(request: TenantRequest, slug: str, purchase_id: int, action: str) -> HttpResponse:
    return claim_act(request, slug, "card", purchase_id, action, own=False, kinds=("card",))


@tenant_view(Perm.BOOKKEEPING)
@require_POST
def purchase_book(request: TenantRequest, slug: str, purchase_id: int) -> HttpResponse:
    purchase = selectors.purchase_get(purchase_id)
    if purchase is None:
        raise Http404
    try:
        voucher = booking.purchase_book(actor=request.actor, purchase=purchase)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Booked as voucher %(label)s.") % {"label": voucher.label})
    if request.POST.get("back") == "portal":
        return redirect(f"{reverse('web:cards_portal', args=[slug])}?{request.POST.get('period', '')[:60]}")
    return redirect("web:cards_admin", slug)


# --- the accounting firm's tab "Inköp företagskort" (and the company's bookkeeper) -----------------


@tenant_view(Perm.EXPENSES_VIEW_ALL)
def cards_portal(request: TenantRequest, slug: str) -> HttpResponse:
    """Attested card purchases of a chosen period: book them (FULL: BOOKKEEPING) and download SIE."""
    from verksam.web.portal.views import portal_frame

    # By default the previous month and this one: early in a month the firm books the month just
    # ended (on 2 December a purchase of 30 November must show without choosing a period).
    today = timezone.localdate()
    first = (today.replace(day=1) - dt.timedelta(days=1)).replace(day=1)
    form = PeriodForm(request.GET or {"start": first.isoformat(), "end": today.isoformat()})
    status, purchases = 200, []
    if form.is_valid():
        purchases = list(
            selectors.attested_in_period(start=form.cleaned_data["start"], end=form.cleaned_data["end"])
        )
    else:
        status = 422
    context = {
        **(portal_frame(request.actor, "card_purchases") if request.actor.is_partner else {}),
        "period_form": form,
        "purchases": purchases,
        "may_book": request.actor.has(Perm.BOOKKEEPING),
        "period": request.GET.urlencode(),
        "booked_vouchers": [p.voucher_id for p in purchases if p.voucher_id],
    }
    return render(request, "web/cards/portal.html", context, status=status)
