"""Writes for tenants, memberships, invitations and partner grants. Every write is audited."""

import datetime as dt
import secrets

from django.conf import settings
from django.contrib.auth import get_user_model, password_validation
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from verksam.audit.services import record
from verksam.core.db import conflict_on_duplicate
from verksam.core.errors import Conflict, DomainError, Forbidden, NotFound, RateLimited
from verksam.core.identifiers import mask_personnummer, normalize_personnummer

from .access import Actor
from .mails import invitation_mail_drop, invitation_mail_send
from .models import (
    DEFAULT_WORK_DAY_MINUTES,
    MAX_WORK_DAY_MINUTES,
    Invitation,
    InvitationStatus,
    Licence,
    Membership,
    PartnerGrant,
    PartnerLevel,
    SalaryForm,
    Tenant,
    Variant,
)
from .permissions import LICENCE_PERMS, Perm
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
        _membership_initialize(membership)
    return tenant


def _membership_initialize(membership: Membership, template_id: int | None = None) -> None:
    # A new member gets what the apps above tenancy give every member (their work schedule from
    # today, from the template chosen at invitation or the company's default): settings, not
    # imports, as for TENANT_INITIALIZERS.
    for path in settings.MEMBERSHIP_INITIALIZERS:
        import_string(path)(membership=membership, valid_from=timezone.localdate(), template_id=template_id)


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


def may_approve(membership: Membership, *, licence: str | None = None, is_active: bool | None = None) -> bool:
    """Whether the member (with `licence` / `is_active` as they are about to be) can attest time:
    active, with a licence that holds TIME_ATTEST (issue 8 item 7)."""
    licence = membership.licence if licence is None else licence
    is_active = membership.is_active if is_active is None else is_active
    return bool(is_active) and Perm.TIME_ATTEST in LICENCE_PERMS.get(licence, frozenset())


def _check_approver(approver: Membership | None, tenant_id: int, field: str = "approver") -> None:
    """Only a member whose licence allows attestation can be named approver (issue 8 item 7). Another
    tenant's member is left to TenantOwned.clean(), which refuses it without naming them."""
    if approver is None or approver.tenant_id != tenant_id:
        return
    if not may_approve(approver):
        raise DomainError(
            _(
                "%(name)s cannot be an approver: only an active user with the STANDARD or TOTAL "
                "licence can attest time."
            )
            % {"name": approver.user},
            code="approver_cannot_attest",
            extra={"field": field},
        )


def _reassign_employees(
    actor: Actor, membership: Membership, *, licence: str, is_active: bool, new_approver: Membership | None
) -> list[int]:
    """An approver who is demoted below STANDARD or deactivated hands their employees to
    `new_approver` first (issue 8 item 7): without one, refuse and list the employees. Returns the
    ids of the employees moved."""
    if may_approve(membership, licence=licence, is_active=is_active):
        return []
    employees = list(
        Membership.objects.select_for_update(of=("self",))
        .filter(approver_id=membership.pk)
        .select_related("user")
        .order_by("user__name", "pk")
    )
    if not employees:
        return []
    if new_approver is None:
        raise Conflict(
            _(
                "%(name)s is the approver of %(count)d employees. Choose a new approver for them "
                "first: a user with the STANDARD or TOTAL licence."
            )
            % {"name": membership.user, "count": len(employees)},
            code="approver_has_employees",
            extra={
                "field": "new_approver",
                "employees": [{"id": m.pk, "name": str(m.user)} for m in employees],
            },
        )
    if new_approver.pk == membership.pk:
        raise DomainError(
            _("Choose someone else as the new approver."),
            code="approver_cannot_attest",
            extra={"field": "new_approver"},
        )
    if new_approver.tenant_id != actor.tenant_id:
        raise NotFound(_("The user does not exist."))
    _check_approver(new_approver, actor.tenant_id, "new_approver")
    moved = [m.pk for m in employees if m.pk != new_approver.pk]
    # The new approver, if one of the employees, cannot approve themselves: their approver is cleared.
    Membership.objects.filter(pk__in=moved).update(approver=new_approver)
    # People invited to be their employees come with them (the invitation's terms follow the team).
    Invitation.objects.filter(approver_id=membership.pk, status=InvitationStatus.PENDING).update(
        approver=new_approver
    )
    Membership.objects.filter(pk=new_approver.pk, approver_id=membership.pk).update(approver=None)
    record(
        actor=actor,
        action="membership.approver_reassign",
        target=membership,
        data={
            "approver": str(new_approver.user),
            "employees": [str(m.user) for m in employees],
        },
    )
    return [m.pk for m in employees]


