"""Finish an export: make its file from the basis (a correction file against the previous file's
basis) and store the bytes, SHA-256 and basis together — or store the refusal with every problem,
and no file at all."""

import dataclasses
import logging
from collections.abc import Sequence
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from verksam.attestation import services as attestation_services
from verksam.audit.services import record
from verksam.tenancy.access import Actor

from .. import checks
from ..corrections import correction_basis
from ..dto import PayrollBasis, Target
from ..errors import PayrollFileRefused
from ..files import PayrollFile, make_file
from ..models import ExportKind, ExportStatus, PayrollExport
from ..snapshot import basis_from_json, basis_to_json
from . import mails
from .problems import UNATTESTED, member_lookup, missing_problems, problem_json
from .progress import STEPS, progress_set

logger = logging.getLogger("verksam.payroll.exports.services")


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
    problems: list[dict[str, Any]] = missing_problems(missing)
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
    members = member_lookup(export, basis)
    problems += [problem_json(p, members) for p in checks.check_basis(basis, target)]
    if problems:
        message = ngettext(
            "The payroll file was not made: %(count)s problem must be fixed first.",
            "The payroll file was not made: %(count)s problems must be fixed first.",
            len(problems),
        ) % {"count": len(problems)}
        return export_fail(export, message, problems)
    held = basis
    file_basis = basis
    baseline = export.baseline if export.kind == ExportKind.CORRECTION else None
    if baseline is not None:
        file_basis, held = _correction(basis_from_json(baseline.snapshot), basis)
    progress_set(export, 2)
    try:
        made = make_file(file_basis, target)
    except PayrollFileRefused as exc:
        if exc.code == "no_corrections":
            # Nothing differs from what the payroll system has: a reopening that changed nothing is
            # carried as it is (the banner goes), and no empty file is offered.
            with transaction.atomic():
                attestation_services.period_corrections_handle(actor=actor, period_key=export.period_key)
        return export_fail(
            export, exc.message, [problem_json(p, members) for p in exc.problems], code=exc.code
        )
    progress_set(export, 3)
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


def export_fail(
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
