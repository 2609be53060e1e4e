"""The employee's own time for the mobile app: entries by date range (idempotent create on
`client_uuid`), lock/unlock, each day's status, and the time bank (issue 3 item 7)."""

import datetime as dt
import json
import uuid
from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from ninja.responses import NinjaJSONEncoder
from pydantic import Field

from verksam.core import bounds, timeutil
from verksam.core.errors import DomainError
from verksam.projects.selectors import project_get, projects_by_id
from verksam.tenancy.permissions import Perm
from verksam.timecodes.selectors import current_period
from verksam.timereporting import rules, selectors, services
from verksam.timereporting.balances import balance_view, time_bank_warning

from ..auth import SessionUserAuth, TokenAuth
from ..paging import Page, PageParams, PageSize, paginate
from ..schemas.timereporting import (
    AbsenceRangeIn,
    AbsenceRangeOut,
    AbsenceRangePatch,
    BalancesOut,
    DatesIn,
    DayOut,
    DaysChangedOut,
    LockIn,
    TimeBankOut,
    TimeEntryBatchIn,
    TimeEntryBatchOut,
    TimeEntryIn,
    TimeEntryOut,
    TimeEntryPatch,
)
from ..tenant import tenant_endpoint
from ..types import Id, QueryDate

router = Router(tags=["time entries"])
NULLABLE = {"project", "activity", "time_code", "absence_type", "start_time", "end_time"}
MAX_DAYS = 366
# the model columns of TimeEntryOut (`warnings` is set by the writes only)
ENTRY_OUT_FIELDS = tuple(name for name in TimeEntryOut.model_fields if name != "warnings")


class RangeParams(Schema):
    from_: QueryDate = Field(alias="from")
    to: QueryDate


LIST_PAGE_SIZE = 100


class EntryListParams(RangeParams, PageParams):
    page_size: PageSize = LIST_PAGE_SIZE


class BankParams(Schema):
    until: QueryDate | None = None


def _member_id(request) -> int:
    return request.actor.membership.pk


def _check_range(start: dt.date, end: dt.date) -> None:
    if end < start:
        raise DomainError(_("The end date cannot be before the start date."), code="invalid_range")
    if (end - start).days >= MAX_DAYS:
        raise DomainError(_("Ask for at most a year at a time."), code="range_too_long")


# The ids a client sends resolve inside the tenant scope: another tenant's id answers 404.
_LOOKUPS = {
    "project_id": ("project", project_get),
    "activity_id": ("activity", selectors.activity_get),
    "time_code_id": ("time_code", selectors.time_code_get),
    "absence_type_id": ("absence_type", selectors.absence_type_get),
}


def _resolve_ids(data: dict[str, Any]) -> dict[str, Any]:
    for key, (name, get) in _LOOKUPS.items():
        if key not in data:
            continue
        object_id = data.pop(key)
        obj = get(object_id) if object_id is not None else None
        if object_id is not None and obj is None:
            raise Http404
        data[name] = obj
    return data


def _own_entry(request, entry_id: int):
    entry = selectors.time_entry_get(entry_id=entry_id, membership_id=_member_id(request))
    if entry is None:
        raise Http404
    return entry


def _days(request, dates: list[dt.date]) -> list[DayOut]:
    summaries = selectors.day_summaries(membership_id=_member_id(request), start=min(dates), end=max(dates))
    wanted = set(dates)
    return [DayOut(**_day(s)) for s in summaries if s.date in wanted]


def _day(summary: selectors.DaySummary) -> dict[str, Any]:
    return {
        "date": summary.date,
        "status": summary.status,
        "minutes": summary.minutes,
        "rejection_comment": summary.rejection_comment,
        "reopen_reason": summary.reopen_reason,
        "scheduled_minutes": summary.scheduled_minutes,
        "reported": summary.is_reported,
    }


