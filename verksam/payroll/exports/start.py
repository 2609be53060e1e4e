"""Start a payroll export: check the period, the payroll system and the chosen employees, record the
export (a correction when the period already has a file for that system) and queue its task."""

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from verksam.attestation import selectors as attestation_selectors
from verksam.audit.services import record
from verksam.core.errors import Conflict, DomainError
from verksam.core.tasks import enqueue_on_commit
from verksam.tenancy.access import Actor
from verksam.tenancy.models import Membership
from verksam.tenancy.permissions import Perm

from ..dto import Target
from ..models import ExportKind, ExportStatus, PayrollExport
from .progress import STEPS

STALE_AFTER = dt.timedelta(hours=1)


def _target(value: str) -> Target:
    try:
        return Target(value)
    except ValueError:
        raise DomainError(
            _("Choose a payroll system."), code="invalid_target", extra={"field": "target"}
        ) from None


def period_or_error(period_key: str):
    """The tenant's deviation period named `period_key` (`YYYY-MM`), or a clear 422."""
    start_day = attestation_selectors.attestation_settings().period_start_day
    period = attestation_selectors.period_get(period_key, start_day=start_day) if period_key else None
    if period is None:
        raise DomainError(_("Unknown period."), code="invalid_period", extra={"field": "period"})
    return period


def baseline_for(
    *, period_key: str, target: str, before: PayrollExport | None = None
) -> PayrollExport | None:
    """The latest file made for the period and payroll system: what the next one corrects."""
    done = PayrollExport.objects.filter(period_key=period_key, target=target, status=ExportStatus.DONE)
    if before is not None:
        done = done.exclude(pk=before.pk).filter(created_at__lte=before.created_at)
    return done.order_by("-created_at", "-id").first()


@transaction.atomic
def payroll_export_start(
    *,
    actor: Actor,
    period_key: str,
    target: str,
    member_ids: Sequence[int] | None,
    tenant: Any = None,
) -> PayrollExport:
    """Record a payroll file to be made for the period, the payroll system and the chosen employees
    and queue the task that makes it; a period that already has a file gets a correction file."""
    actor.require(Perm.PAYROLL_VIEW)
    if tenant is not None and tenant.pk != actor.tenant_id:
        raise DomainError(_("Unknown company."), code="invalid_tenant")
    chosen = _target(target)
    period = period_or_error(period_key)
    ids = _member_ids(period.key, member_ids, actor)
    # One export at a time per period and system: the second would not know which file it corrects.
    running = (
        PayrollExport.objects.select_for_update()
        .filter(
            period_key=period.key,
            target=chosen.value,
            status__in=[ExportStatus.QUEUED, ExportStatus.RUNNING],
            # a task that died with its worker does not block the period for ever
            created_at__gte=timezone.now() - STALE_AFTER,
        )
        .exists()
    )
    if running:
        raise Conflict(
            _("A payroll file for this period and payroll system is being made. Wait until it is done."),
            code="export_running",
        )
    baseline = baseline_for(period_key=period.key, target=chosen.value)
    export = PayrollExport(
        tenant_id=actor.tenant_id,
        period_key=period.key,
        period_start=period.start,
        period_end=period.end,
        target=chosen.value,
        kind=ExportKind.CORRECTION if baseline is not None else ExportKind.NORMAL,
        baseline=baseline,
        member_ids=ids,
        employee_count=len(ids),
        created_by=actor.user,
        created_by_partner_id=actor.partner_tenant_id,
        period_closed=attestation_selectors.period_close_get(period.key) is not None,
        progress_total=STEPS,
    )
    export.full_clean()
    export.save()
    record(
        actor=actor,
        action="payroll.export_start",
        target=export,
        label=f"{period.key} {chosen.value}",
        data={"period": period.key, "target": chosen.value, "kind": export.kind, "employees": len(ids)},
    )
    from .tasks import payroll_export_task

    enqueue_on_commit(payroll_export_task, tenant_id=actor.tenant_id, export_id=export.pk)
    return export


def _member_ids(period_key: str, member_ids: Sequence[int] | None, actor: Actor) -> list[int]:
    if member_ids is None:
        from .basis import remembered_member_ids

        ids = remembered_member_ids(tenant=actor.tenant, period_key=period_key)
    else:
        ids = sorted({int(i) for i in member_ids})
        found = set(Membership.objects.filter(pk__in=ids).values_list("pk", flat=True))
        if found != set(ids):
            raise DomainError(_("Unknown employee."), code="invalid_employee", extra={"field": "member_ids"})
    if not ids:
        raise DomainError(
            _("Choose at least one employee for the payroll file."),
            code="no_employees",
            extra={"field": "member_ids"},
        )
    return sorted(ids)
