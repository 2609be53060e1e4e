"""Run the daily jobs of `settings.SCHEDULE` at their local (Europe/Stockholm) time, and retry what
failed (issue 7 item 11).

django-tasks has no periodic scheduler. `make run` starts this loop next to the task worker, and a
production installation runs it as its own process (one per installation). Jobs are named by
management command, so this module depends on no domain app; every scheduled command must be safe
to run twice a day. Per tenant, the commands record each run as a `JobRun` (`scheduler_status` lists
them); this loop runs a job again on a later tick when one of today's tenant runs failed and its
retry time has come. A command that fails as a whole (the database was away) is retried here with
back-off, at most `MAX_ATTEMPTS` times a day. Every start, failure and retry is a log line.
"""

import datetime as dt
import logging
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from verksam.jobs.selectors import job_retries_due
from verksam.jobs.services import MAX_ATTEMPTS, retry_delay
from verksam.tenancy.scope import dangerously_system_scope

logger = logging.getLogger(__name__)


@dataclass
class JobState:
    """What the loop remembers of one job today."""

    day: dt.date
    done: bool = False
    attempts: int = 0
    next_attempt_at: dt.datetime | None = None


def due_jobs(now: dt.datetime, state: dict[str, JobState]) -> list[tuple[str, dict]]:
    """The jobs whose time of day has come today and that have not run today, or that failed as a
    whole and whose retry time has come, or that have a tenant's failed run waiting for a retry."""
    today = now.date()
    due = []
    for at, command, options in settings.SCHEDULE:
        if now.time() < dt.time.fromisoformat(at):
            continue
        job = state.get(command)
        if job is None or job.day != today:
            due.append((command, options))
        elif not job.done:
            if job.attempts < MAX_ATTEMPTS and (job.next_attempt_at is None or job.next_attempt_at <= now):
                due.append((command, options))
        elif _tenant_retries_due(command, today):
            due.append((command, options))
    return due


def _tenant_retries_due(command: str, today: dt.date) -> bool:
    with dangerously_system_scope("run_scheduler: are failed tenant runs waiting for a retry"):
        return job_retries_due(job=command, run_for=today)


def run_due(now: dt.datetime, state: dict[str, JobState], stdout, stderr) -> None:
    """Run the due jobs once each; remember success, or the failure and when to try again."""
    for command, job_options in due_jobs(now, state):
        job = state.get(command)
        if job is None or job.day != now.date():
            job = state[command] = JobState(day=now.date())
        job.attempts += 1
        logger.info("scheduler: running %s (attempt %s)", command, job.attempts)
        stdout.write(f"{now:%Y-%m-%d %H:%M} running {command}")
        try:
            call_command(command, stdout=stdout, **job_options)
        except Exception as exc:  # noqa: BLE001 - one failing job must not stop the others
            job.done = False
            job.next_attempt_at = now + retry_delay(job.attempts) if job.attempts < MAX_ATTEMPTS else None
            logger.exception(
                "scheduler: %s failed (attempt %s of %s); next try %s",
                command,
                job.attempts,
                MAX_ATTEMPTS,
                job.next_attempt_at.isoformat() if job.next_attempt_at else "tomorrow",
            )
            stderr.write(f"{command} failed: {exc!r}")
        else:
            job.done, job.next_attempt_at = True, None


class Command(BaseCommand):
    help = "Run the daily jobs in settings.SCHEDULE at their time and retry failed ones."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true", help="Run the jobs due now, then exit.")
        parser.add_argument("--interval", type=int, default=60, help="Seconds between checks.")

    def handle(self, *args, once: bool = False, interval: int = 60, **options) -> None:
        state: dict[str, JobState] = {}
        while True:
            run_due(timezone.localtime(), state, self.stdout, self.stderr)
            if once:
                return
            time.sleep(interval)