@router.get(
    "/tenants/{tenant_id}/time-entries", response=Page[TimeEntryOut], summary="My time entries by date range"
)
@tenant_endpoint(Perm.TIME_REPORT_OWN)
def time_entry_list(request, tenant_id: Id, params: Query[EntryListParams]):
    _check_range(params.from_, params.to)
    member_id = _member_id(request)

    def entries():
        return selectors.own_time_entries(membership_id=member_id, start=params.from_, end=params.to)

    page: dict[str, Any]
    if params.page == 1 and params.page_size == LIST_PAGE_SIZE:
        # the phone's week: its first page with SQL compiled once per process (issue 13); only a
        # full first page needs the COUNT (as paginate)
        items = selectors.own_time_entry_rows(
            membership_id=member_id,
            start=params.from_,
            end=params.to,
            fields=ENTRY_OUT_FIELDS,
            limit=LIST_PAGE_SIZE,
        )
        total = len(items) if len(items) < LIST_PAGE_SIZE else entries().count()
        page = {"items": items, "page": 1, "page_size": LIST_PAGE_SIZE, "total": total}
    else:
        # Only the columns the answer has, as plain rows: no related objects (issue 13, lean lists).
        rows = entries().select_related(None).values(*ENTRY_OUT_FIELDS)
        page = paginate(rows, params.page, params.page_size)
    for row in page["items"]:
        row["warnings"] = []
    return _json(page)


def _json(data: Any, status: int = 200) -> HttpResponse:
    """The answer written straight to JSON, as ninja's renderer writes it, without validating it
    against the response schema first (issue 13: that check was ~10 % of the week list's CPU time).
    Only for answers built here from the model's own columns in the schema's field order; the
    `response=` of the operation still documents them and the API tests compare them."""
    return HttpResponse(
        json.dumps(data, cls=NinjaJSONEncoder), status=status, content_type="application/json; charset=utf-8"
    )


def with_warnings(entry: Any) -> Any:
    """The entry as a write answers it: with what the user should know although it was saved
    (komp-ledig below zero where the company allows it; issue 8 item 2). No query unless the entry
    draws the time bank."""
    warning = time_bank_warning(entry)
    entry.warnings = [warning] if warning else []
    return entry


def _send_create_context(request, tenant_id: int, read_member) -> None:
    """The create's reads (timereporting.rules.send_create_context) sent in the token's round trip,
    from the body as the phone sent it (issue 13). For the usual body only — work or absence on a
    project given by its id; anything else, or a body the schema will read otherwise or refuse, sends
    nothing, and the service reads for itself: it uses what was sent only for the very values it got."""
    try:
        body = json.loads(request.body)
        kind = body.get("kind", "work")
        project_id = body.get("project_id")
        day = dt.date.fromisoformat(body["date"])
        client_uuid = body.get("client_uuid")
        client_uuid = None if client_uuid is None else uuid.UUID(client_uuid)
    except (ValueError, TypeError, KeyError, AttributeError):
        return
    # within the schema's bounds (StrictId, the calendar): a value it refuses is never sent ahead
    if (
        type(project_id) is not int
        or not 1 <= project_id <= bounds.MAX_ID
        or kind not in ("work", "absence")
        or not bounds.in_calendar(day)
    ):
        return
    rules.send_create_context(
        tenant_id=tenant_id,
        read_member=read_member,
        day=day,
        client_uuid=client_uuid,
        project_id=project_id,
        time_code_given=body.get("time_code_id") is not None or kind != "work",
        for_work=kind == "work",
    )


# issue 13: one transaction from the token's query to the answer, the create's reads sent with the token
_CREATE_AUTH = [TokenAuth(request_transaction=True, send_also=_send_create_context), SessionUserAuth()]


@router.post(
    "/tenants/{tenant_id}/time-entries",
    response={200: TimeEntryOut, 201: TimeEntryOut},
    summary="Report time or absence (idempotent on client_uuid: a retry answers 200 with the same entry)",
    description="A retry with the same `client_uuid` and the same data answers 200 with the entry it "
    "created; the same `client_uuid` with other data answers 422 `idempotency_key_reused`.",
    auth=_CREATE_AUTH,
)
@tenant_endpoint(Perm.TIME_REPORT_OWN, lock_member=True)  # the service's lock of the employee's row
def time_entry_create(request, tenant_id: Id, payload: TimeEntryIn):
    fields = payload.model_dump()
    # the project is read by the service, with the employee's lock (issue 13: one round trip less)
    project_id = fields.pop("project_id", None)
    data = {**_resolve_ids(fields), "project_id": project_id}
    entry, created = services.time_entry_create_or_get(actor=request.actor, **data)
    warnings = with_warnings(entry).warnings if created else []
    # dates, times and the UUID as text already: the encoder's fallback for them is ~4 calls of Python
    return _json({**_batch_row(entry, {}), "warnings": warnings}, status=201 if created else 200)


