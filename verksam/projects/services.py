"""Writes of projects and orders and of who is assigned to them. Every write is audited.

Who may do what (DOMAIN.md licences; Perm in tenancy/permissions.py):
- PROJECTS_CREATE (BASIC and up) creates projects.
- PROJECTS_MANAGE (STANDARD, TOTAL, partner FULL) edits every project, completes and reopens.
- A user with PROJECTS_CREATE but not PROJECTS_MANAGE (BASIC) edits the projects they created or
  lead as project manager, and assigns people to them: they start jobs in the field and must be able
  to staff them. They cannot complete or reopen (that closes the project for time reporting).
- Prices (hourly rate, fixed price) are set and seen only with PRICES_VIEW; a write without it that
  names a price is refused, so a BASIC user never changes a price they cannot see.
"""

from typing import Any

from django.db import transaction
from django.db.models import BigIntegerField, Max
from django.db.models.functions import Cast
from django.utils.translation import gettext as _

from verksam.audit.services import record
from verksam.core import bounds
from verksam.core.db import conflict_on_duplicate
from verksam.core.errors import Conflict, DomainError, Forbidden, NotFound
from verksam.tenancy.access import Actor
from verksam.tenancy.models import Membership, Tenant
from verksam.tenancy.permissions import Perm

from .models import PricingType, Project, ProjectKind, ProjectMember, ProjectStatus
from .selectors import project_can_edit

PRICE_FIELDS = ("hourly_rate_ore", "fixed_price_ore")
EDITABLE_FIELDS = {
    "number",
    "name",
    "kind",
    "customer_name",
    "manager",
    "pricing_type",
    "hourly_rate_ore",
    "fixed_price_ore",
    "start_date",
    "end_date",
    "site_address",
    "site_postcode",
    "site_city",
}


def _lock_numbers(tenant_id: int) -> None:
    # Serialise numbering per tenant: two simultaneous creates must not both take "max + 1"
    # (the unique constraint would turn the loser into a server error instead of a number).
    Tenant.objects.select_for_update().filter(pk=tenant_id).values_list("pk", flat=True).first()


def _next_number() -> str:
    """The next free integer number: one above the highest all-digit number of the tenant."""
    highest = (
        Project.objects.filter(number__regex=r"^[0-9]{1,15}$")
        .annotate(as_int=Cast("number", BigIntegerField()))
        .aggregate(m=Max("as_int"))["m"]
    )
    return str((highest or 0) + 1)


def _refuse_prices_without_permission(actor: Actor, fields: dict[str, Any]) -> None:
    named = [f for f in PRICE_FIELDS if f in fields]
    if named and not actor.has(Perm.PRICES_VIEW):
        raise Forbidden(
            _("Your licence does not include prices."),
            code="prices_forbidden",
            extra={"field": named[0], "perm": str(Perm.PRICES_VIEW)},
        )


def _check_rules(project: Project) -> None:
    """Rules across fields, checked before the model's constraints so the message names a field."""
    project.number = (project.number or "").strip()
    project.name = (project.name or "").strip()
    for field in ("start_date", "end_date"):
        if getattr(project, field):
            bounds.check_calendar_date(getattr(project, field), field=field)
    for field in PRICE_FIELDS:
        if getattr(project, field) is not None:
            bounds.check_range(getattr(project, field), low=0, high=bounds.MAX_AMOUNT_ORE, field=field)
    if project.start_date and project.end_date and project.end_date < project.start_date:
        raise DomainError(
            _("The end date cannot be before the start date."),
            code="end_before_start",
            extra={"field": "end_date"},
        )
    if project.kind == ProjectKind.INTERNAL:
        # Interntid is never invoiced (DOMAIN.md): an internal project has no customer prices.
        if project.pricing_type != PricingType.NOT_INVOICED:
            raise DomainError(
                _("An internal project is not invoiced: choose the pricing type Not invoiced."),
                code="internal_invoiced",
                extra={"field": "pricing_type"},
            )
        for field in PRICE_FIELDS:
            if getattr(project, field) is not None:
                raise DomainError(
                    _("An internal project has no prices."),
                    code="internal_prices",
                    extra={"field": field},
                )
    for field in PRICE_FIELDS:
        value = getattr(project, field)
        if value is not None and value < 0:
            raise DomainError(_("Prices cannot be negative."), code="negative_price", extra={"field": field})
    if project.manager_id is not None:
        manager = Membership.objects.filter(pk=project.manager_id).first()
        if manager is None or not manager.is_active:
            # Another tenant's membership is invisible in the scope and answers like a missing one.
            raise DomainError(
                _("Choose an active user of the company as project manager."),
                code="invalid_manager",
                extra={"field": "manager"},
            )
    if project.number and Project.objects.filter(number=project.number).exclude(pk=project.pk).exists():
        raise Conflict(
            _("Another project already has that number."),
            code="duplicate_number",
            extra={"field": "number"},
        )


def _snapshot(project: Project, fields) -> dict[str, str | None]:
    out: dict[str, str | None] = {}
    for field in sorted(fields):
        # the manager by name, as the audit log shows people (issue 12 item 3: names, not ids)
        value = getattr(project, field)
        out[field] = None if value is None else str(value)
    return out


