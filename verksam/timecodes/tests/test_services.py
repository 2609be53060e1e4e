"""The master-data services: the Swedish default set, every validation rule, the single default
time code, payroll codes per system, the settings, permissions and the audit trail."""

import pytest
from django.core.exceptions import ValidationError

from verksam.core.errors import Conflict, DomainError, Forbidden
from verksam.tenancy.scope import tenant_scope
from verksam.tenancy.tests.helpers import sv
from verksam.timecodes import selectors, services
from verksam.timecodes.models import (
    PAXML_TIME_CODES,
    AbsenceType,
    Activity,
    PayrollCode,
    PayrollSystem,
    TimeBankEffect,
    TimeCode,
    TimeCodeKind,
    TimeSettings,
)

from .conftest import actor_for, audit_actions, tc_state
from .factories import AbsenceTypeFactory, ActivityFactory, TimeCodeFactory


def _in(tenant, func):
    with tenant_scope(tenant.pk):
        return func()


# --- defaults --------------------------------------------------------------------------------------------


def test_install_defaults_gives_a_realistic_swedish_set(tenant):
    # given a new tenant / when the defaults are installed (outside any scope, as the demo seed may)
    services.timecodes_install_defaults(tenant_id=tenant.pk)
    with tenant_scope(tenant.pk):
        codes = {c.code: c for c in TimeCode.objects.all()}
        absence = {a.code: a for a in AbsenceType.objects.all()}
        activities = set(Activity.objects.values_list("name", flat=True))
        settings = TimeSettings.objects.get()
        paxml_rows = PayrollCode.objects.filter(system=PayrollSystem.PAXML).count()
    # then normaltid is the one default, worked, no bank effect, PAXml TID (read per salary form)
    assert [c.code for c in codes.values() if c.is_default] == ["NORM"]
    norm = codes["NORM"]
    assert (norm.name, norm.paxml_code, norm.counts_as_worked, norm.kind, norm.time_bank_effect) == (
        "Normaltid",
        "TID",
        True,
        TimeCodeKind.WORKED,
        TimeBankEffect.NONE,
    )
    assert codes["OT50"].paxml_code == "ÖT1" and codes["OT100"].paxml_code == "ÖT2"
    assert codes["OT50"].kind == codes["OT100"].kind == TimeCodeKind.OVERTIME
    assert codes["RES"].paxml_code == "RE1" and not codes["RES"].counts_as_worked
    assert codes["RES"].kind == TimeCodeKind.NOT_WORKED
    assert codes["JOUR"].paxml_code == "JR1" and codes["OB"].paxml_code == "OB1"
    assert codes["BER"].paxml_code == "BE1"
    # OB, jour and beredskap are supplements on top of worked hours, not worked time themselves
    for code in ("OB", "JOUR", "BER"):
        assert codes[code].kind == TimeCodeKind.SUPPLEMENT and not codes[code].counts_as_worked
    assert codes["KOMPIN"].time_bank_effect == TimeBankEffect.ADD
    assert (codes["KOMPIN"].kind, codes["KOMPIN"].paxml_code) == (TimeCodeKind.OVERTIME, "ÖK1")
    # and the absence types, VAB requiring the child, komp-ledig drawing from the bank; permission is
    # PEM and pappaledig PAP (DOMAIN.md's code list)
    assert set(absence) == {"SJK", "VAB", "SEM", "FPE", "TJL", "PEM", "PAP", "KOM"}
    assert (absence["PEM"].name, absence["PEM"].paxml_code) == ("Permission", "PEM")
    assert (absence["PAP"].name, absence["PAP"].paxml_code) == ("Pappaledig", "PAP")
    assert absence["VAB"].requires_child
    assert not any(a.requires_child for k, a in absence.items() if k != "VAB")
    assert absence["KOM"].time_bank_effect == TimeBankEffect.SUBTRACT
    assert {"Arbete", "Resa", "Administration", "Möte"} <= activities
    # and every PAXml code is from the schema's list, each mapped for PAXml
    assert all(c.paxml_code in PAXML_TIME_CODES for c in [*codes.values(), *absence.values()])
    assert paxml_rows == len(codes) + len(absence)
    assert settings.period_start_day == 1
    assert _in(tenant, lambda: selectors.missing_payroll_codes(system=PayrollSystem.PAXML)) == []
    assert audit_actions(tenant, "timecodes") == ["timecodes.install_defaults"]


