"""Company cards and their purchases (inköp med företagskort; issue 10 item 5, DOMAIN.md).

A `Card` belongs to one holder (a membership) and stores the last four digits only — never a full
card number. A `CardPurchase` is one purchase on a card, from one of two sources: entered by the
holder with a receipt photo (`ENTERED`), or a line of an imported card statement (`IMPORTED`,
carrying a stable `fingerprint` so a re-import never adds it twice). Matching (matching.py) moves
the receipt of an entered purchase onto the imported transaction it belongs to. Money is integer
öre (DESIGN.md rule 14); the receipt is an `expenses.Receipt` (uploaded through its services)."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from verksam.expenses.models import Receipt
from verksam.tenancy.models import Membership, TenantOwned


class Card(TenantOwned):
    holder = models.ForeignKey(
        Membership, verbose_name=_("card holder"), on_delete=models.PROTECT, related_name="+"
    )
    last_four = models.CharField(_("last four digits"), max_length=4)
    name = models.CharField(_("name"), max_length=80, blank=True, default="")
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name", "last_four", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "holder", "last_four"],
                name="cards_card_unique_per_holder",
                violation_error_message=_("The holder already has a card ending in these digits."),
            )
        ]

    def __str__(self) -> str:
        return f"•••• {self.last_four}"


class Source(models.TextChoices):
    ENTERED = "entered", _("Entered by the holder")
    IMPORTED = "imported", _("Card statement")


class PurchaseStatus(models.TextChoices):
    OPEN = "open", _("Open")
    SUBMITTED = "submitted", _("Submitted")
    ATTESTED = "attested", _("Attested")
    BOOKED = "booked", _("Booked")
    MERGED = "merged", _("Matched to a statement line")


class StatementImport(TenantOwned):
    """One imported statement file (all rows or none), with what it added and what it skipped."""

    file_name = models.CharField(max_length=200, blank=True, default="")
    rows = models.PositiveIntegerField(default=0)
    imported = models.PositiveIntegerField(default=0)
    duplicates = models.PositiveIntegerField(default=0)
    imported_at = models.DateTimeField(default=timezone.now)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["-imported_at", "-pk"]


class CardPurchase(TenantOwned):
    card = models.ForeignKey(Card, verbose_name=_("card"), on_delete=models.PROTECT, related_name="purchases")
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.ENTERED)
    status = models.CharField(max_length=10, choices=PurchaseStatus.choices, default=PurchaseStatus.OPEN)
    purchase_date = models.DateField(_("date of purchase"))
    amount_ore = models.BigIntegerField(_("amount incl. VAT"))
    vat_25_ore = models.BigIntegerField(_("VAT 25 %"), default=0)
    vat_12_ore = models.BigIntegerField(_("VAT 12 %"), default=0)
    vat_6_ore = models.BigIntegerField(_("VAT 6 %"), default=0)
    merchant = models.CharField(_("merchant"), max_length=200)
    account = models.CharField(_("cost account"), max_length=4, blank=True, default="")
    description = models.CharField(_("description"), max_length=500, blank=True, default="")
    receipt = models.ForeignKey(Receipt, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    # imported lines only
    statement_reference = models.CharField(_("statement reference"), max_length=100, blank=True, default="")
    fingerprint = models.CharField(max_length=64, null=True, blank=True)
    statement = models.ForeignKey(
        StatementImport, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # an entered purchase whose receipt was matched onto this imported line
    matched_from = models.OneToOneField(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="matched_to"
    )
    attested_at = models.DateTimeField(null=True, blank=True)
    attested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    voucher_id = models.BigIntegerField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-purchase_date", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount_ore__gt=0), name="cards_purchase_amount_positive"),
            models.CheckConstraint(
                condition=Q(vat_25_ore__gte=0) & Q(vat_12_ore__gte=0) & Q(vat_6_ore__gte=0),
                name="cards_purchase_vat_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(amount_ore__gte=F("vat_25_ore") + F("vat_12_ore") + F("vat_6_ore")),
                name="cards_purchase_vat_within_amount",
            ),
            models.UniqueConstraint(
                fields=["tenant", "fingerprint"],
                condition=Q(fingerprint__isnull=False),
                name="cards_purchase_unique_fingerprint",
                violation_error_message=_("This statement line is already imported."),
            ),
        ]
        indexes = [models.Index(fields=["tenant", "card", "purchase_date"], name="cards_purchase_card_date")]

    def __str__(self) -> str:
        return f"{self.purchase_date} {self.merchant} {self.amount_ore / 100:.2f}"

    @property
    def vat_ore(self) -> int:
        return self.vat_25_ore + self.vat_12_ore + self.vat_6_ore

    @property
    def receipt_missing(self) -> bool:
        return self.source == Source.IMPORTED and self.receipt_id is None
