"""Inställningar > Tidsinställningar (TOTAL users): time codes, absence types, activities, payroll
codes per payroll system, and the deviation period (avvikelseperiod) with its reminders."""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from verksam.core.errors import DomainError
from verksam.tenancy.permissions import Perm
from verksam.timecodes import selectors, services
from verksam.timecodes.models import PayrollSystem
from verksam.timecodes.periods import Period, period_next
from verksam.web.decorators import TenantRequest, tenant_view
from verksam.web.errors import add_error

from .forms import (
    AbsenceTypeEditForm,
    AbsenceTypeForm,
    ActivityEditForm,
    ActivityForm,
    PayrollCodesForm,
    TimeCodeEditForm,
    TimeCodeForm,
    TimeSettingsForm,
)


def period_label(period: Period) -> str:
    """ "16 nov – 15 dec 2026" (the year once when both ends share it)."""
    if period.start.year == period.end.year:
        start = date_format(period.start, "j M")
    else:
        start = date_format(period.start, "j M Y")
    return f"{start} – {date_format(period.end, 'j M Y')}".lower()


@dataclass(frozen=True)
class PayrollRow:
    kind: str  # "time" or "absence"
    id: int
    code: str
    name: str
    paxml_code: str
    value: str  # the explicit payroll code in the chosen system, "" when none
    mapped: bool  # explicit, or the PAXml fallback

    @property
    def field(self) -> str:
        return f"{self.kind}-{self.id}"

    @property
    def placeholder(self) -> str:
        return self.paxml_code if not self.value and self.mapped else ""


def _system(request: TenantRequest, default: str) -> str:
    system = request.POST.get("system") or request.GET.get("system") or default
    return system if system in PayrollSystem.values else default


def _payroll_rows(system: str, time_codes: list, absence_types: list) -> list[PayrollRow]:
    mapped = selectors.payroll_code_map(system=system)
    rows = []
    for kind, items in (("time", time_codes), ("absence", absence_types)):
        for item in items:
            if not item.is_active:
                continue
            explicit = next((p.code for p in item.payroll_codes.all() if p.system == system), "")
            rows.append(
                PayrollRow(
                    kind, item.pk, item.code, item.name, item.paxml_code, explicit, (kind, item.pk) in mapped
                )
            )
    return rows


def _settings_initial(settings) -> dict[str, Any]:
    return {
        "period_start_day": settings.period_start_day,
        "payroll_system": settings.payroll_system,
        "reminders_enabled": settings.reminders_enabled,
        "reminder_days_before": settings.reminder_days_before,
    }


def _page(
    request: TenantRequest, *, bound: dict[str, forms.Form] | None = None, status: int = 200
) -> HttpResponse:
    tenant_id = request.actor.tenant_id
    services.timecodes_install_defaults(tenant_id=tenant_id)
    settings = selectors.time_settings_get(tenant_id=tenant_id)
    current = selectors.current_period(tenant_id=tenant_id)
    following = period_next(current, settings.period_start_day)
    time_codes = list(selectors.time_code_list(active_only=False))
    absence_types = list(selectors.absence_type_list(active_only=False))
    system = _system(request, settings.payroll_system)
    rows = _payroll_rows(system, time_codes, absence_types)
    bound = bound or {}
    context = {
        "settings": settings,
        "period": current,
        "period_label": period_label(current),
        "next_period_label": period_label(following),
        "reminder_day": current.end - dt.timedelta(days=settings.reminder_days_before),
        "time_codes": time_codes,
        "absence_types": absence_types,
        "activities": list(selectors.activity_list(active_only=False)),
        "time_code_form": bound.get("time_code")
        or TimeCodeForm(prefix="tc", initial={"counts_as_worked": True, "time_bank_effect": "none"}),
        "absence_type_form": bound.get("absence_type")
        or AbsenceTypeForm(prefix="ab", initial={"time_bank_effect": "none"}),
        "activity_form": bound.get("activity") or ActivityForm(prefix="ac", initial={"invoiceable": True}),
        "settings_form": bound.get("settings")
        or TimeSettingsForm(prefix="ps", initial=_settings_initial(settings)),
        "payroll_form": bound.get("payroll")
        or PayrollCodesForm(rows=rows, initial={"system": system, **{r.field: r.value for r in rows}}),
        "payroll_system": system,
        "payroll_systems": PayrollSystem.choices,
        "payroll_missing": [r for r in rows if not r.mapped],
        "open_section": next(iter(bound), ""),
        "sections": SECTION_LABELS.items(),
    }
    return render(request, "web/timecodes/settings.html", context, status=status)


@tenant_view(Perm.SETTINGS_MANAGE)
def settings_page(request: TenantRequest, slug: str) -> HttpResponse:
    return _page(request)


def _create(
    request: TenantRequest,
    slug: str,
    *,
    key: str,
    form_class: type[forms.Form],
    prefix: str,
    service: Callable[..., Any],
    anchor: str,
) -> HttpResponse:
    form = form_class(request.POST, prefix=prefix)
    if form.is_valid():
        try:
            obj = service(actor=request.actor, **form.cleaned_data)
        except (DomainError, ValidationError) as exc:
            add_error(form, exc)
        else:
            messages.success(request, _("%(name)s has been added.") % {"name": obj.name})
            return redirect(reverse("web:timecodes_settings", args=[slug]) + f"#{anchor}")
    return _page(request, bound={key: form}, status=422)


