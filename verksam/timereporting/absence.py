"""Absence over a date range (issue 8 item 4) and the VAB rules of a child: the pure parts and the
checks the services run inside their transaction. Each refusal is a DomainError with a code, a
message for the user and, where it belongs to one input, `extra.field`.

Rules (DOMAIN.md "Working time"):
- A range is expanded over the working days of the employee's schedule *on each day* (a schedule
  change inside the range is followed; a day off, a weekend or a röd dag gets no entry): minutes =
  that day's scheduled minutes × `percent` / 100, rounded half up to whole minutes.
- Two absence ranges of one employee never overlap; absence on a day never exceeds its scheduled
  time (a range on top of other absence that day is refused).
- Absence together with work beyond the day's schedule is refused unless the caller confirms it
  (`confirm_work`): the UI asks, the API takes the flag.
- Locked and attested days: a change may only touch open days. Creating, changing or deleting a
  range is refused when one of the days whose entry would be written, changed or removed is locked
  or attested; days whose entry stays exactly as it was may be locked (extending a half-attested
  semester is allowed, shortening it into the attested days is not). All or nothing.
- VAB (a type with `requires_child`): the child's personnummer; the child must be born before
  every day and be under 12 on every day, older only with `child_special_reasons`.
"""

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from verksam.core import bounds
from verksam.core.errors import DomainError
from verksam.core.identifiers import normalize_personnummer
from verksam.schedules.dto import ScheduleHistory
from verksam.schedules.selectors import schedule_history
from verksam.timecodes.models import AbsenceType

from .models import MINUTES_PER_DAY, AbsenceRange, DayLock, DayStatus, EntryKind, TimeEntry

# A range registers a leave, not a career: a year at most (a longer leave is registered per year).
MAX_RANGE_DAYS = 366
# VAB: "barn under 12 år" (Försäkringskassan); older children only in special cases.
VAB_AGE_LIMIT = 12
# A samordningsnummer carries the day of birth + 60.
COORDINATION_DAY_OFFSET = 60


def _error(message: str, code: str, field: str | None = None, **extra) -> DomainError:
    if field:
        extra["field"] = field
    return DomainError(message, code=code, extra=extra)


def _fmt(day: dt.date) -> str:
    return day.isoformat()


# --- the child (VAB) ---------------------------------------------------------------------------------


def child_birth_date(personnummer: str) -> dt.date:
    """The birth date of a normalised 12-digit personnummer or samordningsnummer (day + 60)."""
    day = int(personnummer[6:8])
    if day > COORDINATION_DAY_OFFSET:
        day -= COORDINATION_DAY_OFFSET
    return dt.date(int(personnummer[0:4]), int(personnummer[4:6]), day)


def birthday(born: dt.date, years: int) -> dt.date:
    """The day a person born on `born` turns `years`; one born on 29 February turns years on
    1 March in a common year (the day after 28 February)."""
    try:
        return born.replace(year=born.year + years)
    except ValueError:
        return dt.date(born.year + years, 3, 1)


def check_child(
    *,
    absence_type: AbsenceType,
    personnummer: str,
    special_reasons: bool,
    first_day: dt.date,
    last_day: dt.date,
) -> str:
    """The child's normalised personnummer for an absence that needs one (VAB), "" for any other
    type; refuse a missing or invalid number, a child not yet born on the first day, or a child
    who turns 12 by the last day without `special_reasons`."""
    if not absence_type.requires_child:
        return ""
    if not (personnummer or "").strip():
        raise _error(
            _("%(absence)s needs the child's personnummer.") % {"absence": absence_type.name},
            "child_required",
            "child_personnummer",
        )
    try:
        normalized = normalize_personnummer(personnummer)
        born = child_birth_date(normalized)
    except (ValidationError, ValueError) as exc:
        raise _error(
            _("The child's personnummer is not valid."), "child_invalid", "child_personnummer"
        ) from exc
    if born >= first_day:
        raise _error(
            _("The child must be born before the day of the absence (born %(born)s).") % {"born": _fmt(born)},
            "child_not_born",
            "child_personnummer",
        )
    turns_12 = birthday(born, VAB_AGE_LIMIT)
    if last_day >= turns_12 and not special_reasons:
        raise _error(
            _(
                "The child turns 12 on %(day)s. VAB for an older child needs special reasons: "
                "tick “Special reasons” if they apply."
            )
            % {"day": _fmt(turns_12)},
            "child_too_old",
            "child_special_reasons",
        )
    return normalized


