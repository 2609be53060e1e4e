"""Reads of attestation: who the actor may attest (and on whose behalf), the approver's queue per
deviation period (avvikelseperiod), one employee's period day by day, and delegations.

Who may attest employee E's time (issue 3, items 4 and 5):
- E's approver (Membership.approver), if the approver's licence holds TIME_ATTEST;
- a substitute of that approver whose delegation covers today and is not revoked — recorded as
  "on behalf of" the approver;
- anyone holding TIME_ATTEST_ALL (TOTAL, partner FULL).
Nobody attests their own time without TIME_ATTEST_OWN (TOTAL).
Every read here runs a constant number of queries, whatever the number of employees.
"""

import bisect
import datetime as dt
from collections import defaultdict
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q, QuerySet, Sum, Value
from django.utils import timezone
from django.utils.translation import gettext as _

from verksam.core import timeutil
from verksam.core.db import MINUTES_BITS, MINUTES_MASK, DayBits, DayMinutes, day_bits
from verksam.core.duration import hm
from verksam.core.errors import Conflict
from verksam.core.fixedquery import FixedQuery, FixedValues, date_value
from verksam.schedules.dto import ScheduleHistory
from verksam.schedules.selectors import schedule_histories, schedule_history
from verksam.tenancy.access import Actor
from verksam.tenancy.models import Membership
from verksam.tenancy.permissions import LICENCE_PERMS, Perm
from verksam.tenancy.scope import FIXED_SCOPE
from verksam.timecodes.models import AbsenceType, TimeCode, TimeSettings
from verksam.timecodes.periods import Period, period_by_key, period_for, period_previous
from verksam.timereporting import balances as time_balances
from verksam.timereporting import selectors as time_selectors
from verksam.timereporting.models import DayLock, DayRejection, TimeEntry
from verksam.timereporting.worktime import code_totals

from .models import Delegation, PeriodClose

# Licences whose holders may be approvers (attestansvarig).
APPROVER_LICENCES = sorted(lic for lic, perms in LICENCE_PERMS.items() if Perm.TIME_ATTEST in perms)

LOCKED = "locked"
ATTESTED = "attested"

STATUS_ATTESTED = "attested"
STATUS_WAITING = "waiting"
STATUS_INCOMPLETE = "incomplete"


# --- settings and periods ------------------------------------------------------------------------


@dataclass(frozen=True)
class AttestationSettings:
    period_start_day: int = 1
    reminder_days_before: int = 3
    reminders_enabled: bool = True


def attestation_settings() -> AttestationSettings:
    """The tenant's deviation-period start day and reminder settings (defaults when never saved)."""
    row = _SETTINGS.first()
    if row is None:
        return AttestationSettings()
    return AttestationSettings(
        period_start_day=row.period_start_day,
        reminder_days_before=row.reminder_days_before,
        reminders_enabled=row.reminders_enabled,
    )


# read on every attestation page: compiled once per process and scope size (issue 13, core.fixedquery)
_SETTINGS = FixedQuery(lambda: TimeSettings.objects.order_by("pk")[:1], sentinels={}, scope=FIXED_SCOPE)


def period_get(key: str | None, *, start_day: int, today: dt.date | None = None) -> Period | None:
    """The period named `key` (`YYYY-MM`), the current one when `key` is empty, None when malformed."""
    if not key:
        return period_for(today or timezone.localdate(), start_day)
    try:
        year, month = (int(part) for part in key.split("-"))
        if not (1 <= month <= 12 and 2000 <= year <= 2100) or len(key) != 7:
            return None
        return period_by_key(key, start_day)
    except ValueError:
        return None


# --- who may attest whom -----------------------------------------------------------------------


def delegations_held_today(*, actor: Actor, today: dt.date | None = None) -> dict[int, Membership]:
    """`{approver_id: approver}` for every approver the actor substitutes for today."""
    if actor.membership is None:
        return {}
    rows = _DELEGATIONS_HELD.all(substitute_id=actor.membership.pk, today=today or timezone.localdate())
    return {d.approver_id: d.approver for d in rows}


def _delegations_of(substitute_id: int, today: dt.date) -> QuerySet[Delegation]:
    """The delegations the substitute holds on `today` from approvers who may still attest."""
    return Delegation.objects.filter(
        substitute_id=substitute_id,
        start_date__lte=today,
        end_date__gte=today,
        revoked_at__isnull=True,
        approver__licence__in=APPROVER_LICENCES,
    )


def _delegations_held_rows(substitute_id: int, today: dt.date) -> QuerySet[Delegation]:
    return _delegations_of(substitute_id, today).select_related("approver__user")


# `delegations_held_today`'s read (every attestation page): compiled once per process and scope size
_DELEGATIONS_HELD = FixedQuery(
    _delegations_held_rows,
    sentinels={"substitute_id": -7_100_000_091, "today": dt.date(1, 2, 3)},
    adapt={"today": date_value},
    scope=FIXED_SCOPE,
)


def _attestable(actor: Actor, held: Collection[int] | QuerySet) -> QuerySet[Membership]:
    # `held`: the ids of the approvers whose delegation the actor holds today (or a query of them)
    qs = Membership.objects.select_related("user", "approver__user")
    if not actor.has(Perm.TIME_ATTEST):
        return qs.none()
    own = actor.membership
    if not actor.has(Perm.TIME_ATTEST_ALL):
        allowed = Q(pk__in=[])
        if own is not None:
            allowed |= Q(approver_id=own.pk)
        if isinstance(held, QuerySet):
            allowed |= Q(approver_id__in=held)
        elif held:
            allowed |= Q(approver_id__in=list(held))
        qs = qs.filter(allowed)
    if not actor.has(Perm.TIME_ATTEST_OWN):
        qs = qs.exclude(user_id=actor.user.pk)  # by person, as is_own()
    return qs