@router.post(
    "/tenants/{tenant_id}/time-entries/batch",
    response=TimeEntryBatchOut,
    summary="Report up to 500 entries at once (a phone coming back online)",
    description="Each entry passes every rule of the single POST and is answered on its own in "
    "`results` (per-item results, not all-or-nothing): 201 created, 200 already stored by an earlier "
    "send of the same `client_uuid` (a retried batch writes nothing twice), or the error the single "
    "POST would answer. Entries are checked in order, so later ones see the earlier accepted ones "
    "(overlap, 24 hours a day, what komp-ledig leaves in the time bank). The accepted entries are "
    "written together in one transaction, each with its audit row.",
)
@tenant_endpoint(Perm.TIME_REPORT_OWN)
def time_entry_batch(request, tenant_id: Id, payload: TimeEntryBatchIn):
    items = [entry.model_dump() for entry in payload.entries]
    resolved, missing = _resolve_ids_many(items)
    ready = [item for i, item in enumerate(resolved) if i not in missing]
    outcomes = iter(services.time_entries_create_batch(actor=request.actor, items=ready))
    results, counts = [], {"created": 0, "existing": 0, "refused": 0}
    texts: dict[tuple, str] = {}
    for index in range(len(items)):
        if index in missing:
            error = {
                "code": "not_found",
                "message": str(_("The object does not exist.")),
                "extra": missing[index],
            }
            results.append({"index": index, "status": 404, "entry": None, "error": error})
            counts["refused"] += 1
            continue
        outcome = next(outcomes)
        if outcome.entry is not None:
            results.append(
                {
                    "index": index,
                    "status": 201 if outcome.created else 200,
                    "entry": _batch_row(outcome.entry, texts),
                    "error": None,
                }
            )
            counts["created" if outcome.created else "existing"] += 1
        else:
            results.append({"index": index, "entry": None, **_refusal(outcome.error)})
            counts["refused"] += 1
    # Written straight to JSON: the rows are built from the model's own columns above, and the schema
    # check of 500 nested entries cost more than writing them (issue 13); TimeEntryBatchOut documents it.
    body = json.dumps({**counts, "results": results}, cls=NinjaJSONEncoder)
    return HttpResponse(body, content_type="application/json")


_AS_TEXT = NinjaJSONEncoder().default
_DAY_TYPES = {dt.date, dt.time, dt.datetime}


def _batch_row(entry, texts: dict[tuple, str]) -> dict[str, Any]:
    """The entry's answer (ENTRY_OUT_FIELDS) with its dates, times and UUID as the text the JSON encoder
    writes for them, each distinct date and time encoded once per batch (500 entries share a few days
    and one time); `texts` is that batch's memo (a new dict for one entry)."""
    row = {}
    for name in ENTRY_OUT_FIELDS:
        value = getattr(entry, name)
        kind = type(value)
        if kind in _DAY_TYPES:
            key = (kind, value)
            value = texts.get(key) or texts.setdefault(key, _AS_TEXT(value))
        elif kind is uuid.UUID:
            value = str(value)
        row[name] = value
    return row


def _refusal(exc: Exception | None) -> dict[str, Any]:
    """The status and `{code, message, extra}` the single POST would answer for this refusal."""
    if isinstance(exc, DomainError):
        return {
            "status": exc.status,
            "error": {"code": exc.code, "message": exc.message, "extra": exc.extra},
        }
    if isinstance(exc, ValidationError):
        fields = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
        first = next(iter(fields.values()))[0]
        return {
            "status": 422,
            "error": {"code": "invalid", "message": str(first), "extra": {"fields": fields}},
        }
    return {"status": 500, "error": {"code": "server_error", "message": "", "extra": {}}}  # pragma: no cover