def _require_customer_admin(actor: Actor, message: str) -> None:
    """Refuse what only the company's own TOTAL users may do (DESIGN.md rule 11): give the TOTAL
    licence or change a TOTAL user. A FULL partner administers the users below TOTAL, never the
    customer's own access (Perm.USERS_MANAGE_TOTAL is in no partner allow-list)."""
    if not actor.has(Perm.USERS_MANAGE_TOTAL):
        raise Forbidden(message, code="total_reserved", extra={"perm": str(Perm.USERS_MANAGE_TOTAL)})


def _refuse_partner_own_firm(actor: Actor, user_id: int | None, message: str) -> None:
    """A partner may not make itself, or anyone of its own firm, a member of the customer, nor change
    (reactivate, promote) such a membership: access for accounting-firm people is a grant that the
    customer's TOTAL user gives and can revoke, so it must not outlive the grant."""
    firm_id = actor.partner_tenant_id
    if firm_id is None or user_id is None:
        return
    own_firm = user_id == actor.user.pk
    if not own_firm:
        with tenant_scope(firm_id):  # the partner's own firm, which it may read
            own_firm = Membership.all_tenants.filter(tenant_id=firm_id, user_id=user_id).exists()
    if own_firm:
        raise Forbidden(message, code="partner_own_firm")


def _refuse_partner_inviting_own_firm(actor: Actor, email: str) -> None:
    """A partner may not invite itself or anyone of its own firm by e-mail (see _refuse_partner_own_firm).
    One query by address whether or not it has an account, so the answer tells nothing more."""
    firm_id = actor.partner_tenant_id
    if firm_id is None:
        return
    own_firm = email == (actor.user.email or "").lower()
    if not own_firm:
        with tenant_scope(firm_id):  # the partner's own firm, which it may read
            own_firm = Membership.all_tenants.filter(tenant_id=firm_id, user__email__iexact=email).exists()
    if own_firm:
        raise Forbidden(
            _(
                "An accounting firm cannot add itself or its own staff as users of the company. "
                "The company's administrator gives accounting-firm people access under Accounting firms."
            ),
            code="partner_own_firm",
        )


@transaction.atomic
def membership_invite(
    *,
    actor: Actor,
    email: str,
    name: str = "",
    licence: str = Licence.LIGHT,
    employment_number: str = "",
    salary_form: str = SalaryForm.MONTHLY,
    approver: Membership | None = None,
    work_day_minutes: int = DEFAULT_WORK_DAY_MINUTES,
    schedule_template_id: int | None = None,
) -> Invitation:
    """Invite a person by e-mail; they become a member only when they accept (see _invitation_create)."""
    actor.require(Perm.USERS_MANAGE)
    _check_approver(approver, actor.tenant_id)
    if licence == Licence.TOTAL:
        _require_customer_admin(actor, _("Only the company's own administrators can give the TOTAL licence."))
    _check_work_day(work_day_minutes)
    email = (email or "").strip().lower()
    _refuse_partner_inviting_own_firm(actor, email)
    return _invitation_create(
        actor=actor,
        email=email,
        name=name,
        licence=licence,
        employment_number=employment_number,
        salary_form=salary_form,
        approver=approver,
        work_day_minutes=work_day_minutes,
        schedule_template_id=schedule_template_id,
    )


