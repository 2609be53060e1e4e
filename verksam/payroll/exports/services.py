"""Writes of the export history (issue 9 items 3, 5 and 6).

`payroll_export_start` records the request and queues the task; the task (`tasks.payroll_export_task`)
calls `payroll_export_run`, which builds the basis from attested time and hands it to
`payroll_export_finish`: the file is made (checked, written, XSD-validated) and stored with its
SHA-256 and the basis as JSON — or the refusal is stored with every problem, and no file at all.

Corrections: the first file of a period for a payroll system is the period's file; every later one
is a correction file against the basis the previous file carried (`corrections.correction_basis`):
only the differences, named `lonefil_korrigering_…`. Employees not chosen for the correction are
left as exported. When it is made, the period's pending reopenings are marked handled and the
payroll administrators and the accounting firm's people are e-mailed.
"""

import dataclasses
import datetime as dt
import logging
from collections.abc import Sequence
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from verksam.attestation import selectors as attestation_selectors
from verksam.attestation import services as attestation_services
from verksam.audit.services import record
from verksam.core.errors import Conflict, DomainError
from verksam.core.tasks import enqueue_on_commit
from verksam.tenancy.access import Actor, resolve
from verksam.tenancy.models import Membership
from verksam.tenancy.permissions import Perm

from .. import checks
from ..corrections import correction_basis
from ..dto import Employee, PayrollBasis, Target
from ..errors import PayrollFileRefused
from ..files import PayrollFile, make_file
from ..models import ExportKind, ExportStatus, PayrollExport
from ..snapshot import basis_from_json, basis_to_json
from . import mails

logger = logging.getLogger(__name__)

UNATTESTED = "unattested"
STALE_AFTER = dt.timedelta(hours=1)
ACCESS_LOST = "access_lost"
STEPS = 4  # the progress bar's steps: basis, compare, file (written and validated), stored


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


def _progress(export: PayrollExport, done: int) -> None:
    # Its own autocommit write, so the page polling the bar sees it while the task goes on.
    PayrollExport.objects.filter(pk=export.pk, status=ExportStatus.RUNNING).update(progress_done=done)


