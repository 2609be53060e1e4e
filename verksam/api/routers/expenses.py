"""API of expenses, mileage and per diem (issue 10 items 1–3): my claims and receipts, the
approver's queue with attest / reject / reopen, expense types and the dated allowance rates."""

from typing import Any, Literal

from django.http import FileResponse, Http404
from django.utils.translation import gettext as _
from ninja import File, Query, Router, Status
from ninja.files import UploadedFile

from verksam.attestation import expenses as claims
from verksam.core.errors import Forbidden, NotFound
from verksam.core.uploads import private_file_response
from verksam.expenses import mileage, perdiem, selectors, services
from verksam.projects.selectors import project_get
from verksam.tenancy.permissions import Perm

from ..claims import ApiKind, Operation, add_claim_operations
from ..paging import Page, PageParams, paginate
from ..schemas.expenses import (
    CommentIn,
    ExpenseIn,
    ExpenseOut,
    ExpensePatch,
    ExpenseTypeIn,
    ExpenseTypeOut,
    ExpenseTypePatch,
    PerDiemIn,
    PerDiemOut,
    PerDiemPatch,
    QueueMemberOut,
    RateIn,
    RateOut,
    ReasonIn,
    ReceiptOut,
    TripIn,
    TripOut,
    TripPatch,
)
from ..tenant import tenant_endpoint
from ..types import Id

router = Router(tags=["expenses"])
Kind = Literal["expenses", "trips", "per-diems"]
KIND = {"expenses": "expense", "trips": "trip", "per-diems": "perdiem"}


def _own(request, kind: str, item_id: int):
    item = selectors.item_get(kind, item_id)
    membership = request.actor.membership
    if item is None or membership is None or item.membership_id != membership.pk:
        raise Http404
    return item


def _viewable(request, kind: str, item_id: int):
    item = selectors.item_get(kind, item_id)
    if item is None or not claims.may_view_claims(actor=request.actor, membership=item.membership):
        raise Http404
    return item


def _resolve(data: dict[str, Any]) -> dict[str, Any]:
    out = dict(data)
    if "expense_type_id" in out:
        type_id = out.pop("expense_type_id")
        kind = selectors.expense_type_get(type_id) if type_id is not None else None
        if type_id is not None and kind is None:
            raise NotFound(_("The expense type does not exist."), extra={"field": "expense_type_id"})
        out["expense_type"] = kind
    if "project_id" in out:
        project_id = out.pop("project_id")
        project = project_get(project_id) if project_id is not None else None
        if project_id is not None and project is None:
            raise NotFound(_("The project does not exist."), extra={"field": "project_id"})
        out["project"] = project
    if "receipt_id" in out:
        receipt_id = out.pop("receipt_id")
        receipt = selectors.receipt_get(receipt_id) if receipt_id is not None else None
        if receipt_id is not None and receipt is None:  # someone else's: the service answers 404
            raise NotFound(_("The receipt does not exist."), extra={"field": "receipt_id"})
        out["receipt"] = receipt
    return out


# --- expense types -------------------------------------------------------------------------------


def _require_types_reader(request) -> None:
    # the employee chooses a type for an outlay; the administrator edits them (as the web pages)
    if not (request.actor.has(Perm.EXPENSES_OWN) or request.actor.has(Perm.SETTINGS_MANAGE)):
        raise Forbidden(_("You do not have permission to do this."))


@router.get("/tenants/{tenant_id}/expense-types", response=list[ExpenseTypeOut], summary="Expense types")
@tenant_endpoint()
def expense_type_list(request, tenant_id: Id):
    _require_types_reader(request)
    return list(selectors.expense_types())


@router.post(
    "/tenants/{tenant_id}/expense-types", response={201: ExpenseTypeOut}, summary="Add an expense type"
)
@tenant_endpoint(Perm.SETTINGS_MANAGE)
def expense_type_create(request, tenant_id: Id, payload: ExpenseTypeIn):
    return Status(201, services.expense_type_create(actor=request.actor, **payload.dict()))


