"""The data migration gives every existing company the defaults the first time-page visit used to
install (issue 7 item 13), and the same set as `timecodes_install_defaults`."""

import importlib
from types import SimpleNamespace

from django.apps import apps
from django.db import connection

from verksam.audit.models import AuditEvent
from verksam.tenancy.scope import tenant_scope
from verksam.tenancy.tests.factories import TenantFactory
from verksam.timecodes import services
from verksam.timecodes.models import AbsenceType, Activity, PayrollCode, TimeCode, TimeSettings

from .factories import TimeCodeFactory

migration = importlib.import_module(
    "verksam.timecodes.migrations.0002_install_defaults_for_existing_companies"
)
fix_migration = importlib.import_module("verksam.timecodes.migrations.0003_flex_and_kinds")


def _migrate():
    """0002 installs the defaults of its day; 0003 fixes those still equal to them (issue 8)."""
    editor = SimpleNamespace(connection=connection)
    migration.install(apps, editor)
    fix_migration.fix(apps, editor)


def _set(tenant):
    with tenant_scope(tenant.pk):
        return {
            "time_codes": sorted(
                TimeCode.objects.values_list(
                    "code",
                    "name",
                    "counts_as_worked",
                    "kind",
                    "time_bank_effect",
                    "time_bank_factor_pct",
                    "paxml_code",
                    "is_default",
                    "sort_order",
                )
            ),
            "absence": sorted(
                AbsenceType.objects.values_list(
                    "code", "name", "paxml_code", "time_bank_effect", "requires_child", "sort_order"
                )
            ),
            "activities": sorted(Activity.objects.values_list("code", "name", "invoiceable", "sort_order")),
            "payroll": sorted(PayrollCode.objects.values_list("system", "code")),
            "settings": TimeSettings.objects.count(),
            "audit": list(AuditEvent.objects.values_list("action", flat=True)),
        }


def test_existing_companies_get_the_same_defaults_as_a_new_one(db):
    # given a company from before (no defaults, nobody opened a time page) and one installed by the service
    old, reference = TenantFactory(), TenantFactory()
    services.timecodes_install_defaults(tenant_id=reference.pk)
    # when the migration runs
    _migrate()

    # then the old company has exactly the service's set (the old defaults fixed: NORM is TID,
    # Permission is PEM, Pappaledig PAP and Beredskap added, OB and jour supplements), and the other
    # one is left alone
    def without_audit(t):
        return {k: v for k, v in _set(t).items() if k != "audit"}

    assert without_audit(old) == without_audit(reference)
    assert _set(old)["settings"] == 1
    assert sorted(_set(old)["audit"]) == ["timecodes.fix_defaults", "timecodes.install_defaults"]
    assert _set(reference)["audit"] == ["timecodes.install_defaults"]
    _migrate()  # a second run changes nothing
    assert without_audit(old) == without_audit(reference)
    assert sorted(_set(old)["audit"]) == ["timecodes.fix_defaults", "timecodes.install_defaults"]


def test_the_fix_leaves_rows_a_company_has_changed(db):
    # given a company whose Permission was renamed and whose Normaltid maps to its own code
    tenant = TenantFactory()
    migration.install(apps, SimpleNamespace(connection=connection))
    with tenant_scope(tenant.pk):
        AbsenceType.objects.filter(code="PAP").update(name="Permission (egen)")
        TimeCode.objects.filter(code="NORM").update(paxml_code="NV1")
    # when the fix runs
    fix_migration.fix(apps, SimpleNamespace(connection=connection))
    # then those rows are as the company left them, and no PEM or second PAP is made
    with tenant_scope(tenant.pk):
        assert AbsenceType.objects.get(code="PAP").paxml_code == "PAP"
        assert not AbsenceType.objects.filter(code="PEM").exists()
        assert TimeCode.objects.get(code="NORM").paxml_code == "NV1"
        # but the kinds follow the PAXml codes: OB is a supplement, not worked time
        ob = TimeCode.objects.get(code="OB")
        assert (ob.kind, ob.counts_as_worked) == ("supplement", False)


def test_the_migration_keeps_a_companys_own_rows(db):
    tenant = TenantFactory()
    TimeCodeFactory(tenant=tenant, code="NORM", name="Egen normaltid", paxml_code="TID", is_active=False)
    TimeCodeFactory(tenant=tenant, code="EGEN", is_default=True)
    _migrate()
    with tenant_scope(tenant.pk):
        assert TimeCode.objects.get(code="NORM").name == "Egen normaltid"
        assert list(TimeCode.objects.filter(is_default=True).values_list("code", flat=True)) == ["EGEN"]
        assert TimeCode.objects.filter(code="OT50").exists()
