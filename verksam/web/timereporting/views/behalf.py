"""Reporting on behalf (issue 8 item 6): a TOTAL user, a FULL partner (the payroll clerk) or the
employee's approver reports, corrects and locks an employee's time on a page per employee. Who may
is decided by `verksam.timereporting.rules.target_membership` (through the selector): a missing or
another tenant's employee answers 404, an employee the actor may not act for 403. Every write goes
through the same services as the employee's own pages, with `employee=`, so the same rules apply and
the audit log says "reported by X for Y"."""

import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from verksam.core import timeutil
from verksam.core.duration import format_minutes
from verksam.core.errors import DomainError
from verksam.tenancy.models import Membership
from verksam.timereporting import selectors, services
from verksam.timereporting.models import EntryKind, TimeEntry
from verksam.web.decorators import TenantRequest, tenant_view
from verksam.web.errors import add_error

from ..forms import AbsenceEntryForm, AbsenceRangeForm, WorkEntryForm, entry_initial
from .common import day_views, monday_of, parse_day, week_key


def _employee(request: TenantRequest, member_id: int) -> Membership:
    try:
        return selectors.report_target_get(actor=request.actor, membership_id=member_id)
    except DomainError as exc:
        if exc.status == 404:
            raise Http404 from exc
        raise PermissionDenied from exc


def _day(request: TenantRequest) -> dt.date:
    value = request.GET.get("day") or request.POST.get("day") or ""
    return parse_day(value) if value else timeutil.today()


def _page_url(slug: str, member: Membership, day: dt.date) -> str:
    return reverse("web:time_behalf", args=[slug, member.pk]) + f"?day={day.isoformat()}"


def _forms(request: TenantRequest, member: Membership, kind: str | None, **kwargs):
    # the project choices are the employee's: time on their behalf goes where they may report
    as_employee = selectors.report_choices_actor(actor=request.actor, membership=member)
    work = WorkEntryForm(request.POST if kind == "work" else None, actor=as_employee, prefix="work", **kwargs)
    absence = AbsenceEntryForm(
        request.POST if kind == "absence" else None, actor=as_employee, prefix="absence", **kwargs
    )
    return work, absence


# No permission on the decorator: who may act for whom is data (the approver relation) as well as
# TIME_REPORT_OTHERS, and `_employee` answers 403 for everyone else.
@tenant_view()
def time_behalf(request: TenantRequest, slug: str, member_id: int) -> HttpResponse:
    """One employee's week and chosen day, with forms to report time or absence for them."""
    member = _employee(request, member_id)
    day = _day(request)
    if member.user_id == request.user.pk:
        return redirect("web:time_day", slug, day.isoformat())  # one's own time is reported as such
    kind = request.POST.get("kind") if request.method == "POST" else None
    if kind not in (None, "work", "absence", "range"):
        kind = "work"
    work_form, absence_form = _forms(request, member, kind)
    range_form = AbsenceRangeForm(
        request.POST if kind == "range" else None,
        actor=request.actor,
        prefix="range",
        initial={"start_date": day, "end_date": day},
    )
    if kind == "range" and range_form.is_valid():
        # absence over a date range on the employee's behalf (issue 8 item 4)
        try:
            services.absence_range_create(actor=request.actor, employee=member, **range_form.service_data())
        except (DomainError, ValidationError) as exc:
            add_error(range_form, exc)
        else:
            messages.success(request, _("The absence has been saved for %(name)s.") % {"name": member.user})
            return redirect(_page_url(slug, member, day))
    form = work_form if kind == "work" else absence_form
    if kind in ("work", "absence") and form.is_valid():
        try:
            services.time_entry_create(
                actor=request.actor, employee=member, date=day, kind=kind, **form.service_data()
            )
        except (DomainError, ValidationError) as exc:
            add_error(form, exc)
        else:
            messages.success(request, _("The time has been saved for %(name)s.") % {"name": member.user})
            return redirect(_page_url(slug, member, day))
    monday = monday_of(day)
    sunday = monday + dt.timedelta(days=6)
    week = day_views(selectors.day_summaries(membership_id=member.pk, start=monday, end=sunday))
    entries = list(selectors.own_time_entries(membership_id=member.pk, start=day, end=day))
    chosen = next(d for d in week if d.date == day)
    context = {
        "member": member,
        "date": day,
        "day": chosen,
        "days": week,
        "entries": entries,
        "week": week_key(monday),
        "week_number": monday.isocalendar()[1],
        "week_total": format_minutes(sum(d.summary.minutes for d in week)) or "0:00",
        "prev_week": monday - dt.timedelta(days=7),
        "next_week": monday + dt.timedelta(days=7),
        "work_form": work_form,
        "absence_form": absence_form,
        "range_form": range_form,
        "active_kind": kind or "work",
    }
    return render(request, "web/timereporting/behalf.html", context, status=422 if kind else 200)


