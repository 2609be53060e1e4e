"""API of the payroll files (issue 9 items 3, 5, 6 and 8): start an export (a background task), poll
its progress, list the history, download the file byte-identical, and whether the period's next file
is a correction. The accounting firm uses it under its grant (FULL or LIMITED), audited as the firm."""

from django.http import HttpResponse
from django.utils.translation import gettext as _
from ninja import Query, Router, Status

from verksam.core.errors import NotFound
from verksam.payroll.exports import selectors, services
from verksam.payroll.models import ExportStatus, PayrollExport
from verksam.tenancy.permissions import Perm

from ..paging import Page, PageParams, paginate
from ..schemas.payroll_files import CorrectionStatusOut, PayrollExportIn, PayrollExportOut
from ..tenant import tenant_endpoint
from ..types import Id
from .attestation import PeriodKey

router = Router(tags=["payroll"])


class ExportListParams(PageParams):
    period: str | None = None


def _out(export: PayrollExport) -> dict:
    return {
        "id": export.pk,
        "period": export.period_key,
        "period_start": export.period_start,
        "period_end": export.period_end,
        "target": export.target,
        "kind": export.kind,
        "member_ids": list(export.member_ids),
        "employee_count": export.employee_count,
        "created_at": export.created_at,
        "created_by": export.created_by.name if export.created_by else None,
        "created_by_partner_id": export.created_by_partner_id,
        "period_closed": export.period_closed,
        "status": export.status,
        "progress_done": export.progress_done,
        "progress_total": export.progress_total,
        "error": export.error,
        "problems": [
            {
                k: p.get(k) if k != "code" else p.get(k) or ""
                for k in ("kind", "employee", "member_id", "message", "day", "code")
            }
            for p in export.problems or []
        ],
        "file_name": export.file_name,
        "content_type": export.content_type,
        "sha256": export.sha256,
        "size": export.size,
    }


def _export(export_id: int) -> PayrollExport:
    export = selectors.export_get(export_id)
    if export is None:
        raise NotFound(_("The payroll file does not exist."))
    return export


@router.post(
    "/tenants/{tenant_id}/payroll/files",
    response={202: PayrollExportOut},
    summary="Start making the payroll file of a period (a correction file when the period has one)",
)
@tenant_endpoint(Perm.PAYROLL_VIEW)
def payroll_file_start(request, tenant_id: Id, payload: PayrollExportIn):
    export = services.payroll_export_start(
        actor=request.actor, period_key=payload.period, target=payload.target, member_ids=payload.member_ids
    )
    export = _export(export.pk)
    return Status(202, _out(export))


@router.get(
    "/tenants/{tenant_id}/payroll/files",
    response=Page[PayrollExportOut],
    summary="The history of payroll files, newest first",
)
@tenant_endpoint(Perm.PAYROLL_VIEW)
def payroll_file_list(request, tenant_id: Id, q: Query[ExportListParams]):
    page = paginate(selectors.export_list(period_key=q.period), q.page, q.page_size)
    page["items"] = [_out(e) for e in page["items"]]
    return page


@router.get(
    "/tenants/{tenant_id}/payroll/files/{export_id}",
    response=PayrollExportOut,
    summary="One payroll file: its status and progress while it is made, its problems when refused",
)
@tenant_endpoint(Perm.PAYROLL_VIEW)
def payroll_file_get(request, tenant_id: Id, export_id: Id):
    return _out(_export(export_id))


@router.get(
    "/tenants/{tenant_id}/payroll/files/{export_id}/download",
    response={200: None},
    summary="The file exactly as it was made (the same SHA-256 every time)",
)
@tenant_endpoint(Perm.PAYROLL_VIEW)
def payroll_file_download(request, tenant_id: Id, export_id: Id):
    export = _export(export_id)
    if export.status != ExportStatus.DONE:
        raise NotFound(_("The payroll file does not exist."))
    content = services.payroll_export_download(actor=request.actor, export=export)
    response = HttpResponse(content, content_type=export.content_type)
    response["Content-Disposition"] = f'attachment; filename="{export.file_name}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["X-Content-SHA256"] = export.sha256
    return response


@router.get(
    "/tenants/{tenant_id}/payroll/periods/{period_key}/corrections",
    response=CorrectionStatusOut,
    summary="Whether the period has a file, was reopened since, and whether its next file is a correction",
)
@tenant_endpoint(Perm.PAYROLL_VIEW)
def payroll_correction_status(request, tenant_id: Id, period_key: PeriodKey):
    period = services.period_or_error(period_key)
    status = selectors.correction_status(period_key=period.key)
    return {
        "period": status.period_key,
        "exported": status.exported,
        "targets": list(status.targets),
        "period_closed": status.period_closed,
        "reopened": status.reopened,
        "reopen_reasons": list(status.reopen_reasons),
        "correction_due": status.correction_due,
        "next_kind": "correction" if status.exported else "normal",
    }
