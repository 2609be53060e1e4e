"""Writes of the time-reporting master data (TOTAL users, Perm.SETTINGS_MANAGE). Every write is
audited in the same transaction. The tenant's defaults are installed by `timecodes_install_defaults`."""

from typing import Any, TypeVar

from django.db import models, transaction
from django.utils.translation import gettext as _

from verksam.audit.services import record
from verksam.core.db import conflict_on_duplicate
from verksam.core.errors import Conflict, DomainError
from verksam.tenancy.access import Actor
from verksam.tenancy.models import Tenant
from verksam.tenancy.permissions import Perm
from verksam.tenancy.scope import current_tenant_ids, has_scope, tenant_scope

from .models import (
    BANK_FACTOR_ONE,
    MAX_BANK_FACTOR,
    PAXML_TIME_CODES,
    AbsenceType,
    Activity,
    ExcessTimeRule,
    PayrollCode,
    PayrollSystem,
    TimeBankEffect,
    TimeCode,
    TimeCodeKind,
    TimeSettings,
)

# Kinds of time that count as worked time (TimeCode.counts_as_worked follows the kind).
WORKED_KINDS = (TimeCodeKind.WORKED, TimeCodeKind.OVERTIME)

MAX_REMINDER_DAYS = 14

# --- the Swedish default set ---------------------------------------------------------------------------
# (code, name, kind, time bank effect, bank factor in hundredths, PAXml tidkod, is_default), checked
# against DOMAIN.md's code list and ref/paxml/paxml-2.0.xsd (tidkodTYPE). Normaltid is TID: the
# classification (timereporting.worktime) reads it per salary form, TID for monthly and ARB for
# hourly staff. Övertid is paid (ÖT1/ÖT2); komp in goes to the time bank (ÖK1). Restid is not
# working time under Arbetstidslagen (RE1); OB, jour and beredskap are supplements reported on top
# of the worked hours (OB1, JR1, BE1), never instead of them.
DEFAULT_TIME_CODES: list[tuple[str, str, str, str, int, str, bool]] = [
    ("NORM", "Normaltid", TimeCodeKind.WORKED, TimeBankEffect.NONE, 100, "TID", True),
    ("OT50", "Övertid 50 %", TimeCodeKind.OVERTIME, TimeBankEffect.NONE, 100, "ÖT1", False),
    ("OT100", "Övertid 100 %", TimeCodeKind.OVERTIME, TimeBankEffect.NONE, 100, "ÖT2", False),
    ("RES", "Restid", TimeCodeKind.NOT_WORKED, TimeBankEffect.NONE, 100, "RE1", False),
    ("JOUR", "Jour", TimeCodeKind.SUPPLEMENT, TimeBankEffect.NONE, 100, "JR1", False),
    ("OB", "OB (obekväm arbetstid)", TimeCodeKind.SUPPLEMENT, TimeBankEffect.NONE, 100, "OB1", False),
    ("KOMPIN", "Komp in (till tidsbank)", TimeCodeKind.OVERTIME, TimeBankEffect.ADD, 100, "ÖK1", False),
    ("BER", "Beredskap", TimeCodeKind.SUPPLEMENT, TimeBankEffect.NONE, 100, "BE1", False),
]
# (code, name, PAXml tidkod, time bank effect, requires the child's personnummer). Permission is PEM;
# PAP is pappaledig (the 10 days at a child's birth), its own type.
DEFAULT_ABSENCE_TYPES: list[tuple[str, str, str, str, bool]] = [
    ("SJK", "Sjuk", "SJK", TimeBankEffect.NONE, False),
    ("VAB", "VAB (vård av barn)", "VAB", TimeBankEffect.NONE, True),
    ("SEM", "Semester", "SEM", TimeBankEffect.NONE, False),
    ("FPE", "Föräldraledig", "FPE", TimeBankEffect.NONE, False),
    ("TJL", "Tjänstledig", "TJL", TimeBankEffect.NONE, False),
    ("PEM", "Permission", "PEM", TimeBankEffect.NONE, False),
    ("KOM", "Komp-ledig", "KOM", TimeBankEffect.SUBTRACT, False),
    ("PAP", "Pappaledig", "PAP", TimeBankEffect.NONE, False),
]
# (code, name, invoiceable by default)
DEFAULT_ACTIVITIES: list[tuple[str, str, bool]] = [
    ("ARB", "Arbete", True),
    ("RESA", "Resa", True),
    ("ADM", "Administration", False),
    ("MOTE", "Möte", False),
]