@transaction.atomic
def project_create(
    *,
    actor: Actor,
    name: str,
    number: str = "",
    kind: str = ProjectKind.PROJECT,
    customer_name: str = "",
    manager: Membership | None = None,
    pricing_type: str | None = None,
    hourly_rate_ore: int | None = None,
    fixed_price_ore: int | None = None,
    start_date=None,
    end_date=None,
    site_address: str = "",
    site_postcode: str = "",
    site_city: str = "",
) -> Project:
    """Create a project; a blank number takes the next free integer of the tenant."""
    actor.require(Perm.PROJECTS_CREATE)
    prices = {
        k: v
        for k, v in {"hourly_rate_ore": hourly_rate_ore, "fixed_price_ore": fixed_price_ore}.items()
        if v is not None
    }
    _refuse_prices_without_permission(actor, prices)
    if pricing_type is None:
        pricing_type = (
            PricingType.NOT_INVOICED if kind == ProjectKind.INTERNAL else PricingType.TIME_AND_MATERIALS
        )
    _lock_numbers(actor.tenant_id)
    project = Project(
        tenant_id=actor.tenant_id,
        number=(number or "").strip(),
        name=name,
        kind=kind,
        customer_name=(customer_name or "").strip(),
        manager=manager,
        pricing_type=pricing_type,
        hourly_rate_ore=hourly_rate_ore,
        fixed_price_ore=fixed_price_ore,
        start_date=start_date,
        end_date=end_date,
        site_address=(site_address or "").strip(),
        site_postcode=(site_postcode or "").strip(),
        site_city=(site_city or "").strip(),
        status=ProjectStatus.ACTIVE,
        created_by=actor.user if getattr(actor.user, "pk", None) else None,
    )
    _check_rules(project)
    if not project.number:
        project.number = _next_number()
    project.full_clean()
    project.save()
    record(
        actor=actor,
        action="project.create",
        target=project,
        data=_snapshot(
            project, EDITABLE_FIELDS - (set() if actor.has(Perm.PRICES_VIEW) else set(PRICE_FIELDS))
        ),
    )
    return project


@transaction.atomic
def project_update(*, actor: Actor, project: Project, **changes: Any) -> Project:
    """Change a project's data; prices only with PRICES_VIEW, others' projects only with PROJECTS_MANAGE."""
    unknown = set(changes) - EDITABLE_FIELDS
    if unknown:
        raise DomainError(_("Unknown fields: %(fields)s") % {"fields": ", ".join(sorted(unknown))})
    if not project_can_edit(actor=actor, project=project):
        actor.require(Perm.PROJECTS_MANAGE)  # raises Forbidden with the missing perm
    _refuse_prices_without_permission(actor, changes)
    _lock_numbers(actor.tenant_id)
    project = Project.objects.select_for_update().get(pk=project.pk)
    if changes.get("number") is not None and not str(changes["number"]).strip():
        changes["number"] = _next_number()
    if changes.get("kind") == ProjectKind.INTERNAL and "pricing_type" not in changes:
        changes["pricing_type"] = PricingType.NOT_INVOICED
    changed = {k for k, v in changes.items() if getattr(project, "manager" if k == "manager" else k) != v}
    if not changed:
        return project
    before = _snapshot(project, changed)
    for key in changed:
        setattr(project, key, changes[key])
    _check_rules(project)
    project.full_clean()
    project.save()
    record(
        actor=actor,
        action="project.update",
        target=project,
        data={"before": before, "after": _snapshot(project, changed)},
    )
    return project


def _set_status(actor: Actor, project: Project, status: str, action: str) -> Project:
    actor.require(Perm.PROJECTS_MANAGE)
    project = Project.objects.select_for_update().get(pk=project.pk)
    if project.status == status:
        return project  # completing twice changes nothing
    project.status = status
    project.full_clean()
    project.save(update_fields=["status"])
    record(actor=actor, action=action, target=project, data={"status": status})
    return project


@transaction.atomic
def project_complete(*, actor: Actor, project: Project) -> Project:
    """Mark a project completed: no more time can be reported on it (PROJECTS_MANAGE)."""
    return _set_status(actor, project, ProjectStatus.COMPLETED, "project.complete")


@transaction.atomic
def project_reopen(*, actor: Actor, project: Project) -> Project:
    """Make a completed project active again (PROJECTS_MANAGE)."""
    return _set_status(actor, project, ProjectStatus.ACTIVE, "project.reopen")


@transaction.atomic
def project_member_add(*, actor: Actor, project: Project, membership: Membership) -> ProjectMember:
    """Assign an active user of the company to the project so a LIGHT user may report time on it."""
    if not project_can_edit(actor=actor, project=project):
        actor.require(Perm.PROJECTS_MANAGE)
    if not membership.is_active:
        raise DomainError(
            _("Only active users can be assigned to a project."),
            code="inactive_member",
            extra={"field": "membership"},
        )
    already = _("The user is already assigned to the project.")
    if ProjectMember.objects.filter(project=project, membership=membership).exists():
        raise Conflict(already, code="already_assigned", extra={"field": "membership"})
    assignment = ProjectMember(tenant_id=actor.tenant_id, project=project, membership=membership)
    # TenantOwned.clean: project and membership of this tenant only (rule 9); assigned once: the insert
    assignment.full_clean(exclude=["membership"])
    with conflict_on_duplicate(already, code="already_assigned", extra={"field": "membership"}):
        assignment.save()  # a concurrent assignment may have won the race past the check above
    record(
        actor=actor,
        action="project.member_add",
        target=project,
        data={"membership_id": membership.pk, "user": str(membership.user)},
    )
    return assignment


@transaction.atomic
def project_member_remove(*, actor: Actor, project: Project, membership: Membership) -> None:
    """Remove a user from the project; time already reported stays."""
    if not project_can_edit(actor=actor, project=project):
        actor.require(Perm.PROJECTS_MANAGE)
    assignment = (
        ProjectMember.objects.select_for_update().filter(project=project, membership=membership).first()
    )
    if assignment is None:
        raise NotFound(_("The user is not assigned to the project."), code="not_assigned")
    assignment.delete()
    record(
        actor=actor,
        action="project.member_remove",
        target=project,
        data={"membership_id": membership.pk, "user": str(membership.user)},
    )