def _on_behalf_of(actor: Actor, membership: Membership, held: dict[int, Membership]) -> Membership | None:
    own_pk = getattr(actor.membership, "pk", None)
    if membership.approver_id is None or membership.approver_id == own_pk:
        return None
    return held.get(membership.approver_id)


@dataclass(frozen=True)
class Route:
    """The actor may attest `membership`; `on_behalf_of` is the approver when it is through a delegation."""

    membership: Membership
    on_behalf_of: Membership | None = None


def attestable_members(
    *, actor: Actor, today: dt.date | None = None, active_only: bool = True
) -> list[Route]:
    """Every employee the actor may attest today, by name (two queries)."""
    held = delegations_held_today(actor=actor, today=today)
    qs = _attestable(actor, held).order_by("user__name", "pk")
    if active_only:
        qs = qs.filter(is_active=True)
    return [Route(m, _on_behalf_of(actor, m, held)) for m in qs]


def attest_route(*, actor: Actor, membership: Membership, today: dt.date | None = None) -> Route | None:
    """How the actor may attest `membership` today, or None when they may not."""
    held = delegations_held_today(actor=actor, today=today)
    if not _attestable(actor, held).filter(pk=membership.pk).exists():
        return None
    return Route(membership, _on_behalf_of(actor, membership, held))


def may_read_balances(*, actor: Actor, membership: Membership) -> bool:
    """Who may read another employee's flex and time bank: who administers users (USERS_MANAGE, as
    the time bank's adjustments) and whoever may attest the employee today (their approver, a
    substitute, TIME_ATTEST_ALL); everyone reads their own through their own pages."""
    if membership.tenant_id != actor.tenant_id:
        return False
    if is_own(actor, membership) or actor.has(Perm.USERS_MANAGE):
        return True
    return actor.has(Perm.TIME_ATTEST) and attest_route(actor=actor, membership=membership) is not None


def is_own(actor: Actor, membership: Membership) -> bool:
    # By person, not by the actor's membership: a partner acting through its grant may also hold an
    # (inactive) membership of the customer, and its own time is still its own (issue 7 item 1).
    return membership.user_id == actor.user.pk


# --- the queue -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class CodeTotal:
    code: str
    name: str
    minutes: int

    @property
    def hours(self) -> str:
        return hm(self.minutes)


@dataclass
class QueueRow:
    """One employee's period as the approver sees it. The employee is given as plain values (their
    membership's id, name, employment number, whether still employed), not as a Membership: the queue
    of 200 employees does not build 400 model instances to show four fields of each (issue 13)."""

    member_id: int
    name: str  # the user's name, else their email address
    employment_number: str
    on_behalf_of: Membership | None  # the approver whose substitute the actor is, if by delegation
    is_active: bool = True
    days_reported: int = 0
    days_missing: int = 0
    days_open: int = 0
    days_locked: int = 0
    days_attested: int = 0
    total_minutes: int = 0
    time_codes: list[CodeTotal] = field(default_factory=list)
    absence_types: list[CodeTotal] = field(default_factory=list)
    status: str = STATUS_INCOMPLETE
    time_bank_minutes: int = 0  # the time bank as of the period's end (or the date asked), attested
    flex_minutes: int = 0  # flex as of the same date, attested
    # The work schedule's time over the whole period, and over its days up to yesterday (what the
    # reported time is measured against: "120:00 av 128:00").
    scheduled_minutes: int = 0
    scheduled_due_minutes: int = 0
    days_short: int = 0  # days up to yesterday with some time, but less than the schedule
    days_rejected: int = 0  # days sent back to the employee and not yet locked again
    # the minutes reported on each day of the period with time, by the day's index in the period (0 for
    # its first day; the charts' hours per week are added up from it)
    day_minutes: dict[int, int] = field(default_factory=dict)

    @property
    def via_delegation(self) -> bool:
        return self.on_behalf_of is not None

    @property
    def total_hours(self) -> str:
        return hm(self.total_minutes)

    @property
    def time_bank_hours(self) -> str:
        return hm(self.time_bank_minutes)

    @property
    def scheduled_hours(self) -> str:
        return hm(self.scheduled_minutes)

    @property
    def flex_hours(self) -> str:
        return hm(self.flex_minutes)


def _status(row: QueueRow) -> str:
    if row.days_locked:
        return STATUS_WAITING  # the approver has something to do
    if row.days_missing or row.days_open or not row.days_attested:
        return STATUS_INCOMPLETE  # the employee has something to do
    return STATUS_ATTESTED


# The queue's filters (issue 12 item 5), for the page and the API alike: who misses days, who has
# locked days waiting, who has days sent back and not yet locked again.
QUEUE_FILTERS: dict[str, Any] = {
    "missing": lambda r: r.days_missing > 0,
    "locked": lambda r: r.days_locked > 0,
    "rejected": lambda r: r.days_rejected > 0,
}