# --- expanding a range -------------------------------------------------------------------------------


def share_of(minutes: int, percent: int) -> int:
    """`percent` % of `minutes`, rounded half up to whole minutes (50 % of 7:45 = 3:53)."""
    return (minutes * percent + 50) // 100


def expand(history: ScheduleHistory, start: dt.date, end: dt.date, percent: int) -> dict[dt.date, int]:
    """`{day: minutes}` of the range's absence: each working day's scheduled time × percent."""
    days = {}
    for day, scheduled in history.minutes_between(start, end).items():
        minutes = share_of(scheduled, percent)
        if minutes > 0:
            days[day] = minutes
    return days


def check_fields(absence_range: AbsenceRange, *, type_changed: bool) -> None:
    """The range's own values: dates in order and in bounds, a sane length, an extent of 1–100 %,
    an active absence type, and the VAB child. Normalises the personnummer."""
    start, end = absence_range.start_date, absence_range.end_date
    bounds.check_business_date(start, field="start_date")
    bounds.check_business_date(end, field="end_date")
    if end < start:
        raise _error(_("The last day cannot be before the first day."), "invalid_range", "end_date")
    if (end - start).days >= MAX_RANGE_DAYS:
        raise _error(
            _("A range can be at most %(days)d days; register a longer leave in parts.")
            % {"days": MAX_RANGE_DAYS},
            "range_too_long",
            "end_date",
        )
    if not 1 <= absence_range.percent <= 100:
        raise _error(_("The extent must be between 1 and 100 %."), "invalid_percent", "percent")
    absence_type = absence_range.absence_type
    if type_changed and not absence_type.is_active:
        raise _error(_("The absence type is no longer in use."), "absence_type_inactive", "absence_type")
    absence_range.child_personnummer = check_child(
        absence_type=absence_type,
        personnummer=absence_range.child_personnummer,
        special_reasons=absence_range.child_special_reasons,
        first_day=start,
        last_day=end,
    )
    if not absence_type.requires_child:
        absence_range.child_special_reasons = False
    absence_range.comment = (absence_range.comment or "").strip()


def check_no_overlap(absence_range: AbsenceRange) -> None:
    """Refuse a range that overlaps another absence range of the same employee."""
    others = AbsenceRange.objects.filter(
        membership_id=absence_range.membership_id,
        start_date__lte=absence_range.end_date,
        end_date__gte=absence_range.start_date,
    ).select_related("absence_type")
    if absence_range.pk is not None:
        others = others.exclude(pk=absence_range.pk)
    other = others.order_by("start_date").first()
    if other is not None:
        raise _error(
            _("The dates overlap your absence “%(absence)s” %(start)s–%(end)s. Change that one instead.")
            % {
                "absence": other.absence_type.name,
                "start": _fmt(other.start_date),
                "end": _fmt(other.end_date),
            },
            "absence_overlap",
            "start_date",
            range_id=other.pk,
        )


def check_days_can_change(membership_id: int, days: Iterable[dt.date]) -> None:
    """Refuse when one of the days whose entry would be written, changed or removed is locked or attested."""
    wanted = set(days)
    if not wanted:
        return
    statuses = dict(
        DayLock.objects.filter(
            membership_id=membership_id, date__gte=min(wanted), date__lte=max(wanted)
        ).values_list("date", "status")
    )
    attested = sorted(_fmt(d) for d, s in statuses.items() if d in wanted and s == DayStatus.ATTESTED)
    locked = sorted(_fmt(d) for d, s in statuses.items() if d in wanted and s == DayStatus.LOCKED)
    if attested:
        raise _error(
            _("The range includes attested days (%(dates)s); attested time cannot be changed.")
            % {"dates": ", ".join(attested)},
            "day_attested",
            "start_date",
            dates=attested,
        )
    if locked:
        raise _error(
            _("The range includes locked days (%(dates)s). Unlock them first.")
            % {"dates": ", ".join(locked)},
            "day_locked",
            "start_date",
            dates=locked,
        )


