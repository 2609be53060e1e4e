"""Tenants, memberships, partner grants and the base class of every tenant-owned row."""

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from verksam.core.identifiers import format_orgnr, normalize_orgnr

from .scope import current_tenant_ids


class Variant(models.TextChoices):
    PRO = "pro", "Pro"
    BUSINESS = "business", "Business"
    EASY = "easy", "Easy"
    DOKUMENT = "dokument", "Dokument"
    PARTNER = "partner", _("Partner (accounting firm)")


class Licence(models.TextChoices):
    LIGHT = "LIGHT", "LIGHT"
    BASIC = "BASIC", "BASIC"
    STANDARD = "STANDARD", "STANDARD"
    TOTAL = "TOTAL", "TOTAL"


class SalaryForm(models.TextChoices):
    MONTHLY = "monthly", _("Monthly salary")
    HOURLY = "hourly", _("Hourly wage")


# A full-time working day (8 h): the normal day of a new member and the fallback of whole-day absence.
DEFAULT_WORK_DAY_MINUTES = 480
MAX_WORK_DAY_MINUTES = 24 * 60


class PartnerLevel(models.TextChoices):
    FULL = "FULL", _("Full access")
    LIMITED = "LIMITED", _("Limited access")


class Tenant(models.Model):
    """A company using Verksam (kundkonto); an accounting firm is a tenant of variant Partner."""

    name = models.CharField(_("company name"), max_length=200)
    orgnr = models.CharField(_("organisationsnummer"), max_length=10)
    slug = models.SlugField(_("address name"), max_length=60, unique=True)
    variant = models.CharField(_("variant"), max_length=20, choices=Variant.choices, default=Variant.PRO)
    # "Blikk för hantverkare": enables construction features such as reverse-charge VAT (omvänd byggmoms).
    craftsman_mode = models.BooleanField(_("craftsman mode (hantverkare)"), default=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def clean_fields(self, exclude=None) -> None:
        # Normalise before the length check: "556016-0680" is stored as "5560160680".
        try:
            self.orgnr = normalize_orgnr(self.orgnr)
        except ValidationError as exc:
            raise ValidationError({"orgnr": exc.messages}) from exc
        super().clean_fields(exclude=exclude)

    @property
    def is_partner(self) -> bool:
        return self.variant == Variant.PARTNER

    @property
    def orgnr_display(self) -> str:
        return format_orgnr(self.orgnr)


class ScopedQuerySet(models.QuerySet):
    def for_tenants(self, tenant_ids):
        """Explicit cross-tenant read; allowed only where the architecture test permits."""
        return self.model.all_tenants.filter(tenant_id__in=list(tenant_ids))


class ScopedManager(models.Manager.from_queryset(ScopedQuerySet)):  # type: ignore[misc]
    """Filters on the active tenant scope and raises when there is none (fail closed)."""

    def get_queryset(self):
        return super().get_queryset().filter(tenant_id__in=current_tenant_ids())


class TenantOwned(models.Model):
    """Base of every row that belongs to one tenant (DESIGN.md rules 4 and 9)."""

    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="+", editable=False)

    all_tenants = models.Manager()  # declared first: Django internals and admin use it
    objects = ScopedManager()

    class Meta:
        abstract = True
        base_manager_name = "all_tenants"
        default_manager_name = "all_tenants"

    def clean(self) -> None:
        super().clean()
        if self.tenant_id is not None:
            self._check_same_tenant_references()

    @classmethod
    def _tenant_references(cls) -> list[models.ForeignKey]:
        """The model's foreign keys to tenant-owned rows, found once per model class (issue 13: a
        batch cleans 500 entries)."""
        found = cls.__dict__.get("_tenant_reference_fields")
        if found is None:
            found = [
                field
                for field in cls._meta.concrete_fields
                if isinstance(field, models.ForeignKey)
                and field.name != "tenant"
                and isinstance(field.related_model, type)
                and issubclass(field.related_model, TenantOwned)
            ]
            cls._tenant_reference_fields = found  # type: ignore[attr-defined]
        return found

    def _check_same_tenant_references(self) -> None:
        # A forged id of another tenant's row must never be stored (rule 9).
        errors = {}
        for field in self._tenant_references():
            related: Any = field.related_model
            value = getattr(self, field.attname)
            if value is None:
                continue
            cached: Any = field.get_cached_value(self, default=None)
            if cached is not None and cached.pk == value and cached.tenant_id is not None:
                # Loaded through a scoped selector (or created here): its tenant is known without
                # a query. Django drops this cache whenever the id is reassigned.
                owner = cached.tenant_id
            else:
                owner = related.all_tenants.filter(pk=value).values_list("tenant_id", flat=True).first()
            if owner != self.tenant_id:
                errors[field.name] = ValidationError(
                    _("The selected item does not exist."), code="other_tenant"
                )
        if errors:
            raise ValidationError(errors)