def _queue_members_query(everyone: bool, with_own: bool, with_held: bool, not_self: bool) -> FixedValues:
    """`_attestable`'s members as the queue reads them, for one shape of the actor's rights (whether
    they attest everyone, have a membership, hold delegations, may attest their own time), compiled
    once per process (issue 13, core.fixedquery): the same rows and order as `_attestable`."""

    def build(own_pk: int = 0, held: list[int] | None = None, user_id: int = 0) -> QuerySet:
        qs = Membership.objects.all()
        if not everyone:
            allowed = Q(approver_id=own_pk) if with_own else Q(approver_id__in_ids=held)
            if with_own and with_held:
                allowed |= Q(approver_id__in_ids=held)
            qs = qs.filter(allowed)
        if not_self:
            qs = qs.exclude(user_id=user_id)  # by person, as is_own()
        return qs.order_by("user__name", "pk").values_list(
            "pk", "user__name", "user__email", "employment_number", "is_active", "approver_id"
        )

    # a sentinel for each value this shape's statement holds (every sentinel must show in it)
    sentinels: dict[str, Any] = {}
    if not everyone and with_own:
        sentinels["own_pk"] = -7_100_000_081
    if not everyone and with_held:
        sentinels["held"] = [-7_100_000_082]
    if not_self:
        sentinels["user_id"] = -7_100_000_083
    return FixedValues(
        build, sentinels=sentinels, ids=("held",) if "held" in sentinels else (), scope=FIXED_SCOPE
    )


_QUEUE_MEMBERS: dict[tuple[bool, bool, bool, bool], FixedValues] = {}


def _queue_rows(actor: Actor, today: dt.date) -> dict[int, QueueRow]:
    """`{membership_id: QueueRow}` of every employee the actor may attest today, active or not, by
    name, as `attestable_members` finds them but read as plain values (two queries)."""
    held = delegations_held_today(actor=actor, today=today)
    own_pk = getattr(actor.membership, "pk", None)
    if not actor.has(Perm.TIME_ATTEST):
        return {}
    everyone = actor.has(Perm.TIME_ATTEST_ALL)
    if not everyone and own_pk is None and not held:
        return {}  # nobody to attest (`_attestable`'s filter matches no row)
    shape = (everyone, own_pk is not None, bool(held), not actor.has(Perm.TIME_ATTEST_OWN))
    query = _QUEUE_MEMBERS.get(shape)
    if query is None:
        query = _QUEUE_MEMBERS.setdefault(shape, _queue_members_query(*shape))
    values = {"own_pk": own_pk, "held": list(held), "user_id": actor.user.pk}
    members = query.rows(**{name: values[name] for name in query.sentinels})
    return {
        pk: QueueRow(
            member_id=pk,
            name=name or email,
            employment_number=number,
            # as _on_behalf_of: through a delegation when the approver is someone else the actor stands in for
            on_behalf_of=held.get(approver_id) if approver_id not in (None, own_pk) else None,
            is_active=is_active,
        )
        for pk, name, email, number, is_active, approver_id in members
    }


# the queue's entries are read per employee and code; the codes' texts apart (`_code_texts`)
_PER_CODE = ("membership_id", "time_code_id", "absence_type_id")


def _code_rows() -> QuerySet:
    time_codes = (
        TimeCode.objects.order_by()
        .annotate(absence=Value(False))
        .values_list("absence", "pk", "code", "name")
    )
    absences = (
        AbsenceType.objects.order_by()
        .annotate(absence=Value(True))
        .values_list("absence", "pk", "code", "name")
    )
    return time_codes.union(absences, all=True)


# compiled once per process and scope size (issue 13, core.fixedquery)
_CODE_TEXTS = FixedValues(_code_rows, sentinels={}, scope=FIXED_SCOPE)


def _code_texts() -> dict[tuple[bool, int], tuple[str, str]]:
    """`{(is_absence, id): (code, name)}` of the tenant's time codes and absence types (one query).
    Read apart from the entries: joined to 4,400 entries PostgreSQL looked each code up once per
    entry, its row-level security policy with it, half the read's time (issue 13)."""
    return {(absence, pk): (code, name) for absence, pk, code, name in _CODE_TEXTS.rows()}


# The queue's reads of a period, for any number of employees: compiled once per process and scope
# size (issue 13, core.fixedquery; the ids are one `in_ids` lookup, its SQL the same for any list).
# Each is `time_selectors`' time_entries / day_locks / open_rejections, read as plain values.
def _per_code(ids: list[int], start: dt.date, end: dt.date) -> QuerySet:
    return (
        TimeEntry.objects.filter(membership_id__in_ids=ids, date__gte=start, date__lte=end)
        .order_by()
        .values(*_PER_CODE)
        .annotate(total=Sum("minutes"), days=DayMinutes("date", "minutes", start))
        .values_list(*_PER_CODE, "total", "days")
    )


def _lock_days(ids: list[int], start: dt.date, end: dt.date) -> QuerySet:
    return (
        DayLock.objects.filter(membership_id__in_ids=ids, date__gte=start, date__lte=end)
        .order_by()
        .values("membership_id", "status", "confirmed_short")
        .annotate(days=DayBits("date", start))
        .values_list("membership_id", "status", "confirmed_short", "days")
    )


def _rejected_days(ids: list[int], start: dt.date, end: dt.date) -> QuerySet:
    return (
        DayRejection.objects.filter(
            membership_id__in_ids=ids,
            date__gte=start,
            date__lte=end,
            resolved_at__isnull=True,
            kind="rejected",
        )
        .order_by()
        .values_list("membership_id", "date")
        .distinct()
    )