def check_day_totals(
    absence_range: AbsenceRange,
    history: ScheduleHistory,
    days: dict[dt.date, int],
    *,
    confirm_work: bool,
) -> None:
    """Absence on a day stays within its schedule; work beyond the schedule on a day of absence
    needs `confirm_work`; no day passes 24 hours. One query for the whole range."""
    if not days:
        return
    others = TimeEntry.objects.filter(
        membership_id=absence_range.membership_id, date__gte=min(days), date__lte=max(days)
    )
    if absence_range.pk is not None:
        others = others.exclude(absence_range_id=absence_range.pk)
    absence: dict[dt.date, int] = defaultdict(int)
    work: dict[dt.date, int] = defaultdict(int)
    for day, kind, minutes in others.values_list("date", "kind", "minutes"):
        if day in days:
            (absence if kind == EntryKind.ABSENCE else work)[day] += minutes
    too_much_absence = sorted(
        _fmt(d) for d, m in days.items() if absence[d] and absence[d] + m > history.minutes_on(d)
    )
    if too_much_absence:
        raise _error(
            _("There is already absence on %(dates)s; together it would be more than the schedule.")
            % {"dates": ", ".join(too_much_absence)},
            "absence_overlap",
            "start_date",
            dates=too_much_absence,
        )
    over_24h = sorted(_fmt(d) for d, m in days.items() if absence[d] + work[d] + m > MINUTES_PER_DAY)
    if over_24h:
        raise _error(
            _("A day cannot have more than 24 hours reported (%(dates)s).") % {"dates": ", ".join(over_24h)},
            "day_over_24h",
            "start_date",
            dates=over_24h,
        )
    with_work = sorted(
        _fmt(d) for d, m in days.items() if work[d] and absence[d] + work[d] + m > history.minutes_on(d)
    )
    if with_work and not confirm_work:
        raise _error(
            _(
                "You have reported work on %(dates)s; with the absence the day is longer than your "
                "schedule. Confirm to register the absence anyway."
            )
            % {"dates": ", ".join(with_work)},
            "work_on_absence_day",
            "confirm_work",
            dates=with_work,
        )


def describe(days: dict[dt.date, int]) -> dict[str, object]:
    """What the audit log keeps of an expansion: the number of working days and the total minutes."""
    return {"days": len(days), "minutes": sum(days.values())}


def check_entry_day(
    entry: TimeEntry, *, confirm_work: bool, others: Iterable[tuple[str, int]] | None = None
) -> None:
    """One entry of a day (issue 8 item 4, the single-day side of a range's rules): absence on a
    day stays within its schedule when there is other absence that day, and absence together with
    work beyond the day's schedule needs `confirm_work`. The schedule is read only when the day
    mixes kinds or has more than one absence (one query otherwise). `others`: the day's other
    entries as (kind, minutes) when a batch has read them already (rules.BatchContext, issue 13)."""
    if others is None:
        rows = TimeEntry.objects.filter(membership_id=entry.membership_id, date=entry.date)
        if entry.pk is not None:
            rows = rows.exclude(pk=entry.pk)
        others = rows.values_list("kind", "minutes")
    absence = work = 0
    for kind, minutes in others:
        if kind == EntryKind.ABSENCE:
            absence += minutes
        else:
            work += minutes
    other_absence = absence
    if entry.kind == EntryKind.ABSENCE:
        absence += entry.minutes
    else:
        work += entry.minutes
    if not absence or not (work or other_absence):
        return
    scheduled = schedule_history(membership_id=entry.membership_id).minutes_on(entry.date)
    if entry.kind == EntryKind.ABSENCE and other_absence and scheduled and absence > scheduled:
        raise _error(
            _("There is already absence on %(dates)s; together it would be more than the schedule.")
            % {"dates": _fmt(entry.date)},
            "absence_overlap",
            "minutes",
            dates=[_fmt(entry.date)],
        )
    if work and absence + work > scheduled and not confirm_work:
        raise _error(
            _(
                "You have reported work on %(dates)s; with the absence the day is longer than your "
                "schedule. Confirm to register the absence anyway."
            )
            % {"dates": _fmt(entry.date)}
            if entry.kind == EntryKind.ABSENCE
            else _(
                "You have reported absence on %(dates)s; with this work the day is longer than your "
                "schedule. Confirm to report the work anyway."
            )
            % {"dates": _fmt(entry.date)},
            "work_on_absence_day",
            "confirm_work",
            dates=[_fmt(entry.date)],
        )
