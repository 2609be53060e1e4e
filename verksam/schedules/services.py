"""Writes of work schedules (DOMAIN.md "Working time"). A change takes effect from a date and keeps
history: setting a schedule from a date adds (or replaces) the row of that date only. Every write is
audited in the same transaction.

Closed periods: a deviation period closed after payroll (attestation.PeriodClose) was paid with the
scheduled hours, flex and whole-day absence of the schedule then in force. Setting, replacing or
removing a row changes the schedule of every day from its `valid_from` until the employee's next row,
so a change whose days reach into a closed period is refused with 409 `period_closed`, the same
refusal and words as a change of time there (docs/attestation.md): give the schedule from a day after
the closed period, or reopen the period, with a reason, first — then the correction file carries it.
The change is never moved to a later date silently: the payroll administrator decides which."""

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from verksam.audit.services import record
from verksam.core.db import conflict_on_duplicate
from verksam.core.errors import Conflict, DomainError, NotFound
from verksam.tenancy.access import Actor
from verksam.tenancy.models import Membership
from verksam.tenancy.permissions import Perm
from verksam.tenancy.scope import current_tenant_ids, has_scope, tenant_scope

from .models import MINUTES_PER_DAY, WEEKDAY_FIELDS, ScheduleTemplate, WorkSchedule

# The company's starting templates (name, minutes Monday first, part-time %, default for new users).
DEFAULT_TEMPLATES: list[tuple[str, tuple[int, ...], int, bool]] = [
    ("Heltid mån–fre 8 h", (480, 480, 480, 480, 480, 0, 0), 100, True),
    ("Deltid 75 % mån–fre 6 h", (360, 360, 360, 360, 360, 0, 0), 75, False),
    ("Deltid 50 % mån–fre 4 h", (240, 240, 240, 240, 240, 0, 0), 50, False),
]


def check_weekday_minutes(minutes: Sequence[int], percent: int) -> tuple[int, ...]:
    """Refuse a schedule that no employee can have: not seven days, a day over 24 h, no working
    time at all, or a part-time percentage outside 1–100 (issue 8 "Bad input")."""
    values = tuple(int(m) for m in minutes)
    if len(values) != 7:
        raise DomainError(_("A schedule has seven weekdays."), code="invalid_schedule")
    if any(m < 0 or m > MINUTES_PER_DAY for m in values):
        raise DomainError(
            _("A day of the schedule can hold at most 24 hours."),
            code="schedule_day_too_long",
            extra={"field": "weekday_minutes"},
        )
    if sum(values) == 0:
        raise DomainError(
            _("A schedule needs working time on at least one day."),
            code="schedule_empty",
            extra={"field": "weekday_minutes"},
        )
    if not 1 <= int(percent) <= 100:
        raise DomainError(
            _("The part-time percentage must be from 1 to 100."),
            code="schedule_percent",
            extra={"field": "percent"},
        )
    return values


def _audit_data(row: WorkSchedule | ScheduleTemplate) -> dict[str, Any]:
    return {name: getattr(row, name) for name in WEEKDAY_FIELDS} | {"percent": row.percent}


def _validated_save(row: WorkSchedule | ScheduleTemplate) -> None:
    try:
        row.full_clean()
    except ValidationError as exc:
        raise DomainError(" ".join(exc.messages), code="invalid_schedule") from exc
    row.save()


def _affected_days(membership: Membership, valid_from: dt.date) -> list[dt.date]:
    """The days whose schedule a row from `valid_from` decides: up to the day before the employee's
    next row (or on), and no later than today — a period is closed only after it has ended."""
    following = (
        WorkSchedule.objects.filter(membership=membership, valid_from__gt=valid_from)
        .order_by("valid_from")
        .values_list("valid_from", flat=True)
        .first()
    )
    end = timezone.localdate()
    if following is not None:
        end = min(end, following - dt.timedelta(days=1))
    return [valid_from + dt.timedelta(days=i) for i in range((end - valid_from).days + 1)]


def check_schedule_days_open(membership: Membership, valid_from: dt.date) -> None:
    """Refuse a schedule change from `valid_from` that would change a day of a deviation period closed
    after payroll (see the module docstring): the same port as time (settings.TIME_PERIOD_GUARD)."""
    days = _affected_days(membership, valid_from)
    if not days:
        return
    try:
        import_string(settings.TIME_PERIOD_GUARD)(days)
    except DomainError as exc:
        if exc.code != "period_closed":
            raise
        period = exc.extra.get("period", "")
        raise Conflict(
            _(
                "The period %(period)s is closed after payroll, and this schedule would change its "
                "scheduled hours. Give the schedule from a day after the period, or reopen the period, "
                "with a reason, first."
            )
            % {"period": period},
            code="period_closed",
            extra={"field": "valid_from", "period": period, "dates": exc.extra.get("dates", [])},
        ) from exc


@transaction.atomic
def work_schedule_set(
    *,
    actor: Actor,
    membership: Membership,
    valid_from: dt.date,
    weekday_minutes: Sequence[int],
    percent: int,
    template: ScheduleTemplate | None = None,
) -> WorkSchedule:
    """Give the employee this schedule from `valid_from` on (replacing only a row of that same date)."""
    actor.require(Perm.SCHEDULES_MANAGE)
    values = check_weekday_minutes(weekday_minutes, percent)
    check_schedule_days_open(membership, valid_from)
    row = WorkSchedule.objects.filter(membership=membership, valid_from=valid_from).first()
    before = _audit_data(row) if row else None
    if row is None:
        row = WorkSchedule(tenant_id=membership.tenant_id, membership=membership, valid_from=valid_from)
    row.set_weekday_minutes(values)
    row.percent = int(percent)
    row.template = template
    row.created_by = actor.user if getattr(actor.user, "pk", None) else None
    with conflict_on_duplicate(
        _("The employee already has a schedule from that date."), code="duplicate_schedule"
    ):
        _validated_save(row)
    record(
        actor=actor,
        action="schedule.set",
        target=membership,
        data={"valid_from": valid_from.isoformat(), "before": before, "after": _audit_data(row)}
        | ({"template": template.name} if template else {}),
    )
    return row


