"""The background task that makes a payroll file (DESIGN.md rule 12: JSON arguments incl. tenant_id,
run in the tenant's scope, idempotent: a finished export is never made twice)."""

from django_tasks import task

from verksam.tenancy.scope import tenant_task

from . import services


@task()
@tenant_task
def payroll_export_task(*, tenant_id: int, export_id: int) -> str | None:
    """Make the export's file (or record its refusal); returns its status, None when already finished."""
    export = services.payroll_export_run(export_id=export_id)
    return export.status if export is not None else None
