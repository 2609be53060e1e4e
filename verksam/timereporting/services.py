"""Writes of time reporting: entries, locking, and the state changes attestation makes.

The employee-side services (`time_entry_*`, `day_lock`, `week_lock`, `day_unlock`) write the actor's
own time (Perm.TIME_REPORT_OWN, `actor.membership`), or with `employee=` an employee's time on their
behalf (issue 8 item 6; who may: `rules.target_membership`; audited "reported by X for Y", and the
employee is mailed about changed entries), and check every rule in `rules.py` first, so a refused
write changes nothing. No day of a closed deviation period changes (`rules.check_periods_open`).
The approver-side transitions at the end (`locked_days_attest`, `locked_days_reject`,
`attested_days_reopen`) record state only; `verksam.attestation.services` decides who may call them
(the employee's approver, a substitute, a TOTAL user) and calls them after its checks.
"""

import datetime as dt
import hashlib
import json
import uuid
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from verksam.audit.services import record, record_many, save_and_record
from verksam.core import bounds, timeutil
from verksam.core.db import holds_row_lock, insert_rows, new_instance, service_atomic
from verksam.core.errors import Conflict, DomainError, Forbidden, NotFound
from verksam.core.timeutil import iso_week_dates
from verksam.projects.models import Project
from verksam.schedules.selectors import schedule_history
from verksam.tenancy.access import Actor
from verksam.tenancy.models import Membership
from verksam.tenancy.permissions import Perm
from verksam.timecodes.models import AbsenceType, Activity, TimeCode

from . import absence
from .balances import day_results, draws_bank
from .mails import behalf_mail_send
from .models import (
    AbsenceRange,
    DayLock,
    DayRejection,
    DayStatus,
    EntryKind,
    ReturnKind,
    TimeBankAdjustment,
    TimeEntry,
)
from .rules import (
    BatchContext,
    CreateContext,
    behalf_audit,
    check_days_open,
    check_periods_open,
    lock_membership,
    lock_membership_reading_project,
    own_membership,
    prepare_entry,
    target_membership,
)

# What `time_entry_update` may change (never the owner, the client's id or the audit fields).
ENTRY_FIELDS = {
    "date",
    "kind",
    "project",
    "activity",
    "time_code",
    "absence_type",
    "start_time",
    "end_time",
    "break_minutes",
    "minutes",
    "invoiceable_minutes",
    "whole_day",
    "child_personnummer",
    "child_special_reasons",
    "comment",
    "internal_comment",
}


# The entry's references were resolved through scoped selectors (so they exist, in this tenant, which
# TenantOwned.clean() still confirms), and rules.py has checked what the CHECK constraints say (time
# range, fields per kind); the client_uuid is matched under the lock before the insert. full_clean
# skips re-querying all of that: 36 → 21 queries per API create on PostgreSQL. The database
# constraints stay as the backstop.
RESOLVED_REFERENCES = [
    "tenant",
    "membership",
    "project",
    "activity",
    "time_code",
    "absence_type",
    "created_by",
]


def _entry_audit(entry: TimeEntry) -> dict[str, Any]:
    return {
        "date": entry.date.isoformat(),
        "kind": entry.kind,
        "project": entry.project_id,
        "activity": entry.activity_id,
        "time_code": entry.time_code_id,
        "absence_type": entry.absence_type_id,
        "start": entry.start_time.strftime("%H:%M") if entry.start_time else None,
        "end": entry.end_time.strftime("%H:%M") if entry.end_time else None,
        "break": entry.break_minutes,
        "minutes": entry.minutes,
        "invoiceable": entry.invoiceable_minutes,
    }


class ClientUuidReused(DomainError):
    status = 422
    code = "idempotency_key_reused"


def _fingerprint(fields: dict[str, Any]) -> str:
    """The create request's data, canonical: model instances by id, values as text."""
    canonical = {key: (value.pk if hasattr(value, "pk") else value) for key, value in sorted(fields.items())}
    return hashlib.sha256(_FINGERPRINT_JSON.encode(canonical).encode()).hexdigest()


# json.dumps(…, default=str, sort_keys=True) without building an encoder per call (the same text)
_FINGERPRINT_JSON = json.JSONEncoder(default=str, sort_keys=True)


# The create fields a client_uuid's fingerprint covers (confirm_work is a confirmation, not data).
FINGERPRINT_FIELDS = (
    "date",
    "kind",
    "project",
    "activity",
    "time_code",
    "absence_type",
    "start_time",
    "end_time",
    "break_minutes",
    "minutes",
    "invoiceable_minutes",
    "whole_day",
    "child_personnummer",
    "comment",
    "internal_comment",
)


def _create_fingerprint(data: dict[str, Any]) -> str:
    fields = {key: data[key] for key in FINGERPRINT_FIELDS}
    if data.get("child_special_reasons"):
        # only when set, so the fingerprints of requests from before the field stay the same
        fields["child_special_reasons"] = True
    return _fingerprint(fields)


def _same_request(existing: TimeEntry, fingerprint: str) -> TimeEntry:
    """The entry a retry answers with, if the retry carries the same data (issue 7 item 4)."""
    if existing.client_fingerprint and existing.client_fingerprint != fingerprint:
        raise ClientUuidReused(_("This client id was already used for another entry."))
    return existing


def _existing_entry(entry_id: int, membership: Membership) -> TimeEntry:
    """The entry a client_uuid already made (its id read by rules.CreateContext): a retry."""
    existing = TimeEntry.objects.get(pk=entry_id)
    if existing.membership_id != membership.pk:
        raise Conflict(_("Another entry already uses this client id."), code="client_uuid_taken")
    return existing


