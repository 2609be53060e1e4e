"""Löneunderlag (issue 9 items 1, 2, 4 and 7): the period's payroll basis, what keeps it
preliminary, the chosen employees, the PDFs and the dry run per payroll system. The same pages
serve the company's own users and an accounting firm's partner (inside the portal's customer frame,
under its grant; audited as the partner)."""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from verksam.attestation.selectors import attestation_settings
from verksam.core import bounds
from verksam.core.errors import DomainError
from verksam.core.identifiers import mask_personnummer
from verksam.payroll import dryrun, pdf, selectors, services
from verksam.payroll.dto import (
    ABSENCE_CODES,
    BALANCE_CODES,
    Employee,
    Target,
    range_day_minutes,
)
from verksam.payroll.errors import PayrollFileInvalid, PayrollFileRefused
from verksam.tenancy.permissions import Perm
from verksam.timecodes.models import TimeSettings
from verksam.timecodes.periods import Period, period_next, period_previous
from verksam.web.decorators import TenantRequest, tenant_view
from verksam.web.portal.views import portal_frame

TARGET_LABELS = {
    Target.PAXML: "PAXml 2.0",
    Target.FORTNOX: "Fortnox Lön",
    Target.CRONA: "Crona Lön",
    Target.HOGIA: "Hogia Lön",
    Target.KONTEK: "Kontek Lön",
    Target.VISMA: "Visma Lön 300/600",
}


def period_from(request: TenantRequest) -> Period:
    """The `?period=` asked for; the period payroll is working on when none (or a malformed one)."""
    try:
        return selectors.period_of(period_key=request.GET.get("period", ""))
    except DomainError:
        return selectors.period_of(period_key=selectors.closing_period_key())


def target_from(request: TenantRequest) -> Target:
    """The `?target=` asked for, else the company's payroll system, else PAXml."""
    for value in (request.GET.get("target", ""), _company_system()):
        try:
            return Target(value)
        except ValueError:
            continue
    return Target.PAXML


def _company_system() -> str:
    row = TimeSettings.objects.only("payroll_system").first()
    return row.payroll_system if row is not None else ""


def frame(request: TenantRequest) -> dict:
    """The page around the basis: the portal's customer frame for a partner, else the company's."""
    if request.actor.is_partner:
        return {"frame": "web/payroll/frame_portal.html", **portal_frame(request.actor, "payroll")}
    return {"frame": "web/payroll/frame_own.html"}


def _nav(period: Period) -> dict:
    start_day = attestation_settings().period_start_day
    return {
        "period": period,
        "previous_key": period_previous(period, start_day).key,
        "next_key": period_next(period, start_day).key,
    }


@dataclass
class CodeRow:
    code: str
    name: str
    minutes: int = 0


@dataclass
class EmployeeView:
    """One employee's table on the page."""

    employee: Employee
    member_id: int | None
    personnummer_masked: str
    codes: list[CodeRow] = field(default_factory=list)
    absences: list = field(default_factory=list)
    absence_days: int = 0


def employee_view(employee: Employee, member_id: int | None) -> EmployeeView:
    """Minutes per code (ranges spread over the schedule), the absence lines, the absence days."""
    schedule = employee.scheduled_minutes()
    rows: dict[str, CodeRow] = {}
    absence_days: set[dt.date] = set()
    view = EmployeeView(employee, member_id, mask_personnummer(employee.personnummer))
    for tx in employee.time:
        if tx.paxml_code in BALANCE_CODES:
            continue
        if tx.is_range:
            try:
                spread = range_day_minutes(tx, schedule)
            except KeyError:
                spread = []
        else:
            assert tx.date is not None and tx.minutes is not None
            spread = [(tx.date, tx.minutes)]
        row = rows.setdefault(tx.paxml_code, CodeRow(tx.paxml_code, tx.name))
        row.minutes += sum(minutes for _d, minutes in spread)
        if tx.paxml_code in ABSENCE_CODES:
            view.absences.append(tx)
            absence_days.update(d for d, minutes in spread if minutes)
    view.codes = sorted(rows.values(), key=lambda r: r.code)
    view.absence_days = len(absence_days)
    return view


def _member_ids_by_number(choices) -> dict[str, int]:
    return {c.employment_number: c.member_id for c in choices if c.employment_number}


def _missing_by_employee(missing) -> list[dict]:
    grouped: dict[int, dict] = {}
    for row in missing:
        entry = grouped.setdefault(
            row.member_id,
            {"name": row.name, "employment_number": row.employment_number, "link": row.link, "days": []},
        )
        entry["days"].append(row)
    return list(grouped.values())


