"""Delegation of attestation: an approver (attestansvarig) names a substitute for a date range;
while it runs, the approver's pending items route to the substitute, and what the substitute
attests is recorded as "on behalf of" the approver."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from verksam.tenancy.models import Membership, TenantOwned


class Delegation(TenantOwned):
    """`substitute` attests for `approver` from `start_date` to `end_date` (inclusive)."""

    approver = models.ForeignKey(
        Membership, verbose_name=_("approver"), on_delete=models.CASCADE, related_name="delegations_given"
    )
    substitute = models.ForeignKey(
        Membership, verbose_name=_("substitute"), on_delete=models.CASCADE, related_name="delegations_held"
    )
    start_date = models.DateField(_("from"))
    end_date = models.DateField(_("to"))
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-start_date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")),
                name="attestation_delegation_end_after_start",
                violation_error_message=_("The end date cannot be before the start date."),
            ),
            models.CheckConstraint(
                condition=~Q(approver=F("substitute")),
                name="attestation_delegation_not_self",
                violation_error_message=_("You cannot be your own substitute."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.approver_id} → {self.substitute_id} {self.start_date}–{self.end_date}"


class ReminderKind(models.TextChoices):
    EMPLOYEE = "employee", _("Open days to lock")
    APPROVER = "approver", _("Days waiting for attestation")


class ReminderLog(TenantOwned):
    """A reminder e-mail that was sent, so the daily run never sends the same one twice in a day."""

    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("kind"), max_length=10, choices=ReminderKind.choices)
    sent_on = models.DateField(_("sent on"))
    period_key = models.CharField(_("deviation period"), max_length=7)
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-sent_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["membership", "kind", "sent_on"], name="attestation_reminderlog_once_per_day"
            )
        ]

    def __str__(self) -> str:
        return f"{self.membership_id} {self.kind} {self.sent_on}"


class PeriodClose(TenantOwned):
    """A deviation period (avvikelseperiod) closed after payroll: its time refuses every change
    (entries, lock, unlock, attest, reject, reopen, time-bank adjustments) until it is reopened
    with a reason (issue 8 item 8). Closing again after a reopening writes a new row, so the rows
    are the period's history; a reopened row is what the payroll correction file reads
    (`selectors.period_corrections_pending`) until payroll marks it handled."""

    period_key = models.CharField(_("deviation period"), max_length=7)
    start = models.DateField(_("from"))
    end = models.DateField(_("to"))
    closed_at = models.DateTimeField(default=timezone.now)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reopened_at = models.DateTimeField(null=True, blank=True)
    reopened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reopen_reason = models.CharField(_("reason"), max_length=500, blank=True, default="")
    # Set by the payroll export once a correction file has carried what changed after the reopening.
    correction_handled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-start", "-closed_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "period_key"],
                condition=Q(reopened_at__isnull=True),
                name="attestation_periodclose_one_closed",
                violation_error_message=_("The period is already closed."),
            ),
            models.CheckConstraint(
                condition=Q(end__gte=F("start")), name="attestation_periodclose_end_after_start"
            ),
            models.CheckConstraint(
                condition=Q(reopened_at__isnull=True) | ~Q(reopen_reason=""),
                name="attestation_periodclose_reopen_has_reason",
            ),
        ]
        indexes = [models.Index(fields=["tenant", "start", "end"], name="attestation_periodclose_span")]

    def __str__(self) -> str:
        return f"{self.period_key} {'reopened' if self.reopened_at else 'closed'}"

    @property
    def is_closed(self) -> bool:
        return self.reopened_at is None