def _period_query(build) -> FixedValues:
    return FixedValues(
        build,
        sentinels={"ids": [-7_100_000_041], "start": dt.date(1, 2, 3), "end": dt.date(1, 2, 4)},
        adapt={"start": date_value, "end": date_value},
        ids=("ids",),
        scope=FIXED_SCOPE,
    )


_PER_CODE_QUERY = _period_query(_per_code)
_BITS = [1 << i for i in range(64)]  # the bit of each day index of a period (core.db.day_bits)
_LOCK_DAYS_QUERY = _period_query(_lock_days)
_REJECTED_DAYS_QUERY = _period_query(_rejected_days)


def attestation_queue(
    *,
    actor: Actor,
    period: Period,
    today: dt.date | None = None,
    waiting_only: bool = False,
    as_of: dt.date | None = None,
) -> list[QueueRow]:
    """One row per employee the actor may attest: days reported, missing (scheduled days before today
    with nothing reported and not locked), short, open, locked and attested, minutes per time code and
    absence type, the scheduled time, flex and the time bank as of `as_of` (default: the period's end;
    attested days only), and the status. A constant number of queries whatever the number of
    employees. A caller that only counts days (Översikt) uses `attestation_queue_counts`."""
    today = today or timezone.localdate()
    # Inactive employees too: their time stays in the queue until it is attested, because payroll
    # needs their last period (issue 8 item 7); below, they show only while something is unattested.
    rows = _queue_rows(actor, today)
    if not rows:
        return []
    ids = list(rows)
    # Every entry of the period, one row per employee and code: the code's total, and the entries'
    # days and minutes as one text (core.db.DayMinutes: each entry's day index in the period and its
    # minutes packed as one integer), which each employee's minutes per day index are added up from.
    reported: dict[int, dict[int, int]] = {pk: {} for pk in ids}
    per_code = _PER_CODE_QUERY.rows(ids=ids, start=period.start, end=period.end)
    texts: dict[tuple[bool, int], tuple[str, str]] | None = None
    for pk, code_id, absence_id, total, days_text in per_code:
        days = reported[pk]
        get = days.get
        if days_text:  # core.db.day_minutes, written out: 4,400 entries a month for 200 employees
            for value in map(int, days_text.split(",")):
                index = value >> MINUTES_BITS
                days[index] = get(index, 0) + (value & MINUTES_MASK)
        row = rows[pk]
        row.total_minutes += total or 0
        if texts is None:
            texts = _code_texts()
        if absence_id is not None:
            code, code_name = texts.get((True, absence_id), ("", ""))
            row.absence_types.append(CodeTotal(code, code_name, total or 0))
        else:
            code, code_name = texts.get((False, code_id), ("", "")) if code_id is not None else ("", "")
            row.time_codes.append(CodeTotal(code, code_name, total or 0))
    # The locked and attested days, and those confirmed short, as bit masks of the period's days per
    # employee (core.db.DayBits: bit i is the period's day i, the day of index i above); the days
    # below are counted on them.
    bit = day_bits(period.days)
    closed: dict[int, int] = dict.fromkeys(ids, 0)  # every day with a lock, whatever its state
    locked: dict[int, int] = dict.fromkeys(ids, 0)
    attested: dict[int, int] = dict.fromkeys(ids, 0)
    confirmed: dict[int, int] = dict.fromkeys(ids, 0)
    locks = _LOCK_DAYS_QUERY.rows(ids=ids, start=period.start, end=period.end)
    for pk, state, is_confirmed, days_of in locks:
        closed[pk] |= days_of
        if state == LOCKED:
            locked[pk] |= days_of
        elif state == ATTESTED:
            attested[pk] |= days_of
        if is_confirmed:
            confirmed[pk] |= days_of
    rejected: dict[int, int] = defaultdict(int)
    pairs = _REJECTED_DAYS_QUERY.rows(ids=ids, start=period.start, end=period.end)
    for membership_id, day in pairs:
        if not closed[membership_id] & bit[day]:
            rejected[membership_id] += 1
    # A day is due when the employee's work schedule has time on it (weekends, röda dagar incl.
    # midsommarafton, julafton, nyårsafton, and the schedule's days off never are), and today is not
    # missing yet: the employee reports it when the day's work is done.
    histories = schedule_histories(membership_ids=ids)
    last_due = min(period.end, today - dt.timedelta(days=1))
    result = []
    balances = time_balances.balances(membership_ids=ids, as_of=as_of or period.end)
    plans: dict[tuple, _Plan] = {}
    for pk, row in rows.items():
        days = reported[pk]
        plan = _plan(histories[pk], period, last_due, plans, bit)
        row.scheduled_minutes = plan.scheduled_minutes
        row.scheduled_due_minutes = plan.due_minutes
        row.time_bank_minutes = balances[pk].bank_minutes
        row.flex_minutes = balances[pk].flex_minutes
        row.days_reported = len(days)
        with_time = sum(map(_BITS.__getitem__, days))  # the days with time, as a mask (keys: no carry)
        # A locked week also locks its empty days off; such days are not work to attest, so locked
        # and attested count the days with time and the scheduled days, in the same unit as reported.
        counted = plan.work_mask | with_time
        row.days_locked = (locked[pk] & counted).bit_count()
        row.days_attested = (attested[pk] & counted).bit_count()
        not_closed = ~closed[pk]
        row.days_open = (with_time & not_closed).bit_count()
        row.days_missing = (plan.due_mask & ~with_time & not_closed).bit_count()
        short = plan.due_mask & with_time & ~confirmed[pk]  # due days with time, not confirmed short
        scheduled = plan.by_index
        row.days_short = (
            sum(1 for i, minutes in days.items() if 0 < minutes < scheduled[i] and short >> i & 1)
            if short and min(days.values()) < plan.most  # else no day with time is short of its schedule
            else 0
        )
        row.days_rejected = rejected[pk]
        if not row.is_active:
            if not (row.days_open or row.days_locked):
                continue  # a former employee whose period is attested (or empty) leaves the queue
            row.days_missing = row.days_short = 0  # nothing more is expected from someone who has left
        row.time_codes.sort(key=lambda c: (c.code, c.name))
        row.absence_types.sort(key=lambda c: (c.code, c.name))
        row.day_minutes = days
        row.status = _status(row)
        if waiting_only and row.status != STATUS_WAITING:
            continue
        result.append(row)
    return result


