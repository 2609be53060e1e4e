"""API of company cards and card purchases (issue 10 item 5): cards (admin), the holder's purchases
with receipts, statement import with its templates, matching, attestation and booking."""

from django.http import Http404, HttpResponse
from django.utils.translation import gettext as _
from ninja import File, Query, Router, Status
from ninja.files import UploadedFile

from verksam.cards import booking, importing, selectors, services, statement
from verksam.core.errors import DomainError, Forbidden, NotFound
from verksam.expenses import selectors as expense_selectors
from verksam.tenancy.permissions import Perm

from ..claims import ApiKind, Operation, add_claim_operations
from ..paging import Page, PageParams, paginate
from ..schemas.cards import (
    BookOut,
    CardIn,
    CardOut,
    CardPatch,
    CardPurchaseIn,
    CardPurchaseOut,
    CardPurchasePatch,
    CardRejectIn,
    MatchPickIn,
    StatementImportOut,
)
from ..tenant import tenant_endpoint
from ..types import Id, QueryDate

router = Router(tags=["cards"])
MAX_STATEMENT_BYTES = 10 * 1024 * 1024


def _holder(member_id):
    member = selectors.holders().filter(pk=member_id).first()
    if member is None:
        raise NotFound(_("The user does not exist."), extra={"field": "holder_id"})
    return member


@router.get("/tenants/{tenant_id}/cards", response=list[CardOut], summary="Company cards")
@tenant_endpoint()
def card_list(request, tenant_id: Id):
    actor = request.actor
    if actor.has(Perm.SETTINGS_MANAGE):
        found = list(selectors.cards())
    elif actor.has(Perm.EXPENSES_OWN) and actor.membership is not None:
        found = list(selectors.own_cards(membership_id=actor.membership.pk))
    else:
        raise Forbidden(_("You do not have permission to do this."))
    counts = selectors.card_counts()
    for card in found:
        card.receipts_missing = counts.get(card.pk, 0)  # type: ignore[attr-defined]
    return found


@router.post("/tenants/{tenant_id}/cards", response={201: CardOut}, summary="Add a company card")
@tenant_endpoint(Perm.SETTINGS_MANAGE)
def card_create(request, tenant_id: Id, payload: CardIn):
    data = payload.dict()
    data["holder"] = _holder(data.pop("holder_id"))
    return Status(201, services.card_create(actor=request.actor, **data))


@router.patch("/tenants/{tenant_id}/cards/{card_id}", response=CardOut, summary="Change a company card")
@tenant_endpoint(Perm.SETTINGS_MANAGE)
def card_update(request, tenant_id: Id, card_id: Id, payload: CardPatch):
    card = selectors.card_get(card_id)
    if card is None:
        raise Http404
    data = payload.dict(exclude_unset=True)
    if "holder_id" in data:
        data["holder"] = _holder(data.pop("holder_id"))
    return services.card_update(actor=request.actor, card=card, **data)


def _resolve(data: dict) -> dict:
    out = dict(data)
    if "receipt_id" in out:
        receipt_id = out.pop("receipt_id")
        receipt = expense_selectors.receipt_get(receipt_id) if receipt_id is not None else None
        if receipt_id is not None and receipt is None:
            raise NotFound(_("The receipt does not exist."), extra={"field": "receipt_id"})
        out["receipt"] = receipt
    return out


def _me(request) -> int:
    if request.actor.membership is None:
        raise Http404
    return request.actor.membership.pk


def _own(request, purchase_id: int):
    purchase = selectors.purchase_get(purchase_id)
    if purchase is None or purchase.card.holder_id != _me(request):
        raise Http404
    return purchase


@router.get(
    "/tenants/{tenant_id}/card-purchases", response=Page[CardPurchaseOut], summary="My card purchases"
)
@tenant_endpoint(Perm.EXPENSES_OWN)
def purchase_list(request, tenant_id: Id, params: Query[PageParams]):
    return paginate(selectors.own_purchases(membership_id=_me(request)), params.page, params.page_size)


@router.post(
    "/tenants/{tenant_id}/card-purchases", response={201: CardPurchaseOut}, summary="Register a card purchase"
)
@tenant_endpoint(Perm.EXPENSES_OWN)
def purchase_create(request, tenant_id: Id, payload: CardPurchaseIn):
    data = _resolve(payload.dict())
    card = selectors.card_get(data.pop("card_id"))
    if card is None:
        raise NotFound(_("The card does not exist."), extra={"field": "card_id"})
    return Status(201, services.purchase_create(actor=request.actor, card=card, **data))


@router.patch(
    "/tenants/{tenant_id}/card-purchases/{purchase_id}",
    response=CardPurchaseOut,
    summary="Change an open card purchase",
)
@tenant_endpoint(Perm.EXPENSES_OWN)
def purchase_update(request, tenant_id: Id, purchase_id: Id, payload: CardPurchasePatch):
    purchase = _own(request, purchase_id)
    return services.purchase_update(
        actor=request.actor, purchase=purchase, **_resolve(payload.dict(exclude_unset=True))
    )


