"""Reporting on behalf of an employee (issue 8 item 6): a TOTAL user, a FULL partner (the payroll
clerk) or the employee's approver reads, reports, corrects and locks the employee's time under
`/employees/{member_id}/…`. Another tenant's or a missing employee answers 404; an employee the actor
may not act for answers 403 (`timereporting.rules.target_membership`), before anything is written.
The writes are the employee's own services with `employee=`: the same rules, audited "reported by X
for Y", the employee mailed about changed entries."""

from django.http import Http404
from ninja import Query, Router, Status

from verksam.tenancy.models import Membership
from verksam.timereporting import selectors, services

from ..paging import Page, paginate
from ..schemas.timereporting import (
    AbsenceRangeIn,
    AbsenceRangeOut,
    AbsenceRangePatch,
    DatesIn,
    DayOut,
    DaysChangedOut,
    LockIn,
    TimeEntryIn,
    TimeEntryOut,
    TimeEntryPatch,
)
from ..tenant import tenant_endpoint
from ..types import Id
from .timereporting import (
    NULLABLE,
    AbsenceRangeListParams,
    EntryListParams,
    RangeParams,
    _check_range,
    _day,
    _resolve_ids,
    with_warnings,
)

router = Router(tags=["time on behalf"])
BASE = "/tenants/{tenant_id}/employees/{member_id}"


def _employee(request, member_id: int) -> Membership:
    # NotFound (404) / Forbidden (403) as DomainErrors: the API's {code, message, extra}
    return selectors.report_target_get(actor=request.actor, membership_id=member_id)


def _entry(member: Membership, entry_id: int):
    entry = selectors.time_entry_get(entry_id=entry_id, membership_id=member.pk)
    if entry is None:
        raise Http404
    return entry


def _days(member: Membership, dates) -> list[DayOut]:
    summaries = selectors.day_summaries(membership_id=member.pk, start=min(dates), end=max(dates))
    wanted = set(dates)
    return [DayOut(**_day(s)) for s in summaries if s.date in wanted]


# No permission on the decorator: who may act for whom is data (the approver relation) as well as
# TIME_REPORT_OTHERS; `_employee` checks it first in every operation.
@router.get(BASE + "/time-entries", response=Page[TimeEntryOut], summary="An employee's time entries")
@tenant_endpoint()
def behalf_entry_list(request, tenant_id: Id, member_id: Id, params: Query[EntryListParams]):
    member = _employee(request, member_id)
    _check_range(params.from_, params.to)
    entries = selectors.own_time_entries(membership_id=member.pk, start=params.from_, end=params.to)
    return paginate(entries, params.page, params.page_size)


@router.post(
    BASE + "/time-entries",
    response={200: TimeEntryOut, 201: TimeEntryOut},
    summary="Report time or absence on an employee's behalf (idempotent on client_uuid)",
)
@tenant_endpoint()
def behalf_entry_create(request, tenant_id: Id, member_id: Id, payload: TimeEntryIn):
    member = _employee(request, member_id)
    data = _resolve_ids(payload.model_dump())
    entry, created = services.time_entry_create_or_get(actor=request.actor, employee=member, **data)
    return Status(201 if created else 200, with_warnings(entry) if created else entry)


@router.patch(BASE + "/time-entries/{entry_id}", response=TimeEntryOut, summary="Correct an employee's entry")
@tenant_endpoint()
def behalf_entry_update(request, tenant_id: Id, member_id: Id, entry_id: Id, payload: TimeEntryPatch):
    member = _employee(request, member_id)
    entry = _entry(member, entry_id)
    changes = _resolve_ids(payload.dict(exclude_unset=True))
    changes = {k: v for k, v in changes.items() if v is not None or k in NULLABLE}
    return with_warnings(
        services.time_entry_update(actor=request.actor, entry=entry, employee=member, **changes)
    )


@router.delete(BASE + "/time-entries/{entry_id}", response={204: None}, summary="Delete an employee's entry")
@tenant_endpoint()
def behalf_entry_delete(request, tenant_id: Id, member_id: Id, entry_id: Id):
    member = _employee(request, member_id)
    services.time_entry_delete(actor=request.actor, entry=_entry(member, entry_id), employee=member)
    return Status(204, None)


