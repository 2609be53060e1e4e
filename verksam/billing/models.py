"""Licence prices (a global, dated price list), balances (saldon) with their append-only ledger,
and payments for top-ups (DOMAIN.md "saldo", "licens")."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from verksam.tenancy.models import Licence, TenantOwned


class LicencePrice(models.Model):
    """Monthly price per user of one licence from `valid_from` on, excl. VAT (not tenant-owned)."""

    licence = models.CharField(_("licence"), max_length=10, choices=Licence.choices)
    monthly_ore = models.BigIntegerField(_("monthly price (öre)"))
    valid_from = models.DateField(_("valid from"))

    class Meta:
        ordering = ["licence", "-valid_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["licence", "valid_from"], name="billing_licenceprice_one_per_day"
            ),
            models.CheckConstraint(
                condition=models.Q(monthly_ore__gte=0), name="billing_licenceprice_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.licence} {self.monthly_ore} öre from {self.valid_from}"


class BalanceKind(models.TextChoices):
    SMS = "SMS", _("SMS")
    E_SIGNATURE = "E_SIGNATURE", _("E-signatures")
    COMPANY_LOOKUP = "COMPANY_LOOKUP", _("Company look-ups")


class BalanceAccount(TenantOwned):
    """The current amount of one balance of a tenant; the ledger (BalanceEntry) explains it."""

    kind = models.CharField(_("kind"), max_length=20, choices=BalanceKind.choices)
    amount = models.IntegerField(_("amount"), default=0)

    class Meta:
        ordering = ["kind"]
        constraints = [
            models.UniqueConstraint(fields=["tenant", "kind"], name="billing_balanceaccount_one_per_kind"),
            # DOMAIN.md: a balance is never negative. The database refuses it even if a service errs.
            models.CheckConstraint(
                condition=models.Q(amount__gte=0), name="billing_balanceaccount_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind}: {self.amount}"


class BalanceEntry(TenantOwned):
    """One change of a balance (append-only: never updated or deleted)."""

    kind = models.CharField(_("kind"), max_length=20, choices=BalanceKind.choices)
    delta = models.IntegerField(_("change"))
    reason = models.CharField(_("reason"), max_length=200)
    # A unique reference (e.g. "payment:42") makes a credit happen exactly once.
    reference = models.CharField(_("reference"), max_length=100, blank=True, default="")
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["tenant", "-created_at"], name="billing_entry_tenant_time")]
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "reference"],
                condition=~models.Q(reference=""),
                name="billing_balanceentry_reference_unique",
            ),
            models.CheckConstraint(condition=~models.Q(delta=0), name="billing_balanceentry_delta_not_zero"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.delta:+d} ({self.reason})"


class PaymentStatus(models.TextChoices):
    CREATED = "created", _("Awaiting payment")
    PAID = "paid", _("Paid")
    CANCELLED = "cancelled", _("Cancelled")
    FAILED = "failed", _("Failed")


class Payment(TenantOwned):
    """A top-up paid through the payment provider; credits its balance once, when paid."""

    kind = models.CharField(_("kind"), max_length=20, choices=BalanceKind.choices)
    quantity = models.PositiveIntegerField(_("quantity"))
    amount_ore = models.BigIntegerField(_("amount (öre)"))
    currency = models.CharField(max_length=3, default="SEK")
    status = models.CharField(
        _("status"), max_length=10, choices=PaymentStatus.choices, default=PaymentStatus.CREATED
    )
    provider_payment_id = models.CharField(max_length=64, blank=True, default="")
    checkout_url = models.URLField(max_length=500, blank=True, default="")
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    paid_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["provider_payment_id"],
                condition=~models.Q(provider_payment_id=""),
                name="billing_payment_provider_id_unique",
            ),
            models.CheckConstraint(
                condition=models.Q(amount_ore__gt=0), name="billing_payment_amount_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.quantity} {self.kind} ({self.status})"

    @property
    def reference(self) -> str:
        """What we send the provider; it names the tenant so a webhook can find the right scope."""
        return f"verksam-{self.tenant_id}-{self.pk}"
