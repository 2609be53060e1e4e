"""Give every existing company the starting schedule templates and every existing member a work
schedule (issue 8 item 1). Until now a member's working day was `Membership.work_day_minutes`
(Monday–Friday, no other shape); each member gets that day on Monday–Friday, with the part-time
percentage it implies against 8 h (360 → 75 %), valid from the day the member joined (the first
schedule also covers the days before it). Frozen here as it was when written; on PostgreSQL the rows
are written under each company's own row-level-security scope."""

from django.db import migrations

TEMPLATES = [
    ("Heltid mån–fre 8 h", (480, 480, 480, 480, 480, 0, 0), 100, True),
    ("Deltid 75 % mån–fre 6 h", (360, 360, 360, 360, 360, 0, 0), 75, False),
    ("Deltid 50 % mån–fre 4 h", (240, 240, 240, 240, 240, 0, 0), 50, False),
]
DAYS = (
    "monday_minutes",
    "tuesday_minutes",
    "wednesday_minutes",
    "thursday_minutes",
    "friday_minutes",
    "saturday_minutes",
    "sunday_minutes",
)


def _scope(schema_editor, tenant_id):
    if schema_editor.connection.vendor == "postgresql":
        with schema_editor.connection.cursor() as cursor:
            cursor.execute("SELECT set_config('app.tenant_ids', %s, false)", [str(tenant_id or "")])


def _days(minutes):
    return dict(zip(DAYS, minutes, strict=True)) | {"week_minutes": sum(minutes)}


def install(apps, schema_editor):
    Tenant = apps.get_model("tenancy", "Tenant")
    Membership = apps.get_model("tenancy", "Membership")
    ScheduleTemplate = apps.get_model("schedules", "ScheduleTemplate")
    WorkSchedule = apps.get_model("schedules", "WorkSchedule")
    try:
        for tenant_id in Tenant._default_manager.order_by("pk").values_list("pk", flat=True):
            _scope(schema_editor, tenant_id)
            templates = ScheduleTemplate._default_manager
            if not templates.filter(tenant_id=tenant_id).exists():
                for name, minutes, percent, is_default in TEMPLATES:
                    templates.create(
                        tenant_id=tenant_id, name=name, percent=percent, is_default=is_default, **_days(minutes)
                    )
            members = Membership._default_manager.filter(tenant_id=tenant_id)
            have = set(
                WorkSchedule._default_manager.filter(tenant_id=tenant_id).values_list("membership_id", flat=True)
            )
            for member in members:
                if member.pk in have:
                    continue
                day = max(1, min(member.work_day_minutes, 24 * 60))
                percent = max(1, min(100, round(day * 100 / 480)))
                WorkSchedule._default_manager.create(
                    tenant_id=tenant_id,
                    membership_id=member.pk,
                    valid_from=member.created_at.date(),
                    percent=percent,
                    **_days((day, day, day, day, day, 0, 0)),
                )
    finally:
        _scope(schema_editor, None)


class Migration(migrations.Migration):
    dependencies = [
        ("schedules", "0001_initial"),
        ("tenancy", "0003_invitation"),
    ]

    operations = [migrations.RunPython(install, migrations.RunPython.noop)]
