"""The rules a time entry must satisfy before it is written (issue 3 "Bad input"). Each refusal is a
DomainError with a code, a message for the user and, where it belongs to one input, `extra.field`.
Called by the services only, inside their transaction."""

import datetime as dt
import functools
import uuid
from collections.abc import Callable, Iterable

from django.conf import settings
from django.db import connection
from django.db.models import Subquery
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from verksam.core import bounds
from verksam.core.db import holds_row_lock, prefetch, send_together, take_prefetched
from verksam.core.duration import format_minutes, hm, wall_clock_minutes
from verksam.core.errors import DomainError, Forbidden, NotFound
from verksam.core.fixedquery import FixedQuery, FixedStatement, FixedValues, date_value, uuid_value
from verksam.projects.models import PricingType, Project, ProjectKind, ProjectStatus
from verksam.projects.selectors import (
    project_assignment_of,
    project_by_id,
    project_can_report_loaded,
    project_get,
)
from verksam.schedules.selectors import schedule_history
from verksam.tenancy.access import Actor, session_member_id_sql
from verksam.tenancy.models import DEFAULT_WORK_DAY_MINUTES, Membership
from verksam.tenancy.permissions import LICENCE_PERMS, Perm
from verksam.tenancy.scope import FIXED_SCOPE
from verksam.timecodes.models import TimeCode, TimeCodeKind, TimeSettings

from .absence import check_child, check_entry_day
from .balances import MOVES_BANK, entry_facts, projected_bank, projected_bank_parts
from .models import MINUTES_PER_DAY, DayLock, DayStatus, EntryKind, TimeEntry
from .worktime import bank_minutes

# Whole-day absence without a stated time counts as the scheduled time of that day in the employee's
# work schedule (DOMAIN.md "Working time": 360 for a 75 % part-timer, 0 on a day off or a röd dag);
# a full day (8 h) is the fallback of an employee without any schedule.
NORMAL_DAY_MINUTES = DEFAULT_WORK_DAY_MINUTES

# Changing one of these re-checks the project rules (completed, assigned) of an existing entry.
PROJECT_RULE_FIELDS = {"project", "date", "kind", "minutes", "start_time", "end_time", "break_minutes"}
INVOICEABLE_FIELDS = {"project", "activity", "kind", "minutes", "start_time", "end_time", "break_minutes"}


def error(message: str, code: str, field: str | None = None, **extra) -> DomainError:
    if field:
        extra["field"] = field
    return DomainError(message, code=code, extra=extra)


def own_membership(actor: Actor) -> Membership:
    """The actor's own membership: time is only ever written by the employee it belongs to."""
    actor.require(Perm.TIME_REPORT_OWN)
    if actor.membership is None:
        raise Forbidden(_("Only the company's own users report time."))
    return actor.membership


def target_membership(actor: Actor, membership: Membership | None = None) -> Membership:
    """Whose time a write changes (issue 8 item 6): the actor's own when `membership` is None or
    theirs; else the employee's, when the actor holds TIME_REPORT_OTHERS (TOTAL, partner FULL: a
    payroll clerk) or is the employee's named approver with TIME_ATTEST.

    A substitute (attestation Delegation) does not report on behalf: the delegation lets them attest
    or send days back while the approver is away, and the employee corrects their own time; a wider
    power than the approver gave is not implied. Nobody writes their own time "on behalf"."""
    if membership is None or (actor.membership is not None and membership.pk == actor.membership.pk):
        return own_membership(actor)
    if membership.tenant_id != actor.tenant_id:
        raise NotFound(_("The employee does not exist."))
    if membership.user_id == actor.user.pk:
        # by person: a partner's own (inactive) membership of the customer is still its own time
        raise Forbidden(_("You cannot report your own time on someone else's behalf."), code="own_time")
    if actor.has(Perm.TIME_REPORT_OTHERS):
        return membership
    own = actor.membership
    if actor.has(Perm.TIME_ATTEST) and own is not None and membership.approver_id == own.pk:
        return membership
    raise Forbidden(
        _("You can only report time for the employees whose approver you are."), code="not_approver"
    )


def behalf_audit(actor: Actor, membership: Membership) -> dict[str, str]:
    """The audit data of a write on someone else's time: "reported by X for Y", both by name."""
    if membership.user_id == actor.user.pk:
        return {}
    return {
        "reported_by": str(getattr(actor.user, "name", "") or actor.user),
        "reported_for": str(membership.user.name or membership.user),
    }


