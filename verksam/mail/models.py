"""Every e-mail a tenant sends, with its delivery state (issue 7 item 11: failures are visible)."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from verksam.tenancy.models import TenantOwned


class MailStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")


class OutgoingMail(TenantOwned):
    """One e-mail to one recipient, rendered when it was asked for and delivered by its own task."""

    kind = models.CharField(_("kind"), max_length=40)
    to = models.EmailField(_("recipient"), max_length=254)
    subject = models.CharField(_("subject"), max_length=300)
    # Emptied once the mail is sent or has failed for good: it may hold a one-time link.
    body = models.TextField(_("message"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=MailStatus.choices, default=MailStatus.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["tenant", "status", "created_at"], name="mail_outgoing_status_idx")]

    def __str__(self) -> str:
        return f"{self.kind} to {self.to} ({self.status})"
