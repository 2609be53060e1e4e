"""Reads about tenants, members and grants."""

from dataclasses import dataclass

from django.db.models import F, QuerySet

from .access import own_memberships
from .invitation_links import InvitationLink, invitation_link_parse
from .models import Invitation, InvitationStatus, Licence, Membership, PartnerGrant, Tenant
from .scope import tenant_scope, user_scope


@dataclass(frozen=True)
class TenantChoice:
    tenant: Tenant
    role: str  # a licence name, or "FULL"/"LIMITED" for a partner grant
    via_partner: str = ""  # the accounting firm's name when access is through a grant


def tenant_get_by_slug(slug: str) -> Tenant | None:
    return Tenant.objects.filter(slug=slug).first()


def tenant_get(tenant_id: int) -> Tenant | None:
    return Tenant.objects.filter(pk=tenant_id).first()


def tenants_for_user(user, *, memberships: list[Membership] | None = None) -> list[TenantChoice]:
    """Every tenant the user may enter: own active memberships, then active partner grants.

    `memberships`: the user's active memberships as `access.own_memberships` reads them, when the
    caller read them already (a web page's tenant entry, issue 13)."""
    grants: list[PartnerGrant] = []
    if memberships is None:
        with user_scope(user.pk):
            memberships = list(own_memberships(user.pk))
            if _may_hold_grants(memberships):
                grants = _grants_held(user)
    elif _may_hold_grants(memberships):
        with user_scope(user.pk):
            grants = _grants_held(user)
    member_ids = {m.tenant_id for m in memberships}
    choices = [TenantChoice(tenant=m.tenant, role=m.licence) for m in memberships]
    choices += [
        TenantChoice(tenant=g.tenant, role=g.level, via_partner=g.partner_tenant.name)
        for g in grants
        if g.tenant_id not in member_ids
    ]
    return choices


def _may_hold_grants(memberships: list[Membership]) -> bool:
    """A grant admits only a member of its accounting firm (a Partner tenant): nobody else holds any."""
    return any(m.tenant.is_partner for m in memberships)


def _grants_held(user) -> list[PartnerGrant]:
    """The user's active grants whose accounting firm they are an active member of (in user_scope)."""
    return list(
        PartnerGrant.all_tenants.filter(
            user=user,
            revoked_at__isnull=True,
            partner_tenant__variant="partner",
            user__memberships__tenant_id=F("partner_tenant_id"),
            user__memberships__is_active=True,
        )
        .select_related("tenant", "partner_tenant")
        .order_by("tenant__name")
    )


def membership_list(*, active_only: bool = False) -> QuerySet[Membership]:
    """Members of the tenant in scope, with user and approver loaded (a constant number of queries)."""
    qs = Membership.objects.select_related("user", "approver__user").order_by("user__name")
    return qs.filter(is_active=True) if active_only else qs


def membership_get(membership_id: int) -> Membership | None:
    return Membership.objects.select_related("user").filter(pk=membership_id).first()


def active_total_count() -> int:
    return Membership.objects.filter(is_active=True, licence=Licence.TOTAL).count()


def partner_grant_list(*, include_revoked: bool = False) -> QuerySet[PartnerGrant]:
    qs = PartnerGrant.objects.select_related("user", "partner_tenant", "created_by", "revoked_by")
    return qs if include_revoked else qs.filter(revoked_at__isnull=True)


def partner_grant_get(grant_id: int) -> PartnerGrant | None:
    return partner_grant_list(include_revoked=True).filter(pk=grant_id).first()


def invitation_list() -> QuerySet[Invitation]:
    """The tenant's invitations that wait for an answer, by address (all the tenant knows of them)."""
    return (
        Invitation.objects.filter(status=InvitationStatus.PENDING)
        .select_related("invited_by")
        .order_by("email")
    )


def invitation_get(invitation_id: int) -> Invitation | None:
    return Invitation.objects.select_related("tenant").filter(pk=invitation_id).first()


def invitation_get_by_link(token: str) -> tuple[InvitationLink, Invitation] | None:
    """The invitation a link names, if the link is genuine and still its current one (a resend
    replaces it). The signature is what allows reading in the invitation's tenant without a login."""
    link = invitation_link_parse(token)
    if link is None:
        return None
    with tenant_scope(link.tenant_id):
        invitation = (
            Invitation.objects.select_related("tenant", "invited_by")
            .filter(pk=link.invitation_id, nonce=link.nonce)
            .first()
        )
    return None if invitation is None else (link, invitation)


def invitations_for_user(user, *, invitation_id: int | None = None) -> list[Invitation]:
    """The invitations waiting for `user`'s answer, in every tenant (their own rows, under user_scope)."""
    with user_scope(user.pk):
        qs = Invitation.all_tenants.filter(user=user, status=InvitationStatus.PENDING)
        if invitation_id is not None:
            qs = qs.filter(pk=invitation_id)
        return list(qs.select_related("tenant", "invited_by").order_by("tenant__name"))
