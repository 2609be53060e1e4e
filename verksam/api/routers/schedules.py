"""Work schedules (arbetstidsschema, issue 8 item 1): the company's templates, assigning one to many
employees from a date, an employee's dated schedule history, and one's own schedule."""

from typing import Any

from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router, Status

from verksam.core.errors import DomainError
from verksam.schedules import selectors, services
from verksam.schedules.models import ScheduleTemplate, WorkSchedule
from verksam.tenancy import selectors as tenancy_selectors
from verksam.tenancy.permissions import Perm

from ..paging import Page, PageParams, paginate
from ..schemas.schedules import (
    ScheduleAssignIn,
    ScheduleHistoryOut,
    ScheduleTemplateIn,
    ScheduleTemplateOut,
    ScheduleTemplatePatch,
    WorkScheduleIn,
    WorkScheduleOut,
)
from ..tenant import tenant_endpoint
from ..types import Id

router = Router(tags=["schedules"])


def _template_out(t: ScheduleTemplate) -> dict[str, Any]:
    return {
        "id": t.pk,
        "name": t.name,
        "weekday_minutes": list(t.weekday_minutes),
        "percent": t.percent,
        "week_minutes": t.week_minutes,
        "is_default": t.is_default,
        "is_active": t.is_active,
    }


def _schedule_out(s: WorkSchedule) -> dict[str, Any]:
    return {
        "id": s.pk,
        "member_id": s.membership_id,
        "valid_from": s.valid_from,
        "weekday_minutes": list(s.weekday_minutes),
        "percent": s.percent,
        "week_minutes": s.week_minutes,
        "template_id": s.template_id,
        "template_name": s.template.name if s.template else "",
    }


def _template(template_id: int) -> ScheduleTemplate:
    template = selectors.schedule_template_get(template_id=template_id)
    if template is None:
        raise Http404
    return template


def _member(member_id: int):
    membership = tenancy_selectors.membership_get(member_id)
    if membership is None:
        raise Http404
    return membership


def _history(membership_id: int) -> dict[str, Any]:
    rows = list(selectors.work_schedules(membership_id=membership_id))
    today = timezone.localdate()
    current = next((r for r in rows if r.valid_from <= today), rows[-1] if rows else None)
    return {
        "member_id": membership_id,
        "current": _schedule_out(current) if current else None,
        "schedules": [_schedule_out(r) for r in rows],
    }


@router.get(
    "/tenants/{tenant_id}/schedule-templates",
    response=Page[ScheduleTemplateOut],
    summary="The company's schedule templates",
)
@tenant_endpoint(Perm.SCHEDULES_MANAGE)
def schedule_template_list(request, tenant_id: Id, params: Query[PageParams]):
    page = paginate(selectors.schedule_templates(), params.page, params.page_size)
    return page | {"items": [_template_out(t) for t in page["items"]]}


@router.post(
    "/tenants/{tenant_id}/schedule-templates",
    response={201: ScheduleTemplateOut},
    summary="Add a schedule template",
)
@tenant_endpoint(Perm.SCHEDULES_MANAGE)
def schedule_template_create(request, tenant_id: Id, payload: ScheduleTemplateIn):
    template = services.schedule_template_save(actor=request.actor, **payload.dict())
    return Status(201, _template_out(template))


@router.patch(
    "/tenants/{tenant_id}/schedule-templates/{template_id}",
    response=ScheduleTemplateOut,
    summary="Change a schedule template (employees' schedules copied from it stay as they are)",
)
@tenant_endpoint(Perm.SCHEDULES_MANAGE)
def schedule_template_update(request, tenant_id: Id, template_id: Id, payload: ScheduleTemplatePatch):
    template = _template(template_id)
    changes = {k: v for k, v in payload.dict(exclude_unset=True).items() if v is not None}
    data: dict[str, Any] = {
        "name": template.name,
        "weekday_minutes": template.weekday_minutes,
        "percent": template.percent,
        "is_default": template.is_default,
        "is_active": template.is_active,
    } | changes
    return _template_out(services.schedule_template_save(actor=request.actor, template=template, **data))


@router.post(
    "/tenants/{tenant_id}/schedule-templates/{template_id}/assign",
    response=list[WorkScheduleOut],
    summary="Give many employees the template's schedule from a date",
)
@tenant_endpoint(Perm.SCHEDULES_MANAGE)
def schedule_template_assign(request, tenant_id: Id, template_id: Id, payload: ScheduleAssignIn):
    template = _template(template_id)
    members = list(tenancy_selectors.membership_list().filter(pk__in=payload.member_ids))
    if len(members) != len(set(payload.member_ids)):
        raise Http404  # another tenant's or a missing member: nothing is assigned
    rows = services.schedule_template_assign(
        actor=request.actor, template=template, memberships=members, valid_from=payload.valid_from
    )
    return [_schedule_out(r) for r in rows]


@router.get(
    "/tenants/{tenant_id}/members/{member_id}/schedules",
    response=ScheduleHistoryOut,
    tags=["members"],
    summary="An employee's work schedules: the one in force today and the dated history",
)
@tenant_endpoint(Perm.EMPLOYEES_VIEW)
def member_schedules(request, tenant_id: Id, member_id: Id):
    return _history(_member(member_id).pk)


@router.post(
    "/tenants/{tenant_id}/members/{member_id}/schedules",
    response={201: WorkScheduleOut},
    tags=["members"],
    summary="Give an employee a schedule from a date (history before it stays)",
)
@tenant_endpoint(Perm.SCHEDULES_MANAGE)
def member_schedule_set(request, tenant_id: Id, member_id: Id, payload: WorkScheduleIn):
    membership = _member(member_id)
    template = _template(payload.template_id) if payload.template_id else None
    if template is not None:
        minutes, percent = template.weekday_minutes, template.percent
    elif payload.weekday_minutes is None:
        raise DomainError(
            _("Choose a template or give the minutes of each weekday."),
            code="schedule_required",
            extra={"field": "weekday_minutes"},
        )
    else:
        minutes, percent = tuple(payload.weekday_minutes), payload.percent or 100
    row = services.work_schedule_set(
        actor=request.actor,
        membership=membership,
        valid_from=payload.valid_from,
        weekday_minutes=minutes,
        percent=percent,
        template=template,
    )
    return Status(201, _schedule_out(row))


@router.delete(
    "/tenants/{tenant_id}/members/{member_id}/schedules/{schedule_id}",
    response={204: None},
    tags=["members"],
    summary="Remove one dated schedule of an employee (never their only one)",
)
@tenant_endpoint(Perm.SCHEDULES_MANAGE)
def member_schedule_delete(request, tenant_id: Id, member_id: Id, schedule_id: Id):
    schedule = selectors.work_schedule_get(schedule_id=schedule_id)
    if schedule is None or schedule.membership_id != _member(member_id).pk:
        raise Http404
    services.work_schedule_delete(actor=request.actor, schedule=schedule)
    return Status(204, None)


@router.get(
    "/tenants/{tenant_id}/time/schedule",
    response=ScheduleHistoryOut,
    tags=["time entries"],
    summary="My work schedule: the one in force today and the dated history",
)
@tenant_endpoint(Perm.TIME_REPORT_OWN)
def my_schedule(request, tenant_id: Id):
    if request.actor.membership is None:
        raise Http404
    return _history(request.actor.membership.pk)