def normal_day_minutes(membership: Membership | None, day: dt.date | None = None) -> int:
    """The employee's scheduled minutes on `day`: what a whole-day absence counts as (0 on a day off
    in the schedule, a weekend or a röd dag). Without a day: the full-time fallback."""
    if membership is None or getattr(membership, "pk", None) is None or day is None:
        return NORMAL_DAY_MINUTES
    return schedule_history(membership_id=membership.pk).minutes_on(day)


def lock_membership(membership: Membership) -> None:
    # Serialise one employee's writes so two concurrent requests cannot both pass the overlap and
    # 24-hour checks (or both create the same client_uuid) on PostgreSQL. SQLite has no row locks:
    # its transactions begin IMMEDIATE (settings), which already serialises every writer.
    if not connection.features.has_select_for_update or holds_row_lock(membership):
        return  # (the API's request transaction read the member's row FOR UPDATE: api.tenant)
    _MEMBER_LOCK.rows(membership_id=membership.pk)


def lock_membership_reading_project(membership: Membership, project_id: int) -> Project | None:
    """`lock_membership`, and the tenant's project `project_id` (None: it has none) read in the same
    statement on PostgreSQL (issue 13: one round trip less on a create). The project's row needs no
    snapshot taken after the lock (it was read before the transaction began until now); the reads
    that must see what a concurrent write committed (CreateContext) still come after this one. The
    member is locked only when the project exists: without it nothing is written."""
    if not connection.features.has_select_for_update:
        return project_get(project_id)
    return _PROJECT_LOCKING_MEMBER.first(project_id=project_id, membership_id=membership.pk)


def _member_lock(membership_id: int):
    return (
        Membership.objects.select_for_update(of=("self",))
        .filter(pk=membership_id)
        .order_by("pk")
        .values_list("pk")[:1]
    )


# on every write of time (PostgreSQL): compiled once per process and scope size (core.fixedquery)
_MEMBER_LOCK = FixedValues(_member_lock, sentinels={"membership_id": -7_100_000_021}, scope=FIXED_SCOPE)


def _project_locking_member(project_id: int, membership_id: int):
    return project_by_id(project_id).annotate(locked_member=Subquery(_member_lock(membership_id)))


_PROJECT_LOCKING_MEMBER = FixedQuery(
    _project_locking_member,
    sentinels={"project_id": -7_100_000_022, "membership_id": -7_100_000_023},
    scope=FIXED_SCOPE,
)


def check_periods_open(days: Iterable[dt.date]) -> None:
    """Refuse any change of time on a day of a deviation period closed after payroll (issue 8 item 8).
    Closing belongs to attestation, a layer above, so the check is the port settings name."""
    import_string(settings.TIME_PERIOD_GUARD)(days)


