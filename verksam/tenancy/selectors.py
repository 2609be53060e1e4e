"""Reads about tenants, members and grants."""

from dataclasses import dataclass

from django.db.models import F, QuerySet

from .models import Licence, Membership, PartnerGrant, Tenant
from .scope import user_scope


@dataclass(frozen=True)
class TenantChoice:
    tenant: Tenant
    role: str  # a licence name, or "FULL"/"LIMITED" for a partner grant
    via_partner: str = ""  # the accounting firm's name when access is through a grant


def tenant_get_by_slug(slug: str) -> Tenant | None:
    return Tenant.objects.filter(slug=slug).first()


def tenant_get(tenant_id: int) -> Tenant | None:
    return Tenant.objects.filter(pk=tenant_id).first()


def tenants_for_user(user) -> list[TenantChoice]:
    """Every tenant the user may enter: own active memberships, then active partner grants."""
    with user_scope(user.pk):
        memberships = list(
            Membership.all_tenants.filter(user=user, is_active=True)
            .select_related("tenant")
            .order_by("tenant__name")
        )
        grants = list(
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
    member_ids = {m.tenant_id for m in memberships}
    choices = [TenantChoice(tenant=m.tenant, role=m.licence) for m in memberships]
    choices += [
        TenantChoice(tenant=g.tenant, role=g.level, via_partner=g.partner_tenant.name)
        for g in grants
        if g.tenant_id not in member_ids
    ]
    return choices


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
