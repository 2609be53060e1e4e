"""The accounting firm's portal (issue 11): Mina samarbeten, new collaborations, the customer view."""

from django.utils.translation import gettext as _
from ninja import Query, Router, Status

from verksam.core.errors import NotFound
from verksam.partners import selectors, services
from verksam.tenancy.permissions import Perm

from ..paging import Page, PageParams
from ..schemas.partners import (
    CollaborationCreatedOut,
    CollaborationIn,
    CollaborationOut,
    CollaborationQuery,
    InboxLineOut,
    PortalOut,
)
from ..tenant import tenant_endpoint
from ..types import Id

router = Router(tags=["partner portal"])


def _firm_or_404(request):
    if selectors.firm_of(request.actor) is None:
        raise NotFound(_("The company does not exist or you do not have access to it."))
    return request.actor


@router.get(
    "/tenants/{tenant_id}/collaborations",
    response=Page[CollaborationOut],
    summary="Mina samarbeten: the customers I (or, with whole_firm, my firm) work with",
)
@tenant_endpoint()
def collaboration_list(request, tenant_id: Id, filters: Query[CollaborationQuery], params: Query[PageParams]):
    actor = _firm_or_404(request)
    rows = selectors.collaboration_list(
        actor=actor, query=filters.q, sort=filters.sort, whole_firm=filters.whole_firm
    )
    start = (params.page - 1) * params.page_size
    items = [
        {
            "customer_id": r.customer.pk,
            "name": r.customer.name,
            "slug": r.customer.slug,
            "orgnr": r.customer.orgnr,
            "variant": r.customer.variant,
            "level": r.level,
            "badges": r.badges,
            "people": [{"user_id": p.user_id, "name": p.name, "level": p.level} for p in r.people],
        }
        for r in rows[start : start + params.page_size]
    ]
    return {"items": items, "page": params.page, "page_size": params.page_size, "total": len(rows)}


@router.get(
    "/tenants/{tenant_id}/portal-inbox",
    response=list[InboxLineOut],
    summary="The exceptions inbox: what needs action at my customers, with where to act",
)
@tenant_endpoint()
def inbox_list(request, tenant_id: Id):
    actor = _firm_or_404(request)
    return [
        {
            "customer_id": line.customer.pk,
            "customer_name": line.customer.name,
            "key": line.key,
            "label": str(line.label),
            "count": line.count,
            "url": line.url,
        }
        for line in selectors.inbox_list(actor=actor)
    ]


@router.post(
    "/tenants/{tenant_id}/collaborations",
    response={201: CollaborationCreatedOut},
    summary="Skapa nytt samarbete: a Dokument account for a client, its contact invited, FULL access for me",
)
@tenant_endpoint(Perm.COLLABORATIONS_CREATE)
def collaboration_create(request, tenant_id: Id, payload: CollaborationIn):
    _firm_or_404(request)
    new = services.collaboration_create(
        actor=request.actor,
        name=payload.name,
        orgnr=payload.orgnr,
        contact_email=payload.contact_email,
        contact_name=payload.contact_name,
    )
    return Status(
        201,
        {
            "customer_id": new.customer.pk,
            "slug": new.customer.slug,
            "grant_id": new.grant.pk,
            "invitation_id": new.invitation.pk,
        },
    )


@router.get(
    "/tenants/{tenant_id}/portal",
    response=PortalOut,
    summary="The customer view of the portal: the tabs my grant opens (partners only)",
)
@tenant_endpoint()
def portal_get(request, tenant_id: Id):
    actor = request.actor
    if not actor.is_partner:
        raise NotFound(_("The company does not exist or you do not have access to it."))
    return {
        "customer_id": actor.tenant_id,
        "name": actor.tenant.name,
        "level": actor.partner_level,
        "partner_tenant_id": actor.partner_tenant_id,
        "may_log_in": selectors.portal_may_log_in(actor),
        "tabs": [
            {"key": t.key, "label": str(t.label), "built": t.built, "message": str(t.pending)}
            for t in selectors.portal_tabs(actor)
        ],
    }
