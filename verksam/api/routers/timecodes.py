"""API of the timecodes module: activities, time codes, absence types, payroll codes per payroll
system, the tenant's time settings and its deviation period (avvikelseperiod).

Reading the master data: TIME_REPORT_OWN (the mobile app's entry form) or SETTINGS_MANAGE. Writing:
SETTINGS_MANAGE (TOTAL, partner FULL). Payroll codes are read with SETTINGS_MANAGE or PAYROLL_VIEW.
Settings and periods are read by every member: the period is needed wherever time is shown.
DELETE deactivates (entries keep their codes); nothing is ever deleted."""

from collections.abc import Callable
from typing import TypeVar

from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status

from verksam.core.errors import DomainError, Forbidden
from verksam.tenancy.permissions import Perm
from verksam.timecodes import selectors, services
from verksam.timecodes.models import AbsenceType, Activity, PayrollSystem, TimeCode
from verksam.timecodes.periods import Period, period_for

from ..paging import MAX_PAGE_SIZE, Page, PageParams, PageSize, paginate
from ..schemas.timecodes import (
    AbsenceTypeIn,
    AbsenceTypeOut,
    AbsenceTypePatch,
    ActivityIn,
    ActivityOut,
    ActivityPatch,
    PayrollCodeIn,
    PayrollCodesOut,
    PeriodOut,
    TimeCodeIn,
    TimeCodeOut,
    TimeCodePatch,
    TimeSettingsOut,
    TimeSettingsPatch,
)
from ..tenant import tenant_endpoint
from ..types import Id, QueryDate, Word

router = Router(tags=["time settings"])

T = TypeVar("T")


class ListParams(PageParams):
    page_size: PageSize = MAX_PAGE_SIZE
    active_only: bool = True


def _require_any(request, *perms: Perm) -> None:
    if not any(request.actor.has(p) for p in perms):
        raise Forbidden(_("You do not have permission to do this."), extra={"perm": str(perms[0])})


def _require_period_reader(request) -> None:
    # Who sees the deviation period in the web: the week (own time), the attestation queue and the
    # settings page. A LIMITED partner sees none of them, here as there (issue 7 item 2).
    _require_any(request, Perm.TIME_REPORT_OWN, Perm.TIME_ATTEST, Perm.SETTINGS_MANAGE)


def _require_read(request) -> None:
    _require_any(request, Perm.TIME_REPORT_OWN, Perm.SETTINGS_MANAGE)


def _list(request, list_selector: Callable[..., QuerySet], params: ListParams) -> dict:
    """One page of activities, time codes or absence types, for anyone who may read them."""
    _require_read(request)
    return paginate(list_selector(active_only=params.active_only), params.page, params.page_size)


def _found(obj: T | None) -> T:
    """A row the selector did not find (missing or another tenant's) answers 404 (DESIGN.md rule 8)."""
    if obj is None:
        raise Http404
    return obj


def _changes(payload: Schema) -> dict:
    # null means "leave unchanged": none of these fields can be null.
    return {k: v for k, v in payload.dict(exclude_unset=True).items() if v is not None}


def _period_out(period: Period) -> dict:
    return {"key": period.key, "start": period.start, "end": period.end}


# --- activities --------------------------------------------------------------------------------------------


@router.get("/tenants/{tenant_id}/activities", response=Page[ActivityOut], summary="Activities (aktiviteter)")
@tenant_endpoint()
def activity_list(request, tenant_id: Id, params: Query[ListParams]):
    return _list(request, selectors.activity_list, params)


@router.post("/tenants/{tenant_id}/activities", response={201: ActivityOut}, summary="Add an activity")
@tenant_endpoint(Perm.SETTINGS_MANAGE)
def activity_create(request, tenant_id: Id, payload: ActivityIn):
    return Status(201, services.activity_create(actor=request.actor, **payload.dict()))


def _activity(activity_id: int) -> Activity:
    return _found(selectors.activity_get(activity_id))


@router.patch(
    "/tenants/{tenant_id}/activities/{activity_id}", response=ActivityOut, summary="Change an activity"
)
@tenant_endpoint(Perm.SETTINGS_MANAGE)
def activity_update(request, tenant_id: Id, activity_id: Id, payload: ActivityPatch):
    return services.activity_update(actor=request.actor, activity=_activity(activity_id), **_changes(payload))