@dataclass(frozen=True)
class QueueCounts:
    """What the approver's queue of one period adds up to, without its rows (Översikt's figures):
    the employees it would show, those with locked days waiting, the locked days, and those missing
    days. The same figures as counting the rows of `attestation_queue`."""

    period: Period
    employees: int = 0
    employees_waiting: int = 0
    days_waiting: int = 0
    employees_missing_days: int = 0


def _count_members_query(everyone: bool, with_own: bool, not_self: bool) -> FixedValues:
    """`_attestable`'s `(pk, is_active)` for one shape of the actor's rights (whether they attest
    everyone, have a membership, may attest their own time), the approvers whose delegation the actor
    holds today (`_delegations_of`) a subquery: one query, compiled once per process and scope size
    (issue 13, core.fixedquery)."""

    def build(own_pk: int = 0, today: dt.date | None = None, user_id: int = 0) -> QuerySet:
        qs = Membership.objects.all()
        if not everyone:  # then with_own (`_count_members`)
            held = _delegations_of(own_pk, today).values("approver_id")  # type: ignore[arg-type]
            qs = qs.filter(Q(approver_id=own_pk) | Q(approver_id__in=held))
        if not_self:
            qs = qs.exclude(user_id=user_id)  # by person, as is_own()
        return qs.order_by().values_list("pk", "is_active")

    sentinels: dict[str, Any] = {}
    if not everyone and with_own:
        sentinels["own_pk"] = -7_100_000_211
        sentinels["today"] = dt.date(1, 2, 3)
    if not_self:
        sentinels["user_id"] = -7_100_000_212
    return FixedValues(build, sentinels=sentinels, adapt={"today": date_value}, scope=FIXED_SCOPE)


_COUNT_MEMBERS: dict[tuple[bool, bool, bool], FixedValues] = {}


def _count_members(actor: Actor, today: dt.date) -> list[tuple]:
    """`(pk, is_active)` of every employee the actor may attest today, active or not (one query; none
    when the filter can match nobody, as the ORM sends none for `pk__in=[]`)."""
    own_pk = getattr(actor.membership, "pk", None)
    everyone = actor.has(Perm.TIME_ATTEST_ALL)
    if not everyone and own_pk is None:
        return []  # `_attestable`'s filter is `pk__in=[]`: nobody, and no query
    shape = (everyone, own_pk is not None, not actor.has(Perm.TIME_ATTEST_OWN))
    query = _COUNT_MEMBERS.get(shape)
    if query is None:
        query = _COUNT_MEMBERS.setdefault(shape, _count_members_query(*shape))
    values = {"own_pk": own_pk, "today": today, "user_id": actor.user.pk}
    return query.rows(**{name: values[name] for name in query.sentinels})


def _count_days(ids: list[int], start: dt.date, end: dt.date) -> QuerySet:
    # `time_selectors.time_entries`' days with time, one row per employee and day
    return (
        TimeEntry.objects.filter(membership_id__in_ids=ids, date__gte=start, date__lte=end)
        .order_by()
        .values_list("membership_id", "date")
        .distinct()
    )


def _count_locks(ids: list[int], start: dt.date, end: dt.date) -> QuerySet:
    # `time_selectors.day_locks`' states
    return (
        DayLock.objects.filter(membership_id__in_ids=ids, date__gte=start, date__lte=end)
        .order_by()
        .values_list("membership_id", "date", "status")
    )


# Översikt's counts read on every page: compiled once per process and scope size (issue 13)
_COUNT_DAYS_QUERY = _period_query(_count_days)
_COUNT_LOCKS_QUERY = _period_query(_count_locks)


