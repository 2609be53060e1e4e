"""Attestering: the approver's queue per deviation period, one employee's period (attest, reject,
reopen), bulk attestation, and substitutes (ersättare)."""

import datetime as dt
from dataclasses import dataclass, field

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from verksam.attestation import selectors, services
from verksam.core import bounds
from verksam.core.duration import hm
from verksam.core.errors import DomainError
from verksam.tenancy.permissions import Perm
from verksam.tenancy.selectors import membership_get
from verksam.timecodes.periods import Period, period_next, period_previous
from verksam.timereporting import selectors as time_selectors
from verksam.web.decorators import TenantRequest, tenant_view
from verksam.web.errors import add_error

from .charts import queue_charts
from .forms import Action, DayActionForm, DelegationForm
from .rows import queue_rows_html


def _period(request: TenantRequest) -> tuple[Period, int]:
    start_day = selectors.attestation_settings().period_start_day
    period = selectors.period_get(request.GET.get("period"), start_day=start_day)
    if period is None:  # a malformed ?period= shows the current period
        period = selectors.period_get(None, start_day=start_day)
    assert period is not None
    return period, start_day


def _as_of(request: TenantRequest) -> dt.date | None:
    """The `?date=` the balances are shown as of; none (or a malformed one) means the period's end."""
    try:
        day = dt.date.fromisoformat(request.GET.get("date") or "")
    except ValueError:
        return None
    return day if bounds.in_calendar(day) else None


def _nav(period: Period, start_day: int) -> dict:
    return {
        "period": period,
        "previous_key": period_previous(period, start_day).key,
        "next_key": period_next(period, start_day).key,
    }


FILTERS = selectors.QUEUE_FILTERS


@tenant_view(Perm.TIME_ATTEST)
def attest_queue(request: TenantRequest, slug: str) -> HttpResponse:
    period, start_day = _period(request)
    waiting_only = request.GET.get("waiting") == "1"
    as_of = _as_of(request)
    every = selectors.attestation_queue(
        actor=request.actor, period=period, waiting_only=waiting_only, as_of=as_of
    )
    chosen = request.GET.get("filter") or ""
    keep = FILTERS.get(chosen)
    rows = [r for r in every if keep(r)] if keep else every
    context = {
        "as_of": as_of or period.end,
        **_nav(period, start_day),
        **_closing(request, period),
        "rows": rows,
        "rows_html": queue_rows_html(rows, slug=request.actor.tenant.slug, period_key=period.key),
        "waiting_only": waiting_only,
        "filter": chosen if keep else "",
        "filter_counts": {name: sum(1 for r in every if test(r)) for name, test in FILTERS.items()},
        "locked_days": sum(r.days_locked for r in every),
        "charts": queue_charts(every, period),
    }
    return render(request, "web/attestation/queue.html", context)


def _closing(request: TenantRequest, period: Period) -> dict:
    """Whether the period is closed after payroll, and whether the actor may close or reopen it."""
    return {
        "period_close": selectors.period_close_get(period.key),
        "may_close_period": request.actor.has(Perm.PERIOD_CLOSE),
    }


def _may_report_for(request: TenantRequest, membership) -> bool:
    try:
        time_selectors.report_target_get(actor=request.actor, membership_id=membership.pk)
    except DomainError:
        return False
    return True


@tenant_view(Perm.PERIOD_CLOSE)
@require_POST
def attest_period_close(request: TenantRequest, slug: str) -> HttpResponse:
    """Close the deviation period after payroll (issue 8 item 8)."""
    period, _start_day = _period(request)
    try:
        services.period_close(actor=request.actor, period_key=period.key)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The period is closed. Its time can no longer be changed."))
    return redirect(reverse("web:attest_queue", args=[slug]) + f"?period={period.key}")


@tenant_view(Perm.PERIOD_CLOSE)
@require_POST
def attest_period_reopen(request: TenantRequest, slug: str) -> HttpResponse:
    """Reopen a closed deviation period with a reason (audited, flagged for the correction file)."""
    period, _start_day = _period(request)
    try:
        services.period_reopen(
            actor=request.actor, period_key=period.key, reason=request.POST.get("reason", "")
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request, _("The period is reopened. The reopening is noted for the payroll correction.")
        )
    return redirect(reverse("web:attest_queue", args=[slug]) + f"?period={period.key}")


def _member_or_404(request: TenantRequest, member_id: int):
    membership = membership_get(member_id)
    if membership is None:
        raise Http404
    route = selectors.attest_route(actor=request.actor, membership=membership)
    if route is None:
        raise PermissionDenied
    return route


