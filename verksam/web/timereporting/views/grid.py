"""The quick week grid of the week page: rows per project/activity/time code (or absence type), a cell
per day, and saving one typed cell through the services."""

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.translation import gettext as _

from verksam.core.duration import format_minutes, parse_hours
from verksam.core.errors import DomainError
from verksam.projects.selectors import project_reportable_list
from verksam.tenancy.access import Actor
from verksam.timereporting import selectors, services
from verksam.timereporting.models import EntryKind, TimeEntry

from .common import (
    DayView,
)

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
    day: Any = None  # the week page's DayView of `date` (its link and label, made once per day)

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


def row_key(project_id: int | None, activity_id: int | None, time_code_id: int | None) -> str:
    return f"{project_id or 0}-{activity_id or 0}-{time_code_id or 0}"


def parse_row_key(key: str) -> tuple[int, int | None, int]:
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


def load_choices(actor: Actor) -> Choices:
    return Choices(
        # the rows of project_reportable_for, reportable_activities and reportable_time_codes, read
        # without compiling them on every page (issue 13, core.fixedquery)
        projects={p.pk: p for p in project_reportable_list(actor=actor)},
        activities={a.pk: a for a in selectors.reportable_activity_list()},
        time_codes={t.pk: t for t in selectors.reportable_time_code_list()},
    )


def build_grid(
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
            key = row_key(entry.project_id, entry.activity_id, entry.time_code_id)
            row = row_for(key, str(entry.project), detail)
        cell = row.cells[(entry.date - days[0].date).days]
        cell.minutes += entry.minutes
        cell.entries.append(entry)
    for key in extra_keys:
        if key in rows:
            continue
        try:
            project_id, activity_id, time_code_id = parse_row_key(key)
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


def save_cell(actor: Actor, cell: GridCell, key: str, text: str, choices: Choices) -> str:
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
            project_id, activity_id, time_code_id = parse_row_key(key)
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
