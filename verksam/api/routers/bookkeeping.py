"""Bookkeeping (issue 10 items 6-7): booking accounts, cost accounts, fiscal years, vouchers (list,
one, create a draft, post, reverse, delete a draft) and SIE 4I export. Perm.BOOKKEEPING: the
company's TOTAL users and a FULL partner under its grant."""

from typing import Any

from django.http import FileResponse, Http404
from django.utils import timezone
from ninja import Query, Router, Status

from verksam.bookkeeping import export, outlays, selectors, services
from verksam.bookkeeping.dto import RowOut
from verksam.bookkeeping.models import Voucher
from verksam.integrations.accounting import vouchers as pushes
from verksam.payroll.selectors import period_of
from verksam.tenancy.permissions import Perm
from verksam.timecodes.periods import period_for

from ..paging import Page, PageParams, paginate
from ..schemas.bookkeeping import (
    AccountSettingsOut,
    AccountSettingsPatch,
    CostAccountIn,
    CostAccountOut,
    FiscalYearIn,
    FiscalYearOut,
    OutlayToBookOut,
    PrivateOutlayOut,
    PrivateOutlaysQuery,
    SieExportIn,
    VoucherIn,
    VoucherOut,
    VoucherPushOut,
    VoucherQuery,
    VoucherReverseIn,
)
from ..tenant import tenant_endpoint
from ..types import Id

router = Router(tags=["bookkeeping"])

SETTINGS_FIELDS = (
    "input_vat_account",
    "outlay_liability_account",
    "bank_account",
    "card_settlement_account",
    "outlay_series",
    "card_series",
    "manual_series",
)


def _settings_out() -> dict[str, Any]:
    settings = selectors.account_settings()
    return {name: getattr(settings, name) for name in SETTINGS_FIELDS}


def _voucher_out(v: Voucher, *, rows: bool = False) -> dict[str, Any]:
    reversed_by = getattr(v, "reversed_by", None)  # RelatedObjectDoesNotExist is an AttributeError
    out: dict[str, Any] = {
        "id": v.pk,
        "series": v.series,
        "number": v.number,
        "date": v.date,
        "text": v.text,
        "status": v.status,
        "fiscal_year_id": v.fiscal_year_id,
        "source": {"app": v.source_app, "object_id": v.source_id, "description": v.source_text}
        if v.source_app
        else None,
        "receipt_ref": v.receipt_ref,
        "reverses_id": v.reverses_id,
        "reversed_by_id": reversed_by.pk if reversed_by else None,
        "debit_total_ore": getattr(v, "debit_total_ore", None),
    }
    if rows:
        out["rows"] = [
            {
                "account": r.account,
                "debit_ore": r.debit_ore,
                "credit_ore": r.credit_ore,
                "vat_rate": r.vat_rate,
                "project_id": r.project_id,
            }
            for r in v.rows.all()
        ]
        out["debit_total_ore"] = sum(r.debit_ore for r in v.rows.all())
    return out


def _voucher(voucher_id: int) -> Voucher:
    voucher = selectors.voucher_get(voucher_id=voucher_id)
    if voucher is None:
        raise Http404
    return voucher


@router.get(
    "/tenants/{tenant_id}/bookkeeping/settings", response=AccountSettingsOut, summary="Booking accounts"
)
@tenant_endpoint(Perm.BOOKKEEPING)
def settings_get(request, tenant_id: Id):
    return _settings_out()


@router.patch(
    "/tenants/{tenant_id}/bookkeeping/settings",
    response=AccountSettingsOut,
    summary="Change the booking accounts and voucher series",
)
@tenant_endpoint(Perm.BOOKKEEPING)
def settings_update(request, tenant_id: Id, payload: AccountSettingsPatch):
    changes = {k: v for k, v in payload.dict(exclude_unset=True).items() if v is not None}
    services.account_settings_update(actor=request.actor, **changes)
    return _settings_out()


@router.get(
    "/tenants/{tenant_id}/bookkeeping/cost-accounts",
    response=list[CostAccountOut],
    summary="Cost accounts per kind of expense",
)
@tenant_endpoint(Perm.BOOKKEEPING)
def cost_account_list(request, tenant_id: Id):
    return [{"key": c.key, "name": c.name, "account": c.account} for c in selectors.cost_accounts()]


