"""Run a daily job for one tenant at a time, and record it (issue 7 item 11).

Each tenant's run is its own transaction inside its own tenant scope: an exception rolls back that
tenant's work only, is recorded on its `JobRun` (status, attempts, error) and logged, and the loop
goes on with the next tenant. A failed run is tried again after `retry_delay` (the scheduler's next
tick after that time, or the next manual run), at most `MAX_ATTEMPTS` times a day; a run that
succeeded is not repeated the same day.
"""

import datetime as dt
import logging
import traceback
from collections.abc import Callable
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from verksam.tenancy.scope import tenant_scope

from .models import JobRun, JobStatus

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 4
FIRST_RETRY = dt.timedelta(minutes=5)
MAX_RETRY = dt.timedelta(hours=2)
# A run still marked running after this long died with its process (a crash, a deploy): run it again.
STALE_AFTER = dt.timedelta(hours=1)


def retry_delay(attempt: int) -> dt.timedelta:
    """Wait after `attempt` failed runs: 5, 15, 45 minutes, at most 2 hours."""
    return min(FIRST_RETRY * 3 ** (attempt - 1), MAX_RETRY)


def is_due(run: JobRun | None, now: dt.datetime) -> bool:
    """Whether a tenant's run of today should start now."""
    if run is None:
        return True
    if run.status == JobStatus.SUCCEEDED or run.attempts >= MAX_ATTEMPTS:
        return False
    if run.status == JobStatus.RUNNING:
        return run.started_at <= now - STALE_AFTER
    return run.next_attempt_at is None or run.next_attempt_at <= now


def job_run_for_tenant(*, job: str, tenant_id: int, run_for: dt.date, func: Callable[[], Any]) -> Any:
    """Run `func` for one tenant in its scope and its own transaction, unless today's run already
    succeeded or waits for its retry time; record the outcome and never raise for the job's errors."""
    with tenant_scope(tenant_id):
        run = _claim(job, tenant_id, run_for)
        if run is None:
            return None
        try:
            with transaction.atomic():
                result = func()
        except Exception as exc:  # noqa: BLE001 - one tenant's failure must not stop the others
            now = timezone.now()
            run.status = JobStatus.FAILED
            run.finished_at = now
            run.error = "".join(traceback.format_exception(exc))[-4000:]
            run.next_attempt_at = now + retry_delay(run.attempts) if run.attempts < MAX_ATTEMPTS else None
            run.save()
            logger.exception(
                "job %s failed for tenant %s (%s, attempt %s of %s); next try %s",
                job,
                tenant_id,
                run_for,
                run.attempts,
                MAX_ATTEMPTS,
                run.next_attempt_at.isoformat() if run.next_attempt_at else "none",
            )
            return None
        run.status, run.finished_at, run.next_attempt_at, run.error = (
            JobStatus.SUCCEEDED,
            timezone.now(),
            None,
            "",
        )
        run.save()
        logger.info("job %s succeeded for tenant %s (%s, attempt %s)", job, tenant_id, run_for, run.attempts)
        return result


def _claim(job: str, tenant_id: int, run_for: dt.date) -> JobRun | None:
    now = timezone.now()
    try:
        with transaction.atomic():
            run = JobRun.objects.select_for_update().filter(job=job, run_for=run_for).first()
            if not is_due(run, now):
                return None
            if run is None:
                run = JobRun(tenant_id=tenant_id, job=job, run_for=run_for)
            run.status, run.attempts, run.started_at = JobStatus.RUNNING, run.attempts + 1, now
            run.finished_at = run.next_attempt_at = None
            run.save()
            return run
    except IntegrityError:
        return None  # another process started the same run at the same moment
