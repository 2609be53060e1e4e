"""Arbetstidsschema (issue 8 item 1): the company's schedule templates and assigning one to many
users from a date (Inställningar > Arbetstidsschema, Perm.SCHEDULES_MANAGE), an employee's dated
schedule history on their user page (viewing: Perm.EMPLOYEES_VIEW; changing: SCHEDULES_MANAGE), and
one's own schedule (Tidrapportering > Mitt schema). Writes go through verksam.schedules.services."""

from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from verksam.core.duration import hm
from verksam.core.errors import DomainError
from verksam.schedules import selectors, services
from verksam.schedules.dto import Schedule
from verksam.schedules.models import ScheduleTemplate, WorkSchedule
from verksam.tenancy import selectors as tenancy_selectors
from verksam.tenancy.models import Membership
from verksam.tenancy.permissions import Perm
from verksam.web.decorators import TenantRequest, tenant_view
from verksam.web.errors import add_error

from .forms import (
    WEEKDAY_LABELS,
    ScheduleAssignForm,
    ScheduleTemplateForm,
    WorkScheduleForm,
    weekday_initial,
)


def _hours(minutes: tuple[int, ...]) -> list[str]:
    return [hm(m) if m else "–" for m in minutes]


@dataclass(frozen=True)
class MemberRow:
    """A user in the assign list, with the schedule in force today."""

    membership: Membership
    current: Schedule

    @property
    def week_hours(self) -> str:
        return hm(self.current.week_minutes)


def _member_rows(members: list[Membership]) -> list[MemberRow]:
    histories = selectors.schedule_histories(membership_ids=[m.pk for m in members])
    today = timezone.localdate()
    return [MemberRow(m, histories[m.pk].on(today)) for m in members]


def _page(
    request: TenantRequest,
    *,
    template_form: ScheduleTemplateForm | None = None,
    assign_form: ScheduleAssignForm | None = None,
    status: int = 200,
) -> HttpResponse:
    members = tenancy_selectors.membership_list(active_only=True)
    templates = list(selectors.schedule_templates())
    for t in templates:
        t.hours = _hours(t.weekday_minutes)  # type: ignore[attr-defined]
        t.week_hours = hm(t.week_minutes)  # type: ignore[attr-defined]
    assign_form = assign_form or ScheduleAssignForm(
        prefix="a", members=members, initial={"valid_from": timezone.localdate()}
    )
    rows = {r.membership.pk: r for r in _member_rows(list(members))}
    context = {
        "templates": templates,
        "weekday_labels": WEEKDAY_LABELS,
        "template_form": template_form or ScheduleTemplateForm(prefix="t", initial={"is_active": True}),
        "assign_form": assign_form,
        # each checkbox with the user's schedule today
        "assign_choices": [(w, rows.get(int(str(w.data["value"])))) for w in assign_form["memberships"]],
        "open_section": "assign" if assign_form else ("template" if template_form else ""),
    }
    return render(request, "web/schedules/templates.html", context, status=status)


@tenant_view(Perm.SCHEDULES_MANAGE)
def schedules_page(request: TenantRequest, slug: str) -> HttpResponse:
    """The company's templates (the default marked), a form to add one, and assigning one to many users."""
    return _page(request)


@tenant_view(Perm.SCHEDULES_MANAGE)
@require_POST
def schedule_template_create(request: TenantRequest, slug: str) -> HttpResponse:
    form = ScheduleTemplateForm(request.POST, prefix="t")
    if form.is_valid():
        try:
            template = services.schedule_template_save(
                actor=request.actor,
                name=form.cleaned_data["name"],
                weekday_minutes=form.weekday_minutes(),
                percent=form.cleaned_data["percent"],
                is_default=form.cleaned_data["is_default"],
                is_active=form.cleaned_data["is_active"],
            )
        except (DomainError, ValidationError) as exc:
            add_error(form, exc)
        else:
            messages.success(request, _("%(name)s has been added.") % {"name": template.name})
            return redirect("web:schedules", slug)
    return _page(request, template_form=form, status=422)


@tenant_view(Perm.SCHEDULES_MANAGE)
def schedule_template_edit(request: TenantRequest, slug: str, template_id: int) -> HttpResponse:
    template = selectors.schedule_template_get(template_id=template_id)
    if template is None:
        raise Http404
    initial = weekday_initial(template) | {
        "name": template.name,
        "is_default": template.is_default,
        "is_active": template.is_active,
    }
    form = ScheduleTemplateForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.schedule_template_save(
                actor=request.actor,
                template=template,
                name=form.cleaned_data["name"],
                weekday_minutes=form.weekday_minutes(),
                percent=form.cleaned_data["percent"],
                is_default=form.cleaned_data["is_default"],
                is_active=form.cleaned_data["is_active"],
            )
        except (DomainError, ValidationError) as exc:
            add_error(form, exc)
        else:
            messages.success(request, _("The changes have been saved."))
            return redirect("web:schedules", slug)
    status = 422 if request.method == "POST" else 200
    return render(
        request, "web/schedules/template_edit.html", {"form": form, "template": template}, status=status
    )