def test_install_defaults_is_idempotent_and_cheap_the_second_time(tenant, django_assert_max_num_queries):
    # given installed defaults / when installed again (inside and outside a scope)
    services.timecodes_install_defaults(tenant_id=tenant.pk)
    before = tc_state(tenant)
    with tenant_scope(tenant.pk), django_assert_max_num_queries(1):
        services.timecodes_install_defaults(tenant_id=tenant.pk)
    services.timecodes_install_defaults(tenant_id=tenant.pk)
    # then nothing changed and nothing was audited again
    assert tc_state(tenant) == before


def test_install_defaults_keeps_the_tenants_own_rows_and_default(tenant):
    # given a tenant that already has its own NORM code (inactive) and another default
    TimeCodeFactory(tenant=tenant, code="NORM", name="Egen normaltid", paxml_code="TID", is_active=False)
    TimeCodeFactory(tenant=tenant, code="EGEN", is_default=True)
    # when the defaults are installed
    services.timecodes_install_defaults(tenant_id=tenant.pk)
    # then the tenant's rows are untouched and its default stays the only one
    with tenant_scope(tenant.pk):
        assert TimeCode.objects.get(code="NORM").name == "Egen normaltid"
        assert list(TimeCode.objects.filter(is_default=True).values_list("code", flat=True)) == ["EGEN"]
        assert TimeCode.objects.filter(code="OT50").exists()


def test_install_defaults_only_touches_its_own_tenant(tenant, other_tenant):
    services.timecodes_install_defaults(tenant_id=tenant.pk)
    assert tc_state(other_tenant)["time_codes"] == []


# --- time codes ------------------------------------------------------------------------------------------


def test_time_code_create_normalises_the_code_and_audits(tenant, owner):
    actor = actor_for(owner, tenant)
    with tenant_scope(tenant.pk):
        code = services.time_code_create(
            actor=actor, code=" ot3 ", name="Övertid 3", paxml_code="öt3", time_bank_effect="none"
        )
    assert (code.code, code.paxml_code) == ("OT3", "ÖT3")
    assert audit_actions(tenant, "time_code") == ["time_code.create"]


@pytest.mark.parametrize(
    ("changes", "error_code", "field"),
    [
        ({"code": ""}, "invalid_code", "code"),
        ({"code": "A B"}, "invalid_code", "code"),
        ({"paxml_code": "XYZ"}, "invalid_paxml_code", "paxml_code"),
        ({"paxml_code": "ARBETE"}, "invalid_paxml_code", "paxml_code"),
        ({"time_bank_effect": "double"}, "invalid_time_bank_effect", "time_bank_effect"),
    ],
)
def test_time_code_create_refuses_bad_input_and_writes_nothing(tenant, owner, changes, error_code, field):
    actor = actor_for(owner, tenant)
    before = tc_state(tenant)
    data = {"code": "X1", "name": "X", "paxml_code": "ARB", "time_bank_effect": "none", **changes}
    with tenant_scope(tenant.pk), pytest.raises(DomainError) as exc:
        services.time_code_create(actor=actor, **data)
    assert (exc.value.code, exc.value.extra.get("field")) == (error_code, field)
    assert tc_state(tenant) == before


def test_time_code_without_a_name_is_refused(tenant, owner):
    actor = actor_for(owner, tenant)
    with tenant_scope(tenant.pk), pytest.raises(ValidationError) as exc:
        services.time_code_create(actor=actor, code="X1", name="  ")
    assert "name" in exc.value.message_dict


def test_duplicate_time_code_is_refused_with_a_clear_message(tenant, owner):
    # given NORM / when another code is created as "norm"
    TimeCodeFactory(tenant=tenant, code="NORM")
    actor = actor_for(owner, tenant)
    before = tc_state(tenant)
    with tenant_scope(tenant.pk), pytest.raises(Conflict) as exc:
        services.time_code_create(actor=actor, code="norm", name="Dubblett")
    # then 409 duplicate_code on the code field, nothing written
    assert exc.value.code == "duplicate_code"
    assert exc.value.extra == {"field": "code"}
    assert exc.value.message == sv("Another time code already has that code.")
    assert tc_state(tenant) == before


