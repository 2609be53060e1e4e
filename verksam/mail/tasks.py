"""Delivery of queued e-mail: one task per mail (DESIGN.md rule 12: JSON arguments incl. tenant_id,
run in the tenant's scope, idempotent: a mail that is no longer queued is left alone)."""

from django_tasks import task

from verksam.tenancy.scope import tenant_task

from . import services


@task()
@tenant_task
def mail_deliver(*, tenant_id: int, mail_id: int) -> str:
    """Deliver one tenant's queued mail once; a transient failure re-enqueues it with back-off."""
    return services.mail_attempt(mail_id=mail_id)


@task()
def mail_deliver_system(*, to: str, subject: str, body: str, kind: str, attempt: int = 1) -> str:
    """Deliver a mail that belongs to no tenant (a password reset for a person without a company)."""
    return services.system_mail_attempt(to=to, subject=subject, body=body, kind=kind, attempt=attempt)
