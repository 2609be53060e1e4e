"""The problems a refused export stores (kind, employee, membership to fix it on, message, day): the
days not attested, the file checks' problems, a creator who lost access."""

from collections.abc import Sequence
from typing import Any

from django.utils.translation import gettext as _

from verksam.tenancy.models import Membership

from .. import checks
from ..dto import Employee, PayrollBasis
from ..models import PayrollExport

UNATTESTED = "unattested"
ACCESS_LOST = "access_lost"


def missing_problems(missing: Sequence[Any]) -> list[dict[str, Any]]:
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


def problem_json(problem: checks.Problem, members: dict[str, int]) -> dict[str, Any]:
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


def member_lookup(export: PayrollExport, basis: PayrollBasis) -> dict[str, int]:
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
