"""Expenses (utlägg), mileage (milersättning) and per diem (traktamente): what an employee claims
back through payroll (issue 10 items 1–3; DOMAIN.md "utlägg", "milersättning / traktamente").

Every claim is an `AttestedItem`: the employee submits it (locked), their approver attests or
rejects it, an attested one is immutable until a TOTAL user or FULL partner reopens it with a
reason, the same rules as reported time (docs/attestation.md). Payroll reads the attested ones by
their **registration date** (DOMAIN.md: utlägg are in the payroll file if registered in the
deviation period). Money is integer öre (DESIGN.md rule 14)."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from verksam.projects.models import Project
from verksam.tenancy.models import Membership, TenantOwned


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    ATTESTED = "attested", _("Attested")


class Vehicle(models.TextChoices):
    OWN = "own", _("Own car")
    BENEFIT_FOSSIL = "benefit_fossil", _("Benefit car, fossil fuel or plug-in hybrid")
    BENEFIT_ELECTRIC = "benefit_electric", _("Benefit car, fully electric")


class RateKind(models.TextChoices):
    """One dated row per kind (DOMAIN.md "Rates to pre-fill as dated data"). Mileage in öre per mil
    (10 km), per diem in öre per day or night."""

    MILEAGE_OWN = "mileage_own", _("Mileage, own car (per mil)")
    MILEAGE_BENEFIT_FOSSIL = "mileage_benefit_fossil", _("Mileage, benefit car fossil (per mil)")
    MILEAGE_BENEFIT_ELECTRIC = "mileage_benefit_electric", _("Mileage, benefit car electric (per mil)")
    PER_DIEM_FULL_DAY = "per_diem_full_day", _("Per diem, full day")
    PER_DIEM_HALF_DAY = "per_diem_half_day", _("Per diem, half day")
    PER_DIEM_NIGHT = "per_diem_night", _("Per diem, night allowance")


class AllowanceRate(TenantOwned):
    """Skatteverket's tax-free amount from `valid_from` on, and what the company pays (the part paid
    above the tax-free amount is taxable salary). Editable by the company's TOTAL users."""

    kind = models.CharField(_("kind"), max_length=30, choices=RateKind.choices)
    valid_from = models.DateField(_("valid from"))
    tax_free_ore = models.BigIntegerField(_("tax-free amount"))
    paid_ore = models.BigIntegerField(_("amount paid by the company"))
    source = models.CharField(_("source"), max_length=300, blank=True, default="")
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["kind", "-valid_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "kind", "valid_from"],
                name="expenses_allowancerate_one_per_day",
                violation_error_message=_("There is already a rate of this kind from that date."),
            ),
            models.CheckConstraint(
                condition=Q(tax_free_ore__gte=0) & Q(paid_ore__gte=0),
                name="expenses_allowancerate_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.valid_from}"


class ExpenseType(TenantOwned):
    """Fuel, travel, lodging… per company: the BAS cost account it is booked on and its pay code."""

    name = models.CharField(_("name"), max_length=80)
    account = models.CharField(_("BAS account"), max_length=4)
    paxml_code = models.CharField(_("PAXml code"), max_length=20, default="UTLÄGG")
    payroll_code = models.CharField(_("pay code"), max_length=20, blank=True, default="")
    active = models.BooleanField(_("active"), default=True)
    # Representation meals: the outlay needs the number of participants and who and why, and its
    # input VAT is deductible only on 300 kr excl. VAT per person (vat.representation_deductible_vat).
    representation = models.BooleanField(_("representation"), default=False)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "name"],
                name="expenses_expensetype_unique_name",
                violation_error_message=_("There is already an expense type with that name."),
            )
        ]

    def __str__(self) -> str:
        return self.name


def _receipt_path(instance: "Receipt", filename: str) -> str:
    # Never the user's file name: a tenant prefix and a random name (DESIGN.md rule 17).
    return f"receipts/{instance.tenant_id}/{uuid.uuid4().hex}"


class Receipt(TenantOwned):
    """A receipt photo (EXIF removed, HEIC converted to JPEG) or PDF, with a JPEG thumbnail."""

    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="+")
    file = models.FileField(upload_to=_receipt_path, max_length=200)
    thumbnail = models.FileField(upload_to=_receipt_path, max_length=200, blank=True)
    content_type = models.CharField(max_length=100)
    size = models.BigIntegerField()
    sha256 = models.CharField(max_length=64)
    original_name = models.CharField(max_length=200, blank=True, default="")
    uploaded_at = models.DateTimeField(default=timezone.now)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    def __str__(self) -> str:
        return self.original_name or f"receipt {self.pk}"


