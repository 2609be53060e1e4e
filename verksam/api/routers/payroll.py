"""API of the payroll basis (issue 9 items 1, 2, 4, 7 and 8): the basis of a deviation period as JSON
(ISO dates, minutes and hours), its missing days, the remembered choice of employees, the dry run
per payroll system with its one-employee test export, and the PDFs. Partners with FULL or LIMITED
access use the same endpoints under their grant (PAYROLL_VIEW)."""

from typing import Annotated

from django.http import HttpResponse
from django.utils.translation import gettext as _
from ninja import Path, Query, Router
from pydantic import Field

from verksam.core.errors import DomainError, NotFound
from verksam.payroll import dryrun, pdf, selectors, services
from verksam.payroll.dto import Employee, PayrollBasis, Target, decimal_plain, hours_2dp
from verksam.tenancy.permissions import Perm
from verksam.timecodes.periods import Period

from ..schemas.payroll import (
    BasisOut,
    ClosingPeriodOut,
    DryRunOut,
    ExportIn,
    MissingDayOut,
    PdfIn,
    SelectionIn,
    SelectionOut,
)
from ..tenant import tenant_endpoint
from ..types import Id, QueryIn

router = Router(tags=["payroll"])
PeriodKey = Annotated[str, Path(max_length=7, description="YYYY-MM: the month the period ends in")]
P = "/tenants/{tenant_id}/payroll/periods/{period_key}"


class TargetParams(QueryIn):
    target: Target | None = Field(None, description="The payroll system whose codes the lines carry")


class DryRunParams(QueryIn):
    target: Target = Target.PAXML


def _period_out(period: Period) -> dict:
    return {"key": period.key, "start": period.start, "end": period.end}


def _employee_out(e: Employee, member_id: int | None) -> dict:
    return {
        "member_id": member_id,
        "name": e.name,
        "first_name": e.first_name,
        "last_name": e.last_name,
        "personnummer": e.personnummer,
        "employment_number": e.employment_number,
        "salary_form": e.salary_form,
        "schedule": [{"date": d.date, "minutes": d.minutes} for d in e.schedule],
        "time": [
            {
                "paxml_code": tx.paxml_code,
                "payroll_code": tx.payroll_code,
                "name": tx.name,
                "date": tx.date,
                "minutes": tx.minutes,
                "hours": hours_2dp(tx.minutes) if tx.minutes is not None else None,
                "date_from": tx.date_from,
                "date_to": tx.date_to,
                "extent_percent": decimal_plain(tx.extent_percent) if tx.extent_percent is not None else None,
                "child_personnummer": tx.child_personnummer,
                "text": tx.text,
            }
            for tx in e.time
        ],
        "pay_lines": [
            {
                "paxml_code": p.paxml_code,
                "payroll_code": p.payroll_code,
                "name": p.name,
                "date": p.date,
                "quantity": decimal_plain(p.quantity) if p.quantity is not None else None,
                "unit_price_ore": p.unit_price_ore,
                "amount_ore": p.amount_ore,
                "text": p.text,
            }
            for p in e.pay_lines
        ],
        "balances": [
            {
                "paxml_code": b.paxml_code,
                "payroll_code": b.payroll_code,
                "name": b.name,
                "period_minutes": b.period_minutes,
                "closing_minutes": b.closing_minutes,
                "period_hours": hours_2dp(b.period_minutes),
                "closing_hours": hours_2dp(b.closing_minutes),
            }
            for b in e.balances
        ],
    }


def _ids_by_number(tenant, period_key: str) -> dict[str, int]:
    return {
        c.employment_number: c.member_id
        for c in selectors.member_choices(tenant=tenant, period_key=period_key)
        if c.employment_number
    }


def _selection_out(tenant, period: Period) -> dict:
    choices = selectors.member_choices(tenant=tenant, period_key=period.key)
    return {
        "period": _period_out(period),
        "member_ids": [c.member_id for c in choices if c.chosen],
        "members": [vars(c) for c in choices],
    }


@router.get(
    "/tenants/{tenant_id}/payroll/closing-period",
    response=ClosingPeriodOut,
    summary="The deviation period payroll is working on (the previous one until it is closed)",
)
@tenant_endpoint(Perm.PAYROLL_VIEW)
def payroll_closing_period(request, tenant_id: Id):
    return {"period": _period_out(selectors.period_of(period_key=selectors.closing_period_key()))}


@router.get(
    P + "/basis", response=BasisOut, summary="The payroll basis (löneunderlag) of the chosen employees"
)
@tenant_endpoint(Perm.PAYROLL_VIEW)
def payroll_basis(request, tenant_id: Id, period_key: PeriodKey, params: Query[TargetParams]):
    period = selectors.period_of(period_key=period_key)
    basis, missing = selectors.basis_and_missing(
        tenant=request.actor.tenant, period_key=period.key, target=params.target
    )
    ids = _ids_by_number(request.actor.tenant, period.key)
    return {
        "company": {"name": basis.company.name, "orgnr": basis.company.orgnr},
        "period": _period_out(period),
        "generated_at": basis.generated_at,
        "preliminary": basis.preliminary,
        "keeps_schedules": basis.keeps_schedules,
        "target": params.target.value if params.target else None,
        "missing": [vars(m) for m in missing],
        "employees": [_employee_out(e, ids.get(e.employment_number)) for e in basis.employees],
    }


