"""Tidrapportering for the logged-in employee: the week (start page, with a quick grid on the
desktop and a per-day list on a phone), the day (entries and the one-hand form) and the month
(calendar with totals and status). Every write goes through verksam.timereporting.services."""

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from verksam.core import bounds, timeutil
from verksam.core.duration import format_minutes, hm, parse_hours
from verksam.core.errors import DomainError
from verksam.projects.selectors import project_reportable_for
from verksam.tenancy.access import Actor
from verksam.tenancy.permissions import Perm
from verksam.timereporting import selectors, services, timer
from verksam.timereporting.balances import balance_view, time_bank_warning
from verksam.timereporting.models import EntryKind, TimeEntry
from verksam.timereporting.selectors import DayState, DaySummary
from verksam.web.decorators import TenantRequest, tenant_view
from verksam.web.errors import add_error

from .forms import AbsenceEntryForm, AbsenceRangeForm, WorkEntryForm, absence_range_initial, entry_initial

# ASCII digits only: "\d" would also match "٣" and other Unicode digits.
WEEK_RE = re.compile(r"^(\d{4})-W(\d{1,2})$", re.ASCII)
MONTH_RE = re.compile(r"^(\d{4})-(\d{1,2})$", re.ASCII)
CLOSED = {DayState.LOCKED, DayState.ATTESTED}


# --- helpers --------------------------------------------------------------------------------------


