"""The task's body: claim the export, build its period's basis from attested time and finish it
(finish.py); a creator who lost access, a refused basis or an error is stored as the refusal, never
left running."""

from django.db import transaction
from django.utils.translation import gettext as _

from verksam.core.errors import DomainError
from verksam.tenancy.access import Actor, resolve
from verksam.tenancy.permissions import Perm

from ..dto import Target
from ..models import ExportStatus, PayrollExport
from .finish import export_fail, payroll_export_finish
from .problems import ACCESS_LOST
from .progress import STEPS, progress_set


def _claim(export_id: int) -> PayrollExport | None:
    """The export to work on, marked running; None when it is finished (a task run twice) or gone."""
    with transaction.atomic():
        export = PayrollExport.objects.select_for_update().filter(pk=export_id).first()
        if export is None or export.is_finished:
            return None
        export.status, export.progress_done = ExportStatus.RUNNING, 0
        export.progress_total = STEPS
        export.save(update_fields=["status", "progress_done", "progress_total"])
        return export


def payroll_export_run(*, export_id: int) -> PayrollExport | None:
    """The task's body: build the basis of the export's period from attested time and finish the
    export with it. Idempotent: a finished export is left as it is."""
    export = _claim(export_id)
    if export is None:
        return None
    actor = _actor(export)
    if actor is None:
        return export_fail(
            export,
            _("The person who asked for the payroll file no longer has access to the company."),
            [
                {
                    "kind": ACCESS_LOST,
                    "employee": "",
                    "member_id": None,
                    "message": "",
                    "day": None,
                    "code": "",
                }
            ],
        )
    from .basis import basis_and_missing

    try:
        basis, missing = basis_and_missing(
            tenant=actor.tenant,
            period_key=export.period_key,
            member_ids=export.member_ids,
            target=Target(export.target),
        )
        progress_set(export, 1)
        return payroll_export_finish(actor=actor, export=export, basis=basis, missing=missing)
    except DomainError as exc:
        return export_fail(export, exc.message, [], code=exc.code)
    except Exception:
        # Never left "running" (it would block the period's next export): recorded, then raised
        # for the worker's log and retry policy.
        export_fail(export, _("The payroll file could not be made because of an error. Try again."), [])
        raise


def _actor(export: PayrollExport) -> Actor | None:
    if export.created_by is None:
        return None
    actor = resolve(export.created_by, export.tenant)
    return actor if actor is not None and actor.has(Perm.PAYROLL_VIEW) else None