class BatchContext:
    """What the entries of one batch share (services.time_entries_create_batch, issue 13): every rule
    is still checked for each entry, but what the rules read from the database — closed periods, the
    days' status, the employee's other entries those days, the default time code, whether a project
    may be reported on — is read once for the whole batch, and each accepted entry joins its day."""

    def __init__(self, *, actor: Actor, membership: Membership, dates: Iterable[dt.date]):
        days = set(dates)
        self.reporter = reporting_actor(actor, membership)
        self.closed = _closed_period_days(days)
        self.statuses = dict(
            DayLock.objects.filter(membership=membership, date__in=days).values_list("date", "status")
        )
        self.day_rows: dict[dt.date, list[tuple]] = {day: [] for day in days}
        for day, start, end, minutes, kind in (
            TimeEntry.objects.filter(membership=membership, date__in=days)
            .exclude(time_code__kind=TimeCodeKind.SUPPLEMENT)
            .values_list("date", "start_time", "end_time", "minutes", "kind")
        ):
            self.day_rows[day].append((start, end, minutes, kind))
        self._can_report: dict[int, bool] = {}
        self._default_time_code: list[TimeCode | None] = []

    def can_report(self, project) -> bool:
        if project.pk not in self._can_report:
            self._can_report[project.pk] = project_can_report_loaded(actor=self.reporter, project=project)
        return self._can_report[project.pk]

    def default_time_code(self) -> TimeCode | None:
        if not self._default_time_code:
            self._default_time_code.append(_default_time_code())
        return self._default_time_code[0]

    def check_business_date(self, day: dt.date) -> None:
        """`bounds.check_business_date`, with the clock read once for the whole batch (~13 µs a
        read, once per day of the batch before; the entries are written at one instant)."""
        last = self.__dict__.get("_latest_date")
        if last is None:
            last = self._latest_date = bounds.latest_date()
        if not bounds.EARLIEST_DATE <= day <= last:
            bounds.check_business_date(day)  # the refusal, with its message

    def allows_negative_bank(self) -> bool:
        if "_negative_bank" not in self.__dict__:
            self._negative_bank = _allows_negative_bank()
        return self._negative_bank

    def bank_balance(self, membership_id: int) -> int:
        """`balances.projected_bank` with the entries this batch accepted so far on their days (they
        are written at the end): a later komp-ledig draws from what the earlier ones left. Read once."""
        if "_bank" not in self.__dict__:
            self._bank = projected_bank_parts(membership_id=membership_id)
        total, stored = self._bank
        added: dict[dt.date, list] = self.__dict__.get("_bank_added", {})
        days = stored.keys() | added.keys()
        return total + sum(bank_minutes([*stored.get(d, []), *added.get(d, [])]) for d in days)

    def add(self, entry: TimeEntry) -> None:
        facts = entry_facts(entry)
        if facts.time_bank_effect in MOVES_BANK:
            self.__dict__.setdefault("_bank_added", {}).setdefault(entry.date, []).append(facts)
        if _is_supplement(entry):
            return
        row = (entry.start_time, entry.end_time, entry.minutes, entry.kind)
        self.day_rows.setdefault(entry.date, []).append(row)


class CreateContext(BatchContext):
    """What the rules of one new entry read, in one statement (issue 13: on every create): whether
    its client_uuid is taken (`existing_id`), the day's status, whether a closed period holds the
    day, the employee's assignment to the project (a LIGHT user's), the company's default time code
    and the employee's other entries that day, every one through its model's scoped manager. Call
    it after `lock_membership`, never in the lock's statement: on PostgreSQL (READ COMMITTED) each
    statement reads a new snapshot, so a concurrent write to the same employee that committed while
    the lock waited is seen here."""

    def __init__(
        self,
        *,
        actor: Actor,
        membership: Membership,
        day: dt.date,
        client_uuid=None,
        project=None,
        time_code_given: bool = False,
        project_id: int | None = None,
        for_work: bool = True,
    ):
        """`project_id` (instead of `project`): the tenant's project of that id is read in the same
        statement (`self.project`, None when it has none; issue 13: one round trip less), for a caller
        that holds the employee's lock already; its assignment is read whatever the project, and
        counts for an entry of work only (`for_work`), as `project` is given for work only."""
        self.reporter = reporting_actor(actor, membership)
        self._can_report: dict[int, bool] = {}
        self._default_time_code: list[TimeCode | None] = []
        # Each read is its model's scoped queryset (the tenant's filter included), sent as one SELECT
        # of scalar subqueries with the default time code's row and the day's entries joined (one
        # result row per entry of the day); the statement is compiled once per shape and scope size
        # (core.fixedquery.FixedStatement, issue 13). (Not `.annotate(Subquery(...))`: resolving
        # those expressions cost more CPU than the round trips they saved on SQLite.)
        values: dict = {"membership_id": membership.pk, "day": day}
        if client_uuid is not None:
            values["client_uuid"] = client_uuid
        assigned_read = read_project = project_id is not None
        if read_project:
            values["project_id"] = project_id
            values["member_id"] = membership.pk  # the reporter is this employee (reporting_actor)
        elif project is not None and project_can_report_loaded(
            actor=self.reporter, project=project, assigned=False
        ):
            pass  # allowed without an assignment (BASIC and up, internal projects): nothing to read
        elif project is not None and project_can_report_loaded(
            actor=self.reporter, project=project, assigned=True
        ):
            assigned_read = True
            values["project_id"] = project.pk
            values["member_id"] = membership.pk  # the reporter is this employee (reporting_actor)
        reads = _create_reads(client_uuid is not None, assigned_read)
        found = (
            _prefetched(membership, day, client_uuid, project_id, time_code_given, for_work)
            if read_project
            else None
        )
        if found is None:
            sql, params = _create_statement(
                client_uuid is not None, assigned_read, time_code_given, read_project
            ).sql_params(**values)
            with connection.cursor() as cursor:
                cursor.execute(sql, params)
                found = cursor.fetchall()
        first = found[0]
        row = dict(zip(reads, first, strict=False))
        self.existing_id: int | None = row.get("existing")
        self.statuses = {day: row["day_status"]} if row["day_status"] else {}
        # a closed period holds the day (rare): the guard itself words the refusal (one more read)
        self.closed = _closed_period_days({day}) if row["closed"] is not None else {}
        to_time = TimeEntry._meta.get_field("start_time").to_python
        at = len(reads)
        self.day_rows = {
            day: [
                (to_time(r[at]), to_time(r[at + 1]), r[at + 2], r[at + 3])
                for r in found
                if r[at + 3] is not None  # the LEFT JOIN's row of NULLs: no other entry that day
            ]
        }
        at += len(_DAY_COLUMNS)
        if not time_code_given:
            code_fields = TimeCode._meta.concrete_fields
            code = first[at : at + len(code_fields)]
            at += len(code_fields)
            self._default_time_code.append(None if code[0] is None else _row_of(TimeCode, code))
        self.project: Project | None = None
        if read_project:
            found_project = first[at : at + len(Project._meta.concrete_fields)]
            # the row as the ORM builds the rows it reads: PostgreSQL's values need no converter
            self.project = project = (
                None
                if found_project[0] is None
                else Project.from_db(connection.alias, _PROJECT_ATTNAMES, list(found_project))
            )
            if (
                project is None
                or not for_work
                or project_can_report_loaded(actor=self.reporter, project=project, assigned=False)
            ):
                return  # as with `project`: nothing to read, or allowed without an assignment
        if "assigned" in row and project is not None:
            self._can_report[project.pk] = project_can_report_loaded(
                actor=self.reporter, project=project, assigned=row["assigned"] is not None
            )