def _entry(member: Membership, entry_id: int) -> TimeEntry:
    entry = selectors.time_entry_get(entry_id=entry_id, membership_id=member.pk)
    if entry is None:
        raise Http404
    return entry


@tenant_view()
def time_behalf_entry_edit(request: TenantRequest, slug: str, member_id: int, entry_id: int) -> HttpResponse:
    """Correct one of the employee's entries (while its day is open)."""
    member = _employee(request, member_id)
    entry = _entry(member, entry_id)
    as_employee = selectors.report_choices_actor(actor=request.actor, membership=member)
    form_class = WorkEntryForm if entry.kind == EntryKind.WORK else AbsenceEntryForm
    form = form_class(request.POST or None, actor=as_employee, initial=entry_initial(entry))
    if request.method == "POST" and form.is_valid():
        data = form.service_data()
        if data.get("minutes") is None:
            data.pop("minutes", None)
        if entry.kind == EntryKind.WORK and data.get("invoiceable_minutes") is None:
            data.pop("invoiceable_minutes", None)
        try:
            services.time_entry_update(actor=request.actor, entry=entry, employee=member, **data)
        except (DomainError, ValidationError) as exc:
            add_error(form, exc)
        else:
            messages.success(request, _("The changes have been saved."))
            return redirect(_page_url(slug, member, entry.date))
    context = {"member": member, "entry": entry, "form": form}
    status = 422 if request.method == "POST" else 200
    return render(request, "web/timereporting/behalf_entry.html", context, status=status)


@tenant_view()
@require_POST
def time_behalf_entry_delete(
    request: TenantRequest, slug: str, member_id: int, entry_id: int
) -> HttpResponse:
    member = _employee(request, member_id)
    entry = _entry(member, entry_id)
    try:
        services.time_entry_delete(actor=request.actor, entry=entry, employee=member)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The entry has been deleted."))
    return redirect(_page_url(slug, member, entry.date))


@tenant_view()
@require_POST
def time_behalf_lock(request: TenantRequest, slug: str, member_id: int) -> HttpResponse:
    """Lock (action=lock) or unlock (action=unlock) the employee's chosen day or its whole week."""
    member = _employee(request, member_id)
    day = _day(request)
    week = request.POST.get("scope") == "week"
    days = timeutil.iso_week_dates(*day.isocalendar()[:2]) if week else [day]
    # "Inget att rapportera" confirmed for the employee's short or empty days (issue 8 item 5)
    confirmed = request.POST.get("nothing_to_report") in ("1", "on", "true")
    try:
        if request.POST.get("action") == "unlock":
            count = services.day_unlock(actor=request.actor, dates=days, employee=member)
        elif week:  # the days up to today, as "Lås veckan" does for the employee
            year, number = day.isocalendar()[:2]
            count = services.week_lock(
                actor=request.actor, year=year, week=number, employee=member, nothing_to_report=confirmed
            )
        else:
            count = services.day_lock(
                actor=request.actor, dates=days, employee=member, nothing_to_report=confirmed
            )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Days changed: %(count)d.") % {"count": count})
    return redirect(_page_url(slug, member, day))