@tenant_view(Perm.PAYROLL_VIEW)
def payroll_basis(request: TenantRequest, slug: str) -> HttpResponse:
    period = period_from(request)
    basis, missing = selectors.basis_and_missing(tenant=request.tenant, period_key=period.key)
    choices = selectors.member_choices(tenant=request.tenant, period_key=period.key)
    ids = _member_ids_by_number(choices)
    context = {
        **frame(request),
        **_nav(period),
        "basis": basis,
        "missing": missing,
        "missing_by_employee": _missing_by_employee(missing),
        "choices": choices,
        "employees": [employee_view(e, ids.get(e.employment_number)) for e in basis.employees],
        "may_attest": request.actor.has(Perm.TIME_ATTEST),
        "targets": TARGET_LABELS.items(),
    }
    return render(request, "web/payroll/basis.html", context)


@tenant_view(Perm.PAYROLL_VIEW)
@require_POST
def payroll_selection(request: TenantRequest, slug: str) -> HttpResponse:
    """Remember the chosen employees of the period (then back to the basis)."""
    period = period_from(request)
    raw = request.POST.getlist("member")
    ids = [bounds.parse_id(v) for v in raw]
    url = reverse("web:payroll_basis", args=[slug]) + f"?period={period.key}"
    if any(i is None for i in ids):
        messages.error(request, _("Not an employee of this period: %(ids)s.") % {"ids": ", ".join(raw)})
        return redirect(url)
    try:
        services.payroll_selection_set(
            actor=request.actor,
            tenant=request.tenant,
            period_key=period.key,
            member_ids=[i for i in ids if i is not None],
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The choice of employees is saved for this period."))
    return redirect(url)


def _pdf_response(content: bytes, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@tenant_view(Perm.PAYROLL_VIEW)
@require_POST
def payroll_basis_pdf(request: TenantRequest, slug: str) -> HttpResponse:
    """Print: the summary PDF of the chosen employees, or one employee's (`member`). A POST, because
    every print is audited (a partner's as the partner) and a read never writes."""
    period = period_from(request)
    member_param = request.POST.get("member")
    if member_param is not None:
        member_id = bounds.parse_id(member_param)
        chosen = [c.member_id for c in selectors.member_choices(tenant=request.tenant, period_key=period.key)]
        if member_id is None or member_id not in chosen:
            return HttpResponse(_("Not an employee of this period."), status=404)
        basis = selectors.payroll_basis(tenant=request.tenant, period_key=period.key, member_ids=[member_id])
        services.payroll_print_record(
            actor=request.actor, period_key=period.key, member_ids=[member_id], what="employee"
        )
        employee = basis.employees[0]
        return _pdf_response(
            pdf.employee_pdf(basis, employee),
            f"loneunderlag_{period.key}_{employee.employment_number or member_id}.pdf",
        )
    basis = selectors.payroll_basis(tenant=request.tenant, period_key=period.key)
    services.payroll_print_record(
        actor=request.actor,
        period_key=period.key,
        member_ids=selectors.chosen_member_ids(tenant=request.tenant, period_key=period.key),
        what="summary",
    )
    return _pdf_response(pdf.summary_pdf(basis), f"loneunderlag_{period.key}.pdf")


@tenant_view(Perm.PAYROLL_VIEW)
def payroll_dryrun(request: TenantRequest, slug: str) -> HttpResponse:
    period = period_from(request)
    target = target_from(request)
    basis, result, missing = selectors.basis_dry_run(
        tenant=request.tenant, period_key=period.key, target=target
    )
    totals: dict[str, int] = defaultdict(int)
    for row in result.comparisons:
        totals["large"] += row.has_large_change
    context = {
        **frame(request),
        **_nav(period),
        "basis": basis,
        "target": target,
        "target_label": TARGET_LABELS[target],
        "targets": TARGET_LABELS.items(),
        "result": result,
        "missing": missing,
        "large_changes": sum(1 for row in result.comparisons if row.has_large_change),
    }
    return render(request, "web/payroll/basis_dryrun.html", context)


@tenant_view(Perm.PAYROLL_VIEW)
@require_POST
def payroll_dryrun_export(request: TenantRequest, slug: str) -> HttpResponse:
    """The one-employee test export: the file for one employee only, to try the import first
    (audited, so a POST)."""
    period = period_from(request)
    target = target_from(request)
    number = request.POST.get("number", "")[:20]
    basis = selectors.payroll_basis(tenant=request.tenant, period_key=period.key, target=target)
    try:
        made = dryrun.one_employee_export(basis, target, number)
    except PayrollFileRefused as refused:
        problems = "".join(f"\n– {p.message}" for p in refused.problems)
        return HttpResponse(refused.message + problems, status=422, content_type="text/plain; charset=utf-8")
    except PayrollFileInvalid:
        return HttpResponse(_("The file does not pass its XSD."), status=422, content_type="text/plain")
    services.payroll_print_record(
        actor=request.actor, period_key=period.key, member_ids=[], what=f"test_export:{target.value}:{number}"
    )
    response = HttpResponse(made.content, content_type=made.content_type)
    response["Content-Disposition"] = f'attachment; filename="test_{made.name}"'
    return response
