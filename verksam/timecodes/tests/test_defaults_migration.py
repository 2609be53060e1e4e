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


def _migrate():
    migration.install(apps, SimpleNamespace(connection=connection))


def _set(tenant):
    with tenant_scope(tenant.pk):
        return {
            "time_codes": sorted(
                TimeCode.objects.values_list(
                    "code",
                    "name",
                    "counts_as_worked",
                    "time_bank_effect",
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
    # then the old company has exactly the service's set, and the other one is left alone
    assert _set(old) == _set(reference)
    assert _set(old)["settings"] == 1
    _migrate()  # a second run changes nothing
    assert _set(old) == _set(reference)


def test_the_migration_keeps_a_companys_own_rows(db):
    tenant = TenantFactory()
    TimeCodeFactory(tenant=tenant, code="NORM", name="Egen normaltid", paxml_code="TID", is_active=False)
    TimeCodeFactory(tenant=tenant, code="EGEN", is_default=True)
    _migrate()
    with tenant_scope(tenant.pk):
        assert TimeCode.objects.get(code="NORM").name == "Egen normaltid"
        assert list(TimeCode.objects.filter(is_default=True).values_list("code", flat=True)) == ["EGEN"]
        assert TimeCode.objects.filter(code="OT50").exists()
