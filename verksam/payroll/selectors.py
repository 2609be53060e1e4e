"""The payroll basis (löneunderlag) from the database (issue 9 item 1): per chosen employee the
attested time of a deviation period by PAXml code and the target system's payroll code, absence as
ranged lines, flex and time-bank balances; what is still missing; the remembered choice of employees.

Rules (DOMAIN.md "löneunderlag" and "Working time"; docs/payroll-basis.md):
- Only ATTESTED days are in the lines. A day with reported time that is open or locked, or (for an
  active monthly employee) a scheduled day with nothing reported, is *missing*; while anything is
  missing for the chosen employees the basis is preliminary and those days are left out.
- A day's lines are issue 8's `worktime.classify_day` (monthly staff: deviations only; hourly staff:
  all worked time as ARB) through `dto.day_transactions`, with the day's flex as stored on its
  DayLock when it was attested.
- Absence registered as a range (`AbsenceRange`) is ONE line over the range's days in the period
  with its extent (VAB with the child) when every working day of it in the period is attested and
  its entries are the schedule × the extent; otherwise its attested days are day lines. Other
  absence is a day line (VAB with the child).
- Balances: flex (monthly staff) and the time bank (TS1) — the period's movement and the closing
  balance, attested days and bank adjustments only (`timereporting.balances`).
- A constant number of queries whatever the number of employees or days.
"""

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, replace

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from verksam.attestation import selectors as attestation_selectors
from verksam.core.errors import DomainError
from verksam.expenses.selectors import pay_lines_for_period
from verksam.schedules.models import WorkSchedule
from verksam.schedules.selectors import schedule_histories
from verksam.tenancy.models import Membership, Tenant
from verksam.timecodes.models import AbsenceType, PayrollSystem, TimeCode, TimeCodeKind
from verksam.timecodes.periods import Period, period_for, period_previous
from verksam.timecodes.selectors import payroll_code_map
from verksam.timereporting import balances as time_balances
from verksam.timereporting.models import AbsenceRange, DayLock, TimeEntry
from verksam.timereporting.worktime import ABSENCE, EntryFacts

from . import dryrun, dto
from .basis_days import (  # noqa: F401
    STATUS_LOCKED,
    STATUS_NOT_REPORTED,
    STATUS_OPEN,
    AbsenceInfo,
    EmployeeDays,
    EntryRow,
    LockRow,
    RangeInfo,
    employee_from_days,
)
from .models import PayrollSelection


@dataclass(frozen=True)
class MissingDay:
    """A day of a chosen employee that keeps the basis preliminary, and where to fix it."""

    member_id: int
    name: str
    employment_number: str
    date: dt.date
    status: str  # STATUS_NOT_REPORTED, STATUS_OPEN or STATUS_LOCKED
    link: str  # the employee's period in the approver queue


@dataclass(frozen=True)
class MemberChoice:
    """An employee who can be chosen for the period's basis (the page's checkboxes)."""

    member_id: int
    name: str
    employment_number: str
    is_active: bool
    chosen: bool


def period_of(*, period_key: str) -> Period:
    """The tenant's deviation period named `period_key`; a clear error for a malformed key."""
    start_day = attestation_selectors.attestation_settings().period_start_day
    period = attestation_selectors.period_get(period_key, start_day=start_day) if period_key else None
    if period is None:
        raise DomainError(_("Unknown period."), code="invalid_period", extra={"field": "period"})
    return period


def closing_period_key(*, today: dt.date | None = None) -> str:
    """The period payroll is working on: the previous one until it is closed, then the current."""
    start_day = attestation_selectors.attestation_settings().period_start_day
    current = period_for(today or timezone.localdate(), start_day)
    previous = period_previous(current, start_day)
    return current.key if attestation_selectors.period_close_get(previous.key) else previous.key


def _candidates(period: Period) -> list[Membership]:
    """Who belongs in the period's basis: the active employees, and those who left but have time or
    locked days in the period (their last period, issue 8 item 7). Two queries."""
    with_time = TimeEntry.objects.filter(date__gte=period.start, date__lte=period.end).values("membership_id")
    locked = DayLock.objects.filter(date__gte=period.start, date__lte=period.end).values("membership_id")
    return list(
        Membership.objects.filter(Q(is_active=True) | Q(pk__in=with_time) | Q(pk__in=locked))
        .select_related("user")
        .order_by("user__name", "pk")
    )


def _selection(period_key: str) -> list[int] | None:
    row = PayrollSelection.objects.filter(period_key=period_key).only("member_ids").first()
    return list(row.member_ids) if row is not None else None


def member_choices(*, tenant: Tenant, period_key: str) -> list[MemberChoice]:
    """Everyone who can be chosen for the period, with the remembered choice ticked (four queries)."""
    period = period_of(period_key=period_key)
    candidates = _candidates(period)
    chosen = _selection(period.key)
    return [
        MemberChoice(
            m.pk,
            m.user.name,
            m.employment_number,
            m.is_active,
            chosen is None or m.pk in chosen,
        )
        for m in candidates
    ]