@service_atomic  # joins the API's request transaction without a savepoint (issue 13)
def time_entry_create_or_get(
    *,
    actor: Actor,
    date: dt.date,
    employee: Membership | None = None,
    client_uuid: uuid.UUID | None = None,
    kind: str = EntryKind.WORK,
    project: Project | None = None,
    project_id: int | None = None,
    activity: Activity | None = None,
    time_code: TimeCode | None = None,
    absence_type: AbsenceType | None = None,
    start_time: dt.time | None = None,
    end_time: dt.time | None = None,
    break_minutes: int = 0,
    minutes: int | None = None,
    invoiceable_minutes: int | None = None,
    whole_day: bool = False,
    child_personnummer: str = "",
    child_special_reasons: bool = False,
    comment: str = "",
    internal_comment: str = "",
    confirm_work: bool = False,
) -> tuple[TimeEntry, bool]:
    """Report own time or absence; with a `client_uuid` already used, return that entry unchanged.

    Returns `(entry, created)`: offline clients retry a POST with the same id and must never get a
    duplicate (issue 3 item 7), so a retry answers with the first entry and `created=False`. The
    same id with other data is refused (`ClientUuidReused`, issue 7 item 4). With `membership`, the
    employee's time on their behalf (rules.target_membership). `project_id` instead of `project`:
    the tenant's project of that id (NotFound when it has none), read with the employee's lock."""
    membership = target_membership(actor, employee)
    data = {
        "date": date,
        "kind": kind,
        "project": project,
        "activity": activity,
        "time_code": time_code,
        "absence_type": absence_type,
        "start_time": start_time,
        "end_time": end_time,
        "break_minutes": break_minutes,
        "minutes": minutes,
        "invoiceable_minutes": invoiceable_minutes,
        "whole_day": whole_day,
        "child_personnummer": child_personnummer,
        "comment": comment,
        "internal_comment": internal_comment,
        "child_special_reasons": child_special_reasons,
        "confirm_work": confirm_work,
    }
    if project_id is not None:
        data["project"] = project_id  # the fingerprint holds a project by its id (_fingerprint)
    fingerprint = _create_fingerprint(data) if client_uuid is not None else ""
    # the API's request transaction read the member's row FOR UPDATE (api.tenant): the project's row
    # is read with CreateContext's (issue 13: one round trip less)
    read_project = project_id is not None and holds_row_lock(membership)
    if project_id is None:
        lock_membership(membership)
    elif not read_project:
        # the project's row in the lock's statement (issue 13: one round trip less)
        project = data["project"] = lock_membership_reading_project(membership, project_id)
        if project is None:
            raise NotFound(_("The object does not exist."))
    # The client_uuid, the day's status, the project assignment and the default time code in one
    # statement (issue 13), under the lock, so a concurrent retry that committed while this one
    # waited is seen too.
    known = CreateContext(
        actor=actor,
        membership=membership,
        day=date,
        client_uuid=client_uuid,
        project=project if kind == EntryKind.WORK else None,
        time_code_given=time_code is not None or kind != EntryKind.WORK,
        project_id=project_id if read_project else None,
        for_work=kind == EntryKind.WORK,
    )
    if read_project:
        project = data["project"] = known.project
        if project is None:
            raise NotFound(_("The object does not exist."))
    if known.existing_id is not None:
        existing = _existing_entry(known.existing_id, membership)
        return _same_request(existing, fingerprint), False
    check_days_open(membership, [date], known)
    entry = _new_entry(actor, membership, client_uuid, fingerprint, data, known)
    # No savepoint around the insert (issue 13: two round trips less): a retry of the same
    # employee's client_uuid cannot race past the look-up above, which runs under the employee's
    # lock (PostgreSQL) or the database's write lock (SQLite, BEGIN IMMEDIATE). Another employee's
    # simultaneous use of the same id still meets the unique constraint and answers 409.
    # the entry and its audit row: on PostgreSQL one statement (issue 13)
    # The INSERT is the request's last statement (its COMMIT in the same write, issue 13) unless
    # something reads after it: the e-mail of time on someone's behalf (behalf_mail_send), or the
    # answer's time-bank warning, read for an entry that draws the bank (api with_warnings).
    last = membership.user_id == actor.user.pk and not draws_bank(entry)
    save_and_record(
        obj=entry,
        actor=actor,
        action="time.entry_create",
        data={**_entry_audit(entry), **behalf_audit(actor, membership)},
        last=last,
    )
    behalf_mail_send(actor=actor, membership=membership, dates=[entry.date])  # none for one's own
    return entry, True


def _new_entry(
    actor: Actor,
    membership: Membership,
    client_uuid: uuid.UUID | None,
    fingerprint: str,
    data: dict[str, Any],
    known: BatchContext | None = None,
    cleaner: "EntryCleaner | None" = None,
) -> TimeEntry:
    """A new entry from the create fields in `data`, normalised and checked by every rule (unsaved)."""
    entry = new_instance(
        TimeEntry,
        {
            "tenant_id": actor.tenant_id,
            "membership": membership,
            "client_uuid": client_uuid or uuid.uuid4(),
            "client_fingerprint": fingerprint,
            "date": data["date"],
            "kind": data["kind"],
            "project": data["project"],
            "activity": data["activity"],
            "time_code": data["time_code"],
            "absence_type": data["absence_type"],
            "start_time": data["start_time"],
            "end_time": data["end_time"],
            "break_minutes": data["break_minutes"] or 0,
            "whole_day": data["whole_day"],
            "child_personnummer": (data["child_personnummer"] or "").strip(),
            "child_special_reasons": bool(data.get("child_special_reasons")),
            "comment": (data["comment"] or "").strip(),
            "internal_comment": (data["internal_comment"] or "").strip(),
            "created_by": actor.user,
            "minutes": data["minutes"] or 0,
        },
    )
    prepare_entry(
        actor=actor,
        entry=entry,
        minutes=data["minutes"],
        invoiceable_minutes=data["invoiceable_minutes"],
        confirm_work=bool(data.get("confirm_work")),
        known=known,
    )
    (cleaner or _CREATE_CLEANER).full_clean(entry)
    return entry