@transaction.atomic
def invitation_create_first_admin(*, actor: Actor, email: str, name: str = "") -> Invitation:
    """Invite the first administrator (TOTAL) of a company that has none yet: the primary contact of
    a collaboration an accounting firm created (issue 11 "Skapa nytt samarbete"). Once the company
    has a TOTAL user, only that user gives the TOTAL licence (rule 11)."""
    if Membership.objects.filter(tenant_id=actor.tenant_id, licence=Licence.TOTAL).exists():
        _require_customer_admin(actor, _("Only the company's own administrators can give the TOTAL licence."))
    email = (email or "").strip().lower()
    _refuse_partner_inviting_own_firm(actor, email)
    return _invitation_create(
        actor=actor,
        email=email,
        name=name,
        licence=Licence.TOTAL,
        employment_number="",
        salary_form=SalaryForm.MONTHLY,
        approver=None,
        work_day_minutes=DEFAULT_WORK_DAY_MINUTES,
    )


@transaction.atomic
def membership_update(
    *, actor: Actor, membership: Membership, new_approver: Membership | None = None, **changes
) -> Membership:
    """Change licence, approver, employment data, working day or active flag; keep a TOTAL user; name
    only an approver who can attest; hand a demoted or deactivated approver's employees to
    `new_approver` (issue 8 item 7).

    A FULL partner (USERS_MANAGE without USERS_MANAGE_TOTAL) may change every field of a user below
    TOTAL, incl. deactivating them, but may neither give TOTAL nor change a TOTAL user in any way."""
    actor.require(Perm.USERS_MANAGE)
    allowed = {"licence", "approver", "employment_number", "salary_form", "is_active", "work_day_minutes"}
    unknown = set(changes) - allowed
    if unknown:
        raise DomainError(_("Unknown fields: %(fields)s") % {"fields": ", ".join(sorted(unknown))})
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    licence = changes.get("licence", membership.licence)
    if licence not in Licence.values:
        raise DomainError(_("Unknown licence."), code="invalid_licence")
    if membership.licence == Licence.TOTAL:
        _require_customer_admin(
            actor, _("Only the company's own administrators can change a user with the TOTAL licence.")
        )
    if licence == Licence.TOTAL:
        _require_customer_admin(actor, _("Only the company's own administrators can give the TOTAL licence."))
    _refuse_partner_own_firm(
        actor,
        membership.user_id,
        _("An accounting firm cannot change its own or its staff's user accounts in the company."),
    )
    if "work_day_minutes" in changes:
        _check_work_day(changes["work_day_minutes"])
    _refuse_losing_last_total(
        membership, licence=licence, is_active=changes.get("is_active", membership.is_active)
    )
    approver = changes.get("approver", membership.approver)
    if approver is not None and approver.pk == membership.pk:
        raise DomainError(_("A user cannot be their own approver."), code="own_approver")
    if "approver" in changes:
        _check_approver(approver, actor.tenant_id)
    _reassign_employees(
        actor,
        membership,
        licence=licence,
        is_active=changes.get("is_active", membership.is_active),
        new_approver=new_approver,
    )
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
    if person is None or firm_membership is None:
        raise NotFound(
            _(
                "No accounting-firm user with that personnummer was found. "
                "The person must belong to a partner account."
            ),
            code="partner_not_found",
        )
    if firm_membership.tenant_id == actor.tenant_id:
        raise DomainError(_("An accounting firm cannot be its own partner."), code="own_partner")
    if not person.personnummer_verified:
        # Anyone can type a personnummer on their own page; access follows a confirmed identity only.
        raise DomainError(
            _(
                "The accounting firm has not yet confirmed this person's personnummer in Verksam. "
                "Ask the firm's administrator to confirm it (Users → Confirm personnummer), then try again."
            ),
            code="personnummer_not_verified",
            extra={"field": "personnummer"},
        )
    if PartnerGrant.objects.filter(user=person, revoked_at__isnull=True).exists():
        raise Conflict(_("This person already has access to the company."), code="duplicate_grant")
    grant = PartnerGrant(
        tenant_id=actor.tenant_id,
        partner_tenant=firm_membership.tenant,
        user=person,
        level=level,
        created_by=actor.user,
    )
    grant.full_clean(exclude=["user"])  # one active grant per user: checked by the insert below
    with conflict_on_duplicate(_("This person already has access to the company."), code="duplicate_grant"):
        grant.save()  # a concurrent grant to the same person may have won the race past the check above
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
        _withdraw_invitations_sent_through(grant, actor=actor)
    return grant


