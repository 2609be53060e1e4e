"""Reads of work schedules. Every function here costs a constant number of queries whatever the
number of employees or days (list pages and the approver queue call them for everyone at once)."""

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable

from django.db.models import QuerySet

from verksam.core.fixedquery import FixedQuery
from verksam.tenancy.models import Membership
from verksam.tenancy.scope import FIXED_SCOPE

from .dto import DEFAULT_SCHEDULE, Schedule, ScheduleHistory
from .models import ScheduleTemplate, WorkSchedule


def default_schedule() -> Schedule:
    """The company's default template as a schedule (what a new member gets), else 8 h Mon–Fri."""
    template = ScheduleTemplate.objects.filter(is_default=True, is_active=True).first()
    if template is None:
        return DEFAULT_SCHEDULE
    return Schedule(
        valid_from=None,
        weekday_minutes=template.weekday_minutes,
        percent=template.percent,
        template_name=template.name,
    )


def _schedule_rows(ids: list[int]) -> QuerySet[WorkSchedule]:
    return (
        WorkSchedule.objects.filter(membership_id__in_ids=ids)
        .select_related("template")
        .order_by("membership_id", "valid_from")
    )


# compiled once per process and scope size, for any number of employees (issue 13, core.fixedquery)
_SCHEDULE_ROWS = FixedQuery(
    _schedule_rows, sentinels={"ids": [-7_100_000_061]}, ids=("ids",), scope=FIXED_SCOPE
)


def schedule_histories(*, membership_ids: Iterable[int]) -> dict[int, ScheduleHistory]:
    """`{membership_id: ScheduleHistory}` for every id asked (an employee without a schedule row
    gets the built-in full-time week). One query."""
    ids = set(membership_ids)
    rows = _SCHEDULE_ROWS.all(ids=list(ids)) if ids else []
    by_member: dict[int, list[Schedule]] = defaultdict(list)
    for row in rows:
        by_member[row.membership_id].append(
            Schedule(
                valid_from=row.valid_from,
                weekday_minutes=row.weekday_minutes,
                percent=row.percent,
                template_name=row.template.name if row.template else "",
            )
        )
    return {mid: ScheduleHistory(tuple(by_member.get(mid, ()))) for mid in ids}


def schedule_history(*, membership_id: int) -> ScheduleHistory:
    """One employee's schedules (one query)."""
    return schedule_histories(membership_ids=[membership_id])[membership_id]


def scheduled_minutes(
    *, membership_ids: Iterable[int], start: dt.date, end: dt.date
) -> dict[int, dict[dt.date, int]]:
    """`{membership_id: {day: scheduled minutes}}` from `start` to `end` inclusive (one query)."""
    histories = schedule_histories(membership_ids=membership_ids)
    return {mid: history.minutes_between(start, end) for mid, history in histories.items()}


def work_schedules(*, membership_id: int) -> QuerySet[WorkSchedule]:
    """An employee's schedule rows, newest first (the history page)."""
    return (
        WorkSchedule.objects.filter(membership_id=membership_id)
        .select_related("template", "created_by")
        .order_by("-valid_from")
    )


def work_schedule_get(*, schedule_id: int) -> WorkSchedule | None:
    return WorkSchedule.objects.filter(pk=schedule_id).select_related("membership__user").first()


def schedule_templates(*, active_only: bool = False) -> QuerySet[ScheduleTemplate]:
    templates = ScheduleTemplate.objects.all()
    if active_only:
        templates = templates.filter(is_active=True)
    return templates.order_by("name")


def schedule_template_get(*, template_id: int) -> ScheduleTemplate | None:
    return ScheduleTemplate.objects.filter(pk=template_id).first()


def members_without_schedule() -> QuerySet[Membership]:
    """Active members with no schedule row (they run on the default)."""
    return Membership.objects.filter(is_active=True, work_schedules__isnull=True)