class EntryCleaner:
    """`entry.full_clean(exclude=RESOLVED_REFERENCES, validate_constraints=False)` for the many new
    entries of one batch, with the same errors: a field's check (`Field.clean`: its type, choices,
    length and range validators) depends on the value alone, so each distinct value of a field is
    checked once per batch (500 entries share a handful of dates, minutes and codes); the model's
    `clean()` and unique checks still run for every entry (issue 13: full_clean was ~12 % of a batch).

    The single create keeps one for the process (`_CREATE_CLEANER`, ~90 of its ~190 µs): `memo_limit`
    bounds the memo there, as client_uuids and comments never repeat; it starts afresh when full."""

    def __init__(self, memo_limit: int | None = None) -> None:
        self.memo_limit = memo_limit
        self.exclude = set(RESOLVED_REFERENCES)
        self.fields = [
            (f.attname, f.blank, f.empty_values, f)
            for f in TimeEntry._meta.fields
            if f.name not in self.exclude and not f.generated
        ]
        self.unique_checks: tuple[list, list] | None = None
        self.memo: dict[tuple[str, type, Any], tuple[bool, Any]] = {}

    def full_clean(self, entry: TimeEntry) -> None:
        errors: dict[str, Any] = {}
        values = entry.__dict__  # the fields' values (attnames), as getattr reads them
        for attname, blank, empty_values, f in self.fields:
            raw = values[attname]
            if blank and raw in empty_values:
                continue
            key = (attname, type(raw), raw)
            known = self.memo.get(key)
            if known is None:
                try:
                    known = (True, f.clean(raw, entry))
                except ValidationError as exc:
                    known = (False, exc.error_list)
                if self.memo_limit is not None and len(self.memo) >= self.memo_limit:
                    self.memo.clear()
                self.memo[key] = known
            if not known[0]:
                errors[f.name] = list(known[1])  # a copy: clean()'s errors may extend it
            elif known[1] is not raw:
                setattr(entry, attname, known[1])
        try:
            entry.clean()
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
        exclude = self.exclude | {name for name in errors if name != NON_FIELD_ERRORS}
        if errors or self.unique_checks is None:
            checks = entry._get_unique_checks(exclude=exclude)  # type: ignore[attr-defined]
            if not errors:
                self.unique_checks = checks
        else:
            checks = self.unique_checks
        unique_errors = entry._perform_unique_checks(checks[0])  # type: ignore[attr-defined]
        for key, messages in entry._perform_date_checks(checks[1]).items():  # type: ignore[attr-defined]
            unique_errors.setdefault(key, []).extend(messages)
        if unique_errors:
            errors = ValidationError(unique_errors).update_error_dict(errors)
        if errors:
            raise ValidationError(errors)


_CREATE_CLEANER = EntryCleaner(memo_limit=4096)


# What a create accepts, with its defaults (time_entry_create_or_get's keyword arguments).
CREATE_DEFAULTS: dict[str, Any] = {
    "kind": EntryKind.WORK,
    "project": None,
    "activity": None,
    "time_code": None,
    "absence_type": None,
    "start_time": None,
    "end_time": None,
    "break_minutes": 0,
    "minutes": None,
    "invoiceable_minutes": None,
    "whole_day": False,
    "child_personnummer": "",
    "comment": "",
    "internal_comment": "",
    "child_special_reasons": False,
    "confirm_work": False,
}
BATCH_MAX = 500


@dataclass
class BatchResult:
    """One item of a batch: the entry (created, or the one its client_uuid already made) or why not."""

    entry: TimeEntry | None = None
    created: bool = False
    error: DomainError | ValidationError | None = None


@transaction.atomic
def time_entries_create_batch(*, actor: Actor, items: list[dict[str, Any]]) -> list[BatchResult]:
    """Report many own entries at once (a phone back online); each item passes every rule of
    `time_entry_create_or_get` and is answered on its own, and the accepted ones are written together.

    Per-item results, not all-or-nothing: one refused entry (a locked day, a completed project) must
    not keep the others of a day's offline work from being saved. Items are checked in order, so a
    later item sees the earlier accepted ones (overlap, 24 hours). A retried item (its client_uuid
    is already stored, or earlier in the batch, with the same data) answers that entry unchanged."""
    membership = own_membership(actor)
    if len(items) > BATCH_MAX:
        raise DomainError(
            _("Send at most %(max)s entries at a time.") % {"max": BATCH_MAX}, code="batch_too_large"
        )
    lock_membership(membership)
    uuids = [item["client_uuid"] for item in items if item.get("client_uuid") is not None]
    stored = {e.client_uuid: e for e in TimeEntry.objects.filter(client_uuid__in=uuids)} if uuids else {}
    known = BatchContext(actor=actor, membership=membership, dates=[item["date"] for item in items])
    results: list[BatchResult] = []
    seen: dict[uuid.UUID, TimeEntry] = {}
    new: list[TimeEntry] = []
    cleaner = EntryCleaner()
    fingerprints: dict[Any, str] = {}
    # the accepted entries and their audit rows are written at one instant, in one transaction
    now = timezone.now()
    for item in items:
        data = {**CREATE_DEFAULTS, **{k: v for k, v in item.items() if k != "client_uuid"}}
        client_uuid = item.get("client_uuid")
        try:
            fingerprint = _batch_fingerprint(data, fingerprints) if client_uuid is not None else ""
            earlier = stored.get(client_uuid) or seen.get(client_uuid) if client_uuid else None
            if earlier is not None:
                if earlier.membership_id != membership.pk:
                    raise Conflict(_("Another entry already uses this client id."), code="client_uuid_taken")
                results.append(BatchResult(entry=_same_request(earlier, fingerprint)))
                continue
            check_days_open(membership, [data["date"]], known)
            entry = _new_entry(actor, membership, client_uuid, fingerprint, data, known, cleaner)
        except (DomainError, ValidationError) as exc:
            results.append(BatchResult(error=exc))
            continue
        entry.created_at = entry.updated_at = now
        known.add(entry)
        new.append(entry)
        if client_uuid is not None:
            seen[client_uuid] = entry
        results.append(BatchResult(entry=entry, created=True))
    if new:
        # one INSERT of all the entries (PostgreSQL: the varying columns as arrays; SQLite: as many
        # rows as its parameter limit takes), not the ORM's compilation of 12,000 values (issue 13)
        insert_rows(new)
        # one audit row per entry, as for single creates, written in one statement; the label (the
        # person, day and time) is the same text for the entries of one day with the same time
        labels: dict[tuple, str] = {}
        for e in new:
            if (e.date, e.minutes) not in labels:
                labels[e.date, e.minutes] = str(e)
        record_many(
            actor=actor,
            action="time.entry_create",
            targets=[(e, _entry_audit(e)) for e in new],
            labels=[labels[e.date, e.minutes] for e in new],
            created_at=now,
        )
    return results