def chosen_member_ids(*, tenant: Tenant, period_key: str) -> list[int]:
    """The remembered choice for the period (still belonging to it); by default everyone."""
    return [c.member_id for c in member_choices(tenant=tenant, period_key=period_key) if c.chosen]


def _members(period: Period, member_ids: Sequence[int] | None) -> list[Membership]:
    if member_ids is None:
        candidates = _candidates(period)
        chosen = _selection(period.key)
        return [m for m in candidates if chosen is None or m.pk in chosen]
    return list(
        Membership.objects.filter(pk__in=list(member_ids)).select_related("user").order_by("user__name", "pk")
    )


def _codes(target: dto.Target | None) -> tuple[dict[str, tuple[str, str]], dict[int, str]]:
    """`({PAXml or own code: (target payroll code, name)}, {absence type id: payroll code})` for the
    target (no payroll codes without one; Hogia has no mapping table and reads PAXml codes)."""
    mapped: dict[tuple[str, int], str] = {}
    if target is not None and target.value in PayrollSystem.values:
        mapped = payroll_code_map(system=target.value)
    codes: dict[str, tuple[str, str]] = {}
    for pk, paxml, own, name in TimeCode.objects.order_by("sort_order", "code", "pk").values_list(
        "pk", "paxml_code", "code", "name"
    ):
        key = paxml or own
        if key not in codes or (not codes[key][0] and ("time", pk) in mapped):
            codes[key] = (mapped.get(("time", pk), ""), name)
    for pk, paxml, own, name in AbsenceType.objects.order_by("sort_order", "code", "pk").values_list(
        "pk", "paxml_code", "code", "name"
    ):
        key = paxml or own
        if key not in codes or (not codes[key][0] and ("absence", pk) in mapped):
            codes[key] = (mapped.get(("absence", pk), ""), name)
    absence_codes = {pk: code for (kind, pk), code in mapped.items() if kind == "absence"}
    return codes, absence_codes


@dataclass
class _Loaded:
    period: Period
    members: list[Membership]
    days: dict[int, EmployeeDays]


def _facts_maker():
    """A function making an `EntryRow` from an entry's values, with the tenant's codes loaded once
    (two queries): the same facts as `timereporting.balances.entry_facts`, without model instances."""
    codes = {
        pk: (kind, code, paxml, effect, factor)
        for pk, kind, code, paxml, effect, factor in TimeCode.objects.values_list(
            "pk", "kind", "code", "paxml_code", "time_bank_effect", "time_bank_factor_pct"
        )
    }
    absences = {
        pk: (AbsenceInfo(pk, paxml or code, name), code, paxml, effect)
        for pk, code, paxml, name, effect in AbsenceType.objects.values_list(
            "pk", "code", "paxml_code", "name", "time_bank_effect"
        )
    }

    def make(day, minutes, time_code_id, absence_type_id, range_id, child) -> EntryRow:
        if absence_type_id is not None:
            info, code, paxml, effect = absences[absence_type_id]
            facts = EntryFacts(minutes, ABSENCE, code, paxml, effect)
            return EntryRow(day, minutes, facts, info, range_id, child)
        if time_code_id is None:  # a work entry always has a time code (constraint): ordinary time
            return EntryRow(day, minutes, EntryFacts(minutes, TimeCodeKind.WORKED))
        kind, code, paxml, effect, factor = codes[time_code_id]
        return EntryRow(day, minutes, EntryFacts(minutes, kind, code, paxml, effect, factor))

    return make, absences


def _load(period: Period, member_ids: Sequence[int] | None) -> _Loaded:
    members = _members(period, member_ids)
    ids = [m.pk for m in members]
    entries: dict[int, dict[dt.date, list[EntryRow]]] = defaultdict(lambda: defaultdict(list))
    locks: dict[int, dict[dt.date, LockRow]] = defaultdict(dict)
    ranges: dict[int, dict[int, RangeInfo]] = defaultdict(dict)
    histories = schedule_histories(membership_ids=ids) if ids else {}
    if ids:
        make, absences = _facts_maker()
        in_period = {"membership_id__in": ids, "date__gte": period.start, "date__lte": period.end}
        rows = TimeEntry.objects.filter(**in_period).order_by("membership_id", "date", "pk")
        for mid, day, minutes, code_id, absence_id, range_id, child in rows.values_list(
            "membership_id", "date", "minutes", "time_code_id", "absence_type_id", "absence_range_id",
            "child_personnummer",
        ):  # fmt: skip
            entries[mid][day].append(make(day, minutes, code_id, absence_id, range_id, child))
        for mid, day, status, flex in DayLock.objects.filter(**in_period).values_list(
            "membership_id", "date", "status", "flex_minutes"
        ):
            locks[mid][day] = LockRow(status, flex)
        for pk, mid, start, end, percent, child, absence_id in AbsenceRange.objects.filter(
            membership_id__in=ids, start_date__lte=period.end, end_date__gte=period.start
        ).values_list(
            "pk",
            "membership_id",
            "start_date",
            "end_date",
            "percent",
            "child_personnummer",
            "absence_type_id",
        ):
            ranges[mid][pk] = RangeInfo(start, end, percent, child, absences[absence_id][0])
    days = {
        m.pk: EmployeeDays(
            membership=m,
            period=period,
            history=histories[m.pk],
            entries=entries.get(m.pk, {}),
            locks=locks.get(m.pk, {}),
            ranges=ranges.get(m.pk, {}),
        )
        for m in members
    }
    return _Loaded(period, members, days)