def test_the_same_code_is_allowed_in_another_tenant(tenant, other_tenant, owner):
    TimeCodeFactory(tenant=other_tenant, code="NORM")
    with tenant_scope(tenant.pk):
        services.time_code_create(actor=actor_for(owner, tenant), code="NORM", name="Normaltid")


def test_renaming_a_time_code_to_its_own_code_is_fine(tenant, owner):
    code = TimeCodeFactory(tenant=tenant, code="NORM")
    with tenant_scope(tenant.pk):
        services.time_code_update(actor=actor_for(owner, tenant), time_code=code, code="norm", name="Ny")


def test_a_new_default_switches_the_old_default_off_in_the_same_transaction(tenant, owner):
    # given NORM as the default
    old = TimeCodeFactory(tenant=tenant, code="NORM", is_default=True)
    new = TimeCodeFactory(tenant=tenant, code="TIM")
    # when TIM becomes the default, and then a created code becomes it
    with tenant_scope(tenant.pk):
        services.time_code_update(actor=actor_for(owner, tenant), time_code=new, is_default=True)
        assert list(TimeCode.objects.filter(is_default=True)) == [new]
        third = services.time_code_create(
            actor=actor_for(owner, tenant), code="NY", name="Ny", is_default=True
        )
        # then exactly one default remains each time
        assert list(TimeCode.objects.filter(is_default=True)) == [third]
        old.refresh_from_db()
        assert not old.is_default
    assert audit_actions(tenant, "time_code") == ["time_code.update", "time_code.create"]


def test_the_default_time_code_cannot_be_deactivated(tenant, owner):
    code = TimeCodeFactory(tenant=tenant, code="NORM", is_default=True)
    before = tc_state(tenant)
    with tenant_scope(tenant.pk), pytest.raises(DomainError) as exc:
        services.time_code_deactivate(actor=actor_for(owner, tenant), time_code=code)
    assert exc.value.code == "default_inactive"
    assert tc_state(tenant) == before


def test_an_inactive_time_code_cannot_become_the_default(tenant, owner):
    code = TimeCodeFactory(tenant=tenant, code="GML", is_active=False)
    with tenant_scope(tenant.pk), pytest.raises(DomainError) as exc:
        services.time_code_update(actor=actor_for(owner, tenant), time_code=code, is_default=True)
    assert exc.value.code == "default_inactive"


def test_deactivate_hides_a_time_code_from_the_active_list(tenant, owner):
    code = TimeCodeFactory(tenant=tenant, code="GML")
    with tenant_scope(tenant.pk):
        services.time_code_deactivate(actor=actor_for(owner, tenant), time_code=code)
        assert list(selectors.time_code_list(active_only=True)) == []
        assert list(selectors.time_code_list(active_only=False)) == [code]


def test_unknown_fields_are_refused(tenant, owner):
    code = TimeCodeFactory(tenant=tenant)
    with tenant_scope(tenant.pk), pytest.raises(DomainError):
        services.time_code_update(actor=actor_for(owner, tenant), time_code=code, tenant_id=99)


# --- absence types and activities ------------------------------------------------------------------------


def test_absence_type_create_validates_paxml_code_and_uniqueness(tenant, owner):
    AbsenceTypeFactory(tenant=tenant, code="SJK")
    actor = actor_for(owner, tenant)
    before = tc_state(tenant)
    with tenant_scope(tenant.pk):
        with pytest.raises(DomainError) as exc:
            services.absence_type_create(actor=actor, code="SJ2", name="Sjuk 2", paxml_code="SICK")
        assert exc.value.code == "invalid_paxml_code"
        with pytest.raises(Conflict) as exc:
            services.absence_type_create(actor=actor, code="sjk", name="Sjuk", paxml_code="SJK")
        assert exc.value.message == sv("Another absence type already has that code.")
    assert tc_state(tenant) == before