_PROJECT_ATTNAMES = [f.attname for f in Project._meta.concrete_fields]


def send_create_context(
    *,
    tenant_id: int,
    read_member: Callable[[], Membership | None],
    day: dt.date,
    client_uuid: uuid.UUID | None,
    project_id: int,
    time_code_given: bool,
    for_work: bool,
) -> None:
    """Send CreateContext's statement (core.db.pipeline) right after the member's row is read FOR
    UPDATE in the same round trip (tenancy.access.send_member_lock: the lock is taken first, and each
    statement reads a snapshot of its own), for the create the request will make: the member's id,
    not known to the client yet, is the session user's member row in the tenant
    (`session_member_id_sql`). Kept for CreateContext (`_prefetched`), which uses it only for the
    same employee and the same values, and reads itself otherwise. Issue 13: the API create of one
    time entry in three round trips (token and member, context, INSERT with COMMIT) -> two."""
    values: dict = {"membership_id": 0, "day": day, "project_id": project_id, "member_id": 0}
    if client_uuid is not None:
        values["client_uuid"] = client_uuid
    member = session_member_id_sql()
    with FIXED_SCOPE.compiling((int(tenant_id),)):  # the tenant's filter of each scoped read
        built = _create_statement(client_uuid is not None, True, time_code_given, True).sql_params_replacing(
            {"membership_id": member, "member_id": member}, **values
        )
    if built is None:
        return
    read = send_together(*built)
    if read is None:
        return
    key = (int(tenant_id), day, client_uuid, project_id, time_code_given, for_work)
    prefetch("create_context", key, lambda: (read_member(), read()))


def _prefetched(membership, day, client_uuid, project_id, time_code_given, for_work) -> list | None:
    """The rows `send_create_context` read for this very create of this employee, or None."""
    key = (membership.tenant_id, day, client_uuid, project_id, time_code_given, for_work)
    read = take_prefetched("create_context", key)
    if read is None:
        return None
    member, rows = read()
    return rows if member is not None and member.pk == membership.pk else None


def _row_of(model, values):
    """An instance of `model` from its concrete columns' values, in the fields' order."""
    fields = model._meta.concrete_fields
    return model.from_db(
        connection.alias,
        [f.attname for f in fields],
        [f.to_python(v) for f, v in zip(fields, values, strict=True)],
    )


# Sentinels of the create's fixed-shape reads (core.fixedquery): never a real id, date or uuid.
_SENTINELS = {
    "membership_id": -7_100_000_001,
    "day": dt.date(1, 2, 3),
    "client_uuid": uuid.UUID(int=0x7100_0000_0000_0000_0000_0000_0000_0004),
    "project_id": -7_100_000_005,
    "member_id": -7_100_000_006,
}


