"""Writing the audit log. Called by services inside their own transaction, so the audit row and
the change it describes commit or roll back together."""

from dataclasses import dataclass
from typing import Any

from django.db import models

from verksam.core.db import insert_rows, new_instance
from verksam.tenancy.scope import tenant_scope
from verksam.tenancy.selectors import tenants_for_user

from .models import AuditEvent


def record(
    *,
    actor: Any,
    action: str,
    target: models.Model | None = None,
    data: dict | None = None,
    tenant_id: int | None = None,
    label: str = "",
) -> AuditEvent:
    """Append one audit row for `actor` (a tenancy Actor, or None for the system)."""
    user = getattr(actor, "user", None)
    event = AuditEvent(
        tenant_id=tenant_id or actor.tenant_id,
        user=user if getattr(user, "pk", None) else None,
        partner_tenant_id=getattr(actor, "partner_tenant_id", None),
        action=action,
        target_type=target._meta.label_lower if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        target_label=(label or (str(target) if target is not None else ""))[:200],
        data=data or {},
    )
    event.save()
    return event


def record_many(*, actor: Any, action: str, targets: list[tuple[models.Model, dict]]) -> list[AuditEvent]:
    """Append one audit row per `(target, data)` for `actor`, in one INSERT (a batch of writes)."""
    user = getattr(actor, "user", None)
    who = {
        "tenant_id": actor.tenant_id,
        "user": user if getattr(user, "pk", None) else None,
        "partner_tenant_id": getattr(actor, "partner_tenant_id", None),
        "action": action,
    }
    events = [
        new_instance(
            AuditEvent,
            {
                **who,
                "target_type": target._meta.label_lower,
                "target_id": str(target.pk),
                "target_label": str(target)[:200],
                "data": data or {},
            },
        )
        for target, data in targets
    ]
    insert_rows(events)  # one INSERT, without the ORM's per-value compilation (issue 13)
    return events


@dataclass(frozen=True)
class _PersonActor:
    """The person acting on their own credentials, in one company's log."""

    user: Any
    tenant_id: int
    partner_tenant_id: int | None = None


def record_for_user(
    *, user: Any, action: str, target: models.Model | None = None, data: dict | None = None
) -> list[AuditEvent]:
    """Append one audit row in every company `user` may enter now: the person's own credentials (an
    API token) reach all of them, so each company's administrator sees them come and go."""
    events = []
    for choice in tenants_for_user(user):
        with tenant_scope(choice.tenant.pk):
            actor = _PersonActor(user=user, tenant_id=choice.tenant.pk)
            events.append(record(actor=actor, action=action, target=target, data=data))
    return events
