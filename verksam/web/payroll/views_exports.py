"""Lönefiler (issue 9 items 3, 5, 6 and 7): choose the payroll system, make the period's file in a
background task with a progress bar, see the refusal with links to fix it, and the history of every
file with its SHA-256 and a byte-identical download — for the company's payroll administrator and
for its accounting firm under the grant (FULL or LIMITED), audited as the firm."""

import dataclasses
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from verksam.attestation import selectors as attestation_selectors
from verksam.core import bounds
from verksam.core.errors import DomainError
from verksam.payroll.corrections import correction_basis
from verksam.payroll.dto import Target
from verksam.payroll.exports import basis as export_basis
from verksam.payroll.exports import selectors, services
from verksam.payroll.models import ExportStatus, ExportTarget, PayrollExport
from verksam.payroll.snapshot import basis_from_json
from verksam.tenancy.permissions import Perm
from verksam.timecodes.periods import Period, period_next, period_previous
from verksam.web.decorators import TenantRequest, tenant_view

from .views_basis import frame, period_from

PAGE_SIZE = 50
FIX_LINKS = {
    # problem kind → (page, takes the member id)
    "unattested": ("web:attest_employee", True),
    "missing_employment_number": ("web:member_edit", True),
    "duplicate_employment_number": ("web:member_edit", True),
    "invalid_personnummer": ("web:member_edit", True),
    "too_long": ("web:member_edit", True),
    "range_without_schedule": ("web:member_schedule", True),
    "unmapped_code": ("web:timecodes_settings", False),
}


def _period(request: TenantRequest) -> tuple[Period, int]:
    """The `?period=` asked for, else the period payroll works on (the basis page's choice)."""
    return period_from(request), attestation_selectors.attestation_settings().period_start_day


def problem_link(slug: str, problem: dict[str, Any], period_key: str) -> str:
    """Where a refusal's problem is fixed ("" when nowhere in particular)."""
    page = FIX_LINKS.get(problem.get("kind", ""))
    if page is None:
        return ""
    name, with_member = page
    member_id = problem.get("member_id")
    if with_member and not member_id:
        name, with_member = ("web:attest_queue", False) if problem.get("kind") == "unattested" else page
        if with_member:
            return ""
    try:
        url = reverse(name, args=[slug, member_id] if with_member else [slug])
    except NoReverseMatch:
        return ""
    return url + (f"?period={period_key}" if name.startswith("web:attest") else "")


def _problems(slug: str, export: PayrollExport | None) -> list[dict[str, Any]]:
    if export is None or export.status != ExportStatus.FAILED:
        return []
    return [
        {**p, "link": problem_link(slug, p, export.period_key)}
        for p in (export.problems or [])
        if p.get("message")
    ]


def changed_since_export(request: TenantRequest, period: Period) -> int | None:
    """How many employees' basis differs from the period's last file (None when the period has none
    or the basis cannot be read now): a change after export that needs a correction file."""
    last = (
        PayrollExport.objects.filter(period_key=period.key, status=ExportStatus.DONE)
        .order_by("-created_at", "-id")
        .first()
    )
    if last is None or not last.snapshot:
        return None
    try:
        current, _missing = export_basis.basis_and_missing(
            tenant=request.tenant,
            period_key=period.key,
            member_ids=last.member_ids,
            target=Target(last.target),
        )
        exported = basis_from_json(last.snapshot)
        numbers = {e.employment_number for e in current.employees}
        exported = dataclasses.replace(
            exported, employees=tuple(e for e in exported.employees if e.employment_number in numbers)
        )
        return len(correction_basis(exported, current).employees)
    except (DomainError, ValueError, LookupError, AttributeError, ImportError):
        return None


def _context(request: TenantRequest, period: Period, start_day: int, export: PayrollExport | None) -> dict:
    rows = selectors.export_list()
    page = Paginator(rows, PAGE_SIZE).get_page(bounds.parse_id(request.GET.get("page")) or 1)
    status = selectors.correction_status(period_key=period.key)
    return {
        "period": period,
        "previous_key": period_previous(period, start_day).key,
        "next_key": period_next(period, start_day).key,
        "targets": ExportTarget.choices,
        "chosen_target": (export.target if export else request.GET.get("target")) or ExportTarget.PAXML,
        "page": page,
        "exports": page.object_list,
        "export": export,
        "problems": _problems(request.tenant.slug, export),
        "correction": status,
        "changed": changed_since_export(request, period) if status.exported else None,
        **frame(request),
    }


@tenant_view(Perm.PAYROLL_VIEW)
def payroll_files(request: TenantRequest, slug: str) -> HttpResponse:
    """The period's payroll file: start it, follow it, and every file made before."""
    period, start_day = _period(request)
    export = selectors.export_get(bounds.parse_id(request.GET.get("export")))
    return render(request, "web/payroll/files.html", _context(request, period, start_day, export))


def _start(request: TenantRequest, period: Period, start_day: int) -> HttpResponse:
    raw_ids = request.POST.getlist("member_ids")
    ids = [bounds.parse_id(v) for v in raw_ids]
    try:
        if any(i is None for i in ids):
            raise DomainError(_("Unknown employee."), code="invalid_employee")
        export = services.payroll_export_start(
            actor=request.actor,
            period_key=request.POST.get("period") or period.key,
            target=request.POST.get("target", ""),
            member_ids=[i for i in ids if i is not None] if raw_ids else None,
        )
    except DomainError as exc:
        context = _context(request, period, start_day, None)
        context["chosen_target"] = request.POST.get("target", "")
        context["start_error"] = exc.message
        return render(request, "web/payroll/files.html", context, status=422)
    messages.info(request, _("The payroll file is being made."))
    url = reverse("web:payroll_files", args=[request.tenant.slug])
    return redirect(f"{url}?period={export.period_key}&export={export.pk}")


@tenant_view(Perm.PAYROLL_VIEW)
def payroll_export_status(request: TenantRequest, slug: str, export_id: int) -> HttpResponse:
    """The progress bar of one export (htmx polls it until the export is done or refused)."""
    export = selectors.export_get(export_id)
    if export is None:
        raise Http404
    context = {"export": export, "problems": _problems(slug, export)}
    return render(request, "web/payroll/_export_status.html", context)


@tenant_view(Perm.PAYROLL_VIEW)
@require_POST
def payroll_files_start(request: TenantRequest, slug: str) -> HttpResponse:
    period, start_day = _period(request)
    return _start(request, period, start_day)


@tenant_view(Perm.PAYROLL_VIEW)
def payroll_export_download(request: TenantRequest, slug: str, export_id: int) -> HttpResponse:
    """The file exactly as it was made (the same bytes and SHA-256 every time)."""
    export = selectors.export_get(export_id)
    if export is None or export.status != ExportStatus.DONE:
        raise Http404
    content = services.payroll_export_download(actor=request.actor, export=export)
    response = HttpResponse(content, content_type=export.content_type)
    response["Content-Disposition"] = f'attachment; filename="{export.file_name}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["X-Content-SHA256"] = export.sha256
    return response
