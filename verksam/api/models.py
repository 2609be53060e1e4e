from django.conf import settings
from django.db import models
from django.utils import timezone

from verksam.tenancy.models import TenantOwned


class IdempotencyRecord(TenantOwned):
    """A POST sent with `Idempotency-Key`: claimed before the request runs, then its stored answer,
    replayed when the client retries (verksam/api/idempotency.py).

    Scoped to user *and* tenant: a key is one client's, and the same person acting in two companies
    has two independent key spaces. Tenant-owned, so the stored answers sit behind the tenant's
    row-level security like every other business row. `status_code` is null while the first request
    is still running (the claim)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=255)
    fingerprint = models.CharField(max_length=64)  # SHA-256 of method, path and body
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    content_type = models.CharField(max_length=100, blank=True, default="")
    body = models.BinaryField(default=b"")
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "user", "key"], name="api_idempotencyrecord_tenant_user_key"
            )
        ]

    def __str__(self) -> str:
        return f"{self.tenant_id}:{self.user_id}:{self.key}"

    @property
    def is_complete(self) -> bool:
        return self.status_code is not None