def attestation_queue_counts(
    *, actor: Actor, periods: list[Period], today: dt.date | None = None
) -> list[QueueCounts]:
    """`attestation_queue`'s counts for each of `periods`, in one pass: the attestable employees,
    their reported days, day locks and schedules are read once for all the periods together, as
    plain values (no model instances, no per-code totals, no balances, no rejections). Four queries
    whatever the number of employees and periods."""
    today = today or timezone.localdate()
    if not periods or not actor.has(Perm.TIME_ATTEST):
        return [QueueCounts(period=p) for p in periods]
    members = dict(_count_members(actor, today))
    if not members:
        return [QueueCounts(period=p) for p in periods]
    ids = list(members)
    start, end = min(p.start for p in periods), max(p.end for p in periods)
    reported: dict[int, set[dt.date]] = defaultdict(set)
    for membership_id, day in _COUNT_DAYS_QUERY.rows(ids=ids, start=start, end=end):
        reported[membership_id].add(day)
    status: dict[int, dict[dt.date, str]] = defaultdict(dict)
    for membership_id, day, state in _COUNT_LOCKS_QUERY.rows(ids=ids, start=start, end=end):
        status[membership_id][day] = state
    histories = schedule_histories(membership_ids=ids)
    result = []
    for period in periods:
        counts = {"employees": 0, "employees_waiting": 0, "days_waiting": 0, "employees_missing_days": 0}
        last_due = min(period.end, today - dt.timedelta(days=1))
        # Most employees share a schedule (or have none): work out each distinct one once, with its
        # due days (scheduled time, from the employee's first day up to yesterday).
        by_schedule: dict[ScheduleHistory, tuple[dict[dt.date, int], list[dt.date]]] = {}
        for pk, is_active in members.items():
            history = histories[pk]
            if history not in by_schedule:
                scheduled = history.minutes_between(period.start, period.end)
                first_day = history.first_day or period.start
                due = [d for d, minutes in scheduled.items() if minutes and first_day <= d <= last_due]
                by_schedule[history] = scheduled, due
            scheduled, due = by_schedule[history]
            days = {d for d in reported[pk] if period.start <= d <= period.end}
            states = {d: s for d, s in status[pk].items() if period.start <= d <= period.end}
            locked = sum(1 for d, s in states.items() if s == LOCKED and (d in days or scheduled.get(d)))
            if not is_active:
                if not (locked or any(d not in states for d in days)):
                    continue  # as the queue: a former employee whose period is attested (or empty)
                missing = False
            else:
                missing = any(d not in days and d not in states for d in due)
            counts["employees"] += 1
            counts["employees_waiting"] += 1 if locked else 0
            counts["days_waiting"] += locked
            counts["employees_missing_days"] += 1 if missing else 0
        result.append(QueueCounts(period=period, **counts))
    return result


@dataclass(frozen=True)
class _Plan:
    """What an employee's work schedule says about a period: minutes per day, the days with time,
    and the due days (with time, from the employee's first day up to yesterday), these two as masks
    of the period's days (`day_bits`)."""

    by_index: list[int]  # the scheduled minutes of the period's day of each index (bit)
    most: int  # the most minutes any day of the period is scheduled for
    work_mask: int
    due_mask: int
    scheduled_minutes: int
    due_minutes: int


def _plan(
    history: ScheduleHistory,
    period: Period,
    last_due: dt.date,
    plans: dict[tuple, _Plan],
    bit: dict[dt.date, int],
) -> _Plan:
    """The period's `_Plan` for `history`, worked out once for every employee whose schedules in
    force in the period (their weekday minutes, and the day each takes over) and first due day are
    the same: most employees share a schedule, and differ only in the day they started, before the
    period. `plans` keeps those worked out for the page."""
    schedules = history.schedules
    starts = [s.valid_from or dt.date.min for s in schedules]
    # the schedule in force on the period's first day (the first one also covers the days before
    # it, see ScheduleHistory.on), then each that takes over within the period
    first = max(bisect.bisect_right(starts, period.start) - 1, 0)
    in_force = tuple(
        (period.start if i == first else starts[i], schedules[i].weekday_minutes)
        for i in range(first, len(schedules))
        if i == first or starts[i] <= period.end
    )
    # nothing is missing before the employee started (an invited user joins on acceptance)
    first_due = max(history.first_day or period.start, period.start)
    key = (in_force, first_due)
    plan = plans.get(key)
    if plan is None:
        scheduled = history.minutes_between(period.start, period.end)
        due = frozenset(d for d, minutes in scheduled.items() if minutes and first_due <= d <= last_due)
        plan = plans[key] = _Plan(
            by_index=[scheduled[d] for d in bit],  # `bit`: the period's days, in order
            most=max(scheduled.values(), default=0),
            work_mask=sum(bit[d] for d, minutes in scheduled.items() if minutes),
            due_mask=sum(bit[d] for d in due),
            scheduled_minutes=sum(scheduled.values()),
            due_minutes=sum(scheduled[d] for d in due),
        )
    return plan


# --- one employee's period -------------------------------------------------------------------------


@dataclass(frozen=True)
class EntryLine:
    """One time entry as the approver reads it."""

    entry: Any  # timereporting.TimeEntry with its project and codes loaded

    @property
    def is_absence(self) -> bool:
        return self.entry.absence_type_id is not None

    @property
    def label(self) -> str:
        if self.is_absence:
            return str(self.entry.absence_type)
        project = self.entry.project
        return f"{project.number} {project.name}".strip() if project else ""

    @property
    def code(self) -> str:
        source = self.entry.absence_type if self.is_absence else self.entry.time_code
        return source.code if source else ""

    @property
    def code_name(self) -> str:
        source = self.entry.absence_type if self.is_absence else self.entry.time_code
        return source.name if source else ""

    @property
    def hours(self) -> str:
        return hm(self.entry.minutes)