def _in_own_scope(tenant_id: int) -> bool:
    return has_scope() and current_tenant_ids() == (tenant_id,)


def _validated_save(instance: models.Model) -> None:
    instance.full_clean()
    # The duplicate-code check and the insert are not one atomic step: of two simultaneous saves of
    # one code, the loser meets the unique constraint, and gets the same 409 as the check gives
    # (issue 7: no input gives a 500, in the web forms as in the API).
    with conflict_on_duplicate(
        _("That code is already in use."), code="duplicate_code", extra={"field": "code"}
    ):
        instance.save()


def timecodes_install_defaults(*, tenant_id: int) -> None:
    """Give the tenant the Swedish default master data once; a tenant that has its settings row is done.

    Called when a company is created (`tenancy.services.tenant_create` through
    settings.TENANT_INITIALIZERS; migration 0002 did it for the companies before), never by a page or
    GET endpoint: reads never write (issue 7 item 13). Idempotent: rows the tenant already has (by
    code) are kept as they are; a default time code is set only if none is."""
    if _in_own_scope(tenant_id):
        _install_defaults(tenant_id)
    else:
        with tenant_scope(tenant_id):
            _install_defaults(tenant_id)


def _install_defaults(tenant_id: int) -> None:
    if TimeSettings.objects.filter(tenant_id=tenant_id).exists():
        return
    with transaction.atomic():
        # Serialise two first visits of the same tenant (the loser finds the settings row).
        Tenant.objects.select_for_update().filter(pk=tenant_id).values_list("pk", flat=True).first()
        if TimeSettings.objects.filter(tenant_id=tenant_id).exists():
            return
        installed = _install_rows(tenant_id)
        settings = TimeSettings(tenant_id=tenant_id)
        _validated_save(settings)
        record(actor=None, tenant_id=tenant_id, action="timecodes.install_defaults", data=installed)


def _install_rows(tenant_id: int) -> dict[str, list[str]]:
    installed: dict[str, list[str]] = {"time_codes": [], "absence_types": [], "activities": []}
    have_default = TimeCode.objects.filter(is_default=True).exists()
    existing = set(TimeCode.objects.values_list("code", flat=True))
    for order, (code, name, kind, effect, factor, paxml, is_default) in enumerate(DEFAULT_TIME_CODES):
        if code in existing:
            continue
        time_code = TimeCode(
            tenant_id=tenant_id,
            code=code,
            name=name,
            kind=kind,
            counts_as_worked=kind in WORKED_KINDS,
            time_bank_effect=effect,
            time_bank_factor_pct=factor,
            paxml_code=paxml,
            is_default=is_default and not have_default,
            sort_order=(order + 1) * 10,
        )
        _validated_save(time_code)
        _payroll_row(tenant_id, PayrollSystem.PAXML, paxml, time_code=time_code)
        installed["time_codes"].append(code)
    existing = set(AbsenceType.objects.values_list("code", flat=True))
    for order, (code, name, paxml, effect, requires_child) in enumerate(DEFAULT_ABSENCE_TYPES):
        if code in existing:
            continue
        absence_type = AbsenceType(
            tenant_id=tenant_id,
            code=code,
            name=name,
            paxml_code=paxml,
            time_bank_effect=effect,
            requires_child=requires_child,
            sort_order=(order + 1) * 10,
        )
        _validated_save(absence_type)
        _payroll_row(tenant_id, PayrollSystem.PAXML, paxml, absence_type=absence_type)
        installed["absence_types"].append(code)
    existing = set(Activity.objects.values_list("code", flat=True))
    for order, (code, name, invoiceable) in enumerate(DEFAULT_ACTIVITIES):
        if code in existing:
            continue
        activity = Activity(
            tenant_id=tenant_id, code=code, name=name, invoiceable=invoiceable, sort_order=(order + 1) * 10
        )
        _validated_save(activity)
        installed["activities"].append(code)
    return installed


def _payroll_row(tenant_id: int, system: str, code: str, **target: Any) -> None:
    row = PayrollCode(tenant_id=tenant_id, system=system, code=code, **target)
    _validated_save(row)


# --- validation shared by the master-data services -------------------------------------------------------

Row = TypeVar("Row", bound=models.Model)