_ADAPT = {"day": date_value, "client_uuid": uuid_value}


def _create_reads(with_uuid: bool, assigned: bool) -> list[str]:
    return [
        "day_status",
        "closed",
        *(["existing"] if with_uuid else []),
        *(["assigned"] if assigned else []),
    ]


# the day's other entries as `_other_entries` gives them, joined to CreateContext's one row
_DAY_COLUMNS = ("start_time", "end_time", "minutes", "kind")


def _create_reads_sql(
    with_uuid: bool, assigned: bool, time_code_given: bool, read_project: bool, **values
) -> tuple[str, list]:
    """CreateContext's one SELECT: the reads of `_create_reads` as scalar subqueries, each its model's
    scoped queryset, the employee's other entries that day joined (a row each, in the model's order;
    one row of NULLs when there are none), the company's default time code's row unless a time
    code was given, and with `read_project` the project's row."""
    reads = {
        "day_status": DayLock.objects.filter(membership_id=values["membership_id"], date=values["day"])
        .order_by()
        .values("status")[:1],
        # the closed-period guard's read (a port: closing is attestation's, a layer above)
        "closed": import_string(settings.TIME_PERIOD_CLOSES)(values["day"]).order_by().values("pk")[:1],
    }
    if with_uuid:
        reads["existing"] = (
            TimeEntry.objects.filter(client_uuid=values["client_uuid"]).order_by().values("pk")[:1]
        )
    if assigned:
        reads["assigned"] = (
            project_assignment_of(membership_id=values["member_id"], project_id=values["project_id"])
            .order_by()
            .values("pk")[:1]
        )
    columns, params = [], []
    for queryset in reads.values():
        sql, found = queryset.query.sql_with_params()
        columns.append(f"({sql})")
        params.extend(found)
    source = "(SELECT 1 AS one) one"
    sql, found = (
        _day_rows_query(values["membership_id"], values["day"])
        .order_by()
        .values_list(*_DAY_COLUMNS, "pk")
        .query.sql_with_params()
    )
    source += f" LEFT JOIN ({sql}) day_rows ON 1 = 1"
    columns.extend(f"day_rows.{name}" for name in _DAY_COLUMNS)
    params.extend(found)
    if not time_code_given:
        sql, found = (
            _default_time_codes()
            .values_list(*(f.attname for f in TimeCode._meta.concrete_fields))[:1]
            .query.sql_with_params()
        )
        source += f" LEFT JOIN ({sql}) code ON 1 = 1"
        columns.append("code.*")
        params.extend(found)
    if read_project:
        sql, found = (
            Project.objects.filter(pk=values["project_id"])
            .order_by()
            .values_list(*(f.attname for f in Project._meta.concrete_fields))[:1]
            .query.sql_with_params()
        )
        source += f" LEFT JOIN ({sql}) project ON 1 = 1"
        columns.append("project.*")
        params.extend(found)
    # the model's order (date, start_time, pk) within the one day, as `_other_entries` reads them
    return f"SELECT {', '.join(columns)} FROM {source} ORDER BY day_rows.start_time, day_rows.pk", params


_CREATE_STATEMENTS: dict[tuple[bool, bool, bool, bool], FixedStatement] = {}


def _create_statement(
    with_uuid: bool, assigned: bool, time_code_given: bool, read_project: bool = False
) -> FixedStatement:
    key = (with_uuid, assigned, time_code_given, read_project)
    statement = _CREATE_STATEMENTS.get(key)
    if statement is None:
        names = ["membership_id", "day", *(["client_uuid"] if with_uuid else [])]
        names += ["project_id", "member_id"] if assigned else []
        statement = _CREATE_STATEMENTS.setdefault(
            key,
            FixedStatement(
                functools.partial(_create_reads_sql, with_uuid, assigned, time_code_given, read_project),
                sentinels={name: _SENTINELS[name] for name in names},
                adapt=_ADAPT,
                scope=FIXED_SCOPE,
            ),
        )
    return statement


def _day_rows_query(membership_id: int, day: dt.date):
    """The employee's other entries that day as (start, end, minutes, kind), supplements left out
    (`_other_entries`)."""
    return (
        TimeEntry.objects.filter(membership_id=membership_id, date=day)
        .exclude(time_code__kind=TimeCodeKind.SUPPLEMENT)
        .values_list("start_time", "end_time", "minutes", "kind")
    )


