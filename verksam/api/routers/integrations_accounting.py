"""The company's accounting system (Fortnox / Visma eEkonomi): connection and pushed vouchers."""

from ninja import Query, Router

from verksam.integrations.accounting import selectors, services
from verksam.tenancy.permissions import Perm

from ..paging import Page, PageParams, paginate
from ..schemas.integrations_accounting import (
    AccountingAuthorizeIn,
    AccountingAuthorizeOut,
    AccountingConnectionOut,
    AccountingDisconnectOut,
    AccountingPushOut,
)
from ..tenant import tenant_endpoint
from ..types import Id

router = Router(tags=["accounting system"])


@router.get("/tenants/{tenant_id}/accounting/connection", response=AccountingConnectionOut)
@tenant_endpoint(Perm.ACCOUNTING_SYSTEM)
def connection_get(request, tenant_id: Id):
    connection = selectors.connection_active()
    return {
        "connected": connection is not None,
        "provider": connection.provider if connection else None,
        "provider_label": connection.get_provider_display() if connection else None,
        "connected_at": connection.connected_at if connection else None,
    }


@router.post(
    "/tenants/{tenant_id}/accounting/connection/authorize",
    response=AccountingAuthorizeOut,
    summary="Start connecting: the provider's authorisation URL (OAuth2 authorisation code)",
    description="The company's own users with the permission only (TOTAL), never an accounting firm.",
)
@tenant_endpoint(Perm.ACCOUNTING_SYSTEM_CONNECT)
def connection_start(request, tenant_id: Id, payload: AccountingAuthorizeIn):
    return {"authorize_url": services.connection_start(actor=request.actor, provider=payload.provider)}


@router.delete(
    "/tenants/{tenant_id}/accounting/connection",
    response=AccountingDisconnectOut,
    summary="Disconnect: revoke the access at the provider and delete the tokens",
    description=(
        "The tokens are deleted even when the provider cannot be reached; then `revoked_at_provider` "
        "is false and `message` says to revoke the access at the provider. The company's own users only."
    ),
)
@tenant_endpoint(Perm.ACCOUNTING_SYSTEM_CONNECT)
def connection_disconnect(request, tenant_id: Id):
    result = services.connection_disconnect(actor=request.actor)
    return {
        "provider": result.connection.provider,
        "revoked_at_provider": result.revoked,
        "message": result.message,
    }


@router.get("/tenants/{tenant_id}/accounting/pushes", response=Page[AccountingPushOut])
@tenant_endpoint(Perm.ACCOUNTING_SYSTEM)
def push_list(request, tenant_id: Id, params: Query[PageParams]):
    return paginate(selectors.push_queryset(), params.page, params.page_size)


@router.get("/tenants/{tenant_id}/accounting/pushes/{push_id}", response=AccountingPushOut)
@tenant_endpoint(Perm.ACCOUNTING_SYSTEM)
def push_get(request, tenant_id: Id, push_id: Id):
    return selectors.push_get(push_id=push_id)


@router.post("/tenants/{tenant_id}/accounting/pushes/{push_id}/retry", response=AccountingPushOut)
@tenant_endpoint(Perm.ACCOUNTING_SYSTEM)
def push_retry(request, tenant_id: Id, push_id: Id):
    return services.push_retry(actor=request.actor, push_id=push_id)