def _batch_fingerprint(data: dict[str, Any], known: dict[Any, str]) -> str:
    """`_create_fingerprint(data)`, computed once per distinct data within a batch: the fingerprint
    leaves out the client_uuid, and a phone's entries repeat their dates, projects and times."""
    values = tuple(data[key] for key in FINGERPRINT_FIELDS)
    key = (values, tuple(map(type, values)), bool(data.get("child_special_reasons")))
    try:
        found = known.get(key)
    except TypeError:  # an unhashable value: not remembered
        return _create_fingerprint(data)
    if found is None:
        found = known[key] = _create_fingerprint(data)
    return found


def time_entry_create(**kwargs: Any) -> TimeEntry:
    """Report own time or absence (idempotent on `client_uuid`); see `time_entry_create_or_get`."""
    entry, _created = time_entry_create_or_get(**kwargs)
    return entry


def _own_entry_for_update(entry: TimeEntry, membership: Membership) -> TimeEntry:
    locked = (
        TimeEntry.objects.select_for_update(of=("self",))
        .select_related("project", "activity", "time_code", "absence_type")
        .filter(pk=entry.pk, membership=membership)
        .first()
    )
    if locked is None:
        raise NotFound(_("The time entry does not exist."))
    if locked.absence_range_id is not None:
        # A day of an absence range is changed through its range, so the range stays one registration.
        raise DomainError(
            _("This day belongs to an absence range. Change or delete the range instead."),
            code="part_of_range",
            extra={"range_id": locked.absence_range_id},
        )
    return locked


@transaction.atomic
def time_entry_update(
    *,
    actor: Actor,
    entry: TimeEntry,
    employee: Membership | None = None,
    confirm_work: bool = False,
    **changes: Any,
) -> TimeEntry:
    """Change an own entry (or, with `employee`, the employee's) on an open day; every rule of a
    new entry applies to the result."""
    membership = target_membership(actor, employee)
    unknown = set(changes) - ENTRY_FIELDS
    if unknown:
        raise DomainError(_("Unknown fields: %(fields)s") % {"fields": ", ".join(sorted(unknown))})
    lock_membership(membership)
    entry = _own_entry_for_update(entry, membership)
    check_days_open(membership, {entry.date, changes.get("date", entry.date)})
    before = _entry_audit(entry)
    before_date = entry.date
    minutes = changes.pop("minutes", None)
    invoiceable = changes.pop("invoiceable_minutes", None)
    fields = set(changes) | ({"minutes"} if minutes is not None else set())
    if minutes is not None and not {"start_time", "end_time"} & set(changes):
        # Hours typed alone replace a start/end stretch.
        entry.start_time = entry.end_time = None
    for key, value in changes.items():
        if key in {"comment", "internal_comment", "child_personnummer"}:
            value = (value or "").strip()
        if key == "break_minutes":
            value = value or 0
        setattr(entry, key, value)
    # A whole-day absence moved to another day (or made whole-day) takes that day's scheduled time
    # again (DOMAIN.md "Working time"); otherwise the stored time stays.
    rescheduled = (
        entry.kind == EntryKind.ABSENCE and entry.whole_day and bool({"date", "whole_day"} & set(changes))
    )
    if minutes is None and entry.start_time is None and not rescheduled:
        minutes = entry.minutes
    prepare_entry(
        actor=actor,
        entry=entry,
        minutes=minutes,
        invoiceable_minutes=invoiceable,
        fields=fields,
        confirm_work=confirm_work,
    )
    entry.updated_at = timezone.now()
    entry.full_clean(exclude=RESOLVED_REFERENCES, validate_constraints=False)
    entry.save()
    after = _entry_audit(entry)
    record(
        actor=actor,
        action="time.entry_update",
        target=entry,
        data={
            "before": {k: v for k, v in before.items() if after[k] != v},
            "after": after,
            **behalf_audit(actor, membership),
        },
    )
    behalf_mail_send(actor=actor, membership=membership, dates=sorted({before_date, entry.date}))
    return entry


@transaction.atomic
def time_entry_delete(*, actor: Actor, entry: TimeEntry, employee: Membership | None = None) -> None:
    """Delete an own entry (or, with `employee`, the employee's) on an open day."""
    membership = target_membership(actor, employee)
    lock_membership(membership)
    entry = _own_entry_for_update(entry, membership)
    check_days_open(membership, [entry.date])
    data = {**_entry_audit(entry), **behalf_audit(actor, membership)}
    record(actor=actor, action="time.entry_delete", target=entry, data=data)
    behalf_mail_send(actor=actor, membership=membership, dates=[entry.date])
    entry.delete()