def _closed_period_days(days: set[dt.date]) -> dict[dt.date, DomainError]:
    """`{day: the refusal}` for the days in a closed period: one guard call for all of them while
    none is closed (the usual case), one more per closed period found."""
    closed: dict[dt.date, DomainError] = {}
    remaining = set(days)
    while remaining:
        try:
            check_periods_open(remaining)
            break
        except DomainError as exc:
            hit = {d for d in remaining if d.isoformat() in set(exc.extra.get("dates", []))}
            if not hit:  # a guard that does not name its days: ask day by day
                for day in remaining:
                    try:
                        check_periods_open([day])
                    except DomainError as one:
                        closed[day] = one
                break
            for day in hit:
                closed[day] = exc
            remaining -= hit
    return closed


def _default_time_codes():
    """The company's default time code first (as `.first()` orders: the model's ordering, then id)."""
    return TimeCode.objects.filter(is_default=True, is_active=True).order_by(*TimeCode._meta.ordering, "pk")


def _default_time_code() -> TimeCode | None:
    return _default_time_codes().first()


def check_days_open(
    membership: Membership, days: Iterable[dt.date], known: BatchContext | None = None
) -> None:
    """Refuse writes in a closed period, on a locked day (unlock first) or an attested day (immutable
    for the employee). `known`: what a batch has read for all its days."""
    days = set(days)
    if known is not None:
        for day in days:
            if day in known.closed:
                raise known.closed[day]
        statuses = {day: known.statuses[day] for day in days if day in known.statuses}
    else:
        check_periods_open(days)
        statuses = dict(
            DayLock.objects.filter(membership=membership, date__in=set(days)).values_list("date", "status")
        )
    if DayStatus.ATTESTED in statuses.values():
        raise error(
            _("The day is attested and cannot be changed."),
            "day_attested",
            "date",
            dates=sorted(d.isoformat() for d, s in statuses.items() if s == DayStatus.ATTESTED),
        )
    if statuses:
        raise error(
            _("The day is locked. Unlock it first."),
            "day_locked",
            "date",
            dates=sorted(d.isoformat() for d in statuses),
        )


def _resolve_minutes(entry: TimeEntry, minutes: int | None) -> int:
    if (entry.start_time is None) != (entry.end_time is None):
        raise error(_("Give both a start and an end time, or only the time."), "times_incomplete", "end_time")
    if entry.start_time is not None and entry.end_time is not None:
        span = wall_clock_minutes(entry.start_time, entry.end_time)
        if span <= 0:
            raise error(_("The end time must be after the start time."), "end_before_start", "end_time")
        if entry.break_minutes > span:
            raise error(
                _("The break is longer than the time between start and end."),
                "break_too_long",
                "break_minutes",
            )
        minutes = span - entry.break_minutes
    else:
        entry.break_minutes = 0  # a break only means something between a start and an end
        if minutes is None and entry.kind == EntryKind.ABSENCE and entry.whole_day:
            minutes = normal_day_minutes(entry.membership, entry.date)
            if not minutes:
                # DOMAIN.md: whole-day absence on a day off, a weekend or a röd dag counts 0 h, and
                # an entry of 0 h is no entry: refuse it clearly instead of storing nothing.
                raise error(
                    _("There is no scheduled time on that day, so a whole-day absence counts 0 hours."),
                    "no_scheduled_time",
                    "date",
                )
        if minutes is None:
            raise error(_("Give the time as hours, or as start and end."), "minutes_required", "minutes")
    if minutes <= 0:
        raise error(_("The time must be more than zero."), "zero_time", "minutes")
    if minutes > MINUTES_PER_DAY:
        raise error(_("A day cannot have more than 24 hours reported."), "day_over_24h", "minutes")
    return minutes


def _is_supplement(entry: TimeEntry) -> bool:
    return entry.time_code is not None and entry.time_code.kind == TimeCodeKind.SUPPLEMENT


