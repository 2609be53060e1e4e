"""Reads of the job records. The scheduler and `scheduler_status` look across tenants, so they read
under an explicit system scope (DESIGN.md rule 10) entered by the caller."""

import datetime as dt

from django.db.models import QuerySet
from django.utils import timezone

from .models import JobRun
from .services import is_due


def job_run_list(*, since: dt.date | None = None, job: str = "") -> QuerySet[JobRun]:
    qs = JobRun.objects.all()
    if since:
        qs = qs.filter(run_for__gte=since)
    return qs.filter(job=job) if job else qs


def job_tenants_due(*, job: str, run_for: dt.date, tenant_ids: list[int]) -> list[int]:
    """The tenants whose run of `job` for `run_for` should start now (not run yet, or failed and
    past its retry time, or stale), in the order given."""
    now = timezone.now()
    runs = {r.tenant_id: r for r in JobRun.objects.filter(job=job, run_for=run_for, tenant_id__in=tenant_ids)}
    return [t for t in tenant_ids if is_due(runs.get(t), now)]


def job_retries_due(*, job: str, run_for: dt.date) -> bool:
    """Whether some tenant's failed (or stale) run of `job` for `run_for` waits to be tried again now."""
    now = timezone.now()
    return any(
        is_due(r, now) for r in JobRun.objects.filter(job=job, run_for=run_for).exclude(status="succeeded")
    )