def _resolve_ids_many(items: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], dict[int, dict]]:
    """`_resolve_ids` for a whole batch, one query per kind of reference: the items with objects in
    place of ids, and `{index: {"field": name}}` of items naming an id the tenant does not have."""
    wanted: dict[str, set[int]] = {key: set() for key in _LOOKUPS}
    for item in items:
        for key in _LOOKUPS:
            if item.get(key) is not None:
                wanted[key].add(item[key])
    codes, activities, absences = selectors.codes_by_id(
        time_code_ids=wanted["time_code_id"],
        activity_ids=wanted["activity_id"],
        absence_type_ids=wanted["absence_type_id"],
    )
    found: dict[str, dict[int, Any]] = {
        "project_id": projects_by_id(wanted["project_id"]) if wanted["project_id"] else {},
        "time_code_id": codes,
        "activity_id": activities,
        "absence_type_id": absences,
    }
    missing: dict[int, dict] = {}
    resolved = []
    for index, item in enumerate(items):
        data = dict(item)
        for key, (name, _get) in _LOOKUPS.items():
            object_id = data.pop(key, None)
            obj = found[key].get(object_id) if object_id is not None else None
            if object_id is not None and obj is None:
                missing.setdefault(index, {"field": name})
            data[name] = obj
        resolved.append(data)
    return resolved, missing


@router.patch(
    "/tenants/{tenant_id}/time-entries/{entry_id}", response=TimeEntryOut, summary="Change my entry"
)
@tenant_endpoint(Perm.TIME_REPORT_OWN)
def time_entry_update(request, tenant_id: Id, entry_id: Id, payload: TimeEntryPatch):
    entry = _own_entry(request, entry_id)
    changes = _resolve_ids(payload.dict(exclude_unset=True))
    confirm_work = bool(changes.pop("confirm_work", False))
    # null clears what may be empty (activity, start/end…); for any other field it means "unchanged"
    changes = {k: v for k, v in changes.items() if v is not None or k in NULLABLE}
    return with_warnings(
        services.time_entry_update(actor=request.actor, entry=entry, confirm_work=confirm_work, **changes)
    )


@router.delete(
    "/tenants/{tenant_id}/time-entries/{entry_id}", response={204: None}, summary="Delete my entry"
)
@tenant_endpoint(Perm.TIME_REPORT_OWN)
def time_entry_delete(request, tenant_id: Id, entry_id: Id):
    services.time_entry_delete(actor=request.actor, entry=_own_entry(request, entry_id))
    return Status(204, None)


@router.post(
    "/tenants/{tenant_id}/time/lock", response=DaysChangedOut, summary="Lock days (send them for attestation)"
)
@tenant_endpoint(Perm.TIME_REPORT_OWN)
def time_lock(request, tenant_id: Id, payload: LockIn):
    changed = services.day_lock(
        actor=request.actor, dates=payload.dates, nothing_to_report=payload.nothing_to_report
    )
    return {"changed": changed, "days": _days(request, payload.dates)}


@router.post(
    "/tenants/{tenant_id}/time/unlock", response=DaysChangedOut, summary="Unlock days not yet attested"
)
@tenant_endpoint(Perm.TIME_REPORT_OWN)
def time_unlock(request, tenant_id: Id, payload: DatesIn):
    changed = services.day_unlock(actor=request.actor, dates=payload.dates)
    return {"changed": changed, "days": _days(request, payload.dates)}


@router.get("/tenants/{tenant_id}/time/days", response=list[DayOut], summary="Each day's total and status")
@tenant_endpoint(Perm.TIME_REPORT_OWN)
def time_days(request, tenant_id: Id, params: Query[RangeParams]):
    _check_range(params.from_, params.to)
    summaries = selectors.day_summaries(membership_id=_member_id(request), start=params.from_, end=params.to)
    return [_day(s) for s in summaries]


@router.get("/tenants/{tenant_id}/time/bank", response=TimeBankOut, summary="My time bank (tidsbank/flex)")
@tenant_endpoint(Perm.TIME_REPORT_OWN)
def time_bank(request, tenant_id: Id, params: Query[BankParams]):
    until = params.until or timeutil.today()
    member_id = _member_id(request)
    balance = selectors.time_bank_balance(membership_ids=[member_id], until=until)[member_id]
    return {"membership_id": member_id, "until": until, "minutes": balance}


# --- absence over a date range (issue 8 item 4) -------------------------------------------------------


class AbsenceRangeListParams(PageParams):
    from_: QueryDate | None = Field(None, alias="from")
    to: QueryDate | None = None
    page_size: PageSize = 100


def _own_range(request, range_id: int):
    absence_range = selectors.absence_range_get(range_id=range_id, membership_id=_member_id(request))
    if absence_range is None:
        raise Http404
    return absence_range


def _range_out(request, range_id: int):
    return _own_range(request, range_id)  # read again: the day count and total of the new expansion