def _other_entries(entry: TimeEntry) -> list[tuple]:
    """The employee's other entries that day as (start, end, minutes, kind): one query for both of
    the day's checks (`_check_day`, `absence.check_entry_day`; issue 13). Supplements (OB, jour,
    beredskap) lie on top of worked hours (DOMAIN.md "Working time"): they overlap the worked entry
    they belong to and count neither in the day's 24 h nor as work beside absence."""
    others = TimeEntry.objects.filter(membership_id=entry.membership_id, date=entry.date).exclude(
        time_code__kind=TimeCodeKind.SUPPLEMENT
    )
    if entry.pk is not None:
        others = others.exclude(pk=entry.pk)
    return list(others.values_list("start_time", "end_time", "minutes", "kind"))


def _check_day(entry: TimeEntry, rows: Iterable[tuple]) -> None:
    """No overlap with the same employee's other entries that day (`rows`, as `_other_entries`
    gives them), and at most 24 h in the day."""
    total = entry.minutes
    for start, end, minutes, _kind in rows:
        total += minutes
        if None in (start, end, entry.start_time, entry.end_time):
            continue
        if start < entry.end_time and entry.start_time < end:
            raise error(
                _("The time overlaps another entry that day (%(start)s–%(end)s).")
                % {"start": start.strftime("%H:%M"), "end": end.strftime("%H:%M")},
                "overlap",
                "start_time",
            )
    if total > MINUTES_PER_DAY:
        raise error(
            _("A day cannot have more than 24 hours reported (%(hours)s h with this entry).")
            % {"hours": format_minutes(total)},
            "day_over_24h",
            "minutes",
        )


def reporting_actor(actor: Actor, membership: Membership) -> Actor:
    """The employee as the project rules see them: time written on their behalf may go only where
    they may report themselves (a LIGHT user's assigned and internal projects), whoever writes it."""
    if actor.membership is not None and actor.membership.pk == membership.pk:
        return actor
    return Actor(
        user=membership.user,
        tenant=actor.tenant,
        perms=LICENCE_PERMS[membership.licence],
        membership=membership,
    )


def _check_work(
    actor: Actor, entry: TimeEntry, fields: set[str] | None, known: BatchContext | None = None
) -> None:
    project = entry.project
    if project is None:
        raise error(_("Choose a project."), "project_required", "project")
    if fields is None or fields & PROJECT_RULE_FIELDS:
        if project.status == ProjectStatus.COMPLETED:
            raise error(
                _("The project is completed; time can no longer be reported on it."),
                "project_completed",
                "project",
            )
        reporter = reporting_actor(actor, entry.membership)
        allowed = (
            known.can_report(project) if known else project_can_report_loaded(actor=reporter, project=project)
        )
        if not allowed:
            raise error(_("You are not assigned to this project."), "not_assigned", "project")
        _check_project_dates(entry)
    if entry.time_code is None:
        entry.time_code = known.default_time_code() if known else _default_time_code()
        if entry.time_code is None:
            raise error(_("Choose a time code."), "time_code_required", "time_code")
    elif (fields is None or "time_code" in fields) and not entry.time_code.is_active:
        raise error(_("The time code is no longer in use."), "time_code_inactive", "time_code")
    if (
        entry.activity is not None
        and (fields is None or "activity" in fields)
        and not entry.activity.is_active
    ):
        raise error(_("The activity is no longer in use."), "activity_inactive", "activity")
    entry.absence_type = None
    entry.whole_day = False
    entry.child_personnummer = ""
    entry.child_special_reasons = False


def _check_project_dates(entry: TimeEntry) -> None:
    """Work is reported only within the project's start and end dates (issue 8 item 5)."""
    project = entry.project
    assert project is not None
    start, end = project.start_date, project.end_date
    if (start is not None and entry.date < start) or (end is not None and entry.date > end):
        if start is not None and end is not None:
            message = _("The project runs from %(start)s to %(end)s; time on %(day)s is outside it.")
        elif start is not None:
            message = _("The project starts on %(start)s; time on %(day)s is before it.")
        else:
            message = _("The project ended on %(end)s; time on %(day)s is after it.")
        raise error(
            message
            % {
                "start": start.isoformat() if start else "",
                "end": end.isoformat() if end else "",
                "day": entry.date.isoformat(),
            },
            "outside_project_dates",
            "date",
        )