@tenant_view(Perm.TIME_ATTEST)
def attest_employee(request: TenantRequest, slug: str, member_id: int) -> HttpResponse:
    route = _member_or_404(request, member_id)
    membership = route.membership
    period, start_day = _period(request)
    form = DayActionForm(request.POST or None, days=period.days)
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            data = form.cleaned_data
            try:
                if data["action"] == Action.ATTEST:
                    n = services.time_attest(actor=request.actor, membership=membership, dates=data["dates"])
                    text = ngettext("%(n)d day attested.", "%(n)d days attested.", n)
                elif data["action"] == Action.REJECT:
                    n = services.time_reject(
                        actor=request.actor,
                        membership=membership,
                        dates=data["dates"],
                        comment=data["comment"],
                    )
                    text = ngettext(
                        "%(n)d day rejected and sent back to the employee.",
                        "%(n)d days rejected and sent back to the employee.",
                        n,
                    )
                else:
                    n = services.time_reopen(
                        actor=request.actor, membership=membership, dates=data["dates"], reason=data["reason"]
                    )
                    text = ngettext("%(n)d day reopened.", "%(n)d days reopened.", n)
            except (DomainError, ValidationError) as exc:
                add_error(form, exc)
                if isinstance(exc, DomainError) and exc.status == 403:
                    status = 403  # e.g. reopening without TIME_REOPEN: refused, not invalid
            else:
                messages.success(request, text % {"n": n})
                url = reverse("web:attest_employee", args=[slug, membership.pk])
                return redirect(f"{url}?period={period.key}")
    detail = selectors.employee_period(membership=membership, period=period, as_of=_as_of(request))
    context = {
        **_nav(period, start_day),
        "weeks": _weeks(detail.days),
        "route": route,
        "membership": membership,
        "detail": detail,
        "form": form,
        "may_reopen": request.actor.has(Perm.TIME_REOPEN),
        "may_report_for": _may_report_for(request, membership),
        **_closing(request, period),
    }
    return render(request, "web/attestation/employee.html", context, status=status)


@dataclass
class WeekGroup:
    """The days of one ISO week of the period, with the week's reported and scheduled time."""

    number: int
    days: list = field(default_factory=list)

    @property
    def hours(self) -> str:
        return hm(sum(d.minutes for d in self.days))

    @property
    def scheduled_hours(self) -> str:
        return hm(sum(d.scheduled_minutes for d in self.days))


def _weeks(days: list) -> list[WeekGroup]:
    """The period's days grouped by week (issue 12 item 5: a month read week by week)."""
    weeks: list[WeekGroup] = []
    for day in days:
        number = day.date.isocalendar()[1]
        if not weeks or weeks[-1].number != number:
            weeks.append(WeekGroup(number=number))
        weeks[-1].days.append(day)
    return weeks


@tenant_view(Perm.TIME_ATTEST)
def attest_bulk(request: TenantRequest, slug: str) -> HttpResponse:
    period, start_day = _period(request)
    if request.method == "POST":
        try:
            result = services.time_attest_bulk(actor=request.actor, period_key=period.key)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(
                request,
                ngettext(
                    "%(days)d day attested for %(employees)d employees.",
                    "%(days)d days attested for %(employees)d employees.",
                    result["days"],
                )
                % {"days": result["days"], "employees": result["employees"]},
            )
        return redirect(reverse("web:attest_queue", args=[slug]) + f"?period={period.key}")
    rows = [r for r in selectors.attestation_queue(actor=request.actor, period=period) if r.days_locked]
    context = {**_nav(period, start_day), "rows": rows, "locked_days": sum(r.days_locked for r in rows)}
    return render(request, "web/attestation/bulk_confirm.html", context)


@tenant_view(Perm.TIME_ATTEST)
def attest_delegations(request: TenantRequest, slug: str) -> HttpResponse:
    form = DelegationForm(request.POST or None, actor=request.actor)
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            try:
                services.delegation_create(actor=request.actor, **form.cleaned_data)
            except (DomainError, ValidationError) as exc:
                add_error(form, exc)
            else:
                messages.success(request, _("The substitute has been named."))
                return redirect("web:attest_delegations", slug)
    delegations = selectors.delegation_list(actor=request.actor)
    context = {"form": form, "delegations": delegations}
    return render(request, "web/attestation/delegations.html", context, status=status)


@tenant_view(Perm.TIME_ATTEST)
@require_POST
def attest_delegation_revoke(request: TenantRequest, slug: str, delegation_id: int) -> HttpResponse:
    delegation = selectors.delegation_get(delegation_id)
    if delegation is None:
        raise Http404
    try:
        services.delegation_revoke(actor=request.actor, delegation=delegation)
    except DomainError as exc:
        if exc.status == 403:
            raise PermissionDenied from exc
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The delegation has been revoked."))
    return redirect("web:attest_delegations", slug)