@router.patch(
    "/tenants/{tenant_id}/expense-types/{type_id}", response=ExpenseTypeOut, summary="Change an expense type"
)
@tenant_endpoint(Perm.SETTINGS_MANAGE)
def expense_type_update(request, tenant_id: Id, type_id: Id, payload: ExpenseTypePatch):
    kind = selectors.expense_type_get(type_id)
    if kind is None:
        raise Http404
    return services.expense_type_update(
        actor=request.actor, expense_type=kind, **payload.dict(exclude_unset=True)
    )


# --- receipts ------------------------------------------------------------------------------------


@router.post(
    "/tenants/{tenant_id}/receipts",
    response={201: ReceiptOut},
    summary="Upload a receipt photo or PDF (multipart `file`)",
    description="JPEG, PNG, HEIC (stored as JPEG) or PDF, sniffed from the content; EXIF incl. the GPS "
    "position is removed. Larger than EXPENSES_MAX_RECEIPT_BYTES: 413 before the body is read.",
)
@tenant_endpoint(Perm.EXPENSES_OWN)
def receipt_upload(request, tenant_id: Id, file: File[UploadedFile]):
    return Status(201, services.receipt_upload(actor=request.actor, upload=file, name=file.name or ""))


def _receipt_file(request, receipt_id: int, thumbnail: bool) -> FileResponse:
    found = claims.receipt_file(actor=request.actor, receipt_id=receipt_id, thumbnail=thumbnail)
    if found is None:
        raise Http404
    return private_file_response(*found)


@router.get(
    "/tenants/{tenant_id}/receipts/{receipt_id}/file", response={200: None}, summary="The receipt file"
)
@tenant_endpoint()
def receipt_file(request, tenant_id: Id, receipt_id: Id):
    return _receipt_file(request, receipt_id, thumbnail=False)


@router.get(
    "/tenants/{tenant_id}/receipts/{receipt_id}/thumbnail", response={200: None}, summary="Its thumbnail"
)
@tenant_endpoint()
def receipt_thumbnail(request, tenant_id: Id, receipt_id: Id):
    return _receipt_file(request, receipt_id, thumbnail=True)


# --- my expenses, trips, per diems ---------------------------------------------------------------


def _me(request) -> int:
    membership = request.actor.membership
    if membership is None:
        raise Http404
    return membership.pk


@router.get("/tenants/{tenant_id}/expenses", response=Page[ExpenseOut], summary="My outlays")
@tenant_endpoint(Perm.EXPENSES_OWN)
def expense_list(request, tenant_id: Id, params: Query[PageParams]):
    return paginate(selectors.own_expenses(membership_id=_me(request)), params.page, params.page_size)


@router.post("/tenants/{tenant_id}/expenses", response={201: ExpenseOut}, summary="Register an outlay")
@tenant_endpoint(Perm.EXPENSES_OWN)
def expense_create(request, tenant_id: Id, payload: ExpenseIn):
    return Status(201, services.expense_create(actor=request.actor, **_resolve(payload.dict())))


@router.get("/tenants/{tenant_id}/expenses/{item_id}", response=ExpenseOut, summary="One outlay")
@tenant_endpoint()
def expense_get(request, tenant_id: Id, item_id: Id):
    return _viewable(request, "expense", item_id)


@router.patch("/tenants/{tenant_id}/expenses/{item_id}", response=ExpenseOut, summary="Change a draft outlay")
@tenant_endpoint(Perm.EXPENSES_OWN)
def expense_update(request, tenant_id: Id, item_id: Id, payload: ExpensePatch):
    expense = _own(request, "expense", item_id)
    changes = _resolve(payload.dict(exclude_unset=True))
    return services.expense_update(actor=request.actor, expense=expense, **changes)


@router.get("/tenants/{tenant_id}/trips", response=Page[TripOut], summary="My trips (mileage)")
@tenant_endpoint(Perm.EXPENSES_OWN)
def trip_list(request, tenant_id: Id, params: Query[PageParams]):
    return paginate(selectors.own_trips(membership_id=_me(request)), params.page, params.page_size)


@router.post("/tenants/{tenant_id}/trips", response={201: TripOut}, summary="Register a trip")
@tenant_endpoint(Perm.EXPENSES_OWN)
def trip_create(request, tenant_id: Id, payload: TripIn):
    return Status(201, mileage.trip_create(actor=request.actor, **_resolve(payload.dict())))


