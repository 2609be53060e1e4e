"""Background work of card purchases (DESIGN.md rule 12): the daily "Kvitto saknas" job of one
tenant, recorded as a JobRun (verksam/jobs) so a failure is retried and other tenants go on."""

import datetime as dt

from django_tasks import task

from verksam.jobs.services import job_run_for_tenant
from verksam.tenancy.scope import tenant_task

from .importing import match_apply, receipt_missing_reminders

JOB_CARD_RECEIPTS = "card_receipt_reminders"


def _run(tenant_id: int) -> dict[str, int]:
    matched = match_apply(tenant_id=tenant_id)
    return {"matched": matched, "reminded": receipt_missing_reminders(tenant_id=tenant_id)}


@task()
def card_receipt_reminders_job(*, tenant_id: int, today: str) -> dict[str, int] | None:
    """Match what can be matched, then remind holders of lines still without a receipt."""
    return job_run_for_tenant(
        job=JOB_CARD_RECEIPTS,
        tenant_id=tenant_id,
        run_for=dt.date.fromisoformat(today),
        func=lambda: _run(tenant_id),
    )


@task()
@tenant_task
def card_match(*, tenant_id: int) -> int:
    """Match the tenant's open statement lines with the receipts entered so far (idempotent: a
    matched line has its receipt and is no longer a candidate)."""
    return match_apply(tenant_id=tenant_id)