def test_absence_type_create_update_deactivate(tenant, owner):
    actor = actor_for(owner, tenant)
    with tenant_scope(tenant.pk):
        absence = services.absence_type_create(
            actor=actor, code="SMB", name="Smittbärare", paxml_code="SMB", requires_child=False
        )
        services.absence_type_update(actor=actor, absence_type=absence, time_bank_effect="subtract")
        services.absence_type_deactivate(actor=actor, absence_type=absence)
        absence.refresh_from_db()
    assert (absence.time_bank_effect, absence.is_active) == ("subtract", False)
    assert audit_actions(tenant, "absence_type") == [
        "absence_type.create",
        "absence_type.update",
        "absence_type.update",
    ]


def test_activity_create_update_deactivate_and_duplicate(tenant, owner):
    actor = actor_for(owner, tenant)
    with tenant_scope(tenant.pk):
        activity = services.activity_create(actor=actor, code="el", name="El", invoiceable=True)
        assert activity.code == "EL"
        services.activity_update(actor=actor, activity=activity, name="Elinstallation", invoiceable=False)
        services.activity_deactivate(actor=actor, activity=activity)
        with pytest.raises(Conflict) as exc:
            services.activity_create(actor=actor, code="EL", name="El igen")
        assert exc.value.message == sv("Another activity already has that code.")
        activity.refresh_from_db()
    assert (activity.name, activity.invoiceable, activity.is_active) == ("Elinstallation", False, False)
    assert audit_actions(tenant, "activity") == ["activity.create", "activity.update", "activity.update"]


# --- payroll codes ---------------------------------------------------------------------------------------


def test_payroll_code_set_upserts_and_clears(tenant, owner):
    code = TimeCodeFactory(tenant=tenant, code="NORM", paxml_code="")
    actor = actor_for(owner, tenant)
    with tenant_scope(tenant.pk):
        # given no mapping / then it is missing in Fortnox and PAXml
        assert [m.code for m in selectors.missing_payroll_codes(system="fortnox")] == ["NORM"]
        assert [m.code for m in selectors.missing_payroll_codes(system="paxml")] == ["NORM"]
        # when set, changed and cleared
        services.payroll_code_set(actor=actor, system="fortnox", code=" 011 ", time_code=code)
        assert selectors.payroll_code_map(system="fortnox") == {("time", code.pk): "011"}
        services.payroll_code_set(actor=actor, system="fortnox", code="012", time_code=code)
        assert PayrollCode.objects.filter(system="fortnox").count() == 1
        assert selectors.missing_payroll_codes(system="fortnox") == []
        assert services.payroll_code_set(actor=actor, system="fortnox", code="", time_code=code) is None
        assert selectors.payroll_code_map(system="fortnox") == {}
    assert audit_actions(tenant, "payroll_code") == [
        "payroll_code.set",
        "payroll_code.set",
        "payroll_code.clear",
    ]


def test_paxml_payroll_codes_must_be_paxml_time_codes(tenant, owner):
    absence = AbsenceTypeFactory(tenant=tenant, code="SJK", paxml_code="")
    actor = actor_for(owner, tenant)
    before = tc_state(tenant)
    with tenant_scope(tenant.pk):
        with pytest.raises(DomainError) as exc:
            services.payroll_code_set(actor=actor, system="paxml", code="311", absence_type=absence)
        assert (exc.value.code, exc.value.extra) == ("invalid_paxml_code", {"field": "code"})
        with pytest.raises(DomainError) as exc:
            services.payroll_code_set(actor=actor, system="nosuch", code="311", absence_type=absence)
        assert exc.value.code == "invalid_payroll_system"
        with pytest.raises(DomainError) as exc:
            services.payroll_code_set(actor=actor, system="visma", code="3 1")
        assert exc.value.code == "invalid_target"
        with pytest.raises(DomainError) as exc:
            services.payroll_code_set(actor=actor, system="visma", code="3 1", absence_type=absence)
        assert exc.value.code == "invalid_code"
    assert tc_state(tenant) == before