def _withdraw_invitations_sent_through(grant: PartnerGrant, *, actor: Actor) -> None:
    # An invitation a partner sent in the customer's name was backed by the grant alone: once the
    # grant is revoked nobody who may still invite stands behind it, so its link stops working. A
    # partner who is also an active member of the customer invited as a member: those stay.
    if Membership.objects.filter(user_id=grant.user_id, is_active=True).exists():
        return
    pending = Invitation.objects.select_for_update().filter(
        invited_by_id=grant.user_id, status=InvitationStatus.PENDING
    )
    for invitation in pending:
        invitation.status = InvitationStatus.REVOKED
        invitation.answered_at = timezone.now()
        invitation.save(update_fields=["status", "answered_at"])
        record(
            actor=actor,
            action="invitation.revoke",
            target=invitation,
            data={"email": invitation.email, "withdrawn_because": "partner_grant_revoked"},
        )
        invitation_mail_drop(invitation=invitation)


# --- the personnummer, an identity -------------------------------------------------------------------


def _record_in_each_company(user, *, action: str, data: dict) -> None:
    """Audit a change of a person (a global row) in every company they are an active member of."""
    with user_scope(user.pk):
        memberships = list(Membership.all_tenants.filter(user=user, is_active=True).select_related("tenant"))
    for membership in memberships:
        with tenant_scope(membership.tenant_id):
            own = Actor(user=user, tenant=membership.tenant, perms=frozenset(), membership=membership)
            record(actor=own, action=action, target=membership, data=data)


@transaction.atomic
def user_profile_update(*, user, name: str, phone: str = "", personnummer: str = ""):
    """Let a person correct their own name, mobile number and personnummer; a changed personnummer
    loses its confirmation and is audited, and no two people have the same one."""
    user = User.objects.select_for_update().get(pk=user.pk)
    new_pnr = ""
    if (personnummer or "").strip():
        try:
            new_pnr = normalize_personnummer(personnummer)
        except ValidationError as exc:
            raise ValidationError({"personnummer": exc.messages}) from exc
    old_pnr, was_verified = user.personnummer, user.personnummer_verified
    user.name = (name or "").strip()
    user.phone = (phone or "").strip()
    fields = ["name", "phone"]
    if new_pnr != old_pnr:
        if new_pnr and User.objects.filter(personnummer=new_pnr).exclude(pk=user.pk).exists():
            raise ValidationError(
                {"personnummer": _("A user with that personnummer already exists.")}, code="unique"
            )
        user.personnummer = new_pnr
        user.personnummer_verified_at = None
        user.personnummer_verified_by = None
        fields += ["personnummer", "personnummer_verified_at", "personnummer_verified_by"]
    user.full_clean(exclude=["password"])
    user.save(update_fields=fields)
    if new_pnr != old_pnr:
        _record_in_each_company(
            user,
            action="user.personnummer_change",
            data={
                "before": {"personnummer": mask_personnummer(old_pnr)},
                "after": {"personnummer": mask_personnummer(new_pnr)},
                "was_confirmed": was_verified,
            },
        )
    return user