@router.get(P + "/missing", response=list[MissingDayOut], summary="The days that keep the basis preliminary")
@tenant_endpoint(Perm.PAYROLL_VIEW)
def payroll_missing(request, tenant_id: Id, period_key: PeriodKey):
    return [vars(m) for m in selectors.basis_missing(tenant=request.actor.tenant, period_key=period_key)]


@router.get(P + "/selection", response=SelectionOut, summary="The employees chosen for the period")
@tenant_endpoint(Perm.PAYROLL_VIEW)
def payroll_selection(request, tenant_id: Id, period_key: PeriodKey):
    return _selection_out(request.actor.tenant, selectors.period_of(period_key=period_key))


@router.put(P + "/selection", response=SelectionOut, summary="Choose (and remember) the period's employees")
@tenant_endpoint(Perm.PAYROLL_VIEW)
def payroll_selection_set(request, tenant_id: Id, period_key: PeriodKey, payload: SelectionIn):
    period = selectors.period_of(period_key=period_key)
    services.payroll_selection_set(
        actor=request.actor, tenant=request.actor.tenant, period_key=period.key, member_ids=payload.member_ids
    )
    return _selection_out(request.actor.tenant, period)


def _dry_run_out(period: Period, basis: PayrollBasis, result: dryrun.DryRun, missing: list) -> dict:
    return {
        "period": _period_out(period),
        "target": result.target.value,
        "passes": result.passes,
        "preliminary": basis.preliminary,
        "missing_days": len(missing),
        "problems": [
            {"kind": p.kind, "employee": p.employee, "message": p.message, "date": p.day, "code": p.code}
            for p in result.problems
        ],
        "file_error": result.file_error,
        "comparisons": [
            {
                "employment_number": c.employment_number,
                "name": c.name,
                "has_large_change": c.has_large_change,
                "figures": [vars(f) for f in c.figures],
            }
            for c in result.comparisons
        ],
    }


@router.get(
    P + "/dry-run", response=DryRunOut, summary="The dry run for a payroll system (nothing is exported)"
)
@tenant_endpoint(Perm.PAYROLL_VIEW)
def payroll_dry_run(request, tenant_id: Id, period_key: PeriodKey, params: Query[DryRunParams]):
    period = selectors.period_of(period_key=period_key)
    basis, result, missing = selectors.basis_dry_run(
        tenant=request.actor.tenant, period_key=period.key, target=params.target
    )
    return _dry_run_out(period, basis, result, missing)


def _attachment(content: bytes, content_type: str, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "private, no-store"
    return response


@router.post(
    P + "/dry-run/export",
    response={200: None},
    summary="The one-employee test export (the file for one employee, to try the import first; audited)",
)
@tenant_endpoint(Perm.PAYROLL_VIEW)
def payroll_dry_run_export(request, tenant_id: Id, period_key: PeriodKey, params: ExportIn):
    period = selectors.period_of(period_key=period_key)
    try:
        target = Target(params.target)
    except ValueError as exc:
        raise DomainError(
            _("Unknown payroll system."), code="invalid_target", extra={"field": "target"}
        ) from exc
    basis = selectors.payroll_basis(tenant=request.actor.tenant, period_key=period.key, target=target)
    made = dryrun.one_employee_export(basis, target, params.employment_number)
    services.payroll_print_record(
        actor=request.actor,
        period_key=period.key,
        member_ids=[],
        what=f"test_export:{target.value}:{params.employment_number}",
    )
    return _attachment(made.content, made.content_type, f"test_{made.name}")


@router.post(
    P + "/pdf",
    response={200: None},
    summary="Print the payroll basis as PDF: the summary, or one employee's (member_id); audited",
)
@tenant_endpoint(Perm.PAYROLL_VIEW)
def payroll_pdf(request, tenant_id: Id, period_key: PeriodKey, params: PdfIn):
    tenant = request.actor.tenant
    period = selectors.period_of(period_key=period_key)
    if params.member_id is not None:
        known = {c.member_id for c in selectors.member_choices(tenant=tenant, period_key=period.key)}
        if params.member_id not in known:
            raise NotFound(_("Not an employee of this period."))
        basis = selectors.payroll_basis(tenant=tenant, period_key=period.key, member_ids=[params.member_id])
        services.payroll_print_record(
            actor=request.actor, period_key=period.key, member_ids=[params.member_id], what="employee"
        )
        employee = basis.employees[0]
        name = f"loneunderlag_{period.key}_{employee.employment_number or params.member_id}.pdf"
        return _attachment(pdf.employee_pdf(basis, employee), "application/pdf", name)
    basis = selectors.payroll_basis(tenant=tenant, period_key=period.key)
    services.payroll_print_record(
        actor=request.actor,
        period_key=period.key,
        member_ids=selectors.chosen_member_ids(tenant=tenant, period_key=period.key),
        what="summary",
    )
    return _attachment(pdf.summary_pdf(basis), "application/pdf", f"loneunderlag_{period.key}.pdf")