def test_paxml_map_falls_back_to_the_codes_own_paxml_code(tenant):
    code = TimeCodeFactory(tenant=tenant, code="NORM", paxml_code="ARB")
    absence = AbsenceTypeFactory(tenant=tenant, code="VAB", paxml_code="VAB")
    with tenant_scope(tenant.pk):
        assert selectors.payroll_code_map(system="paxml") == {
            ("time", code.pk): "ARB",
            ("absence", absence.pk): "VAB",
        }
        assert selectors.payroll_code_map(system="visma") == {}
        assert {m.kind for m in selectors.missing_payroll_codes(system="visma")} == {"time", "absence"}


def test_inactive_codes_are_not_missing(tenant):
    TimeCodeFactory(tenant=tenant, code="GML", paxml_code="", is_active=False)
    with tenant_scope(tenant.pk):
        assert selectors.missing_payroll_codes(system="paxml") == []


def test_payroll_code_set_many_is_all_or_nothing(tenant, owner):
    a = TimeCodeFactory(tenant=tenant, code="A")
    b = TimeCodeFactory(tenant=tenant, code="B")
    actor = actor_for(owner, tenant)
    before = tc_state(tenant)
    with tenant_scope(tenant.pk), pytest.raises(DomainError) as exc:
        services.payroll_code_set_many(
            actor=actor, system="paxml", codes={("time", a.pk): "ÖT1", ("time", b.pk): "NOPE"}
        )
    assert exc.value.extra == {"field": f"time-{b.pk}"}
    assert tc_state(tenant) == before
    with tenant_scope(tenant.pk):
        changed = services.payroll_code_set_many(
            actor=actor, system="paxml", codes={("time", a.pk): "öt1", ("time", b.pk): ""}
        )
        assert changed == 1
        assert selectors.payroll_code_map(system="paxml")[("time", a.pk)] == "ÖT1"


def test_payroll_code_set_many_refuses_another_tenants_target(tenant, other_tenant, owner):
    foreign = TimeCodeFactory(tenant=other_tenant, code="A")
    before = tc_state(tenant, other_tenant)
    with tenant_scope(tenant.pk), pytest.raises(DomainError):
        services.payroll_code_set_many(
            actor=actor_for(owner, tenant), system="visma", codes={("time", foreign.pk): "1"}
        )
    assert tc_state(tenant, other_tenant) == before


# --- settings --------------------------------------------------------------------------------------------


def test_time_settings_get_reads_defaults_without_writing(tenant):
    with tenant_scope(tenant.pk):
        settings = selectors.time_settings_get(tenant_id=tenant.pk)
        assert settings.pk is None
        assert settings.period_start_day == 1
        assert not TimeSettings.objects.exists()


def test_time_settings_update_stores_and_audits(tenant, owner):
    actor = actor_for(owner, tenant)
    with tenant_scope(tenant.pk):
        services.time_settings_update(
            actor=actor,
            period_start_day=16,
            payroll_system="visma",
            reminders_enabled=False,
            reminder_days_before=5,
        )
        settings = selectors.time_settings_get(tenant_id=tenant.pk)
    assert (settings.period_start_day, settings.payroll_system, settings.reminders_enabled) == (
        16,
        "visma",
        False,
    )
    assert settings.reminder_days_before == 5
    assert audit_actions(tenant, "time_settings") == ["time_settings.update"]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"period_start_day": 0}, "period_start_day"),
        ({"period_start_day": 29}, "period_start_day"),
        ({"period_start_day": 31}, "period_start_day"),
        ({"period_start_day": "16"}, "period_start_day"),
        ({"reminder_days_before": -1}, "reminder_days_before"),
        ({"reminder_days_before": 15}, "reminder_days_before"),
        ({"payroll_system": "hogia"}, "payroll_system"),
    ],
)
def test_time_settings_update_refuses_bad_values(tenant, owner, changes, field):
    services.timecodes_install_defaults(tenant_id=tenant.pk)
    before = tc_state(tenant)
    with tenant_scope(tenant.pk), pytest.raises(DomainError) as exc:
        services.time_settings_update(actor=actor_for(owner, tenant), **changes)
    assert exc.value.extra == {"field": field}
    assert tc_state(tenant) == before