def _clean_code(value: Any) -> str:
    """Codes are stored trimmed and in capitals, so "norm" and "NORM" are the same code."""
    code = str(value or "").strip().upper()
    if not code:
        raise DomainError(_("Enter a code."), code="invalid_code", extra={"field": "code"})
    if any(ch.isspace() for ch in code):
        raise DomainError(_("A code cannot contain spaces."), code="invalid_code", extra={"field": "code"})
    return code


def _clean_paxml_code(value: Any, *, field: str = "paxml_code", required: bool = False) -> str:
    """A PAXml `tidkod` must be one of the schema's closed list (ref/paxml/paxml-2.0.xsd, tidkodTYPE)."""
    code = str(value or "").strip().upper()
    if not code and not required:
        return ""
    if code not in PAXML_TIME_CODES:
        raise DomainError(
            _("%(code)s is not a PAXml time code. Use a code such as ARB, ÖT1, SJK, VAB or SEM.")
            % {"code": code or "–"},
            code="invalid_paxml_code",
            extra={"field": field},
        )
    return code


def _clean_time_bank_effect(value: Any) -> str:
    if value not in TimeBankEffect.values:
        raise DomainError(
            _("Choose how the time bank is affected."),
            code="invalid_time_bank_effect",
            extra={"field": "time_bank_effect"},
        )
    return str(value)


def _refuse_duplicate_code(instance: models.Model, code: str, message: str) -> None:
    others = type(instance).objects.filter(code=code).exclude(pk=instance.pk)  # type: ignore[attr-defined]
    if others.exists():
        raise Conflict(message, code="duplicate_code", extra={"field": "code"})


def _clean_changes(instance: models.Model, changes: dict, *, duplicate_message: str) -> None:
    """Normalise, in place, the fields activities, time codes and absence types share."""
    if "code" in changes:
        changes["code"] = _clean_code(changes["code"])
        _refuse_duplicate_code(instance, changes["code"], duplicate_message)
    if "name" in changes:
        changes["name"] = (changes["name"] or "").strip()
    if "paxml_code" in changes:
        changes["paxml_code"] = _clean_paxml_code(changes["paxml_code"])
    if "time_bank_effect" in changes:
        changes["time_bank_effect"] = _clean_time_bank_effect(changes["time_bank_effect"])


def _unknown(changes: dict, allowed: set[str]) -> None:
    unknown = set(changes) - allowed
    if unknown:
        raise DomainError(_("Unknown fields: %(fields)s") % {"fields": ", ".join(sorted(unknown))})


def _lock_for_update(actor: Actor, instance: Row, changes: dict, allowed: set[str]) -> Row:
    """Check the permission and the field names, then re-read the row locked for the update."""
    actor.require(Perm.SETTINGS_MANAGE)
    _unknown(changes, allowed)
    return type(instance).objects.select_for_update().get(pk=instance.pk)  # type: ignore[attr-defined]


def _snapshot(instance: models.Model, keys) -> dict[str, str]:
    return {k: str(getattr(instance, k)) for k in keys}


def _save_changes(
    actor: Actor, instance: Row, changes: dict, action: str, extra: dict[str, Any] | None = None
) -> Row:
    """Apply the cleaned changes, validate, save and audit them (an update also records the values
    before); `extra` is added to the audit data."""
    before = _snapshot(instance, changes)
    for key, value in changes.items():
        setattr(instance, key, value)
    _validated_save(instance)
    data: dict[str, Any] = {"after": _snapshot(instance, changes)}
    if action.endswith("update"):
        data["before"] = before
    data.update(extra or {})
    record(actor=actor, action=action, target=instance, data=data)
    return instance


# --- activities ------------------------------------------------------------------------------------------

ACTIVITY_FIELDS = {"code", "name", "invoiceable", "is_active", "sort_order"}


def _activity_save(actor: Actor, activity: Activity, changes: dict, action: str) -> Activity:
    _clean_changes(activity, changes, duplicate_message=_("Another activity already has that code."))
    return _save_changes(actor, activity, changes, action)


@transaction.atomic
def activity_create(
    *, actor: Actor, code: str, name: str, invoiceable: bool = True, sort_order: int = 0
) -> Activity:
    """Add an activity (kind of work) with a code unique in the tenant."""
    actor.require(Perm.SETTINGS_MANAGE)
    changes = {"code": code, "name": name, "invoiceable": invoiceable, "sort_order": sort_order}
    return _activity_save(actor, Activity(tenant_id=actor.tenant_id), changes, "activity.create")


