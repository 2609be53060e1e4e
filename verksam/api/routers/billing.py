"""Licence prices, balances (saldon), top-ups and the payment provider's webhook."""

from django.http import Http404
from ninja import Query, Router, Status

from verksam.billing import selectors, services
from verksam.tenancy.permissions import Perm

from ..paging import Page, PageParams, paginate
from ..schemas.billing import (
    BalanceEntryOut,
    BalanceOut,
    LicencePriceOut,
    PaymentWebhookIn,
    PaymentWebhookOut,
    TopupIn,
    TopupOut,
)
from ..tenant import tenant_endpoint
from ..types import Id, Word

router = Router(tags=["billing"])


@router.get("/prices", response=list[LicencePriceOut], summary="Licence prices per user and month")
def price_list(request):
    return list(selectors.licence_price_list().values())


@router.get("/tenants/{tenant_id}/balances", response=list[BalanceOut], tags=["balances"])
@tenant_endpoint(Perm.BALANCES_VIEW)
def balance_list(request, tenant_id: Id):
    return selectors.balance_list()


@router.get("/tenants/{tenant_id}/balances/entries", response=Page[BalanceEntryOut], tags=["balances"])
@tenant_endpoint(Perm.BALANCES_VIEW)
def balance_entry_list(request, tenant_id: Id, params: Query[PageParams], kind: Word | None = None):
    return paginate(selectors.balance_entry_list(kind=kind), params.page, params.page_size)


@router.post(
    "/tenants/{tenant_id}/balances/topups",
    response={201: TopupOut},
    tags=["balances"],
    summary="Start a top-up; send the user to checkout_url to pay",
)
@tenant_endpoint(Perm.BALANCES_TOPUP)
def topup_start(request, tenant_id: Id, payload: TopupIn):
    payment = services.topup_start(actor=request.actor, kind=payload.kind, quantity=payload.quantity)
    return Status(201, payment)


@router.get("/tenants/{tenant_id}/balances/topups/{payment_id}", response=TopupOut, tags=["balances"])
@tenant_endpoint(Perm.BALANCES_TOPUP)
def topup_get(request, tenant_id: Id, payment_id: Id):
    payment = selectors.payment_get(payment_id)
    if payment is None:
        raise Http404
    return payment


@router.post(
    "/webhooks/payments",
    auth=None,
    response=PaymentWebhookOut,
    tags=["webhooks"],
    summary="Payment provider notification; the status is fetched from the provider, never trusted",
)
def payment_webhook(request, payload: PaymentWebhookIn):
    payment = services.topup_confirm(provider_payment_id=payload.id)
    return {"id": payload.id, "status": payment.status}
