"""Reads of time entries, day locks and rejections (always inside a tenant scope)."""

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, QuerySet, Sum
from django.utils.translation import gettext as _

from verksam.core.db import in_ids
from verksam.core.errors import NotFound
from verksam.core.fixedquery import FixedQuery, FixedValues, date_value
from verksam.schedules.selectors import schedule_history
from verksam.tenancy.access import Actor
from verksam.tenancy.models import Membership
from verksam.tenancy.scope import FIXED_SCOPE
from verksam.timecodes.models import AbsenceType, Activity, TimeCode

from .balances import Loaded, balances
from .models import AbsenceRange, DayLock, DayRejection, DayStatus, ReturnKind, TimeBankAdjustment, TimeEntry
from .rules import reporting_actor, target_membership


def report_target_get(*, actor: Actor, membership_id: int) -> Membership:
    """The employee whose time the actor reports on their behalf (issue 8 item 6): NotFound for a
    missing or another tenant's id, Forbidden unless the actor may (rules.target_membership)."""
    membership = Membership.objects.select_related("user").filter(pk=membership_id).first()
    if membership is None:
        raise NotFound(_("The employee does not exist."))
    return target_membership(actor, membership)


def report_choices_actor(*, actor: Actor, membership: Membership) -> Actor:
    """The employee as the project choices see them: time on their behalf goes only where they may
    report themselves."""
    return reporting_actor(actor, membership)


def time_entries(*, membership_ids: Iterable[int], start: dt.date, end: dt.date) -> QuerySet[TimeEntry]:
    """The entries of `membership_ids` from `start` to `end` inclusive, with their codes loaded."""
    return TimeEntry.objects.filter(
        in_ids("membership_id", membership_ids), date__gte=start, date__lte=end
    ).select_related("project", "activity", "time_code", "absence_type", "absence_range")


def day_locks(*, membership_ids: Iterable[int], start: dt.date, end: dt.date) -> QuerySet[DayLock]:
    return DayLock.objects.filter(in_ids("membership_id", membership_ids), date__gte=start, date__lte=end)


def day_status_map(*, membership_id: int, start: dt.date, end: dt.date) -> dict[dt.date, str]:
    """`{date: "locked" | "attested"}` for the days of one employee that are not open."""
    return dict(day_locks(membership_ids=[membership_id], start=start, end=end).values_list("date", "status"))


def open_rejections(*, membership_ids: Iterable[int], start: dt.date, end: dt.date) -> QuerySet[DayRejection]:
    """Rejections the employee has not yet answered by locking the day again."""
    return DayRejection.objects.filter(
        in_ids("membership_id", membership_ids), date__gte=start, date__lte=end, resolved_at__isnull=True
    ).select_related("rejected_by")


def time_entry_get(*, entry_id: int, membership_id: int) -> TimeEntry | None:
    """One of the employee's own entries (another user's or another tenant's id answers None)."""
    return (
        TimeEntry.objects.filter(pk=entry_id, membership_id=membership_id)
        .select_related("project", "activity", "time_code", "absence_type")
        .first()
    )


def own_time_entries(*, membership_id: int, start: dt.date, end: dt.date) -> QuerySet[TimeEntry]:
    """The employee's entries from `start` to `end` inclusive, in date and start order."""
    return time_entries(membership_ids=[membership_id], start=start, end=end).order_by(
        "date", "start_time", "pk"
    )


_OWN_ROWS: dict[tuple[tuple[str, ...], int], FixedValues] = {}


def own_time_entry_rows(
    *, membership_id: int, start: dt.date, end: dt.date, fields: tuple[str, ...], limit: int
) -> list[dict[str, Any]]:
    """The first `limit` of `own_time_entries` as plain rows of `fields` (no model instances, no
    related rows): the phone's week list. Compiled once per process, shape and scope size (issue 13,
    core.fixedquery); the callers keep the shapes few (the API's default page)."""
    key = (fields, limit)
    query = _OWN_ROWS.get(key)
    if query is None:

        def build(membership_id: int, start: dt.date, end: dt.date) -> QuerySet:
            rows = own_time_entries(membership_id=membership_id, start=start, end=end).select_related(None)
            return rows.values_list(*fields)[:limit]

        query = _OWN_ROWS.setdefault(
            key,
            FixedValues(
                build,
                sentinels={
                    "membership_id": -7_100_000_031,
                    "start": dt.date(1, 2, 3),
                    "end": dt.date(1, 2, 4),
                },
                adapt={"start": date_value, "end": date_value},
                scope=FIXED_SCOPE,
            ),
        )
    return [
        dict(zip(fields, row, strict=True))
        for row in query.rows(membership_id=membership_id, start=start, end=end)
    ]