@transaction.atomic
def activity_update(*, actor: Actor, activity: Activity, **changes: Any) -> Activity:
    """Change an activity's code, name, invoiceable default, order or active flag."""
    activity = _lock_for_update(actor, activity, changes, ACTIVITY_FIELDS)
    return _activity_save(actor, activity, changes, "activity.update")


def activity_deactivate(*, actor: Actor, activity: Activity) -> Activity:
    """Hide an activity from new entries; entries that use it keep it."""
    return activity_update(actor=actor, activity=activity, is_active=False)


# --- time codes ------------------------------------------------------------------------------------------

TIME_CODE_FIELDS = {
    "code",
    "name",
    "counts_as_worked",
    "kind",
    "time_bank_effect",
    "time_bank_factor_pct",
    "paxml_code",
    "is_default",
    "is_active",
    "sort_order",
}


def _clean_kind(time_code: TimeCode, changes: dict) -> None:
    """The kind decides counts_as_worked; a client that sends only counts_as_worked (older forms and
    API clients) keeps a supplement or overtime kind that agrees with it, else gets worked/not worked.
    A supplement (OB, jour, beredskap) lies on top of worked time, so it never moves the time bank."""
    if "kind" in changes:
        if changes["kind"] not in TimeCodeKind.values:
            raise DomainError(
                _("Choose what kind of time the code is."), code="invalid_kind", extra={"field": "kind"}
            )
    elif "counts_as_worked" in changes:
        current = time_code.kind
        if bool(changes["counts_as_worked"]) != (current in WORKED_KINDS):
            changes["kind"] = TimeCodeKind.WORKED if changes["counts_as_worked"] else TimeCodeKind.NOT_WORKED
    if "kind" in changes:
        changes["counts_as_worked"] = changes["kind"] in WORKED_KINDS
    if "time_bank_factor_pct" in changes:
        factor = changes["time_bank_factor_pct"]
        if not isinstance(factor, int) or isinstance(factor, bool) or not 1 <= factor <= MAX_BANK_FACTOR:
            raise DomainError(
                _("The time bank factor must be from 0.01 to 10."),
                code="invalid_time_bank_factor",
                extra={"field": "time_bank_factor_pct"},
            )
    kind = changes.get("kind", time_code.kind)
    effect = changes.get("time_bank_effect", time_code.time_bank_effect)
    if kind == TimeCodeKind.SUPPLEMENT and effect != TimeBankEffect.NONE:
        raise DomainError(
            _(
                "A supplement (OB, jour, beredskap) is paid on top of worked time "
                "and cannot move the time bank."
            ),
            code="supplement_time_bank",
            extra={"field": "time_bank_effect"},
        )


def _time_code_save(actor: Actor, time_code: TimeCode, changes: dict, action: str) -> TimeCode:
    _clean_changes(time_code, changes, duplicate_message=_("Another time code already has that code."))
    _clean_kind(time_code, changes)
    is_default = changes.get("is_default", time_code.is_default)
    is_active = changes.get("is_active", time_code.is_active)
    if is_default and not is_active:
        raise DomainError(
            _("The default time code must be active. Choose another default time code first."),
            code="default_inactive",
            extra={"field": "is_active"},
        )
    extra: dict[str, Any] = {}
    if is_default and not time_code.is_default:
        # Only one default per tenant (constraint timecodes_timecode_one_default): switch the old
        # one off in the same transaction, so the change is one step for the user.
        previous_default = (
            TimeCode.objects.select_for_update().filter(is_default=True).exclude(pk=time_code.pk).first()
        )
        if previous_default is not None:
            previous_default.is_default = False
            previous_default.save(update_fields=["is_default"])
            extra["previous_default"] = previous_default.code
    return _save_changes(actor, time_code, changes, action, extra)