@tenant_view(Perm.SCHEDULES_MANAGE)
@require_POST
def schedule_assign(request: TenantRequest, slug: str) -> HttpResponse:
    """Give the checked users the template's schedule from a date (each keeps their history)."""
    members = tenancy_selectors.membership_list(active_only=True)
    form = ScheduleAssignForm(request.POST, prefix="a", members=members)
    if form.is_valid():
        try:
            rows = services.schedule_template_assign(
                actor=request.actor,
                template=form.cleaned_data["template"],
                memberships=form.cleaned_data["memberships"],
                valid_from=form.cleaned_data["valid_from"],
            )
        except (DomainError, ValidationError) as exc:
            add_error(form, exc)
        else:
            messages.success(
                request,
                _("%(template)s applies to %(count)d users from %(date)s.")
                % {
                    "template": form.cleaned_data["template"].name,
                    "count": len(rows),
                    "date": form.cleaned_data["valid_from"].isoformat(),
                },
            )
            return redirect("web:schedules", slug)
    return _page(request, assign_form=form, status=422)


# --- one employee's schedule ---------------------------------------------------------------------


@dataclass(frozen=True)
class HistoryRow:
    row: WorkSchedule
    is_current: bool

    @property
    def hours(self) -> list[str]:
        return _hours(self.row.weekday_minutes)

    @property
    def week_hours(self) -> str:
        return hm(self.row.week_minutes)


def _history(membership: Membership) -> list[HistoryRow]:
    rows = list(selectors.work_schedules(membership_id=membership.pk))  # newest first
    today = timezone.localdate()
    current = next((r for r in rows if r.valid_from <= today), rows[-1] if rows else None)
    return [HistoryRow(r, r is current) for r in rows]


def _schedule_page(
    request: TenantRequest,
    membership: Membership,
    *,
    form: WorkScheduleForm | None,
    own: bool,
    status: int = 200,
) -> HttpResponse:
    context = {
        "membership": membership,
        "history": _history(membership),
        "weekday_labels": WEEKDAY_LABELS,
        "form": form,
        "own": own,
        "may_manage": request.actor.has(Perm.SCHEDULES_MANAGE),
    }
    return render(request, "web/schedules/member.html", context, status=status)


@tenant_view(Perm.EMPLOYEES_VIEW)
def member_schedule(request: TenantRequest, slug: str, membership_id: int) -> HttpResponse:
    """An employee's dated schedules, and (SCHEDULES_MANAGE) a form to give a schedule from a date."""
    membership = tenancy_selectors.membership_get(membership_id)
    if membership is None:
        raise Http404
    may_manage = request.actor.has(Perm.SCHEDULES_MANAGE)
    if request.method == "POST" and not may_manage:
        raise PermissionDenied
    form = None
    if may_manage:
        form = WorkScheduleForm(
            request.POST or None, initial={"valid_from": timezone.localdate(), "percent": 100}
        )
        if request.method == "POST" and form.is_valid():
            template: ScheduleTemplate | None = form.cleaned_data["template"]
            minutes = template.weekday_minutes if template else form.weekday_minutes()
            percent = template.percent if template else form.cleaned_data["percent"]
            try:
                services.work_schedule_set(
                    actor=request.actor,
                    membership=membership,
                    valid_from=form.cleaned_data["valid_from"],
                    weekday_minutes=minutes,
                    percent=percent,
                    template=template,
                )
            except (DomainError, ValidationError) as exc:
                add_error(form, exc)
            else:
                messages.success(request, _("The schedule has been saved."))
                return redirect("web:member_schedule", slug, membership.pk)
    status = 422 if request.method == "POST" else 200
    return _schedule_page(request, membership, form=form, own=False, status=status)


@tenant_view(Perm.SCHEDULES_MANAGE)
@require_POST
def member_schedule_delete(
    request: TenantRequest, slug: str, membership_id: int, schedule_id: int
) -> HttpResponse:
    membership = tenancy_selectors.membership_get(membership_id)
    schedule = selectors.work_schedule_get(schedule_id=schedule_id)
    if membership is None or schedule is None or schedule.membership_id != membership.pk:
        raise Http404
    try:
        services.work_schedule_delete(actor=request.actor, schedule=schedule)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("The schedule from %(date)s has been removed.") % {"date": schedule.valid_from.isoformat()},
        )
    return redirect(reverse("web:member_schedule", args=[slug, membership.pk]))


@tenant_view(Perm.TIME_REPORT_OWN)
def my_schedule(request: TenantRequest, slug: str) -> HttpResponse:
    """The employee's own schedule, read-only (their administrator changes it)."""
    membership = request.actor.membership
    if membership is None:
        raise Http404
    return _schedule_page(request, membership, form=None, own=True)