@dataclass(frozen=True)
class DaySummary:
    """One day of one employee: reported minutes, scheduled minutes and where the day stands."""

    date: dt.date
    minutes: int
    status: str  # DayState
    rejection_comment: str = ""
    rejected_by: str = ""
    scheduled_minutes: int = 0  # the work schedule's time that day (0 on a day off or a röd dag)
    confirmed: bool = False  # locked with "inget att rapportera" confirmed
    reopen_reason: str = ""  # an attested day reopened by a TOTAL user: why (shown to the employee)
    reopened_by: str = ""

    @property
    def is_reported(self) -> bool:
        """The day's time reaches its schedule, or the employee confirmed it as it is (issue 8 item 5)."""
        return self.minutes >= self.scheduled_minutes or self.confirmed

    @property
    def is_short(self) -> bool:
        return not self.is_reported


class DayState:
    OPEN = "open"
    LOCKED = DayStatus.LOCKED.value
    ATTESTED = DayStatus.ATTESTED.value
    REJECTED = "rejected"  # open again, with the approver's comment to answer


def week_loaded(*, membership_id: int, start: dt.date, end: dt.date) -> Loaded:
    """The employee's entries (date and start order, codes loaded), day locks and schedule history of
    the days from `start` to `end`, read once for a page that shows them and their day summaries and
    balances (`day_summaries(loaded=…)`, `balances.balance_view(loaded=…)`; three queries)."""
    return Loaded(
        entries=_OWN_ENTRIES.all(membership_id=membership_id, start=start, end=end),
        locks=_OWN_LOCKS.all(membership_id=membership_id, start=start, end=end),
        histories={membership_id: schedule_history(membership_id=membership_id)},
    )


# The reads of one employee's days on the week page (and Översikt, the day, month and API pages):
# compiled once per process and scope size (issue 13, core.fixedquery), each the queryset below it.
def _fixed_days(build: Any, fixed: type[FixedQuery] | type[FixedValues] = FixedQuery) -> Any:
    return fixed(
        build,
        sentinels={"membership_id": -7_100_000_131, "start": dt.date(1, 2, 3), "end": dt.date(1, 2, 4)},
        adapt={"start": date_value, "end": date_value},
        scope=FIXED_SCOPE,
    )


def _own_entries(membership_id: int, start: dt.date, end: dt.date) -> QuerySet[TimeEntry]:
    return own_time_entries(membership_id=membership_id, start=start, end=end)


def _own_locks(membership_id: int, start: dt.date, end: dt.date) -> QuerySet[DayLock]:
    return day_locks(membership_ids=[membership_id], start=start, end=end)


def _own_rejections(membership_id: int, start: dt.date, end: dt.date) -> QuerySet[DayRejection]:
    return open_rejections(membership_ids=[membership_id], start=start, end=end)


def _own_day_totals(membership_id: int, start: dt.date, end: dt.date) -> QuerySet:
    return (
        TimeEntry.objects.filter(membership_id=membership_id, date__gte=start, date__lte=end)
        .values("date")
        .annotate(total=Sum("minutes"))
        .values_list("date", "total")
    )


def _own_lock_rows(membership_id: int, start: dt.date, end: dt.date) -> QuerySet:
    return _own_locks(membership_id, start, end).values_list("date", "status", "confirmed_short")


_OWN_ENTRIES: FixedQuery[TimeEntry] = _fixed_days(_own_entries)
_OWN_LOCKS: FixedQuery[DayLock] = _fixed_days(_own_locks)
_OWN_REJECTIONS: FixedQuery[DayRejection] = _fixed_days(_own_rejections)
_OWN_DAY_TOTALS: FixedValues = _fixed_days(_own_day_totals, FixedValues)
_OWN_LOCK_ROWS: FixedValues = _fixed_days(_own_lock_rows, FixedValues)


def day_summaries(
    *, membership_id: int, start: dt.date, end: dt.date, loaded: Loaded | None = None
) -> list[DaySummary]:
    """Every day from `start` to `end` with its total, its scheduled time and status (four queries,
    whatever the range; one with `loaded`, from `week_loaded` for the same employee and days)."""
    statuses: dict[dt.date, str] = {}
    confirmed: set[dt.date] = set()
    if loaded is not None:
        totals: dict[dt.date, int] = defaultdict(int)
        for entry in loaded.entries:
            totals[entry.date] += entry.minutes
        lock_rows = [(lock.date, lock.status, lock.confirmed_short) for lock in loaded.locks]
        history = loaded.histories[membership_id]
    else:
        totals = dict(_OWN_DAY_TOTALS.rows(membership_id=membership_id, start=start, end=end))
        lock_rows = _OWN_LOCK_ROWS.rows(membership_id=membership_id, start=start, end=end)
        history = schedule_history(membership_id=membership_id)
    for day, state, is_confirmed in lock_rows:
        statuses[day] = state
        if is_confirmed:
            confirmed.add(day)
    scheduled = history.minutes_between(start, end)
    rejections: dict[dt.date, DayRejection] = {}
    for open_rejection in _OWN_REJECTIONS.all(membership_id=membership_id, start=start, end=end):
        rejections.setdefault(open_rejection.date, open_rejection)  # newest first (model ordering)
    days = []
    day = start
    while day <= end:
        rejection = rejections.get(day)
        reopening = rejection if rejection and rejection.kind == ReturnKind.REOPENED else None
        if reopening is not None:
            rejection = None
        status = statuses.get(day) or (DayState.REJECTED if rejection else DayState.OPEN)
        days.append(
            DaySummary(
                date=day,
                minutes=totals.get(day) or 0,
                status=status,
                rejection_comment=rejection.comment if rejection and status == DayState.REJECTED else "",
                rejected_by=str(rejection.rejected_by or "") if rejection else "",
                scheduled_minutes=scheduled[day],
                confirmed=day in confirmed,
                reopen_reason=reopening.comment if reopening and status == DayState.OPEN else "",
                reopened_by=str(reopening.rejected_by or "") if reopening else "",
            )
        )
        day += dt.timedelta(days=1)
    return days