@transaction.atomic
def time_entry_copy_week(*, actor: Actor, from_monday: dt.date, to_monday: dt.date) -> list[TimeEntry]:
    """Copy the work entries of one week into another, skipping absence, locked or attested days,
    days of a closed period and entries a rule refuses (a completed project, an overlap…); return
    the new entries."""
    membership = target_membership(actor)
    if from_monday.weekday() != 0 or to_monday.weekday() != 0:
        raise DomainError(_("Choose the Monday of each week."), code="not_monday")
    if from_monday == to_monday:
        raise DomainError(_("Choose two different weeks."), code="same_week")
    lock_membership(membership)
    shift = to_monday - from_monday
    closed = set(
        DayLock.objects.filter(
            membership=membership, date__gte=to_monday, date__lte=to_monday + dt.timedelta(days=6)
        ).values_list("date", flat=True)
    )
    source = TimeEntry.objects.filter(
        membership=membership,
        kind=EntryKind.WORK,
        date__gte=from_monday,
        date__lte=from_monday + dt.timedelta(days=6),
    ).select_related("project", "activity", "time_code")
    # Röda dagar and the schedule's days off get nothing copied onto them (issue 8 item 5): last
    # week's Monday is not this week's annandag påsk.
    scheduled = schedule_history(membership_id=membership.pk).minutes_between(
        to_monday, to_monday + dt.timedelta(days=6)
    )
    created: list[TimeEntry] = []
    skipped = 0
    for old in source:
        day = old.date + shift
        if day in closed or not scheduled[day]:
            skipped += 1
            continue
        try:
            check_periods_open([day])
        except DomainError:
            skipped += 1
            continue
        new = TimeEntry(
            tenant_id=actor.tenant_id,
            membership=membership,
            date=day,
            kind=EntryKind.WORK,
            project=old.project,
            activity=old.activity,
            time_code=old.time_code,
            start_time=old.start_time,
            end_time=old.end_time,
            break_minutes=old.break_minutes,
            minutes=old.minutes,
            comment=old.comment,
            internal_comment=old.internal_comment,
            created_by=actor.user,
        )
        try:
            prepare_entry(
                actor=actor, entry=new, minutes=old.minutes, invoiceable_minutes=old.invoiceable_minutes
            )
            new.full_clean()
        except (DomainError, ValidationError):
            skipped += 1
            continue
        new.save()
        created.append(new)
    if created:
        record(
            actor=actor,
            action="time.copy_week",
            target=membership,
            data={
                "from": from_monday.isoformat(),
                "to": to_monday.isoformat(),
                "entries": [e.pk for e in created],
                "skipped": skipped,
            },
        )
    return created


@transaction.atomic
def day_lock(
    *,
    actor: Actor,
    dates: Iterable[dt.date],
    employee: Membership | None = None,
    nothing_to_report: bool = False,
) -> int:
    """Lock own days (or, with `employee`, the employee's) up to today, which sends them to the
    approver; days already locked or attested stay as they are. A future day is refused (only what
    has happened is attested), and so is a scheduled day without any time unless "inget att
    rapportera" is confirmed (`nothing_to_report`)."""
    membership = target_membership(actor, employee)
    days = _dates(dates)
    today = timeutil.today()
    future = [d for d in days if d > today]
    if future:
        raise DomainError(
            _("Days after today cannot be locked; lock them when they have happened."),
            code="future_day",
            extra={"field": "dates", "dates": [d.isoformat() for d in future]},
        )
    lock_membership(membership)
    taken = set(DayLock.objects.filter(membership=membership, date__in=days).values_list("date", flat=True))
    new_days = [d for d in days if d not in taken]
    if not new_days:
        return 0
    check_periods_open(new_days)
    scheduled = schedule_history(membership_id=membership.pk).minutes_between(new_days[0], new_days[-1])
    reported: dict[dt.date, int] = dict.fromkeys(new_days, 0)
    for day, minutes in TimeEntry.objects.filter(membership=membership, date__in=new_days).values_list(
        "date", "minutes"
    ):
        reported[day] += minutes
    empty = [d for d in new_days if scheduled[d] and not reported[d]]
    if empty and not nothing_to_report:
        raise DomainError(
            _("Nothing is reported on %(days)s. Confirm that there is nothing to report to lock it.")
            % {"days": ", ".join(d.isoformat() for d in empty)},
            code="nothing_reported",
            extra={"field": "nothing_to_report", "dates": [d.isoformat() for d in empty]},
        )
    locks = []
    for day in new_days:
        lock = DayLock(
            tenant_id=actor.tenant_id,
            membership=membership,
            date=day,
            locked_by=actor.user,
            confirmed_short=nothing_to_report and reported[day] < scheduled[day],
        )
        lock.full_clean(validate_constraints=False)  # the only constraint (once per day) was checked above
        locks.append(lock)
    DayLock.objects.bulk_create(locks)
    # Locking a rejected day again answers the rejection.
    DayRejection.objects.filter(membership=membership, date__in=new_days, resolved_at__isnull=True).update(
        resolved_at=timezone.now()
    )
    record(
        actor=actor,
        action="time.lock",
        target=membership,
        data={"dates": [d.isoformat() for d in new_days], **behalf_audit(actor, membership)}
        | (
            {"nothing_to_report": [d.isoformat() for d in new_days if scheduled[d] > reported[d]]}
            if nothing_to_report
            else {}
        ),
    )
    return len(new_days)


def week_lock(
    *,
    actor: Actor,
    year: int,
    week: int,
    employee: Membership | None = None,
    nothing_to_report: bool = False,
) -> int:
    """Lock the days of an own ISO week (or, with `employee`, the employee's) up to today ("Lås
    veckan"): the rest of the week stays open until it has happened, and a week that has not begun
    is refused."""
    days = week_days(year, week)
    today = timeutil.today()
    if days[0] > today:
        raise DomainError(
            _("The week has not begun yet; lock it when its days have happened."),
            code="future_week",
            extra={"field": "week"},
        )
    return day_lock(
        actor=actor,
        dates=[d for d in days if d <= today],
        employee=employee,
        nothing_to_report=nothing_to_report,
    )


