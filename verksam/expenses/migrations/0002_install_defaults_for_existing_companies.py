"""Give every existing company the default expense types and the dated allowance rates (issue 10).
New companies get them when created (settings.TENANT_INITIALIZERS). Frozen here as written; rows a
company has are kept. On PostgreSQL each company's rows are written under its own RLS scope."""

import datetime as dt

from django.db import migrations

TYPES = [
    ("Drivmedel", "5611", "UTLÄGG"),
    ("Resor", "5800", "UTLÄGG"),
    ("Logi", "5831", "UTLÄGG"),
    ("Material", "5460", "UTLÄGG"),
    ("Representation, extern", "6071", "REPEXT"),
    ("Representation, intern", "6072", "REPINT"),
    ("Kontorsmaterial", "6110", "UTLÄGG"),
    ("Övrigt", "6990", "UTLÄGG"),
]
SKV = "Skatteverket, skatteverket.se"
RATES = [
    (dt.date(2025, 1, 1), "mileage_own", 2500, f"{SKV}: 25 kr/mil 2025 (unchanged since 2023)"),
    (dt.date(2025, 1, 1), "mileage_benefit_fossil", 1200, f"{SKV}: förmånsbil 12 kr/mil 2025"),
    (dt.date(2025, 1, 1), "mileage_benefit_electric", 950, f"{SKV}: förmånsbil el 9,50 kr/mil 2025"),
    (dt.date(2025, 1, 1), "per_diem_full_day", 29000, f"{SKV}: heldag 290 kr 2025"),
    (dt.date(2025, 1, 1), "per_diem_half_day", 14500, f"{SKV}: halvdag 145 kr 2025"),
    (dt.date(2025, 1, 1), "per_diem_night", 14500, f"{SKV}: nattraktamente 145 kr 2025"),
    (dt.date(2026, 1, 1), "mileage_own", 2500, f"{SKV}: 25 kr/mil 2026 (unchanged; verify)"),
    (dt.date(2026, 1, 1), "mileage_benefit_fossil", 1200, f"{SKV}: 12 kr/mil 2026 (verify)"),
    (dt.date(2026, 1, 1), "mileage_benefit_electric", 950, f"{SKV}: 9,50 kr/mil 2026 (verify)"),
    (dt.date(2026, 1, 1), "per_diem_full_day", 30000, f"{SKV}: heldag 300 kr 2026 (0,5 % av PBB)"),
    (dt.date(2026, 1, 1), "per_diem_half_day", 15000, f"{SKV}: halvdag 150 kr 2026"),
    (dt.date(2026, 1, 1), "per_diem_night", 15000, f"{SKV}: nattraktamente 150 kr 2026"),
]


def _scope(schema_editor, tenant_id):
    if schema_editor.connection.vendor == "postgresql":
        with schema_editor.connection.cursor() as cursor:
            cursor.execute("SELECT set_config('app.tenant_ids', %s, false)", [str(tenant_id or "")])


def install(apps, schema_editor):
    Tenant = apps.get_model("tenancy", "Tenant")
    ExpenseType = apps.get_model("expenses", "ExpenseType")
    AllowanceRate = apps.get_model("expenses", "AllowanceRate")
    try:
        for tenant_id in Tenant.objects.values_list("pk", flat=True):
            _scope(schema_editor, tenant_id)
            have = set(ExpenseType.objects.filter(tenant_id=tenant_id).values_list("name", flat=True))
            ExpenseType.objects.bulk_create(
                ExpenseType(tenant_id=tenant_id, name=n, account=a, paxml_code=c)
                for n, a, c in TYPES
                if n not in have
            )
            dated = set(AllowanceRate.objects.filter(tenant_id=tenant_id).values_list("kind", "valid_from"))
            AllowanceRate.objects.bulk_create(
                AllowanceRate(tenant_id=tenant_id, kind=k, valid_from=d, tax_free_ore=o, paid_ore=o, source=s)
                for d, k, o, s in RATES
                if (k, d) not in dated
            )
    finally:
        _scope(schema_editor, "")


class Migration(migrations.Migration):
    dependencies = [("expenses", "0001_initial"), ("tenancy", "0004_invitation_schedule_template")]

    operations = [migrations.RunPython(install, migrations.RunPython.noop)]