@pytest.mark.parametrize("start_day", [1, 28])
def test_time_settings_accepts_the_edges(tenant, owner, start_day):
    with tenant_scope(tenant.pk):
        services.time_settings_update(actor=actor_for(owner, tenant), period_start_day=start_day)
        assert selectors.time_settings_get(tenant_id=tenant.pk).period_start_day == start_day


def test_current_period_follows_the_tenants_start_day(tenant, owner, time_machine):
    import datetime as dt

    time_machine.move_to(dt.datetime(2026, 12, 1, 12, tzinfo=dt.UTC))
    with tenant_scope(tenant.pk):
        assert selectors.current_period(tenant_id=tenant.pk).key == "2026-12"
        services.time_settings_update(actor=actor_for(owner, tenant), period_start_day=16)
        period = selectors.current_period(tenant_id=tenant.pk)
        assert (period.start, period.end) == (dt.date(2026, 11, 16), dt.date(2026, 12, 15))
        assert selectors.current_period(tenant_id=tenant.pk, today=dt.date(2026, 12, 16)).key == "2027-01"
        assert selectors.period_get(tenant_id=tenant.pk, key="2027-01").start == dt.date(2026, 12, 16)


def test_current_period_uses_the_stockholm_date_across_midnight_and_dst(tenant, time_machine):
    import datetime as dt

    # 31 Oct 2026 23:30 UTC is 1 Nov 00:30 in Stockholm (CET after the DST change on 25 Oct)
    time_machine.move_to(dt.datetime(2026, 10, 31, 23, 30, tzinfo=dt.UTC))
    with tenant_scope(tenant.pk):
        assert selectors.current_period(tenant_id=tenant.pk).key == "2026-11"
    # 31 Mar 2026 22:30 UTC is 1 Apr 00:30 in Stockholm (CEST after 29 Mar)
    time_machine.move_to(dt.datetime(2026, 3, 31, 22, 30, tzinfo=dt.UTC))
    with tenant_scope(tenant.pk):
        assert selectors.current_period(tenant_id=tenant.pk).key == "2026-04"


# --- permissions -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["attestant", "employee", "partner_limited"])
def test_every_write_requires_settings_manage(request, tenant, everyone, role):
    actor = actor_for(request.getfixturevalue(role), tenant)
    code = TimeCodeFactory(tenant=tenant, code="NORM")
    absence = AbsenceTypeFactory(tenant=tenant, code="SJK")
    activity = ActivityFactory(tenant=tenant, code="ARB")
    before = tc_state(tenant)
    calls = [
        lambda: services.activity_create(actor=actor, code="X", name="X"),
        lambda: services.activity_update(actor=actor, activity=activity, name="Y"),
        lambda: services.activity_deactivate(actor=actor, activity=activity),
        lambda: services.time_code_create(actor=actor, code="X", name="X"),
        lambda: services.time_code_update(actor=actor, time_code=code, name="Y"),
        lambda: services.time_code_deactivate(actor=actor, time_code=code),
        lambda: services.absence_type_create(actor=actor, code="X", name="X"),
        lambda: services.absence_type_update(actor=actor, absence_type=absence, name="Y"),
        lambda: services.absence_type_deactivate(actor=actor, absence_type=absence),
        lambda: services.payroll_code_set(actor=actor, system="visma", code="1", time_code=code),
        lambda: services.payroll_code_set_many(actor=actor, system="visma", codes={("time", code.pk): "1"}),
        lambda: services.time_settings_update(actor=actor, period_start_day=16),
    ]
    with tenant_scope(tenant.pk):
        for call in calls:
            with pytest.raises(Forbidden):
                call()
    assert tc_state(tenant) == before


def test_partner_full_may_write_and_is_audited_with_the_partner_tenant(tenant, partner_full, partner_firm):
    with tenant_scope(tenant.pk):
        services.activity_create(actor=actor_for(partner_full, tenant), code="X", name="X")
        from verksam.audit.models import AuditEvent

        event = AuditEvent.objects.get(action="activity.create")
    assert event.partner_tenant_id == partner_firm.pk
