"""Give every existing company the default time codes, absence types and activities (issue 7 item
13). They used to be installed by the first visit to a time page; now a company gets them when it is
created (`tenancy.services.tenant_create` -> settings.TENANT_INITIALIZERS), and reads never write.

The default set is frozen here as it was when this migration was written (a migration must not
change meaning when `timecodes.services` changes). Rows a company already has (by code) are kept, and
a company that has its settings row is done, exactly like `timecodes_install_defaults`. On
PostgreSQL the rows are written under each company's own row-level-security scope.
"""

from django.db import migrations

TIME_CODES = [
    # code, name, counts_as_worked, time_bank_effect, paxml_code, is_default
    ("NORM", "Normaltid", True, "none", "ARB", True),
    ("OT50", "Övertid 50 %", True, "none", "ÖT1", False),
    ("OT100", "Övertid 100 %", True, "none", "ÖT2", False),
    ("RES", "Restid", False, "none", "RE1", False),
    ("JOUR", "Jour", False, "none", "JR1", False),
    ("OB", "OB (obekväm arbetstid)", True, "none", "OB1", False),
    ("KOMPIN", "Komp in (till tidsbank)", True, "add", "ÖK1", False),
]
ABSENCE_TYPES = [
    # code, name, paxml_code, time_bank_effect, requires_child
    ("SJK", "Sjuk", "SJK", "none", False),
    ("VAB", "VAB (vård av barn)", "VAB", "none", True),
    ("SEM", "Semester", "SEM", "none", False),
    ("FPE", "Föräldraledig", "FPE", "none", False),
    ("TJL", "Tjänstledig", "TJL", "none", False),
    ("PAP", "Permission", "PAP", "none", False),
    ("KOM", "Komp-ledig", "KOM", "subtract", False),
]
ACTIVITIES = [("ARB", "Arbete", True), ("RESA", "Resa", True), ("ADM", "Administration", False), ("MOTE", "Möte", False)]


def _scope(schema_editor, tenant_id):
    if schema_editor.connection.vendor == "postgresql":
        with schema_editor.connection.cursor() as cursor:
            cursor.execute("SELECT set_config('app.tenant_ids', %s, false)", [str(tenant_id or "")])


def install(apps, schema_editor):
    Tenant = apps.get_model("tenancy", "Tenant")
    TimeSettings = apps.get_model("timecodes", "TimeSettings")
    TimeCode = apps.get_model("timecodes", "TimeCode")
    AbsenceType = apps.get_model("timecodes", "AbsenceType")
    Activity = apps.get_model("timecodes", "Activity")
    PayrollCode = apps.get_model("timecodes", "PayrollCode")
    AuditEvent = apps.get_model("audit", "AuditEvent")
    try:
        for tenant_id in Tenant._default_manager.order_by("pk").values_list("pk", flat=True):
            _scope(schema_editor, tenant_id)
            if TimeSettings._default_manager.filter(tenant_id=tenant_id).exists():
                continue
            installed = {"time_codes": [], "absence_types": [], "activities": []}
            have_default = TimeCode._default_manager.filter(tenant_id=tenant_id, is_default=True).exists()
            existing = set(TimeCode._default_manager.filter(tenant_id=tenant_id).values_list("code", flat=True))
            for order, (code, name, worked, effect, paxml, is_default) in enumerate(TIME_CODES):
                if code in existing:
                    continue
                row = TimeCode._default_manager.create(
                    tenant_id=tenant_id, code=code, name=name, counts_as_worked=worked,
                    time_bank_effect=effect, paxml_code=paxml, is_default=is_default and not have_default,
                    sort_order=(order + 1) * 10,
                )
                PayrollCode._default_manager.create(tenant_id=tenant_id, system="paxml", code=paxml, time_code=row)
                installed["time_codes"].append(code)
            existing = set(AbsenceType._default_manager.filter(tenant_id=tenant_id).values_list("code", flat=True))
            for order, (code, name, paxml, effect, requires_child) in enumerate(ABSENCE_TYPES):
                if code in existing:
                    continue
                row = AbsenceType._default_manager.create(
                    tenant_id=tenant_id, code=code, name=name, paxml_code=paxml, time_bank_effect=effect,
                    requires_child=requires_child, sort_order=(order + 1) * 10,
                )
                PayrollCode._default_manager.create(tenant_id=tenant_id, system="paxml", code=paxml, absence_type=row)
                installed["absence_types"].append(code)
            existing = set(Activity._default_manager.filter(tenant_id=tenant_id).values_list("code", flat=True))
            for order, (code, name, invoiceable) in enumerate(ACTIVITIES):
                if code in existing:
                    continue
                Activity._default_manager.create(
                    tenant_id=tenant_id, code=code, name=name, invoiceable=invoiceable, sort_order=(order + 1) * 10
                )
                installed["activities"].append(code)
            TimeSettings._default_manager.create(tenant_id=tenant_id)
            AuditEvent._default_manager.create(tenant_id=tenant_id, action="timecodes.install_defaults", data=installed)
    finally:
        _scope(schema_editor, None)


class Migration(migrations.Migration):
    dependencies = [
        ("timecodes", "0001_initial"),
        ("tenancy", "0002_membership_work_day_minutes"),
        ("audit", "0001_initial"),
    ]

    operations = [migrations.RunPython(install, migrations.RunPython.noop)]