@router.get(
    "/tenants/{tenant_id}/absence-ranges",
    response=Page[AbsenceRangeOut],
    summary="My absence ranges (one registration over a date range each)",
)
@tenant_endpoint(Perm.TIME_REPORT_OWN)
def absence_range_list(request, tenant_id: Id, params: Query[AbsenceRangeListParams]):
    if params.from_ and params.to:
        _check_range(params.from_, params.to)
    ranges = selectors.absence_ranges(membership_id=_member_id(request), start=params.from_, end=params.to)
    return paginate(ranges, params.page, params.page_size)


@router.post(
    "/tenants/{tenant_id}/absence-ranges",
    response={201: AbsenceRangeOut},
    summary="Register absence over a date range",
    description="Expanded into one absence entry per working day of my schedule (scheduled minutes × "
    "percent). All or nothing: overlapping ranges, locked or attested days, a VAB child of 12 or older "
    "without `child_special_reasons` answer 400 and write nothing; work that makes a day longer than the "
    "schedule answers 400 `work_on_absence_day` unless `confirm_work` is true.",
)
@tenant_endpoint(Perm.TIME_REPORT_OWN)
def absence_range_create(request, tenant_id: Id, payload: AbsenceRangeIn):
    data = _resolve_ids(payload.dict())
    created = services.absence_range_create(actor=request.actor, **data)
    return Status(201, _range_out(request, created.pk))


@router.get(
    "/tenants/{tenant_id}/absence-ranges/{range_id}", response=AbsenceRangeOut, summary="One absence range"
)
@tenant_endpoint(Perm.TIME_REPORT_OWN)
def absence_range_detail(request, tenant_id: Id, range_id: Id):
    return _own_range(request, range_id)


@router.patch(
    "/tenants/{tenant_id}/absence-ranges/{range_id}",
    response=AbsenceRangeOut,
    summary="Change an absence range (its days are expanded again)",
    description="Only the days whose entry changes are rewritten; each of them must be open "
    "(locked or attested days may stay as they are).",
)
@tenant_endpoint(Perm.TIME_REPORT_OWN)
def absence_range_update(request, tenant_id: Id, range_id: Id, payload: AbsenceRangePatch):
    absence_range = _own_range(request, range_id)
    changes = _resolve_ids(payload.dict(exclude_unset=True))
    confirm_work = bool(changes.pop("confirm_work", False))
    changes = {k: v for k, v in changes.items() if v is not None}  # null means "unchanged"
    services.absence_range_update(
        actor=request.actor, absence_range=absence_range, confirm_work=confirm_work, **changes
    )
    return _range_out(request, range_id)


@router.delete(
    "/tenants/{tenant_id}/absence-ranges/{range_id}",
    response={204: None},
    summary="Delete an absence range and all its days",
)
@tenant_endpoint(Perm.TIME_REPORT_OWN)
def absence_range_delete(request, tenant_id: Id, range_id: Id):
    services.absence_range_delete(actor=request.actor, absence_range=_own_range(request, range_id))
    return Status(204, None)


class BalancesParams(Schema):
    date: QueryDate | None = None


def balances_out(tenant_id: int, member_id: int, day: dt.date) -> dict[str, Any]:
    """Flex and the time bank of one employee as of `day` (attested), with the preview of the
    unattested days of the deviation period that contains it (shared with the approver's endpoint)."""
    period = current_period(tenant_id, day)
    view = balance_view(membership_id=member_id, start=period.start, end=day)
    return {
        "member_id": member_id,
        "date": day,
        "flex_minutes": view.balances.flex_minutes,
        "bank_minutes": view.balances.bank_minutes,
        "period_start": period.start,
        "unattested_flex_minutes": view.unattested_flex_minutes,
        "unattested_bank_minutes": view.unattested_bank_minutes,
        "days": [vars(d) for d in view.days.values() if d.counted],
    }


@router.get(
    "/tenants/{tenant_id}/time/balances",
    response=BalancesOut,
    summary="My flex and time bank as of a date (attested), with the period's unattested days as a preview",
)
@tenant_endpoint(Perm.TIME_REPORT_OWN)
def time_balances(request, tenant_id: Id, params: Query[BalancesParams]):
    return balances_out(request.actor.tenant_id, _member_id(request), params.date or timeutil.today())