@transaction.atomic
def user_personnummer_verify(*, actor: Actor, membership: Membership, personnummer: str) -> Membership:
    """Confirm, as the accounting firm's TOTAL user, that a staff member's personnummer is theirs:
    the number typed from their ID document must be the one they entered (until BankID login)."""
    actor.require(Perm.IDENTITY_VERIFY)
    if not actor.tenant.is_partner:  # only a firm vouches for its people; a partner never does
        raise NotFound(_("Personnummer are confirmed in accounting firms only."), code="not_a_firm")
    membership = Membership.objects.select_related("user").get(pk=membership.pk)
    person = User.objects.select_for_update().get(pk=membership.user_id)
    if not membership.is_active:
        raise DomainError(_("The user is not active in the firm."), code="inactive_member")
    if not person.personnummer:
        raise DomainError(
            _("%(name)s has not entered a personnummer yet. They enter it on their own page (My account).")
            % {"name": person},
            code="personnummer_missing",
        )
    try:
        typed = normalize_personnummer(personnummer)
    except ValidationError as exc:
        raise DomainError(
            exc.messages[0], code="invalid_personnummer", extra={"field": "personnummer"}
        ) from exc
    if typed != person.personnummer:
        raise DomainError(
            _(
                "That is not the personnummer %(name)s entered. Check it against their ID document; "
                "if theirs is wrong, they correct it on their own page (My account)."
            )
            % {"name": person},
            code="personnummer_mismatch",
            extra={"field": "personnummer"},
        )
    if not person.personnummer_verified:
        person.personnummer_verified_at = timezone.now()
        person.personnummer_verified_by = actor.user
        person.save(update_fields=["personnummer_verified_at", "personnummer_verified_by"])
        record(
            actor=actor,
            action="user.personnummer_verify",
            target=membership,
            data={"personnummer": mask_personnummer(person.personnummer)},
        )
    membership.user = person
    return membership


# --- invitations (issue 7: joining a company is the person's choice; invitations do not dead-end) ---


def _invitation_expiry() -> dt.datetime:
    # Whole minutes: the mail says "valid until 8 dec 2026 at 19:30" and means exactly that.
    expires = timezone.now() + dt.timedelta(hours=settings.INVITATION_VALID_HOURS)
    return expires.replace(second=0, microsecond=0)