@dataclass
class DayRow:
    date: dt.date
    status: str  # "open" | "locked" | "attested"
    entries: list[EntryLine] = field(default_factory=list)
    minutes: int = 0
    lock: Any = None  # the DayLock (attested_by, attested_on_behalf_of loaded)
    rejection: Any = None  # the open DayRejection, if the day was sent back
    scheduled_minutes: int = 0  # the work schedule's time that day

    @property
    def scheduled_hours(self) -> str:
        return hm(self.scheduled_minutes)

    @property
    def is_short(self) -> bool:
        """Less time than the schedule, not confirmed at locking ("6:00 av 8:00")."""
        confirmed = bool(self.lock is not None and self.lock.confirmed_short)
        return self.minutes < self.scheduled_minutes and not confirmed

    balance: Any = None  # timereporting.balances.DayBalance: scheduled, worked, flex, bank

    @property
    def hours(self) -> str:
        return hm(self.minutes)

    @property
    def is_weekend(self) -> bool:
        return self.date.weekday() >= 5

    @property
    def holiday_name(self) -> str | None:
        """The röd dag's Swedish name ("Juldagen"), None on an ordinary day."""
        return timeutil.holiday_name(self.date)

    @property
    def is_day_off(self) -> bool:
        """No scheduled time (weekend, röd dag, the schedule's day off): nothing is expected."""
        return not self.scheduled_minutes

    @property
    def is_open(self) -> bool:
        return self.status == "open"

    @property
    def is_locked(self) -> bool:
        return self.status == LOCKED

    @property
    def is_attested(self) -> bool:
        return self.status == ATTESTED


@dataclass(frozen=True)
class PayrollCodeTotal:
    """Minutes of one PAXml code over the period, by the classification (timereporting.worktime)."""

    paxml_code: str
    minutes: int
    is_deviation: bool

    @property
    def hours(self) -> str:
        return hm(self.minutes)


@dataclass
class EmployeePeriod:
    membership: Membership
    period: Period
    days: list[DayRow]
    total_minutes: int
    balances: Any = None  # timereporting.balances.BalanceView over the period
    payroll_codes: list[PayrollCodeTotal] = field(default_factory=list)

    @property
    def scheduled_minutes(self) -> int:
        return sum(d.scheduled_minutes for d in self.days)

    @property
    def scheduled_hours(self) -> str:
        return hm(self.scheduled_minutes)

    @property
    def locked_dates(self) -> list[dt.date]:
        return [d.date for d in self.days if d.is_locked]

    @property
    def total_hours(self) -> str:
        return hm(self.total_minutes)


def employee_period(
    *, membership: Membership, period: Period, as_of: dt.date | None = None
) -> EmployeePeriod:
    """Every day of `membership`'s period with its entries, status, open rejection, scheduled time,
    flex and bank (stored when attested, a preview otherwise), the period's minutes per payroll code,
    and the balances as of `as_of` (default: the period's end). A constant number of queries."""
    ids = [membership.pk]
    history: ScheduleHistory = schedule_history(membership_id=membership.pk)
    by_day: dict[dt.date, DayRow] = {
        day: DayRow(date=day, status="open", scheduled_minutes=history.minutes_on(day)) for day in period.days
    }
    for entry in time_selectors.time_entries(membership_ids=ids, start=period.start, end=period.end):
        row = by_day[entry.date]
        row.entries.append(EntryLine(entry))
        row.minutes += entry.minutes
    locks = time_selectors.day_locks(membership_ids=ids, start=period.start, end=period.end).select_related(
        "attested_by", "attested_on_behalf_of__user"
    )
    for lock in locks:
        by_day[lock.date].status = lock.status
        by_day[lock.date].lock = lock
    for rejection in time_selectors.open_rejections(membership_ids=ids, start=period.start, end=period.end):
        row = by_day[rejection.date]
        if row.rejection is None and row.is_open:
            row.rejection = rejection
    days = [by_day[d] for d in period.days]
    view = time_balances.balance_view(
        membership_id=membership.pk, start=period.start, end=period.end, as_of=as_of
    )
    for day in days:
        day.balance = view.days[day.date]
    return EmployeePeriod(
        membership=membership,
        period=period,
        days=days,
        total_minutes=sum(d.minutes for d in days),
        balances=view,
        payroll_codes=[PayrollCodeTotal(*t) for t in code_totals(view.results.values())],
    )


# --- delegations -----------------------------------------------------------------------------------


def delegation_list(
    *, actor: Actor, include_ended: bool = False, today: dt.date | None = None
) -> QuerySet[Delegation]:
    """Delegations the actor gave or holds (all of the tenant's with TIME_ATTEST_ALL); by default only
    those not revoked and not yet ended."""
    today = today or timezone.localdate()
    qs = Delegation.objects.select_related("approver__user", "substitute__user", "created_by").order_by(
        "start_date", "pk"
    )
    if not actor.has(Perm.TIME_ATTEST_ALL):
        own_pk = getattr(actor.membership, "pk", None)
        qs = qs.filter(Q(approver_id=own_pk) | Q(substitute_id=own_pk)) if own_pk else qs.none()
    if not include_ended:
        qs = qs.filter(revoked_at__isnull=True, end_date__gte=today)
    return qs


def delegation_get(delegation_id: int) -> Delegation | None:
    return (
        Delegation.objects.select_related("approver__user", "substitute__user")
        .filter(pk=delegation_id)
        .first()
    )


def substitute_candidates(*, exclude: Membership | None = None) -> QuerySet[Membership]:
    """Active members whose licence allows attesting: who may be named a substitute."""
    qs = Membership.objects.select_related("user").filter(is_active=True, licence__in=APPROVER_LICENCES)
    if exclude is not None:
        qs = qs.exclude(pk=exclude.pk)
    return qs.order_by("user__name")


def approver_candidates() -> QuerySet[Membership]:
    return substitute_candidates()


# --- closed periods (issue 8 item 8) -----------------------------------------------------------------


class PeriodClosed(Conflict):
    code = "period_closed"