@router.delete(
    "/tenants/{tenant_id}/activities/{activity_id}", response=ActivityOut, summary="Deactivate an activity"
)
@tenant_endpoint(Perm.SETTINGS_MANAGE)
def activity_deactivate(request, tenant_id: Id, activity_id: Id):
    return services.activity_deactivate(actor=request.actor, activity=_activity(activity_id))


# --- time codes --------------------------------------------------------------------------------------------


def _time_code(time_code_id: int) -> TimeCode:
    return _found(selectors.time_code_get(time_code_id))


def _time_code_out(time_code: TimeCode) -> TimeCode:
    # Read again with the payroll codes loaded (TimeCodeOut.payroll_codes).
    return selectors.time_code_list(active_only=False).get(pk=time_code.pk)


@router.get("/tenants/{tenant_id}/time-codes", response=Page[TimeCodeOut], summary="Time codes (tidkoder)")
@tenant_endpoint()
def time_code_list(request, tenant_id: Id, params: Query[ListParams]):
    return _list(request, selectors.time_code_list, params)


@router.post("/tenants/{tenant_id}/time-codes", response={201: TimeCodeOut}, summary="Add a time code")
@tenant_endpoint(Perm.SETTINGS_MANAGE)
def time_code_create(request, tenant_id: Id, payload: TimeCodeIn):
    return Status(201, _time_code_out(services.time_code_create(actor=request.actor, **payload.dict())))


@router.patch(
    "/tenants/{tenant_id}/time-codes/{time_code_id}",
    response=TimeCodeOut,
    summary="Change a time code (making it the default switches the old default off)",
)
@tenant_endpoint(Perm.SETTINGS_MANAGE)
def time_code_update(request, tenant_id: Id, time_code_id: Id, payload: TimeCodePatch):
    time_code = _time_code(time_code_id)
    return _time_code_out(
        services.time_code_update(actor=request.actor, time_code=time_code, **_changes(payload))
    )


@router.delete(
    "/tenants/{tenant_id}/time-codes/{time_code_id}", response=TimeCodeOut, summary="Deactivate a time code"
)
@tenant_endpoint(Perm.SETTINGS_MANAGE)
def time_code_deactivate(request, tenant_id: Id, time_code_id: Id):
    time_code = _time_code(time_code_id)
    return _time_code_out(services.time_code_deactivate(actor=request.actor, time_code=time_code))


# --- absence types -----------------------------------------------------------------------------------------


def _absence_type(absence_type_id: int) -> AbsenceType:
    return _found(selectors.absence_type_get(absence_type_id))


def _absence_type_out(absence_type: AbsenceType) -> AbsenceType:
    # Read again with the payroll codes loaded (AbsenceTypeOut.payroll_codes).
    return selectors.absence_type_list(active_only=False).get(pk=absence_type.pk)


@router.get(
    "/tenants/{tenant_id}/absence-types", response=Page[AbsenceTypeOut], summary="Absence types (frånvaro)"
)
@tenant_endpoint()
def absence_type_list(request, tenant_id: Id, params: Query[ListParams]):
    return _list(request, selectors.absence_type_list, params)


@router.post(
    "/tenants/{tenant_id}/absence-types", response={201: AbsenceTypeOut}, summary="Add an absence type"
)
@tenant_endpoint(Perm.SETTINGS_MANAGE)
def absence_type_create(request, tenant_id: Id, payload: AbsenceTypeIn):
    return Status(201, _absence_type_out(services.absence_type_create(actor=request.actor, **payload.dict())))


@router.patch(
    "/tenants/{tenant_id}/absence-types/{absence_type_id}",
    response=AbsenceTypeOut,
    summary="Change an absence type",
)
@tenant_endpoint(Perm.SETTINGS_MANAGE)
def absence_type_update(request, tenant_id: Id, absence_type_id: Id, payload: AbsenceTypePatch):
    absence_type = _absence_type(absence_type_id)
    return _absence_type_out(
        services.absence_type_update(actor=request.actor, absence_type=absence_type, **_changes(payload))
    )


@router.delete(
    "/tenants/{tenant_id}/absence-types/{absence_type_id}",
    response=AbsenceTypeOut,
    summary="Deactivate an absence type",
)
@tenant_endpoint(Perm.SETTINGS_MANAGE)
def absence_type_deactivate(request, tenant_id: Id, absence_type_id: Id):
    absence_type = _absence_type(absence_type_id)
    return _absence_type_out(services.absence_type_deactivate(actor=request.actor, absence_type=absence_type))


