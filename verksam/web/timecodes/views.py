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
from django.utils.functional import Promise
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
        "excess_time_rule": settings.excess_time_rule,
        "allow_negative_time_bank": settings.allow_negative_time_bank,
    }


def _page(
    request: TenantRequest, *, bound: dict[str, forms.Form] | None = None, status: int = 200
) -> HttpResponse:
    tenant_id = request.actor.tenant_id
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
        "time_code_form": bound.get(TIME_CODE.key)
        or TimeCodeForm(
            prefix=TIME_CODE.prefix,
            initial={"kind": "worked", "time_bank_effect": "none", "time_bank_factor_pct": 100},
        ),
        "absence_type_form": bound.get(ABSENCE_TYPE.key)
        or AbsenceTypeForm(prefix=ABSENCE_TYPE.prefix, initial={"time_bank_effect": "none"}),
        "activity_form": bound.get(ACTIVITY.key)
        or ActivityForm(prefix=ACTIVITY.prefix, initial={"invoiceable": True}),
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


@dataclass(frozen=True)
class _Kind:
    """One kind of master data on the settings page: its forms, services and section."""

    key: str  # the bound form's key in _page, and the update service's keyword for the row
    prefix: str  # the add form's prefix on the settings page
    anchor: str  # its section (SECTION_LABELS)
    add_form: type[forms.Form]
    edit_form: type[forms.Form]
    create: Callable[..., Any]
    update: Callable[..., Any]
    edit_title: str | Promise


TIME_CODE = _Kind(
    key="time_code",
    prefix="tc",
    anchor="tidkoder",
    add_form=TimeCodeForm,
    edit_form=TimeCodeEditForm,
    create=services.time_code_create,
    update=services.time_code_update,
    edit_title=gettext_lazy("Edit time code"),
)
ABSENCE_TYPE = _Kind(
    key="absence_type",
    prefix="ab",
    anchor="franvarotyper",
    add_form=AbsenceTypeForm,
    edit_form=AbsenceTypeEditForm,
    create=services.absence_type_create,
    update=services.absence_type_update,
    edit_title=gettext_lazy("Edit absence type"),
)
ACTIVITY = _Kind(
    key="activity",
    prefix="ac",
    anchor="aktiviteter",
    add_form=ActivityForm,
    edit_form=ActivityEditForm,
    create=services.activity_create,
    update=services.activity_update,
    edit_title=gettext_lazy("Edit activity"),
)


def _settings_url(slug: str, anchor: str, query: str = "") -> str:
    return reverse("web:timecodes_settings", args=[slug]) + query + f"#{anchor}"


def _submit(
    request: TenantRequest, form: forms.Form, *, key: str, save: Callable[[], str], url: str
) -> HttpResponse:
    """Save a valid form with `save` (which returns the success message) and go to `url`; an invalid
    form or a refusal of the service shows the page again with the errors (422)."""
    if form.is_valid():
        try:
            message = save()
        except (DomainError, ValidationError) as exc:
            add_error(form, exc)
        else:
            messages.success(request, message)
            return redirect(url)
    return _page(request, bound={key: form}, status=422)


def _create(request: TenantRequest, slug: str, kind: _Kind) -> HttpResponse:
    form = kind.add_form(request.POST, prefix=kind.prefix)

    def save() -> str:
        obj = kind.create(actor=request.actor, **form.cleaned_data)
        return _("%(name)s has been added.") % {"name": obj.name}

    return _submit(request, form, key=kind.key, save=save, url=_settings_url(slug, kind.anchor))


@tenant_view(Perm.SETTINGS_MANAGE)
@require_POST
def time_code_create(request: TenantRequest, slug: str) -> HttpResponse:
    return _create(request, slug, TIME_CODE)


@tenant_view(Perm.SETTINGS_MANAGE)
@require_POST
def absence_type_create(request: TenantRequest, slug: str) -> HttpResponse:
    return _create(request, slug, ABSENCE_TYPE)


@tenant_view(Perm.SETTINGS_MANAGE)
@require_POST
def activity_create(request: TenantRequest, slug: str) -> HttpResponse:
    return _create(request, slug, ACTIVITY)


def _edit(request: TenantRequest, slug: str, kind: _Kind, obj: Any) -> HttpResponse:
    if obj is None:
        raise Http404
    initial = {name: getattr(obj, name) for name in kind.edit_form.base_fields}
    form = kind.edit_form(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        changes = {k: v for k, v in form.cleaned_data.items() if getattr(obj, k) != v}
        try:
            if changes:
                kind.update(actor=request.actor, **{kind.key: obj}, **changes)
        except (DomainError, ValidationError) as exc:
            add_error(form, exc)
        else:
            messages.success(request, _("The changes have been saved."))
            return redirect(_settings_url(slug, kind.anchor))
    status = 422 if request.method == "POST" else 200
    context = {"form": form, "object": obj, "title": kind.edit_title, "anchor": kind.anchor}
    return render(request, "web/timecodes/edit.html", context, status=status)


@tenant_view(Perm.SETTINGS_MANAGE)
def time_code_edit(request: TenantRequest, slug: str, time_code_id: int) -> HttpResponse:
    return _edit(request, slug, TIME_CODE, selectors.time_code_get(time_code_id))


@tenant_view(Perm.SETTINGS_MANAGE)
def absence_type_edit(request: TenantRequest, slug: str, absence_type_id: int) -> HttpResponse:
    return _edit(request, slug, ABSENCE_TYPE, selectors.absence_type_get(absence_type_id))


@tenant_view(Perm.SETTINGS_MANAGE)
def activity_edit(request: TenantRequest, slug: str, activity_id: int) -> HttpResponse:
    return _edit(request, slug, ACTIVITY, selectors.activity_get(activity_id))


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

    def save() -> str:
        services.payroll_code_set_many(actor=request.actor, system=system, codes=form.codes())
        return _("The payroll codes have been saved.")

    url = _settings_url(slug, "lonekoder", query=f"?system={system}")
    return _submit(request, form, key="payroll", save=save, url=url)


@tenant_view(Perm.SETTINGS_MANAGE)
@require_POST
def time_settings_save(request: TenantRequest, slug: str) -> HttpResponse:
    form = TimeSettingsForm(request.POST, prefix="ps")

    def save() -> str:
        services.time_settings_update(actor=request.actor, **form.cleaned_data)
        return _("The changes have been saved.")

    return _submit(request, form, key="settings", save=save, url=_settings_url(slug, "avvikelseperiod"))


# The page's sections (tabs), anchored by Swedish ids so a link can open one.
SECTION_LABELS = {
    "tidkoder": gettext_lazy("Time codes"),
    "franvarotyper": gettext_lazy("Absence types"),
    "aktiviteter": gettext_lazy("Activities"),
    "lonekoder": gettext_lazy("Payroll codes"),
    "avvikelseperiod": gettext_lazy("Deviation period and reminders"),
}
