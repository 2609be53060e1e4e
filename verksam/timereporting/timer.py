"""The running timer ("Starta/Stoppa") of an employee who clocks the day, and the defaults of the
day form (issue 12 item 1).

The timer lives on the server (`RunningTimer`, one per membership), so closing the phone does not
lose it. Stopping turns it into time through the ordinary entry services, so every rule of a typed
entry applies (open day, closed period, project the person may report on, overlapping absence…):
the stretch extends the day's entry that ends exactly when the timer started (same project and time
code), else it becomes a new entry with start and end times.

Which optional fields the day form shows (the rule, written down here and in docs/time-entry-form.md):
invoiceable hours and the internal comment are shown to a person whose licence is above LIGHT
(they follow projects up), and to a LIGHT worker who has used either field in the last 180 days;
everyone else gets the short form, with a "Fler fält" link that shows them on request."""

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from verksam.audit.services import record
from verksam.core.errors import DomainError
from verksam.projects.models import Project
from verksam.projects.selectors import project_reportable_for
from verksam.schedules.selectors import schedule_history
from verksam.tenancy.access import Actor
from verksam.tenancy.models import Licence
from verksam.tenancy.permissions import Perm
from verksam.timecodes.models import TimeCode

from . import services
from .models import EntryKind, RunningTimer, TimeEntry

USAGE_DAYS = 180


def _membership(actor: Actor):
    actor.require(Perm.TIME_REPORT_OWN)
    if actor.membership is None:
        raise DomainError(_("Only an employee of the company can clock time."), code="not_a_member")
    return actor.membership


def timer_get(*, membership_id: int) -> RunningTimer | None:
    """The running timer of a membership, with its project and time code (one query)."""
    return (
        RunningTimer.objects.filter(membership_id=membership_id)
        .select_related("project", "time_code")
        .first()
    )


@transaction.atomic
def timer_start(
    *,
    actor: Actor,
    project: Project | None = None,
    time_code: TimeCode | None = None,
    now: dt.datetime | None = None,
) -> RunningTimer:
    """Start the clock now; refused while a timer already runs (stop it first)."""
    membership = _membership(actor)
    if RunningTimer.objects.select_for_update().filter(membership=membership).exists():
        raise DomainError(_("The timer is already running. Stop it first."), code="timer_running")
    if project is not None and not project_reportable_for(actor=actor).filter(pk=project.pk).exists():
        raise DomainError(_("You cannot report time on this project."), code="project_not_reportable")
    timer = RunningTimer(
        tenant_id=actor.tenant_id,
        membership=membership,
        started_at=(now or timezone.now()).replace(second=0, microsecond=0),
        project=project,
        time_code=time_code,
    )
    timer.full_clean()
    timer.save()
    record(
        actor=actor,
        action="time.timer_start",
        target=timer,
        data={"started_at": timer.started_at.isoformat()},
    )
    return timer


@transaction.atomic
def timer_stop(*, actor: Actor, now: dt.datetime | None = None) -> TimeEntry:
    """Stop the clock: the stretch since the start becomes time of the start's day (up to 23:59 when
    the timer ran past midnight), through the entry services and all their rules."""
    membership = _membership(actor)
    timer = RunningTimer.objects.select_for_update().filter(membership=membership).first()
    if timer is None:
        raise DomainError(_("No timer is running."), code="timer_not_running")
    started = timezone.localtime(timer.started_at)
    ended = timezone.localtime((now or timezone.now()).replace(second=0, microsecond=0))
    day = started.date()
    end_time = ended.time() if ended.date() == day else dt.time(23, 59)
    start_time = started.time()
    if end_time <= start_time:
        raise DomainError(_("The timer has run for less than a minute."), code="timer_too_short")
    defaults = form_defaults(actor=actor, date=day)
    project = timer.project or defaults.project
    time_code = timer.time_code or defaults.time_code
    if project is None:
        raise DomainError(_("Choose a project for the time."), code="project_required")
    adjacent = (
        TimeEntry.objects.filter(
            membership=membership,
            date=day,
            kind=EntryKind.WORK,
            project=project,
            time_code=time_code,
            end_time=start_time,
        )
        .order_by("-pk")
        .first()
    )
    if adjacent is not None:
        entry = services.time_entry_update(actor=actor, entry=adjacent, end_time=end_time)
    else:
        entry = services.time_entry_create(
            actor=actor,
            date=day,
            kind=EntryKind.WORK,
            project=project,
            time_code=time_code,
            start_time=start_time,
            end_time=end_time,
        )
    record(
        actor=actor, action="time.timer_stop", target=entry, data={"started_at": timer.started_at.isoformat()}
    )
    timer.delete()
    return entry


@dataclass(frozen=True)
class FormDefaults:
    """What the day form is pre-filled with, and which optional fields it shows."""

    project: Project | None
    time_code: TimeCode | None
    scheduled_minutes: int
    reported_minutes: int
    show_invoicing: bool

    @property
    def remaining_minutes(self) -> int:
        """The schedule's time not yet reported that day (what "Timmar" is pre-filled with)."""
        return max(self.scheduled_minutes - self.reported_minutes, 0)


def form_defaults(*, actor: Actor, date: dt.date) -> FormDefaults:
    """The last used project (else the only one the person may report on), the default time code,
    the schedule's time that day and whether to show invoicing fields (five queries)."""
    membership = actor.membership
    assert membership is not None
    reportable = project_reportable_for(actor=actor)
    last = (
        TimeEntry.objects.filter(membership=membership, kind=EntryKind.WORK, project__in=reportable)
        .order_by("-date", "-pk")
        .values_list("project_id", flat=True)
        .first()
    )
    project = None
    if last is not None:
        project = Project.objects.filter(pk=last).first()
    else:
        only = list(reportable.order_by("number")[:2])
        project = only[0] if len(only) == 1 else None
    time_code = TimeCode.objects.filter(is_active=True).order_by("-is_default", "sort_order", "name").first()
    scheduled = schedule_history(membership_id=membership.pk).minutes_between(date, date)[date]
    reported = sum(
        TimeEntry.objects.filter(membership=membership, date=date).values_list("minutes", flat=True)
    )
    return FormDefaults(
        project=project,
        time_code=time_code,
        scheduled_minutes=scheduled,
        reported_minutes=reported,
        show_invoicing=uses_invoicing(actor=actor),
    )


def uses_invoicing(*, actor: Actor) -> bool:
    """The rule of the module docstring: a licence above LIGHT, or use of the fields lately."""
    if actor.licence != Licence.LIGHT:
        return True
    since = timezone.localdate() - dt.timedelta(days=USAGE_DAYS)
    return (
        TimeEntry.objects.filter(membership=actor.membership, date__gte=since)
        .filter(~Q(internal_comment="") | Q(invoiceable_minutes__gt=0, invoiceable_minutes__lt=F("minutes")))
        .exists()
    )


def timer_state(timer: RunningTimer | None, now: dt.datetime | None = None) -> dict[str, Any]:
    """The timer as the page and the API show it."""
    if timer is None:
        return {"running": False, "started_at": None, "minutes": 0, "project_id": None, "time_code_id": None}
    elapsed = (now or timezone.now()) - timer.started_at
    return {
        "running": True,
        "started_at": timer.started_at,
        "minutes": max(int(elapsed.total_seconds() // 60), 0),
        "project_id": timer.project_id,
        "time_code_id": timer.time_code_id,
    }