def week_days(year: int, week: int) -> list[dt.date]:
    """The seven days of ISO week `week` of `year`; a week that does not exist (week 0 or 54, year
    0) or lies outside the calendar this system knows (core.bounds) is refused as `invalid_week`, as
    the week page answers 404 for it."""
    try:
        days = iso_week_dates(year, week)
    except (ValueError, OverflowError) as exc:
        raise DomainError(_("There is no such week."), code="invalid_week", extra={"field": "week"}) from exc
    if not (bounds.in_calendar(days[0]) and bounds.in_calendar(days[-1])):
        raise DomainError(_("There is no such week."), code="invalid_week", extra={"field": "week"})
    return days


def week_unlock(*, actor: Actor, year: int, week: int, employee: Membership | None = None) -> int:
    """Unlock the locked, unattested days of an own ISO week (or, with `employee`, the employee's) —
    the week page's "Lås upp veckan": the same rules as `day_unlock` for its seven days."""
    return day_unlock(actor=actor, dates=week_days(year, week), employee=employee)


@transaction.atomic
def day_unlock(*, actor: Actor, dates: Iterable[dt.date], employee: Membership | None = None) -> int:
    """Unlock own locked days (or, with `employee`, the employee's) so they can be changed again;
    attested days cannot be unlocked."""
    membership = target_membership(actor, employee)
    days = _dates(dates)
    lock_membership(membership)
    locks = list(DayLock.objects.select_for_update().filter(membership=membership, date__in=days))
    attested = [lock.date for lock in locks if lock.status == DayStatus.ATTESTED]
    if attested:
        raise DomainError(
            _("The day is attested and cannot be changed."),
            code="day_attested",
            extra={"dates": [d.isoformat() for d in attested]},
        )
    if not locks:
        return 0
    check_periods_open([lock.date for lock in locks])
    DayLock.objects.filter(pk__in=[lock.pk for lock in locks]).delete()
    record(
        actor=actor,
        action="time.unlock",
        target=membership,
        data={"dates": [lock.date.isoformat() for lock in locks], **behalf_audit(actor, membership)},
    )
    return len(locks)