@router.post(BASE + "/time/lock", response=DaysChangedOut, summary="Lock an employee's days")
@tenant_endpoint()
def behalf_lock(request, tenant_id: Id, member_id: Id, payload: LockIn):
    member = _employee(request, member_id)
    changed = services.day_lock(
        actor=request.actor, dates=payload.dates, employee=member, nothing_to_report=payload.nothing_to_report
    )
    return {"changed": changed, "days": _days(member, payload.dates)}


@router.post(BASE + "/time/unlock", response=DaysChangedOut, summary="Unlock an employee's days")
@tenant_endpoint()
def behalf_unlock(request, tenant_id: Id, member_id: Id, payload: DatesIn):
    member = _employee(request, member_id)
    changed = services.day_unlock(actor=request.actor, dates=payload.dates, employee=member)
    return {"changed": changed, "days": _days(member, payload.dates)}


@router.get(
    BASE + "/time/days", response=list[DayOut], summary="Each day's total and status, for an employee"
)
@tenant_endpoint()
def behalf_days(request, tenant_id: Id, member_id: Id, params: Query[RangeParams]):
    member = _employee(request, member_id)
    _check_range(params.from_, params.to)
    summaries = selectors.day_summaries(membership_id=member.pk, start=params.from_, end=params.to)
    return [_day(s) for s in summaries]


# --- absence over a date range on an employee's behalf (issue 8 items 4 and 6) -----------------------


def _range(member: Membership, range_id: int):
    absence_range = selectors.absence_range_get(range_id=range_id, membership_id=member.pk)
    if absence_range is None:
        raise Http404
    return absence_range


@router.get(BASE + "/absence-ranges", response=Page[AbsenceRangeOut], summary="An employee's absence ranges")
@tenant_endpoint()
def behalf_absence_range_list(request, tenant_id: Id, member_id: Id, params: Query[AbsenceRangeListParams]):
    member = _employee(request, member_id)
    if params.from_ and params.to:
        _check_range(params.from_, params.to)
    ranges = selectors.absence_ranges(membership_id=member.pk, start=params.from_, end=params.to)
    return paginate(ranges, params.page, params.page_size)


@router.post(
    BASE + "/absence-ranges",
    response={201: AbsenceRangeOut},
    summary="Register absence over a date range on an employee's behalf",
)
@tenant_endpoint()
def behalf_absence_range_create(request, tenant_id: Id, member_id: Id, payload: AbsenceRangeIn):
    member = _employee(request, member_id)
    data = _resolve_ids(payload.dict())
    created = services.absence_range_create(actor=request.actor, employee=member, **data)
    return Status(201, _range(member, created.pk))


@router.get(
    BASE + "/absence-ranges/{range_id}",
    response=AbsenceRangeOut,
    summary="One of an employee's absence ranges",
)
@tenant_endpoint()
def behalf_absence_range_detail(request, tenant_id: Id, member_id: Id, range_id: Id):
    return _range(_employee(request, member_id), range_id)


@router.patch(
    BASE + "/absence-ranges/{range_id}",
    response=AbsenceRangeOut,
    summary="Change an employee's absence range",
)
@tenant_endpoint()
def behalf_absence_range_update(
    request, tenant_id: Id, member_id: Id, range_id: Id, payload: AbsenceRangePatch
):
    member = _employee(request, member_id)
    absence_range = _range(member, range_id)
    changes = _resolve_ids(payload.dict(exclude_unset=True))
    confirm_work = bool(changes.pop("confirm_work", False))
    changes = {k: v for k, v in changes.items() if v is not None}
    services.absence_range_update(
        actor=request.actor,
        absence_range=absence_range,
        employee=member,
        confirm_work=confirm_work,
        **changes,
    )
    return _range(member, range_id)


@router.delete(
    BASE + "/absence-ranges/{range_id}", response={204: None}, summary="Delete an employee's absence range"
)
@tenant_endpoint()
def behalf_absence_range_delete(request, tenant_id: Id, member_id: Id, range_id: Id):
    member = _employee(request, member_id)
    services.absence_range_delete(
        actor=request.actor, absence_range=_range(member, range_id), employee=member
    )
    return Status(204, None)
