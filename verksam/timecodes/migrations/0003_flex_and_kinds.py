"""Kinds of time and the time bank factor on time codes, the company's flex rules (issue 8 items 2
and 3), and the fix of the default codes the companies got before:

- every time code gets a kind from what it already says: not counted as worked → not worked (restid);
  a PAXml övertid/komp code (ÖT*, ÖK*) → overtime; OB, OS, jour, beredskap (OB*, OS*, JR*, JS*, BE*,
  BS*) → a supplement on top of worked time (and so no longer counted as worked time);
- default rows still exactly as installed are corrected: "Normaltid" maps to TID (read per salary
  form: TID monthly, ARB hourly) instead of ARB; the absence "Permission" is PEM, not PAP (PAP is
  pappaledig), and "Pappaledig" (PAP) and "Beredskap" (BE1) are added where the code is free.
Rows a company has changed are left alone. Frozen here as written; on PostgreSQL each company's rows
are written under its own row-level-security scope, with an audit row of what changed."""

from django.db import migrations, models

SUPPLEMENT_PREFIXES = ("OB", "OS", "JR", "JS", "BE", "BS")


def _scope(schema_editor, tenant_id):
    if schema_editor.connection.vendor == "postgresql":
        with schema_editor.connection.cursor() as cursor:
            cursor.execute("SELECT set_config('app.tenant_ids', %s, false)", [str(tenant_id or "")])


def _kind(row):
    paxml = row.paxml_code or ""
    if paxml.startswith(SUPPLEMENT_PREFIXES):
        return "supplement"
    if not row.counts_as_worked:
        return "not_worked"
    if paxml.startswith(("ÖT", "ÖK")):
        return "overtime"
    return "worked"


def fix(apps, schema_editor):
    Tenant = apps.get_model("tenancy", "Tenant")
    TimeSettings = apps.get_model("timecodes", "TimeSettings")
    TimeCode = apps.get_model("timecodes", "TimeCode")
    AbsenceType = apps.get_model("timecodes", "AbsenceType")
    PayrollCode = apps.get_model("timecodes", "PayrollCode")
    AuditEvent = apps.get_model("audit", "AuditEvent")
    try:
        for tenant_id in Tenant._default_manager.order_by("pk").values_list("pk", flat=True):
            _scope(schema_editor, tenant_id)
            changed = []
            for row in TimeCode._default_manager.filter(tenant_id=tenant_id):
                kind = _kind(row)
                worked = kind in ("worked", "overtime")
                if row.kind != kind or row.counts_as_worked != worked:
                    row.kind, row.counts_as_worked = kind, worked
                    row.save(update_fields=["kind", "counts_as_worked"])
                    changed.append(f"{row.code}: {kind}")
            norm = TimeCode._default_manager.filter(
                tenant_id=tenant_id, code="NORM", name="Normaltid", paxml_code="ARB"
            ).first()
            if norm is not None:
                norm.paxml_code = "TID"
                norm.save(update_fields=["paxml_code"])
                PayrollCode._default_manager.filter(
                    tenant_id=tenant_id, system="paxml", time_code=norm, code="ARB"
                ).update(code="TID")
                changed.append("NORM: TID")
            absences = AbsenceType._default_manager.filter(tenant_id=tenant_id)
            codes = set(absences.values_list("code", flat=True))
            permission = absences.filter(code="PAP", name="Permission", paxml_code="PAP").first()
            if permission is not None and "PEM" not in codes:
                permission.code = permission.paxml_code = "PEM"
                permission.save(update_fields=["code", "paxml_code"])
                PayrollCode._default_manager.filter(
                    tenant_id=tenant_id, system="paxml", absence_type=permission, code="PAP"
                ).update(code="PEM")
                codes = (codes - {"PAP"}) | {"PEM"}
                changed.append("PAP → PEM (Permission)")
            installed = TimeSettings._default_manager.filter(tenant_id=tenant_id).exists()
            if installed and "PAP" not in codes:
                row = AbsenceType._default_manager.create(
                    tenant_id=tenant_id, code="PAP", name="Pappaledig", paxml_code="PAP", sort_order=80
                )
                PayrollCode._default_manager.create(tenant_id=tenant_id, system="paxml", code="PAP", absence_type=row)
                changed.append("+PAP (Pappaledig)")
            if installed and not TimeCode._default_manager.filter(tenant_id=tenant_id, code="BER").exists():
                row = TimeCode._default_manager.create(
                    tenant_id=tenant_id, code="BER", name="Beredskap", kind="supplement",
                    counts_as_worked=False, paxml_code="BE1", sort_order=80,
                )  # fmt: skip
                PayrollCode._default_manager.create(tenant_id=tenant_id, system="paxml", code="BE1", time_code=row)
                changed.append("+BER (Beredskap)")
            if changed:
                AuditEvent._default_manager.create(
                    tenant_id=tenant_id, action="timecodes.fix_defaults", data={"changes": changed}
                )
    finally:
        _scope(schema_editor, None)


class Migration(migrations.Migration):

    dependencies = [
        ('tenancy', '0003_invitation'),
        ('timecodes', '0002_install_defaults_for_existing_companies'),
        ('audit', '0001_initial'),
    ]

    operations = [
        migrations.AddField(
            model_name='timecode',
            name='kind',
            field=models.CharField(choices=[('worked', 'Worked time'), ('overtime', 'Overtime (paid or to the time bank)'), ('supplement', 'Supplement on top of worked time (OB, jour, beredskap)'), ('not_worked', 'Not worked time (restid)')], default='worked', max_length=12, verbose_name='kind of time'),
        ),
        migrations.AddField(
            model_name='timecode',
            name='time_bank_factor_pct',
            field=models.PositiveSmallIntegerField(default=100, verbose_name='time bank factor (hundredths)'),
        ),
        migrations.AddField(
            model_name='timesettings',
            name='allow_negative_time_bank',
            field=models.BooleanField(default=False, verbose_name='allow a negative time bank'),
        ),
        migrations.AddField(
            model_name='timesettings',
            name='excess_time_rule',
            field=models.CharField(choices=[('flex', 'Flex: time beyond the schedule goes to the flex balance'), ('paid', 'Paid: time beyond the schedule is mertid up to full time, then övertid (ÖT1)')], default='flex', max_length=10, verbose_name='time beyond the schedule'),
        ),
        migrations.AddConstraint(
            model_name='timecode',
            constraint=models.CheckConstraint(condition=models.Q(('time_bank_factor_pct__gte', 1), ('time_bank_factor_pct__lte', 1000)), name='timecodes_timecode_bank_factor_range', violation_error_message='The time bank factor must be from 0.01 to 10.'),
        ),
        migrations.RunPython(fix, migrations.RunPython.noop),
    ]