def _check_absence(entry: TimeEntry, fields: set[str] | None) -> None:
    absence = entry.absence_type
    if absence is None:
        raise error(_("Choose a type of absence."), "absence_type_required", "absence_type")
    if (fields is None or "absence_type" in fields) and not absence.is_active:
        raise error(_("The absence type is no longer in use."), "absence_type_inactive", "absence_type")
    entry.project = None
    entry.activity = None
    entry.time_code = None
    # VAB: Försäkringskassan and the payroll file need the child's personnummer; the child must be
    # born before the day and under 12 on it (older only with special reasons).
    entry.child_personnummer = check_child(
        absence_type=absence,
        personnummer=entry.child_personnummer,
        special_reasons=entry.child_special_reasons,
        first_day=entry.date,
        last_day=entry.date,
    )
    if not absence.requires_child:
        entry.child_special_reasons = False


def _allows_negative_bank() -> bool:
    settings = TimeSettings.objects.only("allow_negative_time_bank").first()
    return settings is not None and settings.allow_negative_time_bank


def _check_time_bank(entry: TimeEntry, known: BatchContext | None = None) -> None:
    """Komp-ledig (or any entry drawing the time bank) may not take the bank below zero unless the
    company allows a negative balance (TimeSettings.allow_negative_time_bank; issue 8 item 2). The
    bank counted is everything registered, attested or not, whatever its date."""
    drawn = bank_minutes([entry_facts(entry)])
    if drawn >= 0:
        return
    if known.allows_negative_bank() if known is not None else _allows_negative_bank():
        return
    if known is not None and entry.pk is None:
        balance = known.bank_balance(entry.membership_id)
    else:
        balance = projected_bank(membership_id=entry.membership_id, exclude_entry_id=entry.pk)
    if balance + drawn < 0:
        raise error(
            _(
                "The time bank holds %(balance)s h; %(hours)s h of %(name)s would take it below zero. "
                "Choose fewer hours or another type of absence."
            )
            % {
                "balance": hm(balance),
                "hours": hm(-drawn),
                "name": str(entry.absence_type or entry.time_code),
            },
            "time_bank_exceeded",
            "minutes",
            balance_minutes=balance,
        )


def _default_invoiceable(entry: TimeEntry) -> int:
    project = entry.project
    if entry.kind != EntryKind.WORK or project is None:
        return 0
    if project.kind == ProjectKind.INTERNAL or project.pricing_type == PricingType.NOT_INVOICED:
        return 0
    if entry.activity is not None and not entry.activity.invoiceable:
        return 0
    return entry.minutes


def prepare_entry(
    *,
    actor: Actor,
    entry: TimeEntry,
    minutes: int | None,
    invoiceable_minutes: int | None,
    fields: set[str] | None = None,
    confirm_work: bool = False,
    known: BatchContext | None = None,
) -> None:
    """Normalise `entry` (minutes from start/end − break, defaults, the child's personnummer) and
    check every rule. `fields` is None for a new entry, else the names an update changes; `known`
    holds what a batch of new entries has read once for all of them."""
    if fields is None or "date" in fields:
        if known is not None:
            known.check_business_date(entry.date)
        else:
            bounds.check_business_date(entry.date)
    if entry.kind == EntryKind.WORK:
        _check_work(actor, entry, fields, known)
    elif entry.kind == EntryKind.ABSENCE:
        _check_absence(entry, fields)
    else:
        raise error(_("Unknown kind of entry."), "invalid_kind", "kind")
    entry.minutes = _resolve_minutes(entry, minutes)
    if not _is_supplement(entry):
        if known is not None and entry.pk is None:
            others = known.day_rows.get(entry.date, [])
        else:
            others = _other_entries(entry)
        _check_day(entry, others)
        check_entry_day(entry, confirm_work=confirm_work, others=[(kind, m) for _s, _e, m, kind in others])
    _check_time_bank(entry, known)
    if invoiceable_minutes is None:
        if fields is None or fields & INVOICEABLE_FIELDS:
            entry.invoiceable_minutes = _default_invoiceable(entry)
    else:
        entry.invoiceable_minutes = invoiceable_minutes
    if entry.invoiceable_minutes < 0 or entry.invoiceable_minutes > entry.minutes:
        raise error(
            _("Invoiceable time cannot be more than the reported time."),
            "invoiceable_too_high",
            "invoiceable_minutes",
        )
    if entry.invoiceable_minutes and (
        entry.kind == EntryKind.ABSENCE or (entry.project is not None and entry.project.is_internal)
    ):
        raise error(
            _("Time on an internal project or absence cannot be invoiceable."),
            "invoiceable_internal",
            "invoiceable_minutes",
        )
