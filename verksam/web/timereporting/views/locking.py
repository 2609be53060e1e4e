"""Lock (send for attestation) and unlock own days or a whole week."""

import datetime as dt
from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from verksam.core import timeutil
from verksam.core.errors import DomainError
from verksam.tenancy.access import Actor
from verksam.tenancy.permissions import Perm
from verksam.timereporting import services
from verksam.web.decorators import TenantRequest, tenant_view

from .common import (
    parse_day,
    safe_next,
    week_monday,
)


def _posted_dates(request: TenantRequest) -> list[dt.date]:
    week = request.POST.get("week")
    if week:
        return timeutil.iso_week_dates(*week_monday(week).isocalendar()[:2])
    return [parse_day(value) for value in request.POST.getlist("date")]


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
    return redirect(safe_next(request, fallback))


@tenant_view(Perm.TIME_REPORT_OWN)
def time_lock(request: TenantRequest, slug: str) -> HttpResponse:
    """Lock a day or a week: it goes to the approver (attestansvarig) for attestation."""
    # "Inget att rapportera": the employee confirms that the short or empty days are as they are.
    confirmed = request.POST.get("nothing_to_report") in ("1", "on", "true")

    def lock(*, actor: Actor, dates: list[dt.date]) -> int:
        week = request.POST.get("week")
        if week:  # "Lås veckan": the days up to today (services.week_lock)
            year, number = week_monday(week).isocalendar()[:2]
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
