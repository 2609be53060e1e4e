"""Run the daily jobs of `settings.SCHEDULE` at their local (Europe/Stockholm) time.

django-tasks has no periodic scheduler. `make run` starts this loop next to the task worker so a
development or single-server install sends its reminders without cron; a larger installation runs
the same commands from cron instead (docs/reminders.md). Jobs are named by management command, so
this module depends on no domain app; every scheduled command must be safe to run twice a day.
"""

import datetime as dt
import time

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone


def due_jobs(now: dt.datetime, last_run: dict[str, dt.date]) -> list[tuple[str, dict]]:
    """The jobs whose time of day has come today and that have not run today."""
    today = now.date()
    due = []
    for at, command, options in settings.SCHEDULE:
        if now.time() >= dt.time.fromisoformat(at) and last_run.get(command) != today:
            due.append((command, options))
    return due


class Command(BaseCommand):
    help = "Run the daily jobs in settings.SCHEDULE at their time (for `make run`; cron in production)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true", help="Run the jobs due now, then exit.")
        parser.add_argument("--interval", type=int, default=60, help="Seconds between checks.")

    def handle(self, *args, once: bool = False, interval: int = 60, **options) -> None:
        last_run: dict[str, dt.date] = {}
        while True:
            now = timezone.localtime()
            for command, job_options in due_jobs(now, last_run):
                self.stdout.write(f"{now:%Y-%m-%d %H:%M} running {command}")
                try:
                    call_command(command, stdout=self.stdout, **job_options)
                except Exception as exc:  # noqa: BLE001 - one failing job must not stop the others
                    self.stderr.write(f"{command} failed: {exc!r}")
                last_run[command] = now.date()
            if once:
                return
            time.sleep(interval)