@router.patch("/tenants/{tenant_id}/trips/{item_id}", response=TripOut, summary="Change a draft trip")
@tenant_endpoint(Perm.EXPENSES_OWN)
def trip_update(request, tenant_id: Id, item_id: Id, payload: TripPatch):
    trip = _own(request, "trip", item_id)
    return mileage.trip_update(actor=request.actor, trip=trip, **payload.dict(exclude_unset=True))


@router.get("/tenants/{tenant_id}/per-diems", response=Page[PerDiemOut], summary="My per diems")
@tenant_endpoint(Perm.EXPENSES_OWN)
def per_diem_list(request, tenant_id: Id, params: Query[PageParams]):
    return paginate(selectors.own_per_diems(membership_id=_me(request)), params.page, params.page_size)


@router.post("/tenants/{tenant_id}/per-diems", response={201: PerDiemOut}, summary="Register a per diem")
@tenant_endpoint(Perm.EXPENSES_OWN)
def per_diem_create(request, tenant_id: Id, payload: PerDiemIn):
    return Status(201, perdiem.per_diem_create(actor=request.actor, **payload.dict()))


@router.patch(
    "/tenants/{tenant_id}/per-diems/{item_id}", response=PerDiemOut, summary="Change a draft per diem"
)
@tenant_endpoint(Perm.EXPENSES_OWN)
def per_diem_update(request, tenant_id: Id, item_id: Id, payload: PerDiemPatch):
    pd = _own(request, "perdiem", item_id)
    return perdiem.per_diem_update(actor=request.actor, per_diem=pd, **payload.dict(exclude_unset=True))


# --- the approver --------------------------------------------------------------------------------


@router.get(
    "/tenants/{tenant_id}/claims/queue", response=list[QueueMemberOut], summary="Claims waiting for me"
)
@tenant_endpoint(Perm.TIME_ATTEST)
def claim_queue(request, tenant_id: Id):
    return [
        {
            "member_id": row.membership.pk,
            "name": row.membership.user.name,
            "on_behalf_of_id": getattr(row.on_behalf_of, "pk", None),
            "total_ore": row.total_ore,
            "expenses": row.expenses,
            "trips": row.trips,
            "per_diems": row.per_diems,
        }
        for row in claims.claim_queue(actor=request.actor)
    ]


add_claim_operations(
    router,
    ApiKind(
        module=__name__,
        path="/tenants/{tenant_id}/claims/{kind}/{item_id}",
        params={"kind": Kind, "item_id": Id},
        find=lambda kind, item_id: selectors.item_get(KIND[kind], item_id),
        response=dict,
        out=lambda item: {"id": item.pk, "status": item.status},
        operations=(
            Operation("delete", "claim_delete", "Delete a draft"),
            Operation("submit", "claim_submit", "Submit (locks it)"),
            Operation("withdraw", "claim_withdraw", "Withdraw a submitted one"),
            Operation("attest", "claim_attest", "Attest a claim"),
            Operation("reject", "claim_reject", "Send a claim back", CommentIn),
            Operation("reopen", "claim_reopen", "Reopen an attested claim", ReasonIn),
        ),
    ),
)


# --- rates ---------------------------------------------------------------------------------------


@router.get(
    "/tenants/{tenant_id}/allowance-rates", response=list[RateOut], summary="Mileage and per diem rates"
)
@tenant_endpoint()
def rate_list(request, tenant_id: Id):
    _require_types_reader(request)
    return list(selectors.allowance_rates())


@router.post(
    "/tenants/{tenant_id}/allowance-rates", response={201: RateOut}, summary="Add a dated rate (TOTAL)"
)
@tenant_endpoint(Perm.EXPENSE_RATES_MANAGE)
def rate_create(request, tenant_id: Id, payload: RateIn):
    return Status(201, services.allowance_rate_save(actor=request.actor, **payload.dict()))


@router.put(
    "/tenants/{tenant_id}/allowance-rates/{rate_id}", response=RateOut, summary="Change a rate (TOTAL)"
)
@tenant_endpoint(Perm.EXPENSE_RATES_MANAGE)
def rate_update(request, tenant_id: Id, rate_id: Id, payload: RateIn):
    rate = selectors.allowance_rate_get(rate_id)
    if rate is None:
        raise Http404
    return services.allowance_rate_save(actor=request.actor, rate=rate, **payload.dict())
