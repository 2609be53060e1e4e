"""A company's connection to its accounting system and the vouchers pushed there."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from verksam.tenancy.models import TenantOwned


class Provider(models.TextChoices):
    FORTNOX = "fortnox", "Fortnox"
    VISMA = "visma", "Visma eEkonomi"


class Connection(TenantOwned):
    """OAuth2 tokens for one provider, encrypted (crypto.py); never shown. Fortnox and Visma rotate the
    refresh token on every refresh, so a refresh replaces both under a row lock (services.access_token)."""

    provider = models.CharField(max_length=16, choices=Provider.choices)
    access_token_enc = models.TextField(blank=True, default="")
    refresh_token_enc = models.TextField(blank=True, default="")
    access_expires_at = models.DateTimeField(null=True, blank=True)
    scope = models.CharField(max_length=300, blank=True, default="")
    connected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    connected_at = models.DateTimeField(default=timezone.now)
    disconnected_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["tenant", "provider"], name="accounting_sync_connection_once"),
            models.UniqueConstraint(
                fields=["tenant"],
                condition=Q(disconnected_at__isnull=True),
                name="accounting_sync_connection_one_active",
                violation_error_message=_("The company is already connected to an accounting system."),
            ),
        ]

    def __str__(self) -> str:
        return self.get_provider_display()

    @property
    def is_active(self) -> bool:
        return self.disconnected_at is None


class OAuthState(TenantOwned):
    """The `state` of one authorisation request (RFC 6749 10.12, CSRF): bound to the company and the
    person who started it, used once, valid for STATE_TTL."""

    provider = models.CharField(max_length=16, choices=Provider.choices)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    state_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    used_at = models.DateTimeField(null=True, blank=True)


class PushStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")


class Push(TenantOwned):
    """One voucher pushed to a provider. `idempotency_key` is stable per local voucher and unique per
    provider: the same voucher is never booked twice (services.push_run explains the crash case)."""

    provider = models.CharField(max_length=16, choices=Provider.choices)
    idempotency_key = models.CharField(max_length=120)
    marker = models.CharField(max_length=20)
    payload = models.JSONField()  # the VoucherToPush without file bytes (files in `files`)
    status = models.CharField(max_length=10, choices=PushStatus.choices, default=PushStatus.QUEUED)
    remote_voucher_id = models.CharField(max_length=80, blank=True, default="")
    attempts = models.PositiveSmallIntegerField(default=0)
    # the attempts made before a person last queued it again ("Skicka igen"): each round gets
    # ACCOUNTING_PUSH_MAX_ATTEMPTS attempts of its own
    attempts_at_queue = models.PositiveSmallIntegerField(default=0)
    # when the task queued again after a 429/5xx/timeout runs (Retry-After and back-off); None otherwise
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True, default="")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "provider", "idempotency_key"], name="accounting_sync_push_once"
            ),
            models.CheckConstraint(
                condition=Q(status__in=["queued", "sending", "sent", "failed"]),
                name="accounting_sync_push_status",
            ),
        ]
        indexes = [models.Index(fields=["tenant", "-created_at"], name="accounting_sync_push_recent")]

    def __str__(self) -> str:
        return f"{self.provider}:{self.idempotency_key}"


class PushFile(TenantOwned):
    """A receipt to send with a push, kept until it is sent (the task reads it, not the caller's app)."""

    push = models.ForeignKey(Push, on_delete=models.CASCADE, related_name="files")
    file_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=60)
    data = models.BinaryField()