def time_bank_balance(*, membership_ids: Iterable[int], until: dt.date) -> dict[int, int]:
    """`{membership_id: minutes}` of the time bank up to and including `until`: what the attested days
    contributed when they were attested, plus manual adjustments (balances.py; two queries)."""
    result = balances(membership_ids=membership_ids, as_of=until)
    return {mid: b.bank_minutes for mid, b in result.items()}


def time_bank_adjustments(*, membership_id: int) -> QuerySet[TimeBankAdjustment]:
    return TimeBankAdjustment.objects.filter(membership_id=membership_id).select_related("created_by")


def reportable_time_codes() -> QuerySet[TimeCode]:
    """Active time codes, the default first (read directly: timecodes owns their editing)."""
    return TimeCode.objects.filter(is_active=True).order_by("-is_default", "sort_order", "name")


def reportable_activities() -> QuerySet[Activity]:
    return Activity.objects.filter(is_active=True)


# the week grid's choices, read on every week page: compiled once per process and scope size (issue 13)
_ACTIVITY_LIST: FixedQuery[Activity] = FixedQuery(reportable_activities, sentinels={}, scope=FIXED_SCOPE)
_TIME_CODE_LIST: FixedQuery[TimeCode] = FixedQuery(reportable_time_codes, sentinels={}, scope=FIXED_SCOPE)


def reportable_activity_list() -> list[Activity]:
    """The rows of `reportable_activities`, in its order, without compiling it on every call."""
    return _ACTIVITY_LIST.all()


def reportable_time_code_list() -> list[TimeCode]:
    """The rows of `reportable_time_codes`, in its order, without compiling it on every call."""
    return _TIME_CODE_LIST.all()


def reportable_absence_types() -> QuerySet[AbsenceType]:
    return AbsenceType.objects.filter(is_active=True)


def time_code_get(time_code_id: int) -> TimeCode | None:
    return TimeCode.objects.filter(pk=time_code_id).first()


def activity_get(activity_id: int) -> Activity | None:
    return Activity.objects.filter(pk=activity_id).first()


def absence_type_get(absence_type_id: int) -> AbsenceType | None:
    return AbsenceType.objects.filter(pk=absence_type_id).first()


def absence_ranges(
    *, membership_id: int, start: dt.date | None = None, end: dt.date | None = None
) -> QuerySet[AbsenceRange]:
    """The employee's absence ranges that touch `start`…`end` (all when open-ended), newest first,
    each with `day_count` and `total_minutes` of its day entries (one query)."""
    ranges = AbsenceRange.objects.filter(membership_id=membership_id)
    if start is not None:
        ranges = ranges.filter(end_date__gte=start)
    if end is not None:
        ranges = ranges.filter(start_date__lte=end)
    return (
        ranges.select_related("absence_type")
        .annotate(day_count=Count("entries"), total_minutes=Sum("entries__minutes"))
        .order_by("-start_date", "pk")
    )


def absence_range_get(*, range_id: int, membership_id: int) -> AbsenceRange | None:
    """One of the employee's own absence ranges (another user's or another tenant's id answers None)."""
    return absence_ranges(membership_id=membership_id).filter(pk=range_id).first()


def codes_by_id(
    *, time_code_ids=(), activity_ids=(), absence_type_ids=()
) -> tuple[dict[int, TimeCode], dict[int, Activity], dict[int, AbsenceType]]:
    """The tenant's time codes, activities and absence types with these ids (a batch's references)."""
    return (
        TimeCode.objects.in_bulk(list(time_code_ids)) if time_code_ids else {},
        Activity.objects.in_bulk(list(activity_ids)) if activity_ids else {},
        AbsenceType.objects.in_bulk(list(absence_type_ids)) if absence_type_ids else {},
    )