@router.put(
    "/tenants/{tenant_id}/bookkeeping/cost-accounts/{key}",
    response=CostAccountOut,
    summary="Set the cost account of a kind of expense",
)
@tenant_endpoint(Perm.BOOKKEEPING)
def cost_account_put(request, tenant_id: Id, key: str, payload: CostAccountIn):
    row = services.cost_account_save(
        actor=request.actor, key=key[:40], name=payload.name, account=payload.account
    )
    return {"key": row.key, "name": row.name, "account": row.account}


@router.get(
    "/tenants/{tenant_id}/bookkeeping/fiscal-years", response=list[FiscalYearOut], summary="Fiscal years"
)
@tenant_endpoint(Perm.BOOKKEEPING)
def fiscal_year_list(request, tenant_id: Id):
    return [{"id": y.pk, "start": y.start, "end": y.end} for y in selectors.fiscal_years()]


@router.post(
    "/tenants/{tenant_id}/bookkeeping/fiscal-years",
    response={201: FiscalYearOut},
    summary="Add a fiscal year (never overlapping another)",
)
@tenant_endpoint(Perm.BOOKKEEPING)
def fiscal_year_create(request, tenant_id: Id, payload: FiscalYearIn):
    year = services.fiscal_year_create(actor=request.actor, start=payload.start, end=payload.end)
    return Status(201, {"id": year.pk, "start": year.start, "end": year.end})


@router.get("/tenants/{tenant_id}/vouchers", response=Page[VoucherOut], summary="Vouchers, newest first")
@tenant_endpoint(Perm.BOOKKEEPING)
def voucher_list(request, tenant_id: Id, params: Query[PageParams], query: Query[VoucherQuery]):
    flt = selectors.VoucherFilter(
        series=query.series.strip().upper(),
        status=query.status,
        date_from=query.date_from,
        date_to=query.date_to,
    )
    page = paginate(selectors.voucher_list(flt), params.page, params.page_size)
    return page | {"items": [_voucher_out(v) for v in selectors.with_debit_totals(list(page["items"]))]}


@router.get(
    "/tenants/{tenant_id}/vouchers/{voucher_id}", response=VoucherOut, summary="A voucher with its rows"
)
@tenant_endpoint(Perm.BOOKKEEPING)
def voucher_get(request, tenant_id: Id, voucher_id: Id):
    return _voucher_out(_voucher(voucher_id), rows=True)


@router.post(
    "/tenants/{tenant_id}/vouchers",
    response={201: VoucherOut},
    summary="Save a voucher as a draft, or post it at once (the rows must balance)",
)
@tenant_endpoint(Perm.BOOKKEEPING)
def voucher_create(request, tenant_id: Id, payload: VoucherIn):
    draft = services.voucher_create(
        actor=request.actor,
        date=payload.date,
        text=payload.text,
        series=payload.series or "",
        rows=[
            RowOut(r.account, r.debit_ore, r.credit_ore, r.vat_rate, project_id=r.project_id)
            for r in payload.rows
        ],
        post=payload.post,
    )
    return Status(201, _voucher_out(_voucher(draft.id), rows=True))


@router.post(
    "/tenants/{tenant_id}/vouchers/{voucher_id}/post",
    response=VoucherOut,
    summary="Post a draft: it takes the next number of its series and never changes again",
)
@tenant_endpoint(Perm.BOOKKEEPING)
def voucher_post(request, tenant_id: Id, voucher_id: Id):
    services.voucher_post(actor=request.actor, voucher_id=_voucher(voucher_id).pk)
    return _voucher_out(_voucher(voucher_id), rows=True)


@router.post(
    "/tenants/{tenant_id}/vouchers/{voucher_id}/reverse",
    response={201: VoucherOut},
    summary="Reverse a posted voucher with a new posted voucher in the same series",
)
@tenant_endpoint(Perm.BOOKKEEPING)
def voucher_reverse(request, tenant_id: Id, voucher_id: Id, payload: VoucherReverseIn):
    reversal = services.voucher_reverse(
        actor=request.actor, voucher_id=_voucher(voucher_id).pk, date=payload.date
    )
    return Status(201, _voucher_out(_voucher(reversal.id), rows=True))


@router.delete("/tenants/{tenant_id}/vouchers/{voucher_id}", response={204: None}, summary="Delete a draft")
@tenant_endpoint(Perm.BOOKKEEPING)
def voucher_delete(request, tenant_id: Id, voucher_id: Id):
    services.voucher_delete(actor=request.actor, voucher_id=_voucher(voucher_id).pk)
    return Status(204, None)