class Membership(TenantOwned):
    """A user's place in a tenant: licence, employment data, who attests their time."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    licence = models.CharField(_("licence"), max_length=10, choices=Licence.choices, default=Licence.LIGHT)
    is_active = models.BooleanField(_("active"), default=True)
    employment_number = models.CharField(_("employment number"), max_length=20, blank=True, default="")
    salary_form = models.CharField(
        _("salary form"), max_length=10, choices=SalaryForm.choices, default=SalaryForm.MONTHLY
    )
    approver = models.ForeignKey(
        "self",
        verbose_name=_("approver (attestansvarig)"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="approves",
    )
    # The employee's normal working day: what a whole-day absence (sjuk, VAB…) counts as. A
    # part-time employee at 75 % has 360; the working-time measure (tjänstgöringsgrad) as minutes.
    work_day_minutes = models.PositiveIntegerField(
        _("normal working day (minutes)"), default=DEFAULT_WORK_DAY_MINUTES
    )
    created_at = models.DateTimeField(default=timezone.now)

    rls_user_column = "user"  # a person may read their own memberships in every tenant (rls.py)

    class Meta:
        ordering = ["user__name"]
        constraints = [
            models.UniqueConstraint(fields=["tenant", "user"], name="tenancy_membership_one_per_user"),
            models.UniqueConstraint(
                fields=["tenant", "employment_number"],
                condition=~models.Q(employment_number=""),
                name="tenancy_membership_employment_number_unique",
                violation_error_message=_("Another user already has that employment number."),
            ),
            models.CheckConstraint(
                condition=models.Q(work_day_minutes__gte=1, work_day_minutes__lte=MAX_WORK_DAY_MINUTES),
                name="tenancy_membership_work_day_range",
                violation_error_message=_("A normal working day must be more than 0 and at most 24 hours."),
            ),
        ]

    def __str__(self) -> str:
        return str(self.user)  # the person, as every list, choice and audit row names a membership


class PartnerGrant(TenantOwned):
    """Access for a person at an accounting firm to this (customer) tenant (DESIGN.md rule 7)."""

    partner_tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="grants_held")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="partner_grants"
    )
    level = models.CharField(_("access level"), max_length=10, choices=PartnerLevel.choices)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    created_at = models.DateTimeField(default=timezone.now)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )

    rls_user_column = "user"  # a person may read their own grants in every tenant (rls.py)
    rls_partner_column = "partner_tenant"  # the firm may read the grants its people hold (rls.py)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "user"],
                condition=models.Q(revoked_at__isnull=True),
                name="tenancy_partnergrant_one_active_per_user",
                violation_error_message=_("This person already has access to the company."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.level}) → {self.tenant_id}"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class InvitationStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for an answer")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    REVOKED = "revoked", _("Revoked")


class Invitation(TenantOwned):
    """An offer to join the tenant, sent to an e-mail address. The person becomes a member only by
    accepting it (issue 7: joining a company is the person's choice); until then the tenant knows
    the address and nothing about the person behind it."""

    email = models.EmailField(_("e-mail"))
    # What the inviter typed: the suggested name of a new account. Never the account's own name.
    name = models.CharField(_("name"), max_length=150, blank=True, default="")
    # The membership the person gets when they accept.
    licence = models.CharField(_("licence"), max_length=10, choices=Licence.choices, default=Licence.LIGHT)
    employment_number = models.CharField(_("employment number"), max_length=20, blank=True, default="")
    salary_form = models.CharField(
        _("salary form"), max_length=10, choices=SalaryForm.choices, default=SalaryForm.MONTHLY
    )
    approver = models.ForeignKey(
        Membership,
        verbose_name=_("approver (attestansvarig)"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    work_day_minutes = models.PositiveIntegerField(
        _("normal working day (minutes)"), default=DEFAULT_WORK_DAY_MINUTES
    )
    # The work schedule template (schedules.ScheduleTemplate) the member gets when they accept; empty:
    # the company's default. An id, not a foreign key: tenancy sits below schedules (DESIGN.md
    # import direction); the schedules app checks it when the member joins.
    schedule_template_id = models.PositiveBigIntegerField(null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=InvitationStatus.choices, default=InvitationStatus.PENDING
    )
    # The account the address belonged to when invited (or that accepted): lets that person see the
    # invitation on their start page. Never shown to the inviting tenant.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="invitations"
    )
    # Changed on every (re)send: a link carries it, so an older link stops working.
    nonce = models.CharField(max_length=32)
    sent_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    answered_at = models.DateTimeField(null=True, blank=True)

    rls_user_column = "user"  # the invited person may read their own invitations (rls.py)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "email"],
                condition=models.Q(status="pending"),
                name="tenancy_invitation_one_pending_per_email",
                violation_error_message=_("That address has already been invited to the company."),
            ),
            models.CheckConstraint(
                condition=models.Q(work_day_minutes__gte=1, work_day_minutes__lte=MAX_WORK_DAY_MINUTES),
                name="tenancy_invitation_work_day_range",
                violation_error_message=_("A normal working day must be more than 0 and at most 24 hours."),
            ),
        ]

    def __str__(self) -> str:
        return self.email  # the address only: the inviter never learns who is behind it

    @property
    def is_pending(self) -> bool:
        return self.status == InvitationStatus.PENDING

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= timezone.now()