@transaction.atomic
def work_schedule_delete(*, actor: Actor, schedule: WorkSchedule) -> None:
    """Remove one dated schedule row; the employee's only row stays (they always have a schedule)."""
    actor.require(Perm.SCHEDULES_MANAGE)
    if not WorkSchedule.objects.filter(membership_id=schedule.membership_id).exclude(pk=schedule.pk).exists():
        raise DomainError(
            _("The employee's only schedule cannot be removed; give them another one instead."),
            code="last_schedule",
        )
    # the row's days fall back to the previous row: a change of them as much as setting one
    check_schedule_days_open(schedule.membership, schedule.valid_from)
    record(
        actor=actor,
        action="schedule.delete",
        target=schedule.membership,
        data={"valid_from": schedule.valid_from.isoformat()} | _audit_data(schedule),
    )
    schedule.delete()


@transaction.atomic
def schedule_template_save(
    *,
    actor: Actor,
    template: ScheduleTemplate | None = None,
    name: str,
    weekday_minutes: Sequence[int],
    percent: int,
    is_default: bool = False,
    is_active: bool = True,
) -> ScheduleTemplate:
    """Create or change a company schedule template; employees' schedules copied from it stay as they are."""
    actor.require(Perm.SCHEDULES_MANAGE)
    values = check_weekday_minutes(weekday_minutes, percent)
    created = template is None
    if template is None:
        template = ScheduleTemplate(tenant_id=actor.tenant_id)
    before = None if created else _audit_data(template) | {"name": template.name}
    if is_default:
        ScheduleTemplate.objects.filter(is_default=True).exclude(pk=template.pk).update(is_default=False)
    template.name = name.strip()
    template.set_weekday_minutes(values)
    template.percent = int(percent)
    template.is_default = is_default
    template.is_active = is_active
    with conflict_on_duplicate(
        _("Another schedule template already has that name."), code="duplicate_name", extra={"field": "name"}
    ):
        _validated_save(template)
    record(
        actor=actor,
        action="schedule_template.create" if created else "schedule_template.update",
        target=template,
        data={"before": before, "after": _audit_data(template) | {"name": template.name}},
    )
    return template


@transaction.atomic
def schedule_template_assign(
    *,
    actor: Actor,
    template: ScheduleTemplate,
    memberships: Iterable[Membership],
    valid_from: dt.date,
) -> list[WorkSchedule]:
    """Copy the template onto many employees from `valid_from` on (each keeps their history)."""
    actor.require(Perm.SCHEDULES_MANAGE)
    members = list(memberships)
    if not members:
        raise DomainError(_("Choose at least one user."), code="no_members", extra={"field": "memberships"})
    if not template.is_active:
        raise NotFound(_("The schedule template does not exist."))
    return [
        work_schedule_set(
            actor=actor,
            membership=member,
            valid_from=valid_from,
            weekday_minutes=template.weekday_minutes,
            percent=template.percent,
            template=template,
        )
        for member in members
    ]


# --- defaults: a company's templates, a new member's schedule -------------------------------------------


def _in_own_scope(tenant_id: int) -> bool:
    return has_scope() and current_tenant_ids() == (tenant_id,)


def schedules_install_defaults(*, tenant_id: int) -> None:
    """Give a new company its starting templates (settings.TENANT_INITIALIZERS); idempotent."""
    if not _in_own_scope(tenant_id):
        with tenant_scope(tenant_id):
            return schedules_install_defaults(tenant_id=tenant_id)
    if ScheduleTemplate.objects.exists():
        return None
    for name, minutes, percent, is_default in DEFAULT_TEMPLATES:
        template = ScheduleTemplate(tenant_id=tenant_id, name=name, percent=percent, is_default=is_default)
        template.set_weekday_minutes(minutes)
        _validated_save(template)
    record(actor=None, tenant_id=tenant_id, action="schedules.install_defaults", data={})
    return None


def work_schedule_install_default(
    *, membership: Membership, valid_from: dt.date, template_id: int | None = None
) -> WorkSchedule | None:
    """Give a member who joins the template chosen at invitation (or the company's default) from the
    day they join (settings.MEMBERSHIP_INITIALIZERS); a member who has a schedule keeps it."""
    if WorkSchedule.objects.filter(membership=membership).exists():
        return None
    template = None
    if template_id is not None:  # an inactive or removed template falls back to the default
        template = ScheduleTemplate.objects.filter(pk=template_id, is_active=True).first()
    if template is None:
        template = ScheduleTemplate.objects.filter(is_default=True, is_active=True).first()
    row = WorkSchedule(tenant_id=membership.tenant_id, membership=membership, valid_from=valid_from)
    if template is not None:
        row.set_weekday_minutes(template.weekday_minutes)
        row.percent = template.percent
        row.template = template
    else:
        row.set_weekday_minutes((480, 480, 480, 480, 480, 0, 0))
    _validated_save(row)
    return row