@transaction.atomic
def time_code_create(
    *,
    actor: Actor,
    code: str,
    name: str,
    counts_as_worked: bool | None = None,
    kind: str | None = None,
    time_bank_effect: str = TimeBankEffect.NONE,
    time_bank_factor_pct: int = BANK_FACTOR_ONE,
    paxml_code: str = "",
    is_default: bool = False,
    sort_order: int = 0,
) -> TimeCode:
    """Add a time code with a unique code and a PAXml tidkod from the schema's list; a new default
    replaces the old one."""
    actor.require(Perm.SETTINGS_MANAGE)
    if kind is None:
        kind = TimeCodeKind.NOT_WORKED if counts_as_worked is False else TimeCodeKind.WORKED
    changes = {
        "code": code,
        "name": name,
        "kind": kind,
        "time_bank_effect": time_bank_effect,
        "time_bank_factor_pct": time_bank_factor_pct,
        "paxml_code": paxml_code,
        "is_default": is_default,
        "sort_order": sort_order,
    }
    return _time_code_save(actor, TimeCode(tenant_id=actor.tenant_id), changes, "time_code.create")


@transaction.atomic
def time_code_update(*, actor: Actor, time_code: TimeCode, **changes: Any) -> TimeCode:
    """Change a time code; making it the default switches the old default off."""
    time_code = _lock_for_update(actor, time_code, changes, TIME_CODE_FIELDS)
    return _time_code_save(actor, time_code, changes, "time_code.update")


def time_code_deactivate(*, actor: Actor, time_code: TimeCode) -> TimeCode:
    """Hide a time code from new entries; the default time code cannot be deactivated."""
    return time_code_update(actor=actor, time_code=time_code, is_active=False)


# --- absence types ---------------------------------------------------------------------------------------

ABSENCE_TYPE_FIELDS = {
    "code",
    "name",
    "paxml_code",
    "time_bank_effect",
    "requires_child",
    "is_active",
    "sort_order",
}


def _absence_type_save(actor: Actor, absence_type: AbsenceType, changes: dict, action: str) -> AbsenceType:
    _clean_changes(absence_type, changes, duplicate_message=_("Another absence type already has that code."))
    return _save_changes(actor, absence_type, changes, action)


@transaction.atomic
def absence_type_create(
    *,
    actor: Actor,
    code: str,
    name: str,
    paxml_code: str = "",
    time_bank_effect: str = TimeBankEffect.NONE,
    requires_child: bool = False,
    sort_order: int = 0,
) -> AbsenceType:
    """Add an absence type with a unique code and a PAXml tidkod from the schema's list."""
    actor.require(Perm.SETTINGS_MANAGE)
    changes = {
        "code": code,
        "name": name,
        "paxml_code": paxml_code,
        "time_bank_effect": time_bank_effect,
        "requires_child": requires_child,
        "sort_order": sort_order,
    }
    return _absence_type_save(actor, AbsenceType(tenant_id=actor.tenant_id), changes, "absence_type.create")


@transaction.atomic
def absence_type_update(*, actor: Actor, absence_type: AbsenceType, **changes: Any) -> AbsenceType:
    """Change an absence type's code, name, PAXml code, time bank effect, child rule or active flag."""
    absence_type = _lock_for_update(actor, absence_type, changes, ABSENCE_TYPE_FIELDS)
    return _absence_type_save(actor, absence_type, changes, "absence_type.update")


def absence_type_deactivate(*, actor: Actor, absence_type: AbsenceType) -> AbsenceType:
    """Hide an absence type from new entries; entries that use it keep it."""
    return absence_type_update(actor=actor, absence_type=absence_type, is_active=False)


# --- payroll codes ---------------------------------------------------------------------------------------


@transaction.atomic
def payroll_code_set(
    *,
    actor: Actor,
    system: str,
    code: str,
    time_code: TimeCode | None = None,
    absence_type: AbsenceType | None = None,
) -> PayrollCode | None:
    """Map one time code or absence type to its payroll code (lönekod) in `system`; an empty code
    clears the mapping. For PAXml the code must be a PAXml tidkod."""
    actor.require(Perm.SETTINGS_MANAGE)
    if system not in PayrollSystem.values:
        raise DomainError(
            _("Unknown payroll system."), code="invalid_payroll_system", extra={"field": "system"}
        )
    if (time_code is None) == (absence_type is None):
        raise DomainError(_("Choose a time code or an absence type."), code="invalid_target")
    value = str(code or "").strip()
    if system == PayrollSystem.PAXML:
        value = _clean_paxml_code(value, field="code")
    elif any(ch.isspace() for ch in value):
        raise DomainError(_("A code cannot contain spaces."), code="invalid_code", extra={"field": "code"})
    target = {"time_code": time_code} if time_code is not None else {"absence_type": absence_type}
    target_obj: models.Model = time_code or absence_type  # type: ignore[assignment]
    existing = PayrollCode.objects.select_for_update().filter(system=system, **target).first()
    before = existing.code if existing else ""
    if not value:
        if existing is not None:
            existing.delete()
            record(
                actor=actor,
                action="payroll_code.clear",
                target=target_obj,
                data={"system": system, "before": before},
            )
        return None
    row = existing or PayrollCode(tenant_id=actor.tenant_id, system=system, **target)
    if before == value:
        return row
    row.code = value
    _validated_save(row)
    record(
        actor=actor,
        action="payroll_code.set",
        target=target_obj,
        data={"system": system, "before": before, "after": value},
    )
    return row