def period_close_get(key: str) -> PeriodClose | None:
    """The closing of the period named `key` while it stands (None when open or reopened)."""
    return _PERIOD_CLOSE.first(key=key)


def _period_close(key: str) -> QuerySet[PeriodClose]:
    # `.first()` as a slice: the model's ordering (newest first), one row
    return PeriodClose.objects.filter(period_key=key, reopened_at__isnull=True).select_related("closed_by")[
        :1
    ]


# read on every queue page: compiled once per process and scope size (issue 13, core.fixedquery)
_PERIOD_CLOSE = FixedQuery(_period_close, sentinels={"key": "\x00period-7100000071"}, scope=FIXED_SCOPE)


def period_is_closed(key: str) -> bool:
    """Whether the period named `key` stands closed (`period_close_get` is not None), as one query
    of at most one id, without loading the closing."""
    return bool(_PERIOD_CLOSED.rows(key=key))


def _period_closed(key: str) -> QuerySet:
    # `.exists()` as a values query: one row at most, no model loaded
    return (
        PeriodClose.objects.filter(period_key=key, reopened_at__isnull=True).order_by().values_list("pk")[:1]
    )


# `period_is_closed` is read on every Översikt: compiled once per process and scope size (issue 13)
_PERIOD_CLOSED = FixedValues(_period_closed, sentinels={"key": "\x00period-7100000202"}, scope=FIXED_SCOPE)


def period_close_history(key: str) -> QuerySet[PeriodClose]:
    """Every closing of the period named `key`, newest first (the reopened ones carry their reason)."""
    return PeriodClose.objects.filter(period_key=key).select_related("closed_by", "reopened_by")


def _closes_over(first: dt.date, last: dt.date) -> QuerySet[PeriodClose]:
    return PeriodClose.objects.filter(reopened_at__isnull=True, start__lte=last, end__gte=first).order_by(
        "start"
    )


# the closed-period guard runs on every change of time: compiled once per process and scope size
# (issue 13, core.fixedquery)
_OPEN_CLOSES = FixedQuery(
    _closes_over,
    sentinels={"first": dt.date(1, 2, 3), "last": dt.date(1, 2, 4)},
    adapt={"first": date_value, "last": date_value},
    scope=FIXED_SCOPE,
)


def period_closes_on(day: dt.date) -> QuerySet[PeriodClose]:
    """The closed periods holding `day` (settings.TIME_PERIOD_CLOSES): what `period_guard` reads,
    as a queryset a create of time sends inside its one statement of checks (issue 13)."""
    return _closes_over(day, day)


def period_closed_days(days: Iterable[dt.date]) -> tuple[PeriodClose, list[dt.date]] | None:
    """The first closed period holding one of `days`, with those days; None when all are open (one
    query)."""
    wanted = set(days)
    if not wanted:
        return None
    for close in _OPEN_CLOSES.all(first=min(wanted), last=max(wanted)):
        hit = sorted(d for d in wanted if close.start <= d <= close.end)
        if hit:
            return close, hit
    return None


def period_guard(days: Iterable[dt.date], message: str = "") -> None:
    """Refuse a change of time on a day of a closed period (settings.TIME_PERIOD_GUARD): nothing in
    it changes until a TOTAL user or a FULL partner reopens it with a reason. `message` (with
    `%(period)s`) names what else the period freezes (attestation.expenses: the claims)."""
    found = period_closed_days(days)
    if found is None:
        return
    close, hit = found
    message = message or _(
        "The period %(period)s is closed after payroll. It must be reopened, with a reason, "
        "before its time can be changed."
    )
    raise PeriodClosed(
        message % {"period": close.period_key},
        extra={"period": close.period_key, "dates": [d.isoformat() for d in hit]},
    )


def period_corrections_pending() -> QuerySet[PeriodClose]:
    """Closed periods that were reopened and whose changes no payroll correction file has carried
    yet: what the payroll export reads for its correction file (issue 8 item 8)."""
    return PeriodClose.objects.filter(
        reopened_at__isnull=False, correction_handled_at__isnull=True
    ).select_related("reopened_by")


@dataclass(frozen=True)
class UnattestedDay:
    date: dt.date
    status: str  # "open" | "locked"
    minutes: int

    @property
    def hours(self) -> str:
        return hm(self.minutes)


def unattested_days(*, membership: Membership, today: dt.date | None = None) -> list[UnattestedDay]:
    """The employee's days with reported time that is not attested, from the start of the previous
    deviation period on and outside closed periods: what payroll still waits for when they leave
    (issue 8 item 7). Four queries."""
    today = today or timezone.localdate()
    start_day = attestation_settings().period_start_day
    since = period_previous(period_for(today, start_day), start_day).start
    totals = dict(
        time_selectors.time_entries(membership_ids=[membership.pk], start=since, end=dt.date.max)
        .order_by()
        .values("date")
        .annotate(total=Sum("minutes"))
        .values_list("date", "total")
    )
    if not totals:
        return []
    statuses = time_selectors.day_status_map(membership_id=membership.pk, start=since, end=max(totals))
    closed = PeriodClose.objects.filter(reopened_at__isnull=True, end__gte=since).values_list("start", "end")
    spans = list(closed)
    return [
        UnattestedDay(day, statuses.get(day, "open"), minutes or 0)
        for day, minutes in sorted(totals.items())
        if statuses.get(day) != ATTESTED and not any(a <= day <= b for a, b in spans)
    ]