@tenant_view(Perm.SETTINGS_MANAGE)
@require_POST
def time_code_create(request: TenantRequest, slug: str) -> HttpResponse:
    return _create(
        request,
        slug,
        key="time_code",
        form_class=TimeCodeForm,
        prefix="tc",
        service=services.time_code_create,
        anchor="tidkoder",
    )


@tenant_view(Perm.SETTINGS_MANAGE)
@require_POST
def absence_type_create(request: TenantRequest, slug: str) -> HttpResponse:
    return _create(
        request,
        slug,
        key="absence_type",
        form_class=AbsenceTypeForm,
        prefix="ab",
        service=services.absence_type_create,
        anchor="franvarotyper",
    )


@tenant_view(Perm.SETTINGS_MANAGE)
@require_POST
def activity_create(request: TenantRequest, slug: str) -> HttpResponse:
    return _create(
        request,
        slug,
        key="activity",
        form_class=ActivityForm,
        prefix="ac",
        service=services.activity_create,
        anchor="aktiviteter",
    )


def _edit(
    request: TenantRequest,
    slug: str,
    obj: Any,
    *,
    form_class: type[forms.Form],
    update: Callable[..., Any],
    target: str,
    anchor: str,
    title: str,
) -> HttpResponse:
    if obj is None:
        raise Http404
    initial = {name: getattr(obj, name) for name in form_class.base_fields}
    form = form_class(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        changes = {k: v for k, v in form.cleaned_data.items() if getattr(obj, k) != v}
        try:
            if changes:
                update(actor=request.actor, **{target: obj}, **changes)
        except (DomainError, ValidationError) as exc:
            add_error(form, exc)
        else:
            messages.success(request, _("The changes have been saved."))
            return redirect(reverse("web:timecodes_settings", args=[slug]) + f"#{anchor}")
    status = 422 if request.method == "POST" else 200
    context = {"form": form, "object": obj, "title": title, "anchor": anchor}
    return render(request, "web/timecodes/edit.html", context, status=status)


@tenant_view(Perm.SETTINGS_MANAGE)
def time_code_edit(request: TenantRequest, slug: str, time_code_id: int) -> HttpResponse:
    return _edit(
        request,
        slug,
        selectors.time_code_get(time_code_id),
        form_class=TimeCodeEditForm,
        update=services.time_code_update,
        target="time_code",
        anchor="tidkoder",
        title=_("Edit time code"),
    )


@tenant_view(Perm.SETTINGS_MANAGE)
def absence_type_edit(request: TenantRequest, slug: str, absence_type_id: int) -> HttpResponse:
    return _edit(
        request,
        slug,
        selectors.absence_type_get(absence_type_id),
        form_class=AbsenceTypeEditForm,
        update=services.absence_type_update,
        target="absence_type",
        anchor="franvarotyper",
        title=_("Edit absence type"),
    )


@tenant_view(Perm.SETTINGS_MANAGE)
def activity_edit(request: TenantRequest, slug: str, activity_id: int) -> HttpResponse:
    return _edit(
        request,
        slug,
        selectors.activity_get(activity_id),
        form_class=ActivityEditForm,
        update=services.activity_update,
        target="activity",
        anchor="aktiviteter",
        title=_("Edit activity"),
    )


@tenant_view(Perm.SETTINGS_MANAGE)
@require_POST
def payroll_codes_save(request: TenantRequest, slug: str) -> HttpResponse:
    settings = selectors.time_settings_get(tenant_id=request.actor.tenant_id)
    system = _system(request, settings.payroll_system)
    rows = _payroll_rows(
        system,
        list(selectors.time_code_list(active_only=True)),
        list(selectors.absence_type_list(active_only=True)),
    )
    form = PayrollCodesForm(request.POST, rows=rows)
    if form.is_valid():
        try:
            services.payroll_code_set_many(actor=request.actor, system=system, codes=form.codes())
        except (DomainError, ValidationError) as exc:
            add_error(form, exc)
        else:
            messages.success(request, _("The payroll codes have been saved."))
            return redirect(reverse("web:timecodes_settings", args=[slug]) + f"?system={system}#lonekoder")
    return _page(request, bound={"payroll": form}, status=422)


@tenant_view(Perm.SETTINGS_MANAGE)
@require_POST
def time_settings_save(request: TenantRequest, slug: str) -> HttpResponse:
    form = TimeSettingsForm(request.POST, prefix="ps")
    if form.is_valid():
        try:
            services.time_settings_update(actor=request.actor, **form.cleaned_data)
        except (DomainError, ValidationError) as exc:
            add_error(form, exc)
        else:
            messages.success(request, _("The changes have been saved."))
            return redirect(reverse("web:timecodes_settings", args=[slug]) + "#avvikelseperiod")
    return _page(request, bound={"settings": form}, status=422)


# The page's sections (tabs), anchored by Swedish ids so a link can open one.
SECTION_LABELS = {
    "tidkoder": gettext_lazy("Time codes"),
    "franvarotyper": gettext_lazy("Absence types"),
    "aktiviteter": gettext_lazy("Activities"),
    "lonekoder": gettext_lazy("Payroll codes"),
    "avvikelseperiod": gettext_lazy("Deviation period and reminders"),
}
