"""Writing the audit log. Called by services inside their own transaction, so the audit row and
the change it describes commit or roll back together."""

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import connections, models, router

from verksam.core.db import current_request_transaction, insert_rows, insert_values_sql, new_instance
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
    event = _event(actor=actor, action=action, target=target, data=data, tenant_id=tenant_id, label=label)
    event.save()
    return event


def _event(
    *,
    actor: Any,
    action: str,
    target: models.Model | None,
    data: dict | None,
    tenant_id: int | None,
    label: str,
) -> AuditEvent:
    user = getattr(actor, "user", None)
    return AuditEvent(
        tenant_id=tenant_id or actor.tenant_id,
        user=user if getattr(user, "pk", None) else None,
        partner_tenant_id=getattr(actor, "partner_tenant_id", None),
        action=action,
        target_type=target._meta.label_lower if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        target_label=(label or (str(target) if target is not None else ""))[:200],
        data=data or {},
    )


def save_and_record(
    *, obj: models.Model, actor: Any, action: str, data: dict | None = None, last: bool = False
) -> AuditEvent:
    """Insert the new `obj` (as `obj.save()` does) and append its audit row (as `record` does, with
    `obj` as the target). On PostgreSQL both rows go in one statement, a data-modifying CTE whose
    audit row takes the new row's id (issue 13: one round trip less on every create); the two rows
    commit or roll back together with the caller's transaction either way. `last`: the caller runs
    nothing on the database after it — inside the API's request transaction (PostgreSQL) the COMMIT
    then goes in the same write (core.db.RequestTransaction.execute_committing; issue 13)."""
    model = type(obj)
    connection = connections[router.db_for_write(model)]
    meta = model._meta
    if connection.vendor != "postgresql" or meta.parents or meta.auto_field is None or obj.pk is not None:
        obj.save()
        return record(actor=actor, action=action, target=obj, data=data)
    event = _event(actor=actor, action=action, target=obj, data=data, tenant_id=None, label="")
    columns, placeholders, params = insert_values_sql(obj, connection)
    event_columns, event_placeholders, event_params = insert_values_sql(event, connection)
    qn = connection.ops.quote_name
    # the audit row's target_id is the new row's id as text (str(obj.pk) in `record`)
    target_at = [f.attname for f in AuditEvent._meta.local_concrete_fields if not f.primary_key].index(
        "target_id"
    )
    event_placeholders[target_at] = "(SELECT new_row.id::text FROM new_row)"
    del event_params[target_at]
    sql = (
        f"WITH new_row AS (INSERT INTO {qn(meta.db_table)} ({columns}) VALUES ({', '.join(placeholders)}) "
        f"RETURNING {qn(str(meta.pk.column))} AS id), "
        f"new_event AS (INSERT INTO {qn(AuditEvent._meta.db_table)} ({event_columns}) "
        f"VALUES ({', '.join(event_placeholders)}) RETURNING {qn(str(AuditEvent._meta.pk.column))} AS id) "
        "SELECT new_row.id, new_event.id FROM new_row, new_event"
    )
    tx = current_request_transaction(connection.alias) if last else None
    if tx is not None and tx.can_commit_with_next():
        ((obj.pk, event.pk),) = tx.execute_committing(sql, [*params, *event_params])
    else:
        with connection.cursor() as cursor:
            cursor.execute(sql, [*params, *event_params])
            obj.pk, event.pk = cursor.fetchone()
    event.target_id = str(obj.pk)
    for saved in (obj, event):
        saved._state.adding = False
        saved._state.db = connection.alias
    return event


def record_many(
    *,
    actor: Any,
    action: str,
    targets: list[tuple[models.Model, dict]],
    labels: list[str] | None = None,
    created_at: dt.datetime | None = None,
) -> list[AuditEvent]:
    """Append one audit row per `(target, data)` for `actor`, in one INSERT (a batch of writes).
    `labels`: each target's label when the caller has it already (else `str(target)`); `created_at`:
    one time for every row (else each row's own default)."""
    user = getattr(actor, "user", None)
    who = {
        "tenant_id": actor.tenant_id,
        "user": user if getattr(user, "pk", None) else None,
        "partner_tenant_id": getattr(actor, "partner_tenant_id", None),
        "action": action,
    }
    if created_at is not None:
        who["created_at"] = created_at
    if labels is None:
        labels = [str(target) for target, _data in targets]
    events = [
        new_instance(
            AuditEvent,
            {
                **who,
                "target_type": target._meta.label_lower,
                "target_id": str(target.pk),
                "target_label": label[:200],
                "data": data or {},
            },
        )
        for (target, data), label in zip(targets, labels, strict=True)
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
