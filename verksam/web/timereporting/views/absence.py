"""Absence over a date range, registered and changed as one (issue 8 item 4)."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from verksam.core import timeutil
from verksam.core.duration import format_minutes
from verksam.core.errors import DomainError
from verksam.tenancy.permissions import Perm
from verksam.timereporting import selectors, services
from verksam.timereporting.selectors import DayState
from verksam.web.decorators import TenantRequest, tenant_view
from verksam.web.errors import add_error

from ..forms import AbsenceRangeForm, absence_range_initial
from .common import monday_of, own_member_id, parse_day, status_label, week_key

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
    member_id = own_member_id(request.actor)
    initial = {}
    start = request.GET.get("start")
    if start:
        initial = {"start_date": parse_day(start), "end_date": parse_day(start)}
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
    context = {"form": form, "ranges": _range_rows(member_id), "week": week_key(monday_of(timeutil.today()))}
    return render(
        request, "web/timereporting/absence.html", context, status=422 if request.method == "POST" else 200
    )


@tenant_view(Perm.TIME_REPORT_OWN)
def time_absence_edit(request: TenantRequest, slug: str, range_id: int) -> HttpResponse:
    """Change an own absence range: its days are expanded again (only open days may change)."""
    member_id = own_member_id(request.actor)
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
    days = [(e, status_label(statuses.get(e.date, DayState.OPEN))) for e in entries]
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
    absence_range = selectors.absence_range_get(range_id=range_id, membership_id=own_member_id(request.actor))
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