class AttestedItem(TenantOwned):
    """What expenses, trips and per diems share: owner, registration date and attestation state."""

    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="+")
    registered_on = models.DateField(_("registration date"), default=timezone.localdate, editable=False)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    submitted_at = models.DateTimeField(null=True, blank=True)
    attested_at = models.DateTimeField(null=True, blank=True)
    attested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    attested_on_behalf_of = models.ForeignKey(
        Membership, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    rejection_comment = models.CharField(_("comment"), max_length=500, blank=True, default="")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        abstract = True

    @property
    def editable(self) -> bool:
        return self.status == Status.DRAFT


class Expense(AttestedItem):
    """A private outlay (utlägg) with its receipt, VAT per rate (0 % is the rest of the amount)."""

    expense_type = models.ForeignKey(ExpenseType, verbose_name=_("type"), on_delete=models.PROTECT)
    purchase_date = models.DateField(_("date of purchase"))
    amount_ore = models.BigIntegerField(_("amount incl. VAT"))
    vat_25_ore = models.BigIntegerField(_("VAT 25 %"), default=0)
    vat_12_ore = models.BigIntegerField(_("VAT 12 %"), default=0)
    vat_6_ore = models.BigIntegerField(_("VAT 6 %"), default=0)
    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    description = models.CharField(_("description"), max_length=500, blank=True, default="")
    receipt = models.ForeignKey(Receipt, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    # Representation (the type's flag): how many took part, and who and why ("Deltagare och syfte",
    # what Skatteverket asks to be noted with the receipt).
    participants = models.PositiveIntegerField(_("number of participants"), null=True, blank=True)
    representation_note = models.CharField(
        _("participants and purpose"), max_length=500, blank=True, default=""
    )

    class Meta:
        ordering = ["-purchase_date", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount_ore__gt=0), name="expenses_expense_amount_positive"),
            models.CheckConstraint(
                condition=Q(vat_25_ore__gte=0) & Q(vat_12_ore__gte=0) & Q(vat_6_ore__gte=0),
                name="expenses_expense_vat_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(amount_ore__gte=F("vat_25_ore") + F("vat_12_ore") + F("vat_6_ore")),
                name="expenses_expense_vat_within_amount",
            ),
        ]
        indexes = [models.Index(fields=["tenant", "membership", "registered_on"], name="expenses_exp_reg")]

    def __str__(self) -> str:
        return f"{self.purchase_date} {self.amount_ore / 100:.2f}"

    @property
    def vat_ore(self) -> int:
        return self.vat_25_ore + self.vat_12_ore + self.vat_6_ore


class Trip(AttestedItem):
    """A business trip by car (milersättning); `km` is the day's distance of this trip."""

    date = models.DateField(_("date"))
    origin = models.CharField(_("from"), max_length=200)
    destination = models.CharField(_("to"), max_length=200)
    purpose = models.CharField(_("purpose"), max_length=300)
    km = models.PositiveIntegerField(_("km"))
    vehicle = models.CharField(_("vehicle"), max_length=20, choices=Vehicle.choices, default=Vehicle.OWN)
    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # Computed from the dated rates when saved (mileage.trip_amounts), kept so payroll reads what
    # was attested even if a rate is edited later.
    tax_free_ore = models.BigIntegerField(default=0)
    taxable_ore = models.BigIntegerField(default=0)

    class Meta:
        ordering = ["-date", "-pk"]
        constraints = [models.CheckConstraint(condition=Q(km__gt=0), name="expenses_trip_km_positive")]
        indexes = [models.Index(fields=["tenant", "membership", "registered_on"], name="expenses_trip_reg")]

    def __str__(self) -> str:
        return f"{self.date} {self.origin}–{self.destination} {self.km} km"


class PerDiem(AttestedItem):
    """A domestic business trip with overnight stay (traktamente inrikes)."""

    departure = models.DateTimeField(_("departure"))
    return_at = models.DateTimeField(_("return"))
    destination = models.CharField(_("destination"), max_length=200)
    purpose = models.CharField(_("purpose"), max_length=300)
    # Skatteverket: tax-free only with an overnight stay more than 50 km from home and workplace.
    far_from_home = models.BooleanField(_("more than 50 km from both home and workplace"), default=True)
    nights_without_lodging = models.PositiveSmallIntegerField(_("nights without paid lodging"), default=0)
    # The day the stay at this place began ("förrättning på samma ort sedan"): a trip registered month
    # by month gives the first month's start, so the 70 % (3 months) and 50 % (2 years) reductions
    # fall on the right days (rates.long_stay_percent). Set to the departure day when not given; a
    # break of at least four weeks at the place starts a new stay.
    stay_began_on = models.DateField(_("at the same place since"), null=True, blank=True)
    # one entry per day with free meals: {"2026-11-02": "bld"} (breakfast, lunch, dinner)
    free_meals = models.JSONField(_("free meals"), default=dict, blank=True)
    tax_free_ore = models.BigIntegerField(default=0)
    taxable_ore = models.BigIntegerField(default=0)
    breakdown = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-departure", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(return_at__gt=F("departure")), name="expenses_perdiem_return_after_departure"
            )
        ]
        indexes = [models.Index(fields=["tenant", "membership", "registered_on"], name="expenses_pd_reg")]

    def __str__(self) -> str:
        return f"{self.departure:%Y-%m-%d} {self.destination}"

    @property
    def continues_earlier_stay(self) -> bool:
        """The stay at the place began before this trip (a long trip registered month by month)."""
        return (
            self.stay_began_on is not None and self.stay_began_on < timezone.localtime(self.departure).date()
        )
