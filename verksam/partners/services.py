"""Writes of the accounting firm's portal. Every write is audited."""

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.module_loading import import_string
from django.utils.text import slugify
from django.utils.translation import gettext as _

from verksam.audit.services import record
from verksam.core.errors import DomainError, Forbidden
from verksam.tenancy.access import Actor, resolve
from verksam.tenancy.models import Invitation, PartnerGrant, PartnerLevel, Tenant, Variant
from verksam.tenancy.permissions import Perm
from verksam.tenancy.scope import tenant_scope
from verksam.tenancy.services import invitation_create_first_admin

from .selectors import firm_of


@dataclass(frozen=True)
class NewCollaboration:
    customer: Tenant
    grant: PartnerGrant
    invitation: Invitation


def _unique_slug(name: str) -> str:
    base = slugify(name)[:50] or "foretag"
    slug, n = base, 2
    while Tenant.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


@transaction.atomic
def collaboration_create(
    *, actor: Actor, name: str, orgnr: str, contact_email: str, contact_name: str = ""
) -> NewCollaboration:
    """Create a Dokument-variant account for a client without Verksam, give the creating firm person
    FULL access, and invite the client's primary contact by e-mail as its first administrator."""
    actor.require(Perm.COLLABORATIONS_CREATE)
    firm = firm_of(actor)
    if firm is None:
        raise Forbidden(_("Only an accounting firm can create collaborations."), code="not_a_firm")
    if not (contact_email or "").strip():
        raise DomainError(
            _("Enter the e-mail address of the client's contact person."),
            code="invalid_email",
            extra={"field": "contact_email"},
        )
    customer = Tenant(
        name=(name or "").strip(), orgnr=orgnr, variant=Variant.DOKUMENT, slug=_unique_slug(name)
    )
    try:
        customer.full_clean()
    except ValidationError as exc:
        field, messages = next(iter(exc.message_dict.items()))
        raise DomainError(messages[0], code="invalid", extra={"field": field}) from exc
    if customer.orgnr == firm.orgnr:
        raise DomainError(
            _("An accounting firm cannot be its own partner."), code="own_partner", extra={"field": "orgnr"}
        )
    customer.save()
    record(actor=actor, action="collaboration.create", target=customer, data={"variant": Variant.DOKUMENT})
    with tenant_scope(customer.pk):
        grant = PartnerGrant(
            tenant=customer,
            partner_tenant=firm,
            user=actor.user,
            level=PartnerLevel.FULL,
            created_by=actor.user,
        )
        grant.full_clean()
        grant.save()
        # From here on the firm person acts in the new company exactly as its grant allows.
        as_partner = resolve(actor.user, customer)
        assert as_partner is not None and as_partner.partner_grant_id == grant.pk
        record(
            actor=as_partner,
            action="tenant.create",
            target=customer,
            data={"variant": Variant.DOKUMENT, "created_by_firm": firm.name},
        )
        record(
            actor=as_partner,
            action="partner_grant.create",
            target=grant,
            label=f"{actor.user} ({firm.name})",
            data={"level": PartnerLevel.FULL},
        )
        for path in settings.TENANT_INITIALIZERS:
            import_string(path)(tenant_id=customer.pk)
        invitation = invitation_create_first_admin(actor=as_partner, email=contact_email, name=contact_name)
    return NewCollaboration(customer=customer, grant=grant, invitation=invitation)