@transaction.atomic
def time_bank_adjust(
    *, actor: Actor, membership: Membership, date: dt.date, minutes: int, reason: str
) -> TimeBankAdjustment:
    """Move an employee's time bank by hand (opening balance, payout): administrators only, with a reason."""
    actor.require(Perm.USERS_MANAGE)  # the same permission as the user page that shows the bank
    if membership.tenant_id != actor.tenant_id:
        raise NotFound(_("The user does not exist."))
    if actor.is_partner and membership.user_id == actor.user.pk:
        # a partner never administers itself in the customer (DESIGN.md rule 11)
        raise Forbidden(_("You cannot adjust your own time bank."), code="own_time_bank")
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(
            _("Give a reason for the adjustment."), code="reason_required", extra={"field": "reason"}
        )
    if not minutes:
        raise DomainError(
            _("The adjustment cannot be zero."), code="zero_adjustment", extra={"field": "minutes"}
        )
    if abs(minutes) > bounds.MAX_TIME_BANK_ADJUSTMENT_MINUTES:
        # A stored absurd value would break every page that shows the bank (issue 7 item 5).
        raise DomainError(
            _("An adjustment can be at most %(hours)s hours.")
            % {"hours": bounds.MAX_TIME_BANK_ADJUSTMENT_MINUTES // 60},
            code="adjustment_too_large",
            extra={"field": "minutes"},
        )
    bounds.check_business_date(date)
    check_periods_open([date])
    adjustment = TimeBankAdjustment(
        tenant_id=actor.tenant_id,
        membership=membership,
        date=date,
        minutes=minutes,
        reason=reason,
        created_by=actor.user,
    )
    adjustment.full_clean()
    adjustment.save()
    record(
        actor=actor,
        action="time.bank_adjust",
        target=membership,
        data={"date": date.isoformat(), "minutes": minutes, "reason": reason},
    )
    return adjustment


def _dates(dates: Iterable[dt.date]) -> list[dt.date]:
    result = sorted(set(dates))
    if not result:
        raise DomainError(_("Choose at least one day."), code="no_days")
    for day in result:
        bounds.check_business_date(day, field="dates")
    return result


def day_contributions_store(locks: list[DayLock]) -> None:
    """Write on each lock what its day contributes to flex and the time bank, computed now with the
    current codes, schedule and rules (balances.py reads only these stored figures). One UPDATE per
    distinct contribution (a team's ordinary days share one), not one per day."""
    if not locks:
        return
    ids = {lock.membership_id for lock in locks}
    start = min(lock.date for lock in locks)
    end = max(lock.date for lock in locks)
    results = day_results(membership_ids=ids, start=start, end=end)
    groups: dict[tuple[int, int, int, int], list[int]] = defaultdict(list)
    for lock in locks:
        r = results[lock.membership_id][lock.date]
        groups[(r.scheduled_minutes, r.worked_minutes, r.flex_minutes, r.bank_minutes)].append(lock.pk)
    for (scheduled, worked, flex, bank), pks in groups.items():
        for i in range(0, len(pks), 900):  # SQLite's bound on query parameters
            DayLock.objects.filter(pk__in=pks[i : i + 900]).update(
                scheduled_minutes=scheduled, worked_minutes=worked, flex_minutes=flex, bank_minutes=bank
            )


@transaction.atomic
def locked_days_attest(
    *, actor: Actor, membership: Membership, dates: Iterable[dt.date], on_behalf_of: Membership | None = None
) -> int:
    """Mark the employee's locked days attested (the caller has checked that `actor` may attest them)."""
    days = _dates(dates)
    locks = list(
        DayLock.objects.select_for_update().filter(
            membership=membership, date__in=days, status=DayStatus.LOCKED
        )
    )
    if not locks:
        return 0
    check_periods_open([lock.date for lock in locks])
    now = timezone.now()
    DayLock.objects.filter(pk__in=[lock.pk for lock in locks]).update(
        status=DayStatus.ATTESTED, attested_at=now, attested_by=actor.user, attested_on_behalf_of=on_behalf_of
    )
    day_contributions_store(locks)
    record(
        actor=actor,
        action="time.attest",
        target=membership,
        data={
            "dates": [lock.date.isoformat() for lock in locks],
            "on_behalf_of": on_behalf_of.pk if on_behalf_of else None,
        },
    )
    return len(locks)


@transaction.atomic
def locked_days_attest_many(
    *,
    actor: Actor,
    membership_ids: Iterable[int],
    start: dt.date,
    end: dt.date,
    on_behalf_of_id: int | None = None,
) -> int:
    """Mark every locked day of `membership_ids` from `start` to `end` attested, storing each day's
    contribution to flex and the time bank (bulk attestation; the caller has checked that `actor` may
    attest them all and writes the audit row). A constant number of queries per 500 days."""
    check_periods_open(start + dt.timedelta(days=i) for i in range((end - start).days + 1))
    pending = DayLock.objects.filter(
        membership_id__in=list(membership_ids), date__gte=start, date__lte=end, status=DayStatus.LOCKED
    )
    locks = list(pending.select_for_update().only("pk", "membership_id", "date"))
    pending.filter(pk__in=[lock.pk for lock in locks]).update(
        status=DayStatus.ATTESTED,
        attested_at=timezone.now(),
        attested_by=actor.user,
        attested_on_behalf_of_id=on_behalf_of_id,
    )
    day_contributions_store(locks)
    return len(locks)


@transaction.atomic
def locked_days_reject(
    *, actor: Actor, membership: Membership, dates: Iterable[dt.date], comment: str
) -> int:
    """Send locked (unattested) days back to the employee with a comment; they become open again."""
    comment = (comment or "").strip()
    if not comment:
        raise DomainError(
            _("Write a comment so the employee knows what to correct."), code="comment_required"
        )
    days = _dates(dates)
    locks = list(
        DayLock.objects.select_for_update().filter(
            membership=membership, date__in=days, status=DayStatus.LOCKED
        )
    )
    if not locks:
        return 0
    rejected = [lock.date for lock in locks]
    check_periods_open(rejected)
    DayLock.objects.filter(pk__in=[lock.pk for lock in locks]).delete()
    for day in rejected:
        rejection = DayRejection(
            tenant_id=actor.tenant_id,
            membership=membership,
            date=day,
            comment=comment,
            rejected_by=actor.user,
        )
        rejection.full_clean()
        rejection.save()
    record(
        actor=actor,
        action="time.reject",
        target=membership,
        data={"dates": [d.isoformat() for d in rejected], "comment": comment},
    )
    return len(rejected)


@transaction.atomic
def attested_days_reopen(
    *, actor: Actor, membership: Membership, dates: Iterable[dt.date], reason: str
) -> int:
    """Reopen attested days so they can be changed: TOTAL only, always with a reason in the audit log."""
    actor.require(Perm.TIME_REOPEN)
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Give a reason for reopening attested time."), code="reason_required")
    days = _dates(dates)
    locks = list(
        DayLock.objects.select_for_update().filter(
            membership=membership, date__in=days, status=DayStatus.ATTESTED
        )
    )
    if not locks:
        raise DomainError(_("None of the chosen days is attested."), code="not_attested")
    if membership.user_id == actor.user.pk and not actor.has(Perm.TIME_ATTEST_OWN):  # own, by person
        raise Forbidden(_("You cannot reopen your own attested time."))
    reopened = [lock.date for lock in locks]
    check_periods_open(reopened)
    DayLock.objects.filter(pk__in=[lock.pk for lock in locks]).delete()
    for day in reopened:  # the employee sees why the day is open again (issue 12 item 4)
        reopening = DayRejection(
            tenant_id=actor.tenant_id,
            membership=membership,
            date=day,
            kind=ReturnKind.REOPENED,
            comment=reason,
            rejected_by=actor.user,
        )
        reopening.full_clean()
        reopening.save()
    record(
        actor=actor,
        action="time.reopen",
        target=membership,
        data={"dates": [d.isoformat() for d in reopened], "reason": reason},
    )
    return len(reopened)


# --- absence over a date range (issue 8 item 4; the rules are in absence.py) ------------------------

# What `absence_range_update` may change.
RANGE_FIELDS = {
    "absence_type",
    "start_date",
    "end_date",
    "percent",
    "child_personnummer",
    "child_special_reasons",
    "comment",
}
# Changing one of these changes every day's entry (not only the days added or removed).
RANGE_ENTRY_FIELDS = {"absence_type", "percent", "child_personnummer", "child_special_reasons"}


def _range_audit(absence_range: AbsenceRange, days: dict[dt.date, int]) -> dict[str, Any]:
    return {
        "absence_type_id": absence_range.absence_type_id,
        "absence_type": absence_range.absence_type.name,
        "start_date": absence_range.start_date.isoformat(),
        "end_date": absence_range.end_date.isoformat(),
        "extent": absence_range.percent,
        **absence.describe(days),
    }


def _range_entries(actor: Actor, absence_range: AbsenceRange, days: dict[dt.date, int]) -> list[TimeEntry]:
    """The day entries of `days` (the rules were checked for the whole range: no full_clean per row)."""
    return [
        TimeEntry(
            tenant_id=absence_range.tenant_id,
            membership_id=absence_range.membership_id,
            date=day,
            kind=EntryKind.ABSENCE,
            absence_type_id=absence_range.absence_type_id,
            absence_range=absence_range,
            whole_day=absence_range.percent == 100,
            minutes=minutes,
            child_personnummer=absence_range.child_personnummer,
            child_special_reasons=absence_range.child_special_reasons,
            created_by=actor.user,
        )
        for day, minutes in sorted(days.items())
    ]


def _plan_range(absence_range: AbsenceRange, *, type_changed: bool, confirm_work: bool) -> dict[dt.date, int]:
    """Check the range against every rule and return its days `{day: minutes}` (constant queries)."""
    absence.check_fields(absence_range, type_changed=type_changed)
    absence.check_no_overlap(absence_range)
    history = schedule_history(membership_id=absence_range.membership_id)
    days = absence.expand(history, absence_range.start_date, absence_range.end_date, absence_range.percent)
    if not days:
        raise DomainError(
            _("The range has no working days in your schedule (only days off, weekends or holidays)."),
            code="no_working_days",
            extra={"field": "start_date"},
        )
    absence.check_day_totals(absence_range, history, days, confirm_work=confirm_work)
    return days


@transaction.atomic
def absence_range_create(
    *,
    actor: Actor,
    absence_type: AbsenceType,
    start_date: dt.date,
    end_date: dt.date,
    percent: int = 100,
    child_personnummer: str = "",
    child_special_reasons: bool = False,
    comment: str = "",
    confirm_work: bool = False,
    employee: Membership | None = None,
) -> AbsenceRange:
    """Register own absence (or, with `employee`, the employee's) over a date range as one
    registration, expanded into one absence entry per working day of the schedule; all or nothing."""
    membership = target_membership(actor, employee)
    lock_membership(membership)
    absence_range = AbsenceRange(
        tenant_id=actor.tenant_id,
        membership=membership,
        absence_type=absence_type,
        start_date=start_date,
        end_date=end_date,
        percent=percent,
        child_personnummer=(child_personnummer or "").strip(),
        child_special_reasons=bool(child_special_reasons),
        comment=comment or "",
        created_by=actor.user,
    )
    days = _plan_range(absence_range, type_changed=True, confirm_work=confirm_work)
    check_periods_open(days)
    absence.check_days_can_change(membership.pk, days)
    absence_range.full_clean(
        exclude=["tenant", "membership", "absence_type", "created_by"], validate_constraints=False
    )
    absence_range.save()
    TimeEntry.objects.bulk_create(_range_entries(actor, absence_range, days))
    record(
        actor=actor,
        action="time.absence_range_create",
        target=absence_range,
        data={**_range_audit(absence_range, days), **behalf_audit(actor, membership)},
    )
    behalf_mail_send(actor=actor, membership=membership, dates=sorted(days))
    return absence_range


def _own_range_for_update(absence_range: AbsenceRange, membership: Membership) -> AbsenceRange:
    locked = (
        AbsenceRange.objects.select_for_update(of=("self",))
        .select_related("absence_type")
        .filter(pk=absence_range.pk, membership=membership)
        .first()
    )
    if locked is None:
        raise NotFound(_("The absence does not exist."))
    return locked


def _range_days(absence_range: AbsenceRange) -> dict[dt.date, int]:
    return dict(TimeEntry.objects.filter(absence_range=absence_range).values_list("date", "minutes"))


@transaction.atomic
def absence_range_update(
    *,
    actor: Actor,
    absence_range: AbsenceRange,
    confirm_work: bool = False,
    employee: Membership | None = None,
    **changes: Any,
) -> AbsenceRange:
    """Change an own absence range and expand it again; only the days whose entry changes are
    rewritten, and each of them must be open (locked or attested days may stay as they are)."""
    membership = target_membership(actor, employee)
    unknown = set(changes) - RANGE_FIELDS
    if unknown:
        raise DomainError(_("Unknown fields: %(fields)s") % {"fields": ", ".join(sorted(unknown))})
    lock_membership(membership)
    absence_range = _own_range_for_update(absence_range, membership)
    old_days = _range_days(absence_range)
    before = _range_audit(absence_range, old_days)
    old_values = {key: getattr(absence_range, key) for key in RANGE_ENTRY_FIELDS}
    for key, value in changes.items():
        if key in {"child_personnummer", "comment"}:
            value = (value or "").strip()
        setattr(absence_range, key, value)
    type_changed = (
        "absence_type" in changes and absence_range.absence_type_id != old_values["absence_type"].pk
    )
    new_days = _plan_range(absence_range, type_changed=type_changed, confirm_work=confirm_work)
    if any(getattr(absence_range, key) != old_values[key] for key in RANGE_ENTRY_FIELDS):
        changed = set(old_days) | set(new_days)
    else:
        changed = {d for d in set(old_days) | set(new_days) if old_days.get(d) != new_days.get(d)}
    check_periods_open(changed)
    absence.check_days_can_change(membership.pk, changed)
    absence_range.updated_at = timezone.now()
    absence_range.full_clean(
        exclude=["tenant", "membership", "absence_type", "created_by"], validate_constraints=False
    )
    absence_range.save()
    if changed:
        TimeEntry.objects.filter(absence_range=absence_range, date__in=changed).delete()
        TimeEntry.objects.bulk_create(
            _range_entries(actor, absence_range, {d: m for d, m in new_days.items() if d in changed})
        )
    after = _range_audit(absence_range, new_days)
    record(
        actor=actor,
        action="time.absence_range_update",
        target=absence_range,
        data={
            "before": {k: v for k, v in before.items() if after[k] != v},
            "after": after,
            **behalf_audit(actor, membership),
        },
    )
    if changed:
        behalf_mail_send(actor=actor, membership=membership, dates=sorted(changed))
    return absence_range


@transaction.atomic
def absence_range_delete(
    *, actor: Actor, absence_range: AbsenceRange, employee: Membership | None = None
) -> None:
    """Delete an own absence range and all its days; refused when one of them is locked or attested."""
    membership = target_membership(actor, employee)
    lock_membership(membership)
    absence_range = _own_range_for_update(absence_range, membership)
    days = _range_days(absence_range)
    check_periods_open(days)
    absence.check_days_can_change(membership.pk, days)
    record(
        actor=actor,
        action="time.absence_range_delete",
        target=absence_range,
        data={**_range_audit(absence_range, days), **behalf_audit(actor, membership)},
    )
    TimeEntry.objects.filter(absence_range=absence_range).delete()
    absence_range.delete()
    behalf_mail_send(actor=actor, membership=membership, dates=sorted(days))