def payroll_export_run(*, export_id: int) -> PayrollExport | None:
    """The task's body: build the basis of the export's period from attested time and finish the
    export with it. Idempotent: a finished export is left as it is."""
    export = _claim(export_id)
    if export is None:
        return None
    actor = _actor(export)
    if actor is None:
        return _fail(
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
        _progress(export, 1)
        return payroll_export_finish(actor=actor, export=export, basis=basis, missing=missing)
    except DomainError as exc:
        return _fail(export, exc.message, [], code=exc.code)
    except Exception:
        # Never left "running" (it would block the period's next export): recorded, then raised
        # for the worker's log and retry policy.
        _fail(export, _("The payroll file could not be made because of an error. Try again."), [])
        raise


def _actor(export: PayrollExport) -> Actor | None:
    if export.created_by is None:
        return None
    actor = resolve(export.created_by, export.tenant)
    return actor if actor is not None and actor.has(Perm.PAYROLL_VIEW) else None


def _missing_problems(missing: Sequence[Any]) -> list[dict[str, Any]]:
    """The days that keep the basis preliminary, one problem per employee with their days."""
    by_member: dict[Any, list[Any]] = {}
    for row in missing:
        by_member.setdefault(row.member_id, []).append(row)
    problems = []
    for member_id, rows in by_member.items():
        first = rows[0]
        who = f"{first.name} ({first.employment_number})" if first.employment_number else first.name
        days = ", ".join(r.date.isoformat() for r in sorted(rows, key=lambda r: r.date))
        problems.append(
            {
                "kind": UNATTESTED,
                "employee": who,
                "member_id": member_id,
                "message": _("%(employee)s has time that is not attested: %(days)s.")
                % {"employee": first.name, "days": days},
                "day": rows[0].date.isoformat(),
                "code": "",
                "days": [r.date.isoformat() for r in rows],
            }
        )
    return problems


def _problem_json(problem: checks.Problem, members: dict[str, int]) -> dict[str, Any]:
    return {
        "kind": problem.kind,
        "employee": problem.employee,
        "member_id": members.get(problem.employee),
        "message": problem.message,
        "day": problem.day.isoformat() if problem.day else None,
        "code": problem.code,
    }


def _who(employee: Employee) -> str:
    # as checks labels an employee in its problems
    return f"{employee.name} ({employee.employment_number})" if employee.employment_number else employee.name


def _member_lookup(export: PayrollExport, basis: PayrollBasis) -> dict[str, int]:
    """A problem's employee label → the membership to fix it on (matched on employment number, then
    on name: the basis carries no ids)."""
    members = list(Membership.objects.filter(pk__in=export.member_ids).select_related("user"))
    by_number = {m.employment_number: m.pk for m in members if m.employment_number}
    by_name: dict[str, int] = {}
    for m in members:
        by_name.setdefault(m.user.name, m.pk)
    lookup = {}
    for employee in basis.employees:
        pk = by_number.get(employee.employment_number) if employee.employment_number else None
        pk = pk or by_name.get(employee.name)
        if pk is not None:
            lookup[_who(employee)] = pk
    return lookup


def _correction(exported: PayrollBasis, current: PayrollBasis) -> tuple[PayrollBasis, PayrollBasis]:
    """(the correction to send, the basis the payroll system then holds). Only the chosen employees
    are compared; the others stay as exported (and stay in the new snapshot)."""
    chosen = {e.employment_number for e in current.employees}
    compared = dataclasses.replace(
        exported, employees=tuple(e for e in exported.employees if e.employment_number in chosen)
    )
    kept = tuple(e for e in exported.employees if e.employment_number not in chosen)
    held = dataclasses.replace(current, employees=current.employees + kept)
    return correction_basis(compared, current), held


def payroll_export_finish(
    *, actor: Actor, export: PayrollExport, basis: PayrollBasis, missing: Sequence[Any] = ()
) -> PayrollExport:
    """Make the export's file from `basis` and store it, or store the refusal with every problem
    (unattested days, unmapped codes, employment numbers, personnummer, characters). Nothing is
    stored half: the bytes, the SHA-256 and the basis are saved together or not at all."""
    target = Target(export.target)
    problems: list[dict[str, Any]] = _missing_problems(missing)
    if basis.preliminary and not problems:
        problems.append(
            {
                "kind": UNATTESTED,
                "employee": "",
                "member_id": None,
                "message": _("Time in the period is not attested yet."),
                "day": None,
                "code": "",
            }
        )
    members = _member_lookup(export, basis)
    problems += [_problem_json(p, members) for p in checks.check_basis(basis, target)]
    if problems:
        message = ngettext(
            "The payroll file was not made: %(count)s problem must be fixed first.",
            "The payroll file was not made: %(count)s problems must be fixed first.",
            len(problems),
        ) % {"count": len(problems)}
        return _fail(export, message, problems)
    held = basis
    file_basis = basis
    baseline = export.baseline if export.kind == ExportKind.CORRECTION else None
    if baseline is not None:
        file_basis, held = _correction(basis_from_json(baseline.snapshot), basis)
    _progress(export, 2)
    try:
        made = make_file(file_basis, target)
    except PayrollFileRefused as exc:
        if exc.code == "no_corrections":
            # Nothing differs from what the payroll system has: a reopening that changed nothing is
            # carried as it is (the banner goes), and no empty file is offered.
            with transaction.atomic():
                attestation_services.period_corrections_handle(actor=actor, period_key=export.period_key)
        return _fail(export, exc.message, [_problem_json(p, members) for p in exc.problems], code=exc.code)
    _progress(export, 3)
    return _store(actor, export, made, held)


def _store(actor: Actor, export: PayrollExport, made: PayrollFile, held: PayrollBasis) -> PayrollExport:
    with transaction.atomic():
        row = PayrollExport.objects.select_for_update().get(pk=export.pk)
        if row.is_finished:
            return row  # another run of the task finished it first: one file only
        row.file.save("payroll", ContentFile(made.content), save=False)
        try:
            row.file_name = made.name
            row.content_type = made.content_type
            row.sha256 = made.sha256
            row.size = len(made.content)
            row.snapshot = basis_to_json(held)
            row.status = ExportStatus.DONE
            row.progress_done = row.progress_total = STEPS
            row.finished_at = timezone.now()
            row.error, row.problems = "", []
            row.save()
            record(
                actor=actor,
                action="payroll.export_done",
                target=row,
                label=made.name,
                data={
                    "period": row.period_key,
                    "target": row.target,
                    "kind": row.kind,
                    "sha256": made.sha256,
                    "size": row.size,
                    "employees": len(held.employees),
                },
            )
            if row.kind == ExportKind.CORRECTION:
                attestation_services.period_corrections_handle(actor=actor, period_key=row.period_key)
                mails.correction_made(export=row)
        except Exception:
            default_storage.delete(row.file.name or "")
            raise
    return row


def _fail(
    export: PayrollExport, message: str, problems: list[dict[str, Any]], *, code: str = ""
) -> PayrollExport:
    with transaction.atomic():
        row = PayrollExport.objects.select_for_update().get(pk=export.pk)
        if row.is_finished:
            return row
        row.status = ExportStatus.FAILED
        row.error = message
        row.problems = problems
        row.finished_at = timezone.now()
        row.save(update_fields=["status", "error", "problems", "finished_at"])
    logger.info("payroll export %s refused (%s): %s problems", row.pk, code or "problems", len(problems))
    return row


@transaction.atomic
def payroll_export_download(*, actor: Actor, export: PayrollExport) -> bytes:
    """The stored file of a finished export, exactly as it was made (audited: who fetched which file,
    a partner as the partner)."""
    actor.require(Perm.PAYROLL_VIEW)
    if export.status != ExportStatus.DONE or not export.file:
        raise Conflict(_("The payroll file is not ready."), code="export_not_ready")
    with default_storage.open(export.file.name or "", "rb") as stored:
        content = stored.read()
    record(
        actor=actor,
        action="payroll.export_download",
        target=export,
        label=export.file_name,
        data={"period": export.period_key, "target": export.target, "sha256": export.sha256},
    )
    return content
