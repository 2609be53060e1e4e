"""Writes of the payroll basis (issue 9 items 1 and 7): the remembered choice of employees per
period, and the audit row of a printed basis (a partner prints under its grant, audited as the
partner)."""

from collections.abc import Sequence

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from verksam.audit.services import record
from verksam.core.errors import DomainError
from verksam.tenancy.access import Actor
from verksam.tenancy.models import Tenant
from verksam.tenancy.permissions import Perm

from . import selectors
from .models import PayrollSelection

MAX_MEMBERS = 100_000


@transaction.atomic
def payroll_selection_set(
    *, actor: Actor, tenant: Tenant, period_key: str, member_ids: Sequence[int]
) -> PayrollSelection:
    """Remember which employees the period's payroll basis includes. Every id must be an employee
    who belongs in the period (`selectors.member_choices`); an empty choice is refused."""
    actor.require(Perm.PAYROLL_VIEW)
    period = selectors.period_of(period_key=period_key)
    if len(member_ids) > MAX_MEMBERS:
        raise DomainError(_("Too many employees."), code="invalid_members", extra={"field": "member_ids"})
    wanted = sorted({int(i) for i in member_ids})
    if not wanted:
        raise DomainError(
            _("Choose at least one employee."), code="no_members", extra={"field": "member_ids"}
        )
    known = {c.member_id for c in selectors.member_choices(tenant=tenant, period_key=period.key)}
    unknown = [i for i in wanted if i not in known]
    if unknown:
        raise DomainError(
            _("Not an employee of this period: %(ids)s.") % {"ids": ", ".join(str(i) for i in unknown)},
            code="unknown_member",
            extra={"field": "member_ids", "member_ids": unknown},
        )
    row = PayrollSelection.objects.select_for_update().filter(period_key=period.key).first()
    before = list(row.member_ids) if row is not None else None
    if row is None:
        row = PayrollSelection(tenant_id=actor.tenant_id, period_key=period.key)
    row.member_ids = wanted
    row.updated_at = timezone.now()
    row.updated_by = actor.user
    row.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            row.save()
    except IntegrityError:  # a simultaneous first choice of the same period won: take its row
        row = PayrollSelection.objects.select_for_update().get(period_key=period.key)
        row.member_ids, row.updated_at, row.updated_by = wanted, timezone.now(), actor.user
        row.save()
    record(
        actor=actor,
        action="payroll.selection_set",
        target=row,
        label=period.key,
        data={"period": period.key, "member_ids": wanted, "before": before},
    )
    return row


def payroll_print_record(*, actor: Actor, period_key: str, member_ids: Sequence[int], what: str) -> None:
    """Audit a printed (downloaded) payroll basis: who, which period and employees, which PDF."""
    actor.require(Perm.PAYROLL_VIEW)
    record(
        actor=actor,
        action="payroll.basis_print",
        label=period_key,
        data={"period": period_key, "member_ids": sorted(member_ids), "what": what},
    )
