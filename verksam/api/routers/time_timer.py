"""The running timer ("Starta/Stoppa", issue 12 item 1) in the API: the same services as the day page
(verksam.timereporting.timer), so the mobile app and the web share one clock per employee."""

import datetime as dt

from django.http import Http404
from ninja import Router, Schema, Status
from pydantic import Field

from verksam.projects.selectors import project_get
from verksam.tenancy.permissions import Perm
from verksam.timereporting import selectors, timer

from ..schemas.timereporting import TimeEntryOut
from ..tenant import tenant_endpoint
from ..types import Id, StrictId, StrictIn

router = Router(tags=["time entries"])


class TimerOut(Schema):
    running: bool
    started_at: dt.datetime | None = Field(None, description="When the timer was started (to the minute)")
    minutes: int = Field(0, description="Minutes since the start")
    project_id: int | None = None
    time_code_id: int | None = None


class TimerStartIn(StrictIn):
    project_id: StrictId | None = Field(None, description="Empty: the last used project when stopping")
    time_code_id: StrictId | None = Field(None, description="Empty: the company's default time code")


def _state(request) -> dict:
    return timer.timer_state(timer.timer_get(membership_id=request.actor.membership.pk))


@router.get("/tenants/{tenant_id}/time/timer", response=TimerOut, summary="My running timer")
@tenant_endpoint(Perm.TIME_REPORT_OWN)
def timer_status(request, tenant_id: Id):
    return _state(request)


@router.post("/tenants/{tenant_id}/time/timer/start", response={201: TimerOut}, summary="Start my timer")
@tenant_endpoint(Perm.TIME_REPORT_OWN)
def timer_start(request, tenant_id: Id, payload: TimerStartIn):
    project = project_get(payload.project_id) if payload.project_id is not None else None
    time_code = selectors.time_code_get(payload.time_code_id) if payload.time_code_id is not None else None
    if (payload.project_id is not None and project is None) or (
        payload.time_code_id is not None and time_code is None
    ):
        raise Http404
    timer.timer_start(actor=request.actor, project=project, time_code=time_code)
    return Status(201, _state(request))


@router.post(
    "/tenants/{tenant_id}/time/timer/stop",
    response={201: TimeEntryOut},
    summary="Stop my timer: the time since the start is saved as an entry of that day",
)
@tenant_endpoint(Perm.TIME_REPORT_OWN)
def timer_stop(request, tenant_id: Id):
    return Status(201, timer.timer_stop(actor=request.actor))
