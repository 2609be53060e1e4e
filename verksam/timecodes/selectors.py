"""Reads of the time-reporting master data: activities, time codes, absence types, payroll codes,
the tenant's time settings and its deviation period (avvikelseperiod). Every read runs in the
tenant scope; none of them writes (a missing settings row reads as the model's defaults)."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from .models import AbsenceType, Activity, PayrollCode, PayrollSystem, TimeCode, TimeSettings
from .periods import Period, period_by_key, period_for


def time_settings_get(*, tenant_id: int) -> TimeSettings:
    """The tenant's settings; an unsaved row with the defaults (calendar month) while none is stored.

    `timecodes_install_defaults` and `time_settings_update` store the row; a read never writes."""
    settings = TimeSettings.objects.filter(tenant_id=tenant_id).first()
    return settings if settings is not None else TimeSettings(tenant_id=tenant_id)


def current_period(tenant_id: int, today: dt.date | None = None) -> Period:
    """The deviation period that contains `today` (default: today in Europe/Stockholm)."""
    day = today or timezone.localdate()
    return period_for(day, time_settings_get(tenant_id=tenant_id).period_start_day)


def period_get(*, tenant_id: int, key: str) -> Period:
    """The tenant's deviation period named `YYYY-MM` (the month it ends in)."""
    return period_by_key(key, time_settings_get(tenant_id=tenant_id).period_start_day)


def activity_list(*, active_only: bool = True) -> QuerySet[Activity]:
    qs = Activity.objects.all()
    return qs.filter(is_active=True) if active_only else qs


def activity_get(activity_id: int) -> Activity | None:
    return Activity.objects.filter(pk=activity_id).first()


def _with_payroll_codes(qs: QuerySet) -> QuerySet:
    return qs.prefetch_related(Prefetch("payroll_codes", queryset=PayrollCode.objects.order_by("system")))


def time_code_list(*, active_only: bool = True) -> QuerySet[TimeCode]:
    """Time codes with their payroll codes loaded (a constant number of queries)."""
    qs = _with_payroll_codes(TimeCode.objects.all())
    return qs.filter(is_active=True) if active_only else qs


def time_code_get(time_code_id: int) -> TimeCode | None:
    return TimeCode.objects.filter(pk=time_code_id).first()


def time_code_default() -> TimeCode | None:
    """The time code new entries start with (at most one per tenant)."""
    return TimeCode.objects.filter(is_default=True, is_active=True).first()


def absence_type_list(*, active_only: bool = True) -> QuerySet[AbsenceType]:
    """Absence types with their payroll codes loaded (a constant number of queries)."""
    qs = _with_payroll_codes(AbsenceType.objects.all())
    return qs.filter(is_active=True) if active_only else qs


def absence_type_get(absence_type_id: int) -> AbsenceType | None:
    return AbsenceType.objects.filter(pk=absence_type_id).first()


def payroll_code_map(system: str) -> dict[tuple[str, int], str]:
    """`{("time", time_code_id): code, ("absence", absence_type_id): code}` for one payroll system.

    For PAXml a code without an explicit row maps to its own PAXml tidkod (the file's `tidkod`)."""
    result: dict[tuple[str, int], str] = {}
    if system == PayrollSystem.PAXML:
        for pk, paxml in TimeCode.objects.exclude(paxml_code="").values_list("pk", "paxml_code"):
            result[("time", pk)] = paxml
        for pk, paxml in AbsenceType.objects.exclude(paxml_code="").values_list("pk", "paxml_code"):
            result[("absence", pk)] = paxml
    rows = PayrollCode.objects.filter(system=system).values_list("time_code_id", "absence_type_id", "code")
    for time_code_id, absence_type_id, code in rows:
        if time_code_id is not None:
            result[("time", time_code_id)] = code
        else:
            result[("absence", absence_type_id)] = code
    return result


@dataclass(frozen=True)
class MissingPayrollCode:
    """An active time code or absence type that has no payroll code in a payroll system."""

    kind: str  # "time" or "absence"
    id: int
    code: str
    name: str


def missing_payroll_codes(system: str) -> list[MissingPayrollCode]:
    """Active time codes and absence types without a payroll code in `system`: the payroll file
    is refused while this list is not empty (DOMAIN.md lönefil: "every code is mapped")."""
    mapped = payroll_code_map(system=system)
    missing = [
        MissingPayrollCode("time", c.pk, c.code, c.name)
        for c in TimeCode.objects.filter(is_active=True)
        if ("time", c.pk) not in mapped
    ]
    missing += [
        MissingPayrollCode("absence", a.pk, a.code, a.name)
        for a in AbsenceType.objects.filter(is_active=True)
        if ("absence", a.pk) not in mapped
    ]
    return missing
