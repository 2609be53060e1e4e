"""Daily (settings.SCHEDULE): match card statement lines with entered receipts and e-mail each card
holder the lines still marked "Kvitto saknas". Safe to run twice a day (a tenant whose run
succeeded today is skipped; a line is reminded at most once a day)."""

import datetime as dt

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from verksam.cards.tasks import JOB_CARD_RECEIPTS, card_receipt_reminders_job
from verksam.jobs.selectors import job_tenants_due
from verksam.tenancy.models import Tenant
from verksam.tenancy.scope import dangerously_system_scope


class Command(BaseCommand):
    help = "Match card statement lines with receipts and remind holders of missing receipts."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", help="Run as if today were YYYY-MM-DD (default: today).")
        parser.add_argument("--enqueue", action="store_true", help="Hand each tenant to the task worker.")

    def handle(self, *args, date: str | None = None, enqueue: bool = False, **options) -> None:
        day = dt.date.fromisoformat(date) if date else timezone.localdate()
        tenant_ids = list(Tenant.objects.order_by("pk").values_list("pk", flat=True))
        with dangerously_system_scope("card_receipt_reminders: which tenants' runs are due today"):
            due = job_tenants_due(job=JOB_CARD_RECEIPTS, run_for=day, tenant_ids=tenant_ids)
        reminded = failed = 0
        for tenant_id in due:
            if enqueue:
                card_receipt_reminders_job.enqueue(tenant_id=tenant_id, today=day.isoformat())
                continue
            result = card_receipt_reminders_job.call(tenant_id=tenant_id, today=day.isoformat())
            if result is None:
                failed += 1
            else:
                reminded += result["reminded"]
        self.stdout.write(
            f"Card receipts: {reminded} holders reminded ({len(due)} tenants due, {failed} failed)."
        )
