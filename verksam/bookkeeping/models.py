"""The company's booking accounts, fiscal years, and vouchers (verifikat) with their rows.

Money is integer öre (DESIGN.md rule 14); a row has a debit or a credit, never both. A voucher is a
draft until posted; posting gives it the next gap-free number of its series in its fiscal year
(DESIGN.md rule 16, core/sequences.py). A posted voucher never changes: services refuse it and the
row table refuses it too (see `services.voucher_*`); a correction is a new voucher (`voucher_reverse`)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from verksam.tenancy.models import Tenant, TenantOwned

ACCOUNT_LENGTH = 4


def _account(label, default: str = "", blank: bool = False) -> models.CharField:
    return models.CharField(label, max_length=ACCOUNT_LENGTH, default=default, blank=blank)


class AccountSettings(TenantOwned):
    """The company's booking accounts (DOMAIN.md "BAS accounts used by the booking rules") and voucher
    series. One row per company, created with the BAS defaults when first read."""

    tenant = models.OneToOneField(Tenant, on_delete=models.CASCADE, related_name="+", editable=False)
    input_vat_account = _account(_("input VAT account"), "2641")
    outlay_liability_account = _account(_("outlay liability account"), "2820")
    bank_account = _account(_("bank account"), "1930")
    # blank: card purchases are credited to the bank account (DOMAIN.md: "1930 or a card-settlement account")
    card_settlement_account = _account(_("card settlement account"), blank=True)
    outlay_series = models.CharField(_("voucher series for outlays"), max_length=10, default="U")
    card_series = models.CharField(_("voucher series for card purchases"), max_length=10, default="K")
    manual_series = models.CharField(_("voucher series for manual vouchers"), max_length=10, default="V")
    kptyp = models.CharField(_("chart of accounts (SIE #KPTYP)"), max_length=20, default="BAS2014")

    class Meta:
        verbose_name = _("account settings")


class CostAccount(TenantOwned):
    """A cost account per kind of expense (fuel 5611, travel 5800 …), editable per company; the
    expenses app reads its default account for a type from here."""

    key = models.SlugField(_("key"), max_length=40)
    name = models.CharField(_("name"), max_length=100)
    account = _account(_("account"))

    class Meta:
        ordering = ["account", "key"]
        constraints = [models.UniqueConstraint(fields=["tenant", "key"], name="bookkeeping_costaccount_key")]

    def __str__(self) -> str:
        return f"{self.account} {self.name}"


class FiscalYear(TenantOwned):
    """A fiscal year (räkenskapsår): by default the calendar year; years never overlap (services)."""

    start = models.DateField(_("first day"))
    end = models.DateField(_("last day"))

    class Meta:
        ordering = ["-start"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gt=models.F("start")),
                name="bookkeeping_fiscalyear_end_after_start",
                violation_error_message=_("The fiscal year must end after it starts."),
            ),
            models.UniqueConstraint(fields=["tenant", "start"], name="bookkeeping_fiscalyear_start"),
        ]

    def __str__(self) -> str:
        return f"{self.start:%Y-%m-%d} – {self.end:%Y-%m-%d}"


class VoucherNumber(TenantOwned):
    """The last number taken in a series of a fiscal year (the gap-free counter, core/sequences.py)."""

    fiscal_year = models.ForeignKey(FiscalYear, on_delete=models.PROTECT, related_name="+")
    series = models.CharField(max_length=10)
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["fiscal_year", "series"], name="bookkeeping_vouchernumber_series")
        ]


class VoucherStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    POSTED = "posted", _("Posted")


class Voucher(TenantOwned):
    """A voucher (verifikat): a date, a text and balanced rows; numbered when posted."""

    fiscal_year = models.ForeignKey(FiscalYear, on_delete=models.PROTECT, related_name="vouchers")
    series = models.CharField(_("series"), max_length=10)
    number = models.PositiveIntegerField(_("number"), null=True, blank=True)
    date = models.DateField(_("date"))
    text = models.CharField(_("text"), max_length=200)
    status = models.CharField(
        _("status"), max_length=10, choices=VoucherStatus.choices, default=VoucherStatus.DRAFT
    )
    # what the voucher was made from (generic: "expenses" + the expense's id + a short description)
    source_app = models.CharField(max_length=50, blank=True, default="")
    source_id = models.CharField(max_length=64, blank=True, default="")
    source_text = models.CharField(max_length=200, blank=True, default="")
    # the receipt file, generic ("expenses.receipt:42"), served by its owner app's permission-checked view
    receipt_ref = models.CharField(max_length=200, blank=True, default="")
    reverses = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="reversed_by"
    )
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    posted_at = models.DateTimeField(null=True, blank=True)
    posted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-date", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["fiscal_year", "series", "number"],
                condition=Q(number__isnull=False),
                name="bookkeeping_voucher_number_unique",
            ),
            models.CheckConstraint(
                condition=Q(status="draft", number__isnull=True)
                | Q(status="posted", number__isnull=False, posted_at__isnull=False),
                name="bookkeeping_voucher_posted_has_number",
            ),
        ]
        indexes = [
            models.Index(fields=["tenant", "source_app", "source_id"], name="bookkeeping_voucher_source"),
            models.Index(fields=["tenant", "status", "date"], name="bookkeeping_voucher_status"),
        ]

    def __str__(self) -> str:
        if self.number is not None:
            return f"{self.series}{self.number}"
        return str(_("%(series)s (draft)") % {"series": self.series})

    @property
    def is_posted(self) -> bool:
        return self.status == VoucherStatus.POSTED


class VoucherRow(TenantOwned):
    """A row: an account and a debit or a credit in öre; `vat_rate` marks the rate of a cost row."""

    voucher = models.ForeignKey(Voucher, on_delete=models.CASCADE, related_name="rows")
    position = models.PositiveSmallIntegerField(default=0)
    account = _account(_("account"))
    debit_ore = models.BigIntegerField(_("debit (öre)"), default=0)
    credit_ore = models.BigIntegerField(_("credit (öre)"), default=0)
    vat_rate = models.PositiveSmallIntegerField(_("VAT rate"), null=True, blank=True)
    text = models.CharField(_("text"), max_length=200, blank=True, default="")
    # the row's project (SIE object dimension 6 "Projekt"), optional
    project = models.ForeignKey(
        "projects.Project",
        verbose_name=_("project"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["voucher_id", "position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(debit_ore__gt=0, credit_ore=0) | Q(debit_ore=0, credit_ore__gt=0)),
                name="bookkeeping_voucherrow_debit_or_credit",
                violation_error_message=_("A row has either a debit or a credit, more than 0."),
            ),
            models.CheckConstraint(
                condition=Q(vat_rate__isnull=True) | Q(vat_rate__in=[25, 12, 6, 0]),
                name="bookkeeping_voucherrow_vat_rate",
            ),
        ]

    @property
    def amount_ore(self) -> int:
        return self.debit_ore - self.credit_ore
