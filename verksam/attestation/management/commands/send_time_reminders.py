"""Send the daily reminders before each tenant's deviation period ends (run once a day by
`run_scheduler` or cron; see docs/reminders.md). Safe to run more than once a day: each person gets
each reminder once a day, and a tenant whose run succeeded today is skipped.

Each tenant runs in its own scope and transaction and is recorded as a `JobRun` (issue 7 item 11):
one tenant's failure is logged and recorded and the others go on; a failed tenant is retried with
back-off by the next run after its retry time (`run_scheduler` checks every minute)."""

import datetime as dt

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from verksam.attestation.tasks import JOB_TIME_REMINDERS, send_time_reminders_job
from verksam.jobs.selectors import job_tenants_due
from verksam.tenancy.models import Tenant
from verksam.tenancy.scope import dangerously_system_scope


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
        day = dt.date.fromisoformat(date) if date else timezone.localdate()
        # Tenant rows are not tenant-owned; each tenant's reminders then run inside its own scope.
        tenant_ids = list(Tenant.objects.order_by("pk").values_list("pk", flat=True))
        with dangerously_system_scope("send_time_reminders: which tenants' runs are due today"):
            due = job_tenants_due(job=JOB_TIME_REMINDERS, run_for=day, tenant_ids=tenant_ids)
        totals = {"employees": 0, "approvers": 0}
        failed = 0
        for tenant_id in due:
            if enqueue:
                send_time_reminders_job.enqueue(tenant_id=tenant_id, today=day.isoformat())
                continue
            sent = send_time_reminders_job.call(tenant_id=tenant_id, today=day.isoformat())
            if sent is None:
                failed += 1
                continue
            for key in totals:
                totals[key] += sent[key]
        if enqueue:
            self.stdout.write(f"Enqueued reminders for {len(due)} of {len(tenant_ids)} tenants.")
        else:
            self.stdout.write(
                f"Reminders sent: {totals['employees']} employees, {totals['approvers']} approvers "
                f"({len(due)} of {len(tenant_ids)} tenants due, {failed} failed: see scheduler_status)."
            )
