"""Projects and orders (the register time is reported on), internal projects for interntid, and
who is assigned to them (LIGHT users report only on projects they are assigned to, DOMAIN.md)."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from verksam.core.money import Money
from verksam.tenancy.models import Membership, TenantOwned


class ProjectKind(models.TextChoices):
    PROJECT = "project", _("Project")
    ORDER = "order", _("Order")
    INTERNAL = "internal", _("Internal project")


class ProjectStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    COMPLETED = "completed", _("Completed")


class PricingType(models.TextChoices):
    TIME_AND_MATERIALS = "time_materials", _("Time and materials")
    FIXED_PRICE = "fixed_price", _("Fixed price")
    NOT_INVOICED = "not_invoiced", _("Not invoiced")


class Project(TenantOwned):
    """A project, an order or an internal project (interntid: admin, sales, internal meetings)."""

    number = models.CharField(_("number"), max_length=20)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(
        _("kind"), max_length=10, choices=ProjectKind.choices, default=ProjectKind.PROJECT
    )
    # Free text until the CRM exists; a later issue adds FKs to a company or a private person.
    customer_name = models.CharField(_("customer"), max_length=200, blank=True, default="")
    manager = models.ForeignKey(
        Membership,
        verbose_name=_("project manager"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="managed_projects",
    )
    status = models.CharField(
        _("status"), max_length=10, choices=ProjectStatus.choices, default=ProjectStatus.ACTIVE
    )
    pricing_type = models.CharField(
        _("pricing type"),
        max_length=20,
        choices=PricingType.choices,
        default=PricingType.TIME_AND_MATERIALS,
    )
    # Prices (hidden from BASIC users, Perm.PRICES_VIEW): integer öre (DESIGN.md rule 14).
    hourly_rate_ore = models.BigIntegerField(_("hourly rate (öre)"), null=True, blank=True)
    fixed_price_ore = models.BigIntegerField(_("fixed price (öre)"), null=True, blank=True)
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)
    site_address = models.CharField(_("work-site address"), max_length=200, blank=True, default="")
    site_postcode = models.CharField(_("postcode"), max_length=10, blank=True, default="")
    site_city = models.CharField(_("city"), max_length=100, blank=True, default="")
    members = models.ManyToManyField(
        Membership, through="ProjectMember", related_name="assigned_projects", blank=True
    )
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "number"],
                name="projects_project_number_unique",
                violation_error_message=_("Another project already has that number."),
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True)
                | Q(start_date__isnull=True)
                | Q(end_date__gte=F("start_date")),
                name="projects_project_end_after_start",
                violation_error_message=_("The end date cannot be before the start date."),
            ),
            models.CheckConstraint(
                condition=(Q(hourly_rate_ore__isnull=True) | Q(hourly_rate_ore__gte=0))
                & (Q(fixed_price_ore__isnull=True) | Q(fixed_price_ore__gte=0)),
                name="projects_project_prices_not_negative",
                violation_error_message=_("Prices cannot be negative."),
            ),
        ]
        indexes = [models.Index(fields=["tenant", "status"], name="projects_project_status")]

    def __str__(self) -> str:
        return f"{self.number} {self.name}"

    @property
    def is_internal(self) -> bool:
        return self.kind == ProjectKind.INTERNAL

    @property
    def is_active(self) -> bool:
        return self.status == ProjectStatus.ACTIVE

    @property
    def hourly_rate(self) -> Money | None:
        return None if self.hourly_rate_ore is None else Money(self.hourly_rate_ore)

    @property
    def fixed_price(self) -> Money | None:
        return None if self.fixed_price_ore is None else Money(self.fixed_price_ore)


class ProjectMember(TenantOwned):
    """A user assigned to a project: a LIGHT user may report time only on these."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="assignments")
    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="project_assignments")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["project", "membership"],
                name="projects_projectmember_once",
                violation_error_message=_("The user is already assigned to the project."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.membership_id} → {self.project_id}"