# --- settings --------------------------------------------------------------------------------------------

TIME_SETTINGS_FIELDS = {
    "period_start_day",
    "payroll_system",
    "reminders_enabled",
    "reminder_days_before",
    "allow_negative_time_bank",
    "excess_time_rule",
}


@transaction.atomic
def time_settings_update(*, actor: Actor, **changes: Any) -> TimeSettings:
    """Change the deviation period's start day (1–28), the payroll system, the reminders, whether the
    time bank may go below zero and what time beyond the schedule becomes (flex or paid)."""
    actor.require(Perm.SETTINGS_MANAGE)
    _unknown(changes, TIME_SETTINGS_FIELDS)
    if "period_start_day" in changes:
        start_day = changes["period_start_day"]
        if not isinstance(start_day, int) or isinstance(start_day, bool) or not 1 <= start_day <= 28:
            raise DomainError(
                _("The deviation period must start on a day from 1 to 28."),
                code="invalid_period_start_day",
                extra={"field": "period_start_day"},
            )
    if "reminder_days_before" in changes:
        days = changes["reminder_days_before"]
        if not isinstance(days, int) or isinstance(days, bool) or not 0 <= days <= MAX_REMINDER_DAYS:
            raise DomainError(
                _("Reminders can be sent from 0 to %(max)s days before the period ends.")
                % {"max": MAX_REMINDER_DAYS},
                code="invalid_reminder_days",
                extra={"field": "reminder_days_before"},
            )
    if "excess_time_rule" in changes and changes["excess_time_rule"] not in ExcessTimeRule.values:
        raise DomainError(
            _("Choose what time beyond the schedule becomes."),
            code="invalid_excess_time_rule",
            extra={"field": "excess_time_rule"},
        )
    if "payroll_system" in changes and changes["payroll_system"] not in PayrollSystem.values:
        raise DomainError(
            _("Unknown payroll system."), code="invalid_payroll_system", extra={"field": "payroll_system"}
        )
    timecodes_install_defaults(tenant_id=actor.tenant_id)
    settings = TimeSettings.objects.select_for_update().get(tenant_id=actor.tenant_id)
    return _save_changes(actor, settings, changes, "time_settings.update")


@transaction.atomic
def payroll_code_set_many(*, actor: Actor, system: str, codes: dict[tuple[str, int], str]) -> int:
    """Set the payroll codes of several time codes and absence types in `system` at once (all or
    nothing); keys are ("time", time_code_id) or ("absence", absence_type_id). Returns the changes."""
    actor.require(Perm.SETTINGS_MANAGE)
    time_codes = TimeCode.objects.in_bulk([pk for kind, pk in codes if kind == "time"])
    absence_types = AbsenceType.objects.in_bulk([pk for kind, pk in codes if kind == "absence"])
    current = {
        (("time", r.time_code_id) if r.time_code_id else ("absence", r.absence_type_id)): r.code
        for r in PayrollCode.objects.filter(system=system)
    }
    changed = 0
    for (kind, pk), code in codes.items():
        target = time_codes.get(pk) if kind == "time" else absence_types.get(pk)
        if target is None:
            raise DomainError(_("The selected item does not exist."), code="not_found")
        value = str(code or "").strip()
        if (value.upper() if system == PayrollSystem.PAXML else value) == current.get((kind, pk), ""):
            continue
        try:
            payroll_code_set(
                actor=actor,
                system=system,
                code=code,
                time_code=target if kind == "time" else None,  # type: ignore[arg-type]
                absence_type=target if kind == "absence" else None,  # type: ignore[arg-type]
            )
        except DomainError as exc:
            if exc.extra.get("field") == "code":
                exc.extra["field"] = f"{kind}-{pk}"
            raise
        changed += 1
    return changed