@router.get(
    "/tenants/{tenant_id}/card-purchases/{purchase_id}/candidates",
    response=list[CardPurchaseOut],
    summary="Receipts that may belong to a statement line",
)
@tenant_endpoint(Perm.EXPENSES_OWN)
def purchase_candidates(request, tenant_id: Id, purchase_id: Id):
    return importing.match_candidates(line=_own(request, purchase_id))


@router.post(
    "/tenants/{tenant_id}/card-purchases/{purchase_id}/match",
    response=CardPurchaseOut,
    summary="Pick the receipt of a statement line",
)
@tenant_endpoint(Perm.EXPENSES_OWN)
def purchase_match(request, tenant_id: Id, purchase_id: Id, payload: MatchPickIn):
    line = _own(request, purchase_id)
    entered = selectors.purchase_get(payload.purchase_id)
    if entered is None:
        raise NotFound(_("The card purchase does not exist."), extra={"field": "purchase_id"})
    return importing.match_pick(actor=request.actor, line=line, entered=entered)


def _any(purchase_id: int):
    purchase = selectors.purchase_get(purchase_id)
    if purchase is None:
        raise Http404
    return purchase


@router.get(
    "/tenants/{tenant_id}/card-purchases-queue",
    response=list[CardPurchaseOut],
    summary="Card purchases waiting for me",
)
@tenant_endpoint(Perm.TIME_ATTEST)
def purchase_queue(request, tenant_id: Id):
    from verksam.attestation.selectors import attestable_members

    ids = [r.membership.pk for r in attestable_members(actor=request.actor, active_only=False)]
    return selectors.submitted_for(membership_ids=ids)


add_claim_operations(
    router,
    ApiKind(
        module=__name__,
        path="/tenants/{tenant_id}/card-purchases/{purchase_id}",
        params={"purchase_id": Id},
        find=selectors.purchase_get,
        response=CardPurchaseOut,
        out=lambda purchase: purchase,
        operations=(
            Operation("submit", "purchase_submit", "Submit for attestation"),
            Operation("attest", "purchase_attest", "Attest"),
            Operation("reject", "purchase_reject", "Reject", CardRejectIn),
        ),
    ),
)


@router.get(
    "/tenants/{tenant_id}/card-purchases-attested",
    response=list[CardPurchaseOut],
    summary="Attested card purchases of a period",
)
@tenant_endpoint(Perm.EXPENSES_VIEW_ALL)
def purchase_attested(request, tenant_id: Id, start: QueryDate, end: QueryDate):
    if end < start or (end - start).days > 366:
        raise DomainError(
            _("Choose a period of at most one year."), code="invalid_period", extra={"field": "end"}
        )
    return list(selectors.attested_in_period(start=start, end=end))


@router.post(
    "/tenants/{tenant_id}/card-purchases/{purchase_id}/book",
    response=BookOut,
    summary="Book (voucher, post, push)",
)
@tenant_endpoint(Perm.BOOKKEEPING)
def purchase_book(request, tenant_id: Id, purchase_id: Id):
    voucher = booking.purchase_book(actor=request.actor, purchase=_any(purchase_id))
    return {"voucher_id": voucher.id, "voucher_label": voucher.label, "status": voucher.status}


@router.post(
    "/tenants/{tenant_id}/card-statements",
    response={201: StatementImportOut},
    summary="Import a card statement (multipart `file`, CSV or .xlsx)",
    description="Columns in docs/cards.md. All rows or none; lines already imported are reported in "
    "`duplicate_rows` and not imported again. A refused file answers 400 with `errors`, one per row.",
)
@tenant_endpoint(Perm.BOOKKEEPING)
def statement_import(request, tenant_id: Id, file: File[UploadedFile]):
    if file.size and file.size > MAX_STATEMENT_BYTES:
        raise DomainError(_("The file is larger than 10 MB."), code="too_large")
    result = importing.statement_import(actor=request.actor, data=file.read(), file_name=file.name or "")
    return Status(
        201,
        {
            "statement_id": result.statement_id,
            "imported": result.imported,
            "duplicate_rows": list(result.duplicates),
            "matched": result.matched,
        },
    )


@router.get(
    "/tenants/{tenant_id}/card-statements/template.csv",
    response={200: None},
    summary="Statement template (CSV)",
)
@tenant_endpoint()
def template_csv(request, tenant_id: Id):
    response = HttpResponse(statement.template_csv(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="kortutdrag-mall.csv"'
    return response


@router.get(
    "/tenants/{tenant_id}/card-statements/template.xlsx",
    response={200: None},
    summary="Statement template (Excel)",
)
@tenant_endpoint()
def template_xlsx(request, tenant_id: Id):
    response = HttpResponse(
        statement.template_xlsx(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = 'attachment; filename="kortutdrag-mall.xlsx"'
    return response
