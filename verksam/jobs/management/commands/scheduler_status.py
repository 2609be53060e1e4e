"""Show the recorded runs of the daily jobs, per tenant (issue 7 item 11: failures visible to the
operators). Exit status 1 when a run failed for good or still waits for its retry, for monitoring."""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from verksam.jobs.models import JobStatus
from verksam.jobs.selectors import job_run_list
from verksam.tenancy.scope import dangerously_system_scope


class Command(BaseCommand):
    help = "List the daily jobs' runs per tenant (default: the last 7 days); fail if any failed."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--days", type=int, default=7, help="How many days back (default 7).")
        parser.add_argument("--job", default="", help="Only this job (management command name).")
        parser.add_argument("--failed", action="store_true", help="Only runs that failed.")

    def handle(self, *args, days: int = 7, job: str = "", failed: bool = False, **options) -> None:
        since = timezone.localdate() - dt.timedelta(days=max(days, 0))
        with dangerously_system_scope("scheduler_status: the operators' view of every tenant's job runs"):
            runs = list(job_run_list(since=since, job=job).select_related("tenant"))
        if failed:
            runs = [r for r in runs if r.status == JobStatus.FAILED]
        self.stdout.write(f"{'day':10}  {'job':24} {'tenant':24} {'status':9} {'tries':>5}  next try / error")
        for run in runs:
            after = ""
            if run.status == JobStatus.FAILED:
                last_line = (run.error.strip().splitlines() or [""])[-1]
                when = (
                    f"{timezone.localtime(run.next_attempt_at):%H:%M}" if run.next_attempt_at else "no more"
                )
                after = f"{when}: {last_line[:120]}"
            self.stdout.write(
                f"{run.run_for:%Y-%m-%d}  {run.job[:24]:24} {run.tenant.slug[:24]:24} {run.status:9} "
                f"{run.attempts:>5}  {after}"
            )
        failures = sum(1 for r in runs if r.status == JobStatus.FAILED)
        if failures:
            raise CommandError(f"{failures} failed job run(s).")
