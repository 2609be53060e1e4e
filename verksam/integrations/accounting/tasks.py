"""The push of one voucher as a background task (DESIGN.md rule 12: JSON arguments incl. tenant_id,
run in the tenant's scope, idempotent: a sent push is left alone)."""

from django_tasks import task

from verksam.tenancy.scope import tenant_task

from . import services


@task()
@tenant_task
def push_send(*, tenant_id: int, push_id: int) -> str:
    """Send one queued push to its accounting system."""
    return services.push_run(push_id=push_id)
