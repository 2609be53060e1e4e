"""Writes for tenants, memberships and partner grants. Every write is audited."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.text import slugify
from django.utils.translation import gettext as _

from verksam.audit.services import record
from verksam.core.errors import Conflict, DomainError, NotFound
from verksam.core.identifiers import normalize_personnummer

from .access import Actor
from .mails import invitation_mail_send
from .models import (
    DEFAULT_WORK_DAY_MINUTES,
    MAX_WORK_DAY_MINUTES,
    Licence,
    Membership,
    PartnerGrant,
    PartnerLevel,
    SalaryForm,
    Tenant,
    Variant,
)
from .permissions import Perm
from .scope import tenant_scope, user_scope

User = get_user_model()


def _unique_slug(name: str) -> str:
    base = slugify(name)[:50] or "foretag"
    slug, n = base, 2
    while Tenant.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


@transaction.atomic
def tenant_create(
    *, name: str, orgnr: str, owner, variant: str = Variant.PRO, craftsman_mode: bool = False, slug: str = ""
) -> Tenant:
    """Create a tenant with `owner` as its first TOTAL user (every tenant always has one)."""
    tenant = Tenant(
        name=name.strip(),
        orgnr=orgnr,
        variant=variant,
        craftsman_mode=craftsman_mode,
        slug=slug or _unique_slug(name),
    )
    tenant.full_clean()
    tenant.save()
    with tenant_scope(tenant.pk):
        membership = Membership(tenant=tenant, user=owner, licence=Licence.TOTAL)
        membership.full_clean()
        membership.save()
        system = Actor(user=owner, tenant=tenant, perms=frozenset(), membership=membership)
        record(actor=system, action="tenant.create", target=tenant, data={"variant": variant})
        # The company's defaults (time codes, absence types, …) come with it, in this transaction: no
        # page installs them on first sight (issue 7 item 13: reads never write).
        for path in settings.TENANT_INITIALIZERS:
            import_string(path)(tenant_id=tenant.pk)
    return tenant


def _lock_totals(tenant_id: int) -> list[int]:
    # Lock the tenant's active TOTAL memberships so two admins cannot demote each other at once.
    return list(
        Membership.objects.select_for_update()
        .filter(tenant_id=tenant_id, is_active=True, licence=Licence.TOTAL)
        .values_list("pk", flat=True)
    )


def _refuse_losing_last_total(membership: Membership, *, licence: str, is_active: bool) -> None:
    """Refuse a change that would leave the tenant without an active TOTAL user (DOMAIN.md licences)."""
    was_total = membership.is_active and membership.licence == Licence.TOTAL
    stays_total = is_active and licence == Licence.TOTAL
    if was_total and not stays_total:
        others = [pk for pk in _lock_totals(membership.tenant_id) if pk != membership.pk]
        if not others:
            raise DomainError(
                _("The company must always have at least one active user with the TOTAL licence."),
                code="last_total_user",
            )


def _check_work_day(minutes: object) -> int:
    """A normal working day is whole minutes, more than 0 and at most 24 hours."""
    if isinstance(minutes, bool) or not isinstance(minutes, int) or not 0 < minutes <= MAX_WORK_DAY_MINUTES:
        raise DomainError(
            _("A normal working day must be more than 0 and at most 24 hours."),
            code="invalid_work_day",
            extra={"field": "work_day_minutes"},
        )
    return minutes


@transaction.atomic
def membership_invite(
    *,
    actor: Actor,
    email: str,
    name: str,
    licence: str = Licence.LIGHT,
    employment_number: str = "",
    salary_form: str = SalaryForm.MONTHLY,
    approver: Membership | None = None,
    work_day_minutes: int = DEFAULT_WORK_DAY_MINUTES,
) -> Membership:
    """Add a person to the tenant by e-mail and send them an invitation to set a password."""
    actor.require(Perm.USERS_MANAGE)
    _check_work_day(work_day_minutes)
    email = (email or "").strip().lower()
    user = User.objects.filter(email=email).first()
    created = user is None
    if created:
        user = User(email=email, name=(name or "").strip())
        user.set_unusable_password()
        user.full_clean(exclude=["password"])
        user.save()
    elif Membership.objects.filter(user=user).exists():
        raise Conflict(_("A user with that e-mail already exists in the company."), code="duplicate_email")
    membership = Membership(
        tenant_id=actor.tenant_id,
        user=user,
        licence=licence,
        employment_number=employment_number.strip(),
        salary_form=salary_form,
        approver=approver,
        work_day_minutes=work_day_minutes,
    )
    membership.full_clean()
    membership.save()
    record(
        actor=actor,
        action="membership.invite",
        target=membership,
        label=str(user),
        data={"email": email, "licence": licence, "work_day_minutes": work_day_minutes},
    )
    # Queued in this transaction, sent by its own task after commit (issue 7 item 11).
    invitation_mail_send(membership=membership, invited_by=str(actor.user))
    return membership


@transaction.atomic
def membership_update(*, actor: Actor, membership: Membership, **changes) -> Membership:
    """Change licence, approver, employment data, working day or active flag; keep a TOTAL user."""
    actor.require(Perm.USERS_MANAGE)
    allowed = {"licence", "approver", "employment_number", "salary_form", "is_active", "work_day_minutes"}
    unknown = set(changes) - allowed
    if unknown:
        raise DomainError(_("Unknown fields: %(fields)s") % {"fields": ", ".join(sorted(unknown))})
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    licence = changes.get("licence", membership.licence)
    if licence not in Licence.values:
        raise DomainError(_("Unknown licence."), code="invalid_licence")
    if "work_day_minutes" in changes:
        _check_work_day(changes["work_day_minutes"])
    _refuse_losing_last_total(
        membership, licence=licence, is_active=changes.get("is_active", membership.is_active)
    )
    approver = changes.get("approver", membership.approver)
    if approver is not None and approver.pk == membership.pk:
        raise DomainError(_("A user cannot be their own approver."), code="own_approver")
    before = {k: _audit_value(membership, k) for k in changes}
    for key, value in changes.items():
        setattr(membership, key, value)
    membership.full_clean()
    membership.save()
    after = {k: _audit_value(membership, k) for k in changes}
    record(
        actor=actor,
        action="membership.update",
        target=membership,
        data={"before": before, "after": after},
    )
    return membership


def _audit_value(membership: Membership, field: str) -> str:
    """A membership field as the audit log keeps it: the approver by name, the rest as text."""
    if field == "approver":
        approver = membership.approver
        return str(approver.user) if approver is not None else ""
    return str(getattr(membership, field))


@transaction.atomic
def partner_grant_create(*, actor: Actor, personnummer: str, level: str) -> PartnerGrant:
    """Give a person at an accounting firm, found by personnummer, FULL or LIMITED access."""
    actor.require(Perm.PARTNER_GRANTS_MANAGE)
    if level not in PartnerLevel.values:
        raise DomainError(_("Choose full or limited access."), code="invalid_level")
    try:
        pnr = normalize_personnummer(personnummer)
    except ValidationError as exc:
        raise DomainError(
            exc.messages[0], code="invalid_personnummer", extra={"field": "personnummer"}
        ) from exc
    person = User.objects.filter(personnummer=pnr, is_active=True).first()
    firm_membership = None
    if person is not None:
        with user_scope(person.pk):  # the person's own memberships, to find their firm
            firm_membership = (
                Membership.all_tenants.filter(user=person, is_active=True, tenant__variant=Variant.PARTNER)
                .select_related("tenant")
                .first()
            )
    if firm_membership is None:
        raise NotFound(
            _(
                "No accounting-firm user with that personnummer was found. "
                "The person must belong to a partner account."
            ),
            code="partner_not_found",
        )
    if firm_membership.tenant_id == actor.tenant_id:
        raise DomainError(_("An accounting firm cannot be its own partner."), code="own_partner")
    if PartnerGrant.objects.filter(user=person, revoked_at__isnull=True).exists():
        raise Conflict(_("This person already has access to the company."), code="duplicate_grant")
    grant = PartnerGrant(
        tenant_id=actor.tenant_id,
        partner_tenant=firm_membership.tenant,
        user=person,
        level=level,
        created_by=actor.user,
    )
    grant.full_clean()
    grant.save()
    record(
        actor=actor,
        action="partner_grant.create",
        target=grant,
        label=f"{person} ({firm_membership.tenant.name})",
        data={"level": level},
    )
    return grant


@transaction.atomic
def partner_grant_revoke(*, actor: Actor, grant: PartnerGrant) -> PartnerGrant:
    """Revoke an accounting firm's access at once; revoking twice changes nothing."""
    actor.require(Perm.PARTNER_GRANTS_MANAGE)
    grant = PartnerGrant.objects.select_for_update().get(pk=grant.pk)
    if grant.revoked_at is None:
        grant.revoked_at = timezone.now()
        grant.revoked_by = actor.user
        grant.save(update_fields=["revoked_at", "revoked_by"])
        record(
            actor=actor,
            action="partner_grant.revoke",
            target=grant,
            label=str(grant.user),
            data={"level": grant.level},
        )
    return grant
