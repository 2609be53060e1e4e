"""Send the daily reminders before each tenant's deviation period ends (run once a day from cron;
see docs/reminders.md). Safe to run more than once a day: each person gets each reminder once a day."""

import datetime as dt

from django.core.management.base import BaseCommand, CommandParser

from verksam.attestation.tasks import send_time_reminders
from verksam.tenancy.models import Tenant


class Command(BaseCommand):
    help = "E-mail employees with unlocked days and approvers with days waiting for attestation."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", help="Run as if today were YYYY-MM-DD (default: today).")
        parser.add_argument(
            "--enqueue",
            action="store_true",
            help="Hand each tenant to the task worker instead of running here.",
        )

    def handle(self, *args, date: str | None = None, enqueue: bool = False, **options) -> None:
        today = dt.date.fromisoformat(date).isoformat() if date else None
        # Tenant rows are not tenant-owned; each tenant's reminders then run inside its own scope.
        tenant_ids = list(Tenant.objects.order_by("pk").values_list("pk", flat=True))
        totals = {"employees": 0, "approvers": 0}
        for tenant_id in tenant_ids:
            if enqueue:
                send_time_reminders.enqueue(tenant_id=tenant_id, today=today)
                continue
            sent = send_time_reminders.call(tenant_id=tenant_id, today=today)
            for key in totals:
                totals[key] += sent[key]
        if enqueue:
            self.stdout.write(f"Enqueued reminders for {len(tenant_ids)} tenants.")
        else:
            self.stdout.write(
                f"Reminders sent: {totals['employees']} employees, {totals['approvers']} approvers "
                f"({len(tenant_ids)} tenants)."
            )