def _monday_of(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def _week_monday(value: str | None) -> dt.date:
    """The Monday of `2026-W48`; the current week when missing or not a week at all; 404 for a week
    that does not exist (week 54) or lies outside the calendar (core.bounds: the pages do arithmetic
    around it)."""
    match = WEEK_RE.match((value or "").strip())
    if not match:
        return _monday_of(timeutil.today())
    try:
        monday = dt.date.fromisocalendar(int(match.group(1)), int(match.group(2)), 1)
    except ValueError:
        monday = None
    if monday is None or not bounds.in_calendar(monday):
        raise Http404
    return monday


def week_key(monday: dt.date) -> str:
    year, week, _weekday = monday.isocalendar()
    return f"{year}-W{week:02d}"


def _parse_day(value: str) -> dt.date:
    """A day of a URL or a form (`2026-11-20`); 404 when it is no date of the calendar (core.bounds)."""
    try:
        day = dt.date.fromisoformat(value) if value.isascii() else None
    except ValueError:
        day = None
    if day is None or not bounds.in_calendar(day):
        raise Http404
    return day


def _int(value: str | None) -> int:
    """An id from the query; 0 (none) for anything but ASCII digits or a number beyond a 64-bit id."""
    return bounds.parse_id(value) or 0


def _member_id(actor: Actor) -> int:
    assert actor.membership is not None  # TIME_REPORT_OWN is held by members only
    return actor.membership.pk


def _safe_next(request: TenantRequest, fallback: str) -> str:
    target = request.POST.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return fallback


def _status_label(status: str) -> str:
    return {
        DayState.OPEN: _("Open"),
        DayState.LOCKED: _("Locked"),
        DayState.ATTESTED: _("Attested"),
        DayState.REJECTED: _("Rejected"),
    }[status]


@dataclass
class DayView:
    """A day as the pages show it."""

    summary: DaySummary
    status_label: str
    total: str
    in_range: bool = True

    @property
    def date(self) -> dt.date:
        return self.summary.date

    @property
    def status(self) -> str:
        return self.summary.status

    @property
    def is_closed(self) -> bool:
        return self.summary.status in CLOSED

    @property
    def holiday(self) -> str | None:
        """The röd dag's Swedish name ("Juldagen"); computed from the calendar, no query."""
        return timeutil.holiday_name(self.date)

    @property
    def is_day_off(self) -> bool:
        """A day without scheduled time (weekend, röd dag, the schedule's day off): shown muted,
        nothing is expected to be reported."""
        return not self.summary.scheduled_minutes

    @property
    def reported_text(self) -> str:
        return hm(self.summary.minutes)

    @property
    def scheduled_text(self) -> str:
        return hm(self.summary.scheduled_minutes)

    @property
    def is_short(self) -> bool:
        """Less time than the schedule and not confirmed ("6:00 av 8:00")."""
        return self.summary.is_short


def _day_views(summaries: list[DaySummary], month: int | None = None) -> list[DayView]:
    return [
        DayView(
            summary=s,
            status_label=_status_label(s.status),
            total=format_minutes(s.minutes),
            in_range=month is None or s.date.month == month,
        )
        for s in summaries
    ]


# --- the quick week grid ------------------------------------------------------------------------


@dataclass
class GridCell:
    date: dt.date
    name: str
    minutes: int = 0
    editable: bool = True
    entries: list[TimeEntry] = field(default_factory=list)
    error: str = ""
    is_day_off: bool = False  # no scheduled time that day (weekend, röd dag, the schedule's day off)

    @property
    def text(self) -> str:
        return format_minutes(self.minutes)


@dataclass
class GridRow:
    key: str
    label: str
    detail: str
    cells: list[GridCell]
    is_absence: bool = False

    @property
    def total(self) -> str:
        return format_minutes(sum(c.minutes for c in self.cells))


def _row_key(project_id: int | None, activity_id: int | None, time_code_id: int | None) -> str:
    return f"{project_id or 0}-{activity_id or 0}-{time_code_id or 0}"


def _parse_row_key(key: str) -> tuple[int, int | None, int]:
    try:
        project_id, activity_id, time_code_id = (int(part) for part in key.split("-"))
    except ValueError as exc:
        raise Http404 from exc
    return project_id, activity_id or None, time_code_id


@dataclass
class Choices:
    """What the add-row form offers, loaded once per page (three queries)."""

    projects: dict[int, Any]
    activities: dict[int, Any]
    time_codes: dict[int, Any]


def _choices(actor: Actor) -> Choices:
    return Choices(
        projects={p.pk: p for p in project_reportable_for(actor=actor)},
        activities={a.pk: a for a in selectors.reportable_activities()},
        time_codes={t.pk: t for t in selectors.reportable_time_codes()},
    )


def _grid(
    entries: list[TimeEntry], days: list[DayView], extra_keys: list[str], choices: Choices
) -> list[GridRow]:
    closed = {d.date for d in days if d.is_closed}
    rows: dict[str, GridRow] = {}

    def row_for(key: str, label: str, detail: str, is_absence: bool = False) -> GridRow:
        if key not in rows:
            cells = [
                GridCell(
                    date=d.date,
                    name=f"c_{key}_{d.date.isoformat()}",
                    editable=not is_absence,
                    is_day_off=d.is_day_off,
                )
                for d in days
            ]
            rows[key] = GridRow(key=key, label=label, detail=detail, cells=cells, is_absence=is_absence)
        return rows[key]

    for entry in entries:
        if entry.kind == EntryKind.ABSENCE:
            row = row_for(f"a{entry.absence_type_id}", str(entry.absence_type), _("Absence"), True)
        else:
            detail = " · ".join(str(x) for x in (entry.activity, entry.time_code) if x is not None)
            key = _row_key(entry.project_id, entry.activity_id, entry.time_code_id)
            row = row_for(key, str(entry.project), detail)
        cell = row.cells[(entry.date - days[0].date).days]
        cell.minutes += entry.minutes
        cell.entries.append(entry)
    for key in extra_keys:
        if key in rows:
            continue
        try:
            project_id, activity_id, time_code_id = _parse_row_key(key)
        except Http404:
            continue
        project = choices.projects.get(project_id)
        time_code = choices.time_codes.get(time_code_id)
        if project is None or time_code is None:
            continue
        activity = choices.activities.get(activity_id) if activity_id else None
        detail = " · ".join(str(x) for x in (activity, time_code) if x is not None)
        row_for(key, str(project), detail)
    for row in rows.values():
        for cell in row.cells:
            # A cell is typed into only while it holds at most one entry without start/end times;
            # anything richer is changed in the day view.
            cell.editable = (
                not row.is_absence
                and cell.date not in closed
                and (
                    len(cell.entries) == 0 or (len(cell.entries) == 1 and cell.entries[0].start_time is None)
                )
            )
    return list(rows.values())


def _week_context(actor: Actor, monday: dt.date, extra_keys: list[str]) -> dict[str, Any]:
    member_id = _member_id(actor)
    sunday = monday + dt.timedelta(days=6)
    days = _day_views(selectors.day_summaries(membership_id=member_id, start=monday, end=sunday))
    entries = list(selectors.own_time_entries(membership_id=member_id, start=monday, end=sunday))
    choices = _choices(actor)
    rows = _grid(entries, days, extra_keys, choices)
    # Balances as of the week's Sunday count attested days only (their stored contributions); the
    # week's unattested days are shown beside them as a preview (DOMAIN.md "Working time").
    view = balance_view(membership_id=member_id, start=monday, end=sunday)
    balance = view.balances.bank_minutes
    return {
        "monday": monday,
        "sunday": sunday,
        "week": week_key(monday),
        "week_number": monday.isocalendar()[1],
        "prev_week": week_key(monday - dt.timedelta(days=7)),
        "next_week": week_key(monday + dt.timedelta(days=7)),
        "this_week": week_key(_monday_of(timeutil.today())),
        "days": days,
        "rows": rows,
        "extra_keys": [r.key for r in rows if not r.is_absence and not any(c.entries for c in r.cells)],
        "week_total": format_minutes(sum(d.summary.minutes for d in days)),
        "week_reported": hm(sum(d.summary.minutes for d in days)),
        "week_scheduled": hm(sum(d.summary.scheduled_minutes for d in days)),
        "week_short": any(d.is_short for d in days if d.date <= timeutil.today()),
        "today": timeutil.today(),
        "rejected_days": [d for d in days if d.status == DayState.REJECTED],
        "any_open": any(not d.is_closed for d in days),
        "any_locked": any(d.status == DayState.LOCKED for d in days),
        **_week_actions(days, monday),
        "balance": balance,
        "balance_text": hm(balance),
        "flex": view.balances.flex_minutes,
        "flex_text": hm(view.balances.flex_minutes),
        "bank_preview": view.unattested_bank_minutes,
        "flex_preview": view.unattested_flex_minutes,
        "bank_preview_text": hm(view.unattested_bank_minutes, signed=True),
        "flex_preview_text": hm(view.unattested_flex_minutes, signed=True),
        "day_balances": [view.days[d.date] for d in days],
        "choices": choices,
    }


def _week_actions(days: list[DayView], monday: dt.date) -> dict[str, Any]:
    """Which of the week's actions the page offers: never lock and unlock together, no copying into a
    week with locked or attested days (issue 12 item 4).

    Lock while a day up to today is still open (locking sends the rest); else unlock while a day is
    locked and not attested; copy only into a week where every day is open."""
    today = timeutil.today()
    may_lock = monday <= today and any(not d.is_closed and d.date <= today for d in days)
    may_unlock = not may_lock and any(d.status == DayState.LOCKED for d in days)
    closed = [d for d in days if d.is_closed]
    text = ""
    if closed and all(d.status == DayState.ATTESTED for d in closed) and len(closed) == len(days):
        text = _("The week is attested.")
    elif closed and not may_lock:
        text = _("The week is locked and waits for attestation.")
    return {
        "may_lock_week": may_lock,
        "may_unlock_week": may_unlock,
        "may_copy_week": not closed,
        "week_closed_text": text,
    }


def _save_cell(actor: Actor, cell: GridCell, key: str, text: str, choices: Choices) -> str:
    """Apply one typed cell; return an error message or ""."""
    try:
        minutes = parse_hours(text) or 0
    except ValueError:
        return _("Write the time as 7,5 or 7:30.")
    if minutes == cell.minutes:
        return ""
    if not cell.editable:
        return _("Change this in the day view.")
    try:
        if cell.entries and not minutes:
            services.time_entry_delete(actor=actor, entry=cell.entries[0])
        elif cell.entries:
            services.time_entry_update(actor=actor, entry=cell.entries[0], minutes=minutes)
        else:
            project_id, activity_id, time_code_id = _parse_row_key(key)
            project = choices.projects.get(project_id)
            time_code = choices.time_codes.get(time_code_id)
            activity = choices.activities.get(activity_id) if activity_id else None
            if project is None or time_code is None or (activity_id and activity is None):
                raise Http404  # a forged or foreign id
            services.time_entry_create(
                actor=actor,
                date=cell.date,
                kind=EntryKind.WORK,
                project=project,
                activity=activity,
                time_code=time_code,
                minutes=minutes,
            )
    except DomainError as exc:
        if exc.code == "work_on_absence_day":
            return _("The day has absence: report more work in the day view, where you can confirm it.")
        return exc.message
    except ValidationError as exc:
        return " ".join(exc.messages)
    return ""


# --- pages --------------------------------------------------------------------------------------


@tenant_view(Perm.TIME_REPORT_OWN)
def time_week(request: TenantRequest, slug: str) -> HttpResponse:
    """The start page: the week with its grid, each day's status and the time bank."""
    monday = _week_monday(request.GET.get("week"))
    extra = [k for k in request.GET.getlist("row") if k]
    if request.GET.get("add_project"):
        # "Lägg till rad": a row for a project/activity/time code without time yet this week.
        extra.append(
            _row_key(
                *(_int(request.GET.get(name)) for name in ("add_project", "add_activity", "add_time_code"))
            )
        )
    context = _week_context(request.actor, monday, extra)
    return render(request, "web/timereporting/week.html", context)


@tenant_view(Perm.TIME_REPORT_OWN)
def time_grid_save(request: TenantRequest, slug: str) -> HttpResponse:
    """Save typed hours of the week grid: one cell per htmx request, or the whole form without JS."""
    monday = _week_monday(request.POST.get("week"))
    week_url = reverse("web:time_week", args=[slug]) + f"?week={week_key(monday)}"
    if request.method != "POST":
        return redirect(week_url)
    extra = [k for k in request.POST.getlist("row") if k]
    context = _week_context(request.actor, monday, [])
    choices: Choices = context["choices"]
    closed = {d.date for d in context["days"] if d.is_closed}
    cells = {cell.name: (row.key, cell) for row in context["rows"] for cell in row.cells}
    htmx = request.htmx  # type: ignore[attr-defined]
    trigger = htmx.trigger_name if htmx else None
    names = [trigger] if trigger else [n for n in request.POST if n.startswith("c_")]
    errors: dict[str, str] = {}
    for name in names:
        parts = name.split("_")
        if len(parts) != 3 or parts[0] != "c":
            continue
        key, day = parts[1], _parse_day(parts[2])
        if not monday <= day <= context["sunday"]:
            continue
        if key not in extra and not key.startswith("a"):
            extra.append(key)  # keep the row on the page even when its cell was emptied or refused
        if name in cells:
            row_key, cell = cells[name]
        else:  # a row added on the page, without entries yet
            _parse_row_key(key)
            row_key, cell = key, GridCell(date=day, name=name, editable=day not in closed)
        message = _save_cell(request.actor, cell, row_key, request.POST.get(name, ""), choices)
        if message:
            errors[name] = message
    if not htmx:
        for message in dict.fromkeys(errors.values()):
            messages.error(request, message)
        if not errors:
            messages.success(request, _("The week has been saved."))
        return redirect(week_url)
    context = _week_context(request.actor, monday, extra)
    for row in context["rows"]:
        for cell in row.cells:
            if cell.name in errors:
                cell.error = errors[cell.name]
    # 200 even with errors: htmx swaps no 4xx answer, and the errors are shown in their cells.
    return render(request, "web/timereporting/week.html#grid", context)


def _entry_forms(
    request: TenantRequest,
    bound_kind: str | None = None,
    work_initial: dict | None = None,
    **form_kwargs: Any,
):
    actor = request.actor
    work = WorkEntryForm(
        request.POST if bound_kind == "work" else None,
        actor=actor,
        prefix="work",
        initial=work_initial,
        **form_kwargs,
    )
    absence = AbsenceEntryForm(
        request.POST if bound_kind == "absence" else None, actor=actor, prefix="absence", **form_kwargs
    )
    return work, absence


def _work_initial(defaults: timer.FormDefaults) -> dict[str, Any]:
    """The day form pre-filled for a LIGHT worker: the last used project, the default time code and
    what is left of the day's schedule as hours (issue 12 item 1)."""
    return {
        "project": defaults.project.pk if defaults.project else None,
        "time_code": defaults.time_code.pk if defaults.time_code else None,
        "minutes": defaults.remaining_minutes or None,
    }


def _warn_negative_bank(request: TenantRequest, entry: TimeEntry) -> None:
    """Komp-ledig that took the time bank below zero (the company allows it, else it was refused):
    say so, with the balance (issue 8 item 2)."""
    warning = time_bank_warning(entry)
    if warning is not None:
        messages.warning(request, warning["message"])


@tenant_view(Perm.TIME_REPORT_OWN)
def time_day(request: TenantRequest, slug: str, day: str) -> HttpResponse:
    """One day: its entries, and forms to add time or absence (a one-hand form on a phone)."""
    date = _parse_day(day)
    member_id = _member_id(request.actor)
    kind = request.POST.get("kind") if request.method == "POST" else None
    if kind not in (None, "work", "absence"):
        kind = "work"
    defaults = timer.form_defaults(actor=request.actor, date=date)
    work_form, absence_form = _entry_forms(request, kind, work_initial=_work_initial(defaults))
    form = work_form if kind == "work" else absence_form
    if kind and form.is_valid():
        try:
            entry = services.time_entry_create(
                actor=request.actor, date=date, kind=kind, **form.service_data()
            )
        except (DomainError, ValidationError) as exc:
            add_error(form, exc)
        else:
            messages.success(request, _("The time has been saved."))
            _warn_negative_bank(request, entry)
            return redirect("web:time_day", slug, date.isoformat())
    summary = selectors.day_summaries(membership_id=member_id, start=date, end=date)
    entries = list(selectors.own_time_entries(membership_id=member_id, start=date, end=date))
    bound = work_form if kind == "work" else absence_form if kind else None
    running = timer.timer_get(membership_id=member_id) if date == timeutil.today() else None
    context = {
        "date": date,
        "day": _day_views(summary)[0],
        "entries": entries,
        "work_form": work_form,
        "absence_form": absence_form,
        "active_kind": kind or "work",
        "error_form": bound if bound is not None and bound.errors else None,
        "hide_invoicing": not (
            defaults.show_invoicing
            or request.GET.get("more") == "1"
            or request.POST.get("work-internal_comment")
            or request.POST.get("work-invoiceable_minutes")
        ),
        "child_type_ids": ",".join(
            str(t.pk) for t in absence_form.fields["absence_type"].queryset if t.requires_child
        ),
        "is_today": date == timeutil.today(),
        "timer": running,
        "timer_projects": list(work_form.fields["project"].queryset)
        if date == timeutil.today() and running is None
        else [],
        "defaults": defaults,
        "prev_day": date - dt.timedelta(days=1),
        "next_day": date + dt.timedelta(days=1),
        "week": week_key(_monday_of(date)),
    }
    return render(request, "web/timereporting/day.html", context, status=422 if kind else 200)


@tenant_view(Perm.TIME_REPORT_OWN)
def time_entry_edit(request: TenantRequest, slug: str, entry_id: int) -> HttpResponse:
    """Change one own entry (while its day is open)."""
    entry = selectors.time_entry_get(entry_id=entry_id, membership_id=_member_id(request.actor))
    if entry is None:
        raise Http404
    if entry.absence_range_id is not None:
        return redirect("web:time_absence_edit", slug, entry.absence_range_id)  # changed as one
    form_class = WorkEntryForm if entry.kind == EntryKind.WORK else AbsenceEntryForm
    form = form_class(request.POST or None, actor=request.actor, initial=entry_initial(entry))
    if request.method == "POST" and form.is_valid():
        data = form.service_data()
        if data.get("minutes") is None:
            data.pop("minutes", None)
        if entry.kind == EntryKind.WORK and data.get("invoiceable_minutes") is None:
            data.pop("invoiceable_minutes", None)
        try:
            services.time_entry_update(actor=request.actor, entry=entry, **data)
        except (DomainError, ValidationError) as exc:
            add_error(form, exc)
        else:
            messages.success(request, _("The changes have been saved."))
            return redirect("web:time_day", slug, entry.date.isoformat())
    summary = selectors.day_summaries(membership_id=entry.membership_id, start=entry.date, end=entry.date)
    context = {"entry": entry, "form": form, "day": _day_views(summary)[0]}
    return render(
        request, "web/timereporting/entry_edit.html", context, status=422 if request.method == "POST" else 200
    )


@tenant_view(Perm.TIME_REPORT_OWN)
def time_entry_delete(request: TenantRequest, slug: str, entry_id: int) -> HttpResponse:
    entry = selectors.time_entry_get(entry_id=entry_id, membership_id=_member_id(request.actor))
    if entry is None:
        raise Http404
    if request.method != "POST":
        return redirect("web:time_entry_edit", slug, entry.pk)
    try:
        services.time_entry_delete(actor=request.actor, entry=entry)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The entry has been deleted."))
    return redirect("web:time_day", slug, entry.date.isoformat())


def _posted_dates(request: TenantRequest) -> list[dt.date]:
    week = request.POST.get("week")
    if week:
        return timeutil.iso_week_dates(*_week_monday(week).isocalendar()[:2])
    return [_parse_day(value) for value in request.POST.getlist("date")]


def _lock_change(
    request: TenantRequest, slug: str, change: Any, *, week_text: str, days_text: Any, nothing_text: str
) -> HttpResponse:
    """Lock or unlock (`change`) the posted week or days and say what happened."""
    fallback = reverse("web:time_week", args=[slug])
    if request.method != "POST":
        return redirect(fallback)
    try:
        count = change(actor=request.actor, dates=_posted_dates(request))
    except (DomainError, ValueError) as exc:
        messages.error(request, getattr(exc, "message", str(exc)))
    else:
        week = request.POST.get("week")  # validated by _posted_dates
        if not count:
            messages.info(request, nothing_text)
        elif week:
            messages.success(request, week_text % {"week": int(week.split("-W")[1])})
        else:
            messages.success(request, days_text(count) % {"count": count})
    return redirect(_safe_next(request, fallback))


@tenant_view(Perm.TIME_REPORT_OWN)
def time_lock(request: TenantRequest, slug: str) -> HttpResponse:
    """Lock a day or a week: it goes to the approver (attestansvarig) for attestation."""
    # "Inget att rapportera": the employee confirms that the short or empty days are as they are.
    confirmed = request.POST.get("nothing_to_report") in ("1", "on", "true")

    def lock(*, actor: Actor, dates: list[dt.date]) -> int:
        week = request.POST.get("week")
        if week:  # "Lås veckan": the days up to today (services.week_lock)
            year, number = _week_monday(week).isocalendar()[:2]
            return services.week_lock(actor=actor, year=year, week=number, nothing_to_report=confirmed)
        return services.day_lock(actor=actor, dates=dates, nothing_to_report=confirmed)

    return _lock_change(
        request,
        slug,
        lock,
        week_text=_("Week %(week)d is locked and sent for attestation."),
        days_text=lambda n: ngettext(
            "%(count)d day locked and sent for attestation.",
            "%(count)d days locked and sent for attestation.",
            n,
        ),
        nothing_text=_("The days were already locked."),
    )


@tenant_view(Perm.TIME_REPORT_OWN)
def time_unlock(request: TenantRequest, slug: str) -> HttpResponse:
    """Unlock locked days that are not yet attested."""
    return _lock_change(
        request,
        slug,
        services.day_unlock,
        week_text=_("Week %(week)d is unlocked."),
        days_text=lambda n: ngettext("%(count)d day unlocked.", "%(count)d days unlocked.", n),
        nothing_text=_("None of the days was locked."),
    )


@tenant_view(Perm.TIME_REPORT_OWN)
def time_copy_week(request: TenantRequest, slug: str) -> HttpResponse:
    """Copy last week's work into the week shown ("Kopiera förra veckan")."""
    monday = _week_monday(request.POST.get("week"))
    week_url = reverse("web:time_week", args=[slug]) + f"?week={week_key(monday)}"
    if request.method != "POST":
        return redirect(week_url)
    try:
        created = services.time_entry_copy_week(
            actor=request.actor, from_monday=monday - dt.timedelta(days=7), to_monday=monday
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        if created:
            messages.success(
                request,
                ngettext(
                    "%(count)d entry copied from last week.",
                    "%(count)d entries copied from last week.",
                    len(created),
                )
                % {"count": len(created)},
            )
        else:
            messages.info(request, _("Nothing to copy from last week (or the days are locked)."))
    return redirect(week_url)


def _month_start(value: str | None) -> dt.date:
    """The first day of `2026-11`; the current month when missing or not a month at all; 404 for
    month 13 or a month outside the calendar (core.bounds)."""
    match = MONTH_RE.match((value or "").strip())
    if not match:
        return timeutil.today().replace(day=1)
    if not 1 <= int(match.group(2)) <= 12:
        raise Http404
    first = dt.date(int(match.group(1)), int(match.group(2)), 1)
    if not (bounds.in_calendar(first) and bounds.in_calendar(_add_month(first, 1) - dt.timedelta(days=1))):
        raise Http404
    return first


def _add_month(first: dt.date, n: int) -> dt.date:
    index = first.year * 12 + first.month - 1 + n
    return dt.date(index // 12, index % 12 + 1, 1)


@tenant_view(Perm.TIME_REPORT_OWN)
def time_month(request: TenantRequest, slug: str) -> HttpResponse:
    """The month as a calendar: per-day totals and status (open/locked/attested/rejected)."""
    first = _month_start(request.GET.get("month"))
    last = _add_month(first, 1) - dt.timedelta(days=1)
    start, end = _monday_of(first), _monday_of(last) + dt.timedelta(days=6)
    member_id = _member_id(request.actor)
    days = _day_views(
        selectors.day_summaries(membership_id=member_id, start=start, end=end), month=first.month
    )
    in_month = [d for d in days if d.in_range]
    context = {
        "first": first,
        "weeks": [days[i : i + 7] for i in range(0, len(days), 7)],
        "month_total": format_minutes(sum(d.summary.minutes for d in in_month)) or "0:00",
        "rejected_days": [d for d in in_month if d.status == DayState.REJECTED],
        "prev_month": _add_month(first, -1).strftime("%Y-%m"),
        "next_month": _add_month(first, 1).strftime("%Y-%m"),
        "counts": {
            state: sum(1 for d in in_month if d.status == state)
            for state in (DayState.OPEN, DayState.LOCKED, DayState.ATTESTED, DayState.REJECTED)
        },
    }
    return render(request, "web/timereporting/month.html", context)


# --- absence over a date range (issue 8 item 4) -------------------------------------------------------


def _range_rows(member_id: int) -> list[Any]:
    """The ranges with their total as `h:mm` (`day_count` and `total_minutes` are annotations)."""
    ranges: list[Any] = list(selectors.absence_ranges(membership_id=member_id))
    for absence_range in ranges:
        absence_range.total_text = format_minutes(absence_range.total_minutes or 0) or "0:00"
    return ranges


@tenant_view(Perm.TIME_REPORT_OWN)
def time_absence(request: TenantRequest, slug: str) -> HttpResponse:
    """Own absence ranges, and the form to register absence over a date range as one registration."""
    member_id = _member_id(request.actor)
    initial = {}
    start = request.GET.get("start")
    if start:
        initial = {"start_date": _parse_day(start), "end_date": _parse_day(start)}
    form = AbsenceRangeForm(
        request.POST if request.method == "POST" else None, actor=request.actor, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        try:
            created = services.absence_range_create(actor=request.actor, **form.service_data())
        except (DomainError, ValidationError) as exc:
            add_error(form, exc)
        else:
            found = selectors.absence_range_get(range_id=created.pk, membership_id=member_id)
            messages.success(
                request,
                _("The absence is registered for %(days)d working days.")
                % {"days": getattr(found, "day_count", 0)},
            )
            return redirect("web:time_absence", slug)
    context = {"form": form, "ranges": _range_rows(member_id), "week": week_key(_monday_of(timeutil.today()))}
    return render(
        request, "web/timereporting/absence.html", context, status=422 if request.method == "POST" else 200
    )


@tenant_view(Perm.TIME_REPORT_OWN)
def time_absence_edit(request: TenantRequest, slug: str, range_id: int) -> HttpResponse:
    """Change an own absence range: its days are expanded again (only open days may change)."""
    member_id = _member_id(request.actor)
    absence_range = selectors.absence_range_get(range_id=range_id, membership_id=member_id)
    if absence_range is None:
        raise Http404
    form = AbsenceRangeForm(
        request.POST if request.method == "POST" else None,
        actor=request.actor,
        initial=absence_range_initial(absence_range),
    )
    if request.method == "POST" and form.is_valid():
        data = form.service_data()
        confirm_work = data.pop("confirm_work", False)
        try:
            services.absence_range_update(
                actor=request.actor, absence_range=absence_range, confirm_work=confirm_work, **data
            )
        except (DomainError, ValidationError) as exc:
            add_error(form, exc)
        else:
            messages.success(request, _("The changes have been saved."))
            return redirect("web:time_absence", slug)
    entries = list(
        selectors.own_time_entries(
            membership_id=member_id, start=absence_range.start_date, end=absence_range.end_date
        ).filter(absence_range=absence_range)
    )
    statuses = selectors.day_status_map(
        membership_id=member_id, start=absence_range.start_date, end=absence_range.end_date
    )
    days = [(e, _status_label(statuses.get(e.date, DayState.OPEN))) for e in entries]
    context = {"absence_range": absence_range, "form": form, "days": days}
    return render(
        request,
        "web/timereporting/absence_edit.html",
        context,
        status=422 if request.method == "POST" else 200,
    )


@tenant_view(Perm.TIME_REPORT_OWN)
def time_absence_delete(request: TenantRequest, slug: str, range_id: int) -> HttpResponse:
    """Delete an own absence range with all its days."""
    absence_range = selectors.absence_range_get(range_id=range_id, membership_id=_member_id(request.actor))
    if absence_range is None:
        raise Http404
    if request.method != "POST":
        return redirect("web:time_absence_edit", slug, absence_range.pk)
    try:
        services.absence_range_delete(actor=request.actor, absence_range=absence_range)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("web:time_absence_edit", slug, absence_range.pk)
    messages.success(request, _("The absence has been deleted."))
    return redirect("web:time_absence", slug)
