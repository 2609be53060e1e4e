"""One day: its entries and the one-hand form for work or absence; changing and deleting an entry."""

import datetime as dt
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from verksam.core import timeutil
from verksam.core.errors import DomainError
from verksam.tenancy.permissions import Perm
from verksam.timereporting import selectors, services, timer
from verksam.timereporting.balances import time_bank_warning
from verksam.timereporting.models import EntryKind, TimeEntry
from verksam.web.decorators import TenantRequest, tenant_view
from verksam.web.errors import add_error

from ..forms import AbsenceEntryForm, WorkEntryForm, entry_initial
from .common import (
    day_views,
    monday_of,
    own_member_id,
    parse_day,
    week_key,
)


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
    date = parse_day(day)
    member_id = own_member_id(request.actor)
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
        "day": day_views(summary)[0],
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
        "week": week_key(monday_of(date)),
    }
    return render(request, "web/timereporting/day.html", context, status=422 if kind else 200)


@tenant_view(Perm.TIME_REPORT_OWN)
def time_entry_edit(request: TenantRequest, slug: str, entry_id: int) -> HttpResponse:
    """Change one own entry (while its day is open)."""
    entry = selectors.time_entry_get(entry_id=entry_id, membership_id=own_member_id(request.actor))
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
    context = {"entry": entry, "form": form, "day": day_views(summary)[0]}
    return render(
        request, "web/timereporting/entry_edit.html", context, status=422 if request.method == "POST" else 200
    )


@tenant_view(Perm.TIME_REPORT_OWN)
def time_entry_delete(request: TenantRequest, slug: str, entry_id: int) -> HttpResponse:
    entry = selectors.time_entry_get(entry_id=entry_id, membership_id=own_member_id(request.actor))
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