@router.post(
    "/tenants/{tenant_id}/bookkeeping/sie",
    response={200: None},
    summary="The chosen posted vouchers (ids, or a series and period) as a SIE 4I file (CP437)",
)
@tenant_endpoint(Perm.BOOKKEEPING)
def sie_export(request, tenant_id: Id, payload: SieExportIn):
    flt = None
    if payload.voucher_ids is None:
        flt = selectors.VoucherFilter(
            series=payload.series.strip().upper(), date_from=payload.date_from, date_to=payload.date_to
        )
    result = export.sie_export(actor=request.actor, voucher_ids=payload.voucher_ids, flt=flt)
    response = FileResponse(
        result.file, as_attachment=True, filename=result.filename, content_type="text/plain; charset=IBM437"
    )
    response["Cache-Control"] = "private, no-store"
    return response


@router.get(
    "/tenants/{tenant_id}/outlays-to-book",
    response=list[OutlayToBookOut],
    summary="Attested outlays without a voucher (Att bokföra)",
)
@tenant_endpoint(Perm.BOOKKEEPING)
def outlays_to_book(request, tenant_id: Id):
    return [
        {
            "expense_id": e.pk,
            "employee": e.membership.user.name,
            "registered_on": e.registered_on,
            "purchase_date": e.purchase_date,
            "expense_type": e.expense_type.name,
            "cost_account": e.expense_type.account,
            "amount_ore": e.amount_ore,
            "vat_ore": e.vat_ore,
            "description": e.description,
        }
        for e in outlays.outlays_to_book()
    ]


@router.post(
    "/tenants/{tenant_id}/outlays/{expense_id}/book",
    response={201: VoucherOut},
    summary="Book an attested outlay: its proposal (cost + input VAT / 2820) posted, once",
)
@tenant_endpoint(Perm.BOOKKEEPING)
def outlay_book(request, tenant_id: Id, expense_id: Id):
    voucher = outlays.outlay_book(actor=request.actor, expense_id=expense_id)
    return Status(201, _voucher_out(_voucher(voucher.id), rows=True))


def _push_out(voucher_id: int, push) -> dict[str, Any]:
    return {
        "voucher_id": voucher_id,
        "provider": push.provider,
        "status": push.status,
        "remote_voucher_id": push.remote_voucher_id,
        "attempts": push.attempts,
        "last_error": push.last_error,
    }


@router.get(
    "/tenants/{tenant_id}/vouchers/{voucher_id}/push",
    response=VoucherPushOut,
    summary="The voucher's push to Fortnox / Visma eEkonomi: status and the provider's error (404: not sent)",
)
@tenant_endpoint(Perm.BOOKKEEPING)
def voucher_push_get(request, tenant_id: Id, voucher_id: Id):
    voucher = _voucher(voucher_id)
    push = pushes.push_for_vouchers([voucher.pk]).get(voucher.pk)
    if push is None:
        raise Http404
    return _push_out(voucher.pk, push)


@router.post(
    "/tenants/{tenant_id}/vouchers/{voucher_id}/push",
    response={202: VoucherPushOut},
    summary="Send a posted voucher with its receipt to the accounting system (again after a failure)",
)
@tenant_endpoint(Perm.BOOKKEEPING)
def voucher_push(request, tenant_id: Id, voucher_id: Id):
    voucher = _voucher(voucher_id)
    push = pushes.voucher_push(actor=request.actor, voucher_id=voucher.pk)
    push.refresh_from_db()
    return Status(202, _push_out(voucher.pk, push))


@router.get(
    "/tenants/{tenant_id}/private-outlays",
    response=list[PrivateOutlayOut],
    summary="Attested outlays registered in a period, booked or not (the firm's tab Privata utlägg)",
)
@tenant_endpoint(Perm.EXPENSES_VIEW_ALL)
def private_outlays(request, tenant_id: Id, query: Query[PrivateOutlaysQuery]):
    period = period_of(period_key=query.period or period_for(timezone.localdate()).key)
    claims = outlays.period_claims(start=period.start, end=period.end)
    return [
        {
            "expense_id": e.pk,
            "employee": e.membership.user.name,
            "registered_on": e.registered_on,
            "purchase_date": e.purchase_date,
            "expense_type": e.expense_type.name,
            "amount_ore": e.amount_ore,
            "vat_ore": e.vat_ore,
            "voucher_id": voucher_id,
        }
        for e, voucher_id in claims["expenses"]
    ]
