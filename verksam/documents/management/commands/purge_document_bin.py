"""Empty the documents bin of what was deleted more than 30 days ago (DOCUMENTS_BIN_DAYS).

Run daily by the scheduler (settings.SCHEDULE). Idempotent: a second run finds nothing more to purge."""

import datetime as dt

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone

from verksam.documents.services import bin_purge
from verksam.tenancy.scope import all_tenant_ids, tenant_scope


class Command(BaseCommand):
    help = "Delete for good the documents and folders that lie in the bin for more than 30 days."

    def handle(self, *args, **options) -> None:
        cutoff = timezone.now() - dt.timedelta(days=settings.DOCUMENTS_BIN_DAYS)
        removed = 0
        for tenant_id in list(all_tenant_ids()):
            with tenant_scope(tenant_id):  # one company at a time, as its own transaction
                removed += bin_purge(older_than=cutoff)
        self.stdout.write(f"purged {removed} documents from the bin")
