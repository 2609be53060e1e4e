"""The week page (the start page of Tidrapportering): the grid, each day's status, the time bank and
the week's actions; saving the grid; copying last week."""

import datetime as dt
from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from verksam.core import timeutil
from verksam.core.duration import format_minutes, hm
from verksam.core.errors import DomainError
from verksam.tenancy.access import Actor
from verksam.tenancy.permissions import Perm
from verksam.timereporting import selectors, services
from verksam.timereporting.balances import balance_view
from verksam.timereporting.selectors import DayState
from verksam.web.decorators import TenantRequest, tenant_view

from .common import (
    DayView,
    day_views,
    monday_of,
    own_member_id,
    parse_day,
    query_id,
    week_key,
    week_monday,
)
from .grid import Choices, GridCell, build_grid, load_choices, parse_row_key, row_key, save_cell


def week_context(actor: Actor, monday: dt.date, extra_keys: list[str]) -> dict[str, Any]:
    member_id = own_member_id(actor)
    sunday = monday + dt.timedelta(days=6)
    # the week's entries, day locks and schedules, read once for the days, the grid and the balances
    loaded = selectors.week_loaded(membership_id=member_id, start=monday, end=sunday)
    days = day_views(
        selectors.day_summaries(membership_id=member_id, start=monday, end=sunday, loaded=loaded)
    )
    entries = loaded.entries
    choices = load_choices(actor)
    rows = build_grid(entries, days, extra_keys, choices)
    # each day's link and label made once, not per grid cell in the template (issue 13)
    by_date = {d.date: d for d in days}
    for d in days:
        d.url = reverse("web:time_day", args=[actor.tenant.slug, d.iso])
    for row in rows:
        for cell in row.cells:
            cell.day = by_date.get(cell.date)
    # Balances as of the week's Sunday count attested days only (their stored contributions); the
    # week's unattested days are shown beside them as a preview (DOMAIN.md "Working time").
    view = balance_view(membership_id=member_id, start=monday, end=sunday, loaded=loaded)
    balance = view.balances.bank_minutes
    return {
        "monday": monday,
        "sunday": sunday,
        "week": week_key(monday),
        "week_number": monday.isocalendar()[1],
        "prev_week": week_key(monday - dt.timedelta(days=7)),
        "next_week": week_key(monday + dt.timedelta(days=7)),
        "this_week": week_key(monday_of(timeutil.today())),
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
        **week_actions(days, monday),
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
        "grid_save_url": reverse("web:time_grid_save", args=[actor.tenant.slug]),
    }


def week_actions(days: list[DayView], monday: dt.date) -> dict[str, Any]:
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


# --- pages --------------------------------------------------------------------------------------


@tenant_view(Perm.TIME_REPORT_OWN)
def time_week(request: TenantRequest, slug: str) -> HttpResponse:
    """The start page: the week with its grid, each day's status and the time bank."""
    monday = week_monday(request.GET.get("week"))
    extra = [k for k in request.GET.getlist("row") if k]
    if request.GET.get("add_project"):
        # "Lägg till rad": a row for a project/activity/time code without time yet this week.
        extra.append(
            row_key(
                *(
                    query_id(request.GET.get(name))
                    for name in ("add_project", "add_activity", "add_time_code")
                )
            )
        )
    context = week_context(request.actor, monday, extra)
    return render(request, "web/timereporting/week.html", context)


@tenant_view(Perm.TIME_REPORT_OWN)
def time_grid_save(request: TenantRequest, slug: str) -> HttpResponse:
    """Save typed hours of the week grid: one cell per htmx request, or the whole form without JS."""
    monday = week_monday(request.POST.get("week"))
    week_url = reverse("web:time_week", args=[slug]) + f"?week={week_key(monday)}"
    if request.method != "POST":
        return redirect(week_url)
    extra = [k for k in request.POST.getlist("row") if k]
    context = week_context(request.actor, monday, [])
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
        key, day = parts[1], parse_day(parts[2])
        if not monday <= day <= context["sunday"]:
            continue
        if key not in extra and not key.startswith("a"):
            extra.append(key)  # keep the row on the page even when its cell was emptied or refused
        if name in cells:
            row_key, cell = cells[name]
        else:  # a row added on the page, without entries yet
            parse_row_key(key)
            row_key, cell = key, GridCell(date=day, name=name, editable=day not in closed)
        message = save_cell(request.actor, cell, row_key, request.POST.get(name, ""), choices)
        if message:
            errors[name] = message
    if not htmx:
        for message in dict.fromkeys(errors.values()):
            messages.error(request, message)
        if not errors:
            messages.success(request, _("The week has been saved."))
        return redirect(week_url)
    context = week_context(request.actor, monday, extra)
    for row in context["rows"]:
        for cell in row.cells:
            if cell.name in errors:
                cell.error = errors[cell.name]
    # 200 even with errors: htmx swaps no 4xx answer, and the errors are shown in their cells.
    return render(request, "web/timereporting/week.html#grid", context)


@tenant_view(Perm.TIME_REPORT_OWN)
def time_copy_week(request: TenantRequest, slug: str) -> HttpResponse:
    """Copy last week's work into the week shown ("Kopiera förra veckan")."""
    monday = week_monday(request.POST.get("week"))
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