def _local_minute(moment: dt.datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")  # as the audit log shows it


def _invitation_new_link(invitation: Invitation) -> None:
    """Give the invitation a new link: a new nonce (older links stop working) and a new expiry."""
    invitation.nonce = secrets.token_hex(16)
    invitation.sent_at = timezone.now()
    invitation.expires_at = _invitation_expiry()


def _invitation_send(invitation: Invitation) -> None:
    invitation_mail_send(invitation=invitation)


def _invitation_create(
    *,
    actor: Actor,
    email: str,
    name: str,
    licence: str,
    employment_number: str,
    salary_form: str,
    approver: Membership | None,
    work_day_minutes: int,
    schedule_template_id: int | None = None,
) -> Invitation:
    """Store and mail an invitation to `email`. Whether the address already has an account (here or
    elsewhere) changes neither the answer nor the work done: the same queries run and the same row is
    written, so the inviter cannot tell (issue 7 item 7)."""
    if Membership.objects.filter(user__email=email).exists():
        raise Conflict(_("A user with that e-mail already exists in the company."), code="duplicate_email")
    if Invitation.objects.filter(email=email, status=InvitationStatus.PENDING).exists():
        raise Conflict(
            _("That address has already been invited. Send the invitation again from the list of users."),
            code="duplicate_invitation",
        )
    invitation = Invitation(
        tenant_id=actor.tenant_id,
        email=email,
        name=(name or "").strip(),
        licence=licence,
        employment_number=(employment_number or "").strip(),
        salary_form=salary_form,
        approver=approver,
        work_day_minutes=work_day_minutes,
        schedule_template_id=schedule_template_id,
        # The account behind the address, so that person sees the invitation on their start page.
        user_id=User.objects.filter(email=email).values_list("pk", flat=True).first(),
        invited_by=actor.user,
    )
    _invitation_new_link(invitation)
    # `user` came from the query above; validating it again would cost a query only when the
    # address has an account, and the timing would tell.
    invitation.full_clean(exclude=["user"])
    with conflict_on_duplicate(
        _("That address has already been invited. Send the invitation again from the list of users."),
        code="duplicate_invitation",
    ):
        invitation.save()  # a simultaneous invitation of the address may have passed the checks above
    record(
        actor=actor,
        action="membership.invite",
        target=invitation,
        label=email,
        data={"email": email, "licence": licence, "work_day_minutes": work_day_minutes}
        | ({"schedule_template_id": schedule_template_id} if schedule_template_id else {}),
    )
    _invitation_send(invitation)
    return invitation


def _lock_invitation(invitation: Invitation) -> Invitation:
    return Invitation.objects.select_for_update().select_related("tenant").get(pk=invitation.pk)


def _refuse_unanswerable(invitation: Invitation) -> None:
    if not invitation.is_pending:
        raise DomainError(
            _("This invitation is no longer valid. Ask the company for a new one."),
            code="invitation_not_pending",
        )
    if invitation.is_expired:
        raise DomainError(
            _("The invitation has expired. Ask for a new link."),
            code="invitation_expired",
        )


def invitation_is_for(invitation: Invitation, user) -> bool:
    """Whether `user` is the person the invitation was sent to (its account, or its address)."""
    if invitation.user_id is not None:
        return invitation.user_id == user.pk
    return (user.email or "").lower() == invitation.email


def _invitation_join(invitation: Invitation, user) -> Membership:
    if Membership.objects.filter(user=user).exists():
        raise Conflict(_("You are already a member of this company."), code="already_member")
    membership = Membership(
        tenant_id=invitation.tenant_id,
        user=user,
        licence=invitation.licence,
        employment_number=invitation.employment_number,
        salary_form=invitation.salary_form,
        # The approver named in the invitation may have lost the right to attest since (demoted or
        # deactivated with no employees to hand over): never give someone who cannot act (issue 8
        # item 7); until a TOTAL user names another, TOTAL users attest the newcomer's time.
        approver=invitation.approver if invitation.approver and may_approve(invitation.approver) else None,
        work_day_minutes=invitation.work_day_minutes,
    )
    membership.full_clean()
    membership.save()
    _membership_initialize(membership, template_id=invitation.schedule_template_id)
    invitation.status = InvitationStatus.ACCEPTED
    invitation.answered_at = timezone.now()
    invitation.user = user
    invitation.save(update_fields=["status", "answered_at", "user"])
    member = Actor(user=user, tenant=invitation.tenant, perms=frozenset(), membership=membership)
    record(
        actor=member,
        action="invitation.accept",
        target=membership,
        data={"email": invitation.email, "licence": invitation.licence},
    )
    return membership


@transaction.atomic
def invitation_accept(*, invitation: Invitation, user) -> Membership:
    """Make the invited person, logged in as themselves, a member on the invitation's terms."""
    invitation = _lock_invitation(invitation)
    if not invitation_is_for(invitation, user):
        raise NotFound(_("The invitation does not exist."), code="invitation_not_found")
    _refuse_unanswerable(invitation)
    return _invitation_join(invitation, user)


@transaction.atomic
def invitation_accept_new_account(*, invitation: Invitation, name: str, password: str) -> Membership:
    """Create the account of an invited address that has none (the link proves the mailbox) and join."""
    invitation = _lock_invitation(invitation)
    _refuse_unanswerable(invitation)
    if invitation.user_id is not None or User.objects.filter(email=invitation.email).exists():
        raise Conflict(
            _("The address already has an account. Log in to answer the invitation."), code="account_exists"
        )
    user = User(email=invitation.email, name=(name or "").strip())
    password_validation.validate_password(password, user)
    user.set_password(password)
    user.full_clean()
    user.save()
    return _invitation_join(invitation, user)


@transaction.atomic
def invitation_decline(*, invitation: Invitation, user=None) -> Invitation:
    """Say no: nothing is created and the link stops working. `user` is None for an address
    without an account, answering through its link."""
    invitation = _lock_invitation(invitation)
    if user is not None and not invitation_is_for(invitation, user):
        raise NotFound(_("The invitation does not exist."), code="invitation_not_found")
    if not invitation.is_pending:
        raise DomainError(
            _("This invitation is no longer valid. Ask the company for a new one."),
            code="invitation_not_pending",
        )
    invitation.status = InvitationStatus.DECLINED
    invitation.answered_at = timezone.now()
    invitation.save(update_fields=["status", "answered_at"])
    record(
        actor=None,
        tenant_id=invitation.tenant_id,
        action="invitation.decline",
        target=invitation,
        data={"email": invitation.email},
    )
    return invitation


def _refuse_partner_on_total_invitation(actor: Actor, invitation: Invitation) -> None:
    if invitation.licence == Licence.TOTAL:
        _require_customer_admin(
            actor, _("Only the company's own administrators can change an invitation with the TOTAL licence.")
        )


def _count_resend(invitation: Invitation) -> None:
    """At most INVITATION_RESENDS_PER_DAY new links per invitation in a day (a window of 24 hours
    from the first resend): no one can use the company's mail to flood an address. The count lives
    in the cache, shared by every worker as the login limits are (accounts/ratelimit.py)."""
    key = f"invitation-resend:{invitation.tenant_id}:{invitation.pk}"
    limit = settings.INVITATION_RESENDS_PER_DAY
    cache.add(key, 0, timeout=24 * 3600)
    if (cache.get(key) or 0) >= limit:
        raise RateLimited(
            ngettext(
                "The invitation has already been sent again %(count)s time today. Try again tomorrow.",
                "The invitation has already been sent again %(count)s times today. Try again tomorrow.",
                limit,
            )
            % {"count": limit},
            code="invitation_resend_limit",
        )
    try:
        cache.incr(key)
    except ValueError:  # the window ended between add and incr
        cache.set(key, 1, timeout=24 * 3600)


@transaction.atomic
def invitation_resend(*, actor: Actor, invitation: Invitation) -> Invitation:
    """Mail a pending invitation again with a new link and expiry; the old link stops working."""
    actor.require(Perm.USERS_MANAGE)
    invitation = _lock_invitation(invitation)
    _refuse_partner_on_total_invitation(actor, invitation)
    if not invitation.is_pending:
        raise DomainError(
            _("Only an invitation that waits for an answer can be sent again."), code="invitation_not_pending"
        )
    _count_resend(invitation)
    _invitation_new_link(invitation)
    invitation.save(update_fields=["nonce", "sent_at", "expires_at"])
    record(
        actor=actor,
        action="invitation.resend",
        target=invitation,
        data={"email": invitation.email, "expires_at": _local_minute(invitation.expires_at)},
    )
    _invitation_send(invitation)
    return invitation


@transaction.atomic
def invitation_revoke(*, actor: Actor, invitation: Invitation) -> Invitation:
    """Withdraw a pending invitation: its link stops working. Revoking twice changes nothing."""
    actor.require(Perm.USERS_MANAGE)
    invitation = _lock_invitation(invitation)
    _refuse_partner_on_total_invitation(actor, invitation)
    if invitation.status == InvitationStatus.REVOKED:
        return invitation
    if not invitation.is_pending:
        raise DomainError(_("The invitation has already been answered."), code="invitation_not_pending")
    invitation.status = InvitationStatus.REVOKED
    invitation.answered_at = timezone.now()
    invitation.save(update_fields=["status", "answered_at"])
    record(actor=actor, action="invitation.revoke", target=invitation, data={"email": invitation.email})
    invitation_mail_drop(invitation=invitation)
    return invitation


@transaction.atomic
def invitation_renew(*, invitation: Invitation) -> bool:
    """Send an expired, still pending invitation a new link, asked for through the expired link
    itself. The mail goes to the invited address only; the old link stops working, so one expired
    link asks once. Return whether a new link was sent."""
    invitation = _lock_invitation(invitation)
    if not (invitation.is_pending and invitation.is_expired):
        return False
    _invitation_new_link(invitation)
    invitation.save(update_fields=["nonce", "sent_at", "expires_at"])
    record(
        actor=None,
        tenant_id=invitation.tenant_id,
        action="invitation.renew",
        target=invitation,
        data={"email": invitation.email, "expires_at": _local_minute(invitation.expires_at)},
    )
    _invitation_send(invitation)
    return True
