"""Delete expired Idempotency-Key records (older than IDEMPOTENCY_KEY_TTL_SECONDS, 24 h by default).

Run daily by the scheduler (settings.SCHEDULE). Safe to run at any time and twice: an expired key is
never replayed anyway (verksam/api/idempotency.py replaces one it meets), so this only keeps the table
small."""

from django.core.management.base import BaseCommand
from django.utils import timezone

from verksam.api.idempotency import ttl
from verksam.api.models import IdempotencyRecord
from verksam.tenancy.scope import dangerously_system_scope


class Command(BaseCommand):
    help = "Delete Idempotency-Key records older than their expiry (24 h)."

    def handle(self, *args, **options) -> None:
        cutoff = timezone.now() - ttl()
        with dangerously_system_scope("purge expired idempotency keys of every tenant"):
            deleted, _ = IdempotencyRecord.objects.filter(created_at__lt=cutoff).delete()
        self.stdout.write(f"deleted {deleted} expired idempotency keys")