def _missing(loaded: _Loaded, slug: str) -> list[MissingDay]:
    rows = []
    for m in loaded.members:
        link = reverse("web:attest_employee", args=[slug, m.pk]) + f"?period={loaded.period.key}"
        for day, status in loaded.days[m.pk].missing():
            rows.append(MissingDay(m.pk, m.user.name, m.employment_number, day, status, link))
    return rows


def _with_pay_lines(
    tenant: Tenant,
    period: Period,
    ids: list[int],
    employees: tuple[dto.Employee, ...],
    codes: dict[str, tuple[str, str]],
) -> tuple[dto.Employee, ...]:
    """Each employee with the pay lines of their attested expenses, trips and per diems registered
    in the period (issue 10 item 4; three queries whatever their number). A line without its own
    payroll code takes the target's code for its PAXml code when the company has mapped one."""
    if not ids:
        return employees
    lines = pay_lines_for_period(tenant=tenant, start=period.start, end=period.end, member_ids=ids)
    out = []
    for member_id, employee in zip(ids, employees, strict=True):
        own = tuple(
            line
            if line.payroll_code or line.paxml_code not in codes
            else replace(line, payroll_code=codes[line.paxml_code][0])
            for line in lines.get(member_id, ())
        )
        out.append(replace(employee, pay_lines=own) if own else employee)
    return tuple(out)


def basis_and_missing(
    *,
    tenant: Tenant,
    period_key: str,
    member_ids: Sequence[int] | None = None,
    target: dto.Target | None = None,
) -> tuple[dto.PayrollBasis, list[MissingDay]]:
    """The basis and its missing days from one load (the page shows both)."""
    period = period_of(period_key=period_key)
    loaded = _load(period, member_ids)
    missing = _missing(loaded, tenant.slug)
    ids = [m.pk for m in loaded.members]
    closing = time_balances.balances(membership_ids=ids, as_of=period.end)
    opening = time_balances.balances(membership_ids=ids, as_of=period.start - dt.timedelta(days=1))
    codes, absence_codes = _codes(target)
    rule = time_balances.excess_time_rule()
    employees = tuple(
        employee_from_days(
            loaded.days[m.pk],
            codes=codes,
            absence_codes=absence_codes,
            excess_time_rule=rule,
            opening=opening[m.pk],
            closing=closing[m.pk],
        )
        for m in loaded.members
    )
    employees = _with_pay_lines(tenant, period, [m.pk for m in loaded.members], employees, codes)
    basis = dto.PayrollBasis(
        company=dto.Company(tenant.name, tenant.orgnr),
        period_start=period.start,
        period_end=period.end,
        generated_at=timezone.now(),
        employees=employees,
        keeps_schedules=WorkSchedule.objects.exists(),
        preliminary=bool(missing),
    )
    return basis, missing


def payroll_basis(
    *,
    tenant: Tenant,
    period_key: str,
    member_ids: Sequence[int] | None = None,
    target: dto.Target | None = None,
) -> dto.PayrollBasis:
    """The payroll basis of the period for the chosen employees (`member_ids`, default: the
    remembered choice), with `target`'s payroll codes. Preliminary while anything is missing."""
    return basis_and_missing(tenant=tenant, period_key=period_key, member_ids=member_ids, target=target)[0]


def basis_missing(
    *,
    tenant: Tenant,
    period_key: str,
    member_ids: Sequence[int] | None = None,
) -> list[MissingDay]:
    """The days that keep the period's basis preliminary: employee, date, status, link."""
    period = period_of(period_key=period_key)
    return _missing(_load(period, member_ids), tenant.slug)


def basis_dry_run(
    *, tenant: Tenant, period_key: str, target: dto.Target
) -> tuple[dto.PayrollBasis, dryrun.DryRun, list[MissingDay]]:
    """The dry run for `target` of the chosen employees, their totals beside the previous period's
    (the same employees), and the days still missing (issue 9 item 4)."""
    period = period_of(period_key=period_key)
    basis, missing = basis_and_missing(tenant=tenant, period_key=period.key, target=target)
    ids = chosen_member_ids(tenant=tenant, period_key=period.key)
    start_day = attestation_selectors.attestation_settings().period_start_day
    previous = payroll_basis(
        tenant=tenant,
        period_key=period_previous(period, start_day).key,
        member_ids=ids,
        target=target,
    )
    return basis, dryrun.dry_run(basis, target, previous), missing