# --- payroll codes -----------------------------------------------------------------------------------------


def _payroll_codes(system: str) -> dict:
    mapped = selectors.payroll_code_map(system=system)
    items = []
    for kind, qs in (
        ("time", selectors.time_code_list(active_only=True)),
        ("absence", selectors.absence_type_list(active_only=True)),
    ):
        for obj in qs:
            explicit = next((p.code for p in obj.payroll_codes.all() if p.system == system), "")
            items.append(
                {
                    "kind": kind,
                    "target_id": obj.pk,
                    "target_code": obj.code,
                    "target_name": obj.name,
                    "code": explicit,
                    "mapped": (kind, obj.pk) in mapped,
                }
            )
    return {"system": system, "items": items, "missing": sum(1 for i in items if not i["mapped"])}


def _system(system: str) -> str:
    if system not in PayrollSystem.values:
        raise DomainError(
            _("Unknown payroll system."), code="invalid_payroll_system", extra={"field": "system"}
        )
    return system


@router.get(
    "/tenants/{tenant_id}/payroll-codes",
    response=PayrollCodesOut,
    summary="Payroll codes (lönekoder) of the active time codes and absence types in one payroll system",
)
@tenant_endpoint()
def payroll_code_list(request, tenant_id: Id, system: Word = ""):
    # The settings page shows them (SETTINGS_MANAGE); the payroll basis will show them to PAYROLL_VIEW
    # in the web and the API alike when it exists (issue 7 item 2: same permission, same answer).
    _require_any(request, Perm.SETTINGS_MANAGE)
    system = system or selectors.time_settings_get(tenant_id=tenant_id).payroll_system
    return _payroll_codes(_system(system))


@router.put(
    "/tenants/{tenant_id}/payroll-codes",
    response=PayrollCodesOut,
    summary="Set (or, with an empty code, clear) one payroll code",
)
@tenant_endpoint(Perm.SETTINGS_MANAGE)
def payroll_code_set(request, tenant_id: Id, payload: PayrollCodeIn):
    system = _system(payload.system)
    time_code: TimeCode | None = None
    absence_type: AbsenceType | None = None
    if payload.kind == "time":
        time_code = _time_code(payload.target_id)
    elif payload.kind == "absence":
        absence_type = _absence_type(payload.target_id)
    else:
        raise DomainError(_("Choose a time code or an absence type."), code="invalid_target")
    services.payroll_code_set(
        actor=request.actor,
        system=system,
        code=payload.code,
        time_code=time_code,
        absence_type=absence_type,
    )
    return _payroll_codes(system)


# --- settings and periods ----------------------------------------------------------------------------------


def _settings_out(tenant_id: int) -> dict:
    settings = selectors.time_settings_get(tenant_id=tenant_id)
    return {
        "period_start_day": settings.period_start_day,
        "payroll_system": settings.payroll_system,
        "reminders_enabled": settings.reminders_enabled,
        "reminder_days_before": settings.reminder_days_before,
        "allow_negative_time_bank": settings.allow_negative_time_bank,
        "excess_time_rule": settings.excess_time_rule,
        "current_period": _period_out(selectors.current_period(tenant_id=tenant_id)),
    }


@router.get("/tenants/{tenant_id}/time-settings", response=TimeSettingsOut, summary="Time settings")
@tenant_endpoint()
def time_settings_get(request, tenant_id: Id):
    _require_period_reader(request)
    return _settings_out(tenant_id)


@router.patch(
    "/tenants/{tenant_id}/time-settings",
    response=TimeSettingsOut,
    summary="Change the deviation period's start day (1–28), the payroll system or the reminders",
)
@tenant_endpoint(Perm.SETTINGS_MANAGE)
def time_settings_update(request, tenant_id: Id, payload: TimeSettingsPatch):
    services.time_settings_update(actor=request.actor, **_changes(payload))
    return _settings_out(tenant_id)


@router.get(
    "/tenants/{tenant_id}/periods/current",
    response=PeriodOut,
    summary="The deviation period (avvikelseperiod) containing today, or `date`",
)
@tenant_endpoint()
def period_current(request, tenant_id: Id, date: QueryDate | None = None):
    _require_period_reader(request)
    if date is None:
        return _period_out(selectors.current_period(tenant_id=tenant_id))
    start_day = selectors.time_settings_get(tenant_id=tenant_id).period_start_day
    return _period_out(period_for(date, start_day))
