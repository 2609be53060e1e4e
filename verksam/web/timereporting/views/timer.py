"""Start and stop the running timer from the day page ("Starta/Stoppa", issue 12 item 1); the
state lives on the server (verksam.timereporting.timer), so the phone may be closed in between."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from verksam.core import bounds
from verksam.core.duration import hm
from verksam.core.errors import DomainError
from verksam.projects.selectors import project_reportable_for
from verksam.tenancy.permissions import Perm
from verksam.timereporting import timer
from verksam.web.decorators import TenantRequest, tenant_view


@tenant_view(Perm.TIME_REPORT_OWN)
@require_POST
def time_timer_start(request: TenantRequest, slug: str) -> HttpResponse:
    project = None
    project_id = bounds.parse_id(request.POST.get("project"))
    if project_id:
        project = project_reportable_for(actor=request.actor).filter(pk=project_id).first()
        if project is None:
            raise Http404
    try:
        started = timer.timer_start(actor=request.actor, project=project)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("The timer started at %(time)s.")
            % {"time": timezone.localtime(started.started_at).strftime("%H:%M")},
        )
    return redirect("web:time_day", slug, timezone.localdate().isoformat())


@tenant_view(Perm.TIME_REPORT_OWN)
@require_POST
def time_timer_stop(request: TenantRequest, slug: str) -> HttpResponse:
    try:
        entry = timer.timer_stop(actor=request.actor)
    except (DomainError, ValidationError) as exc:
        messages.error(request, getattr(exc, "message", None) or " ".join(getattr(exc, "messages", [])))
        return redirect("web:time_day", slug, timezone.localdate().isoformat())
    messages.success(
        request,
        _("The timer stopped: %(start)s–%(end)s (%(hours)s) is saved.")
        % {
            "start": entry.start_time.strftime("%H:%M") if entry.start_time else "",
            "end": entry.end_time.strftime("%H:%M") if entry.end_time else "",
            "hours": hm(entry.minutes),
        },
    )
    return redirect("web:time_day", slug, entry.date.isoformat())
