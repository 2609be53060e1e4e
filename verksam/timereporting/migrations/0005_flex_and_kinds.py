"""What each attested day contributed to flex and the time bank, stored on its DayLock (issue 8
item 2), and computed here for the days attested before: with the schedules, codes and salary forms
as they are when this migration runs, by the rules of `timereporting.worktime` (pure functions, no
queries), so the balances read from the stored figures from now on. On PostgreSQL each company's
rows are read and written under its own row-level-security scope."""

from collections import defaultdict

from django.db import migrations, models

WEEKDAYS = (
    "monday_minutes", "tuesday_minutes", "wednesday_minutes", "thursday_minutes",
    "friday_minutes", "saturday_minutes", "sunday_minutes",
)  # fmt: skip


def _scope(schema_editor, tenant_id):
    if schema_editor.connection.vendor == "postgresql":
        with schema_editor.connection.cursor() as cursor:
            cursor.execute("SELECT set_config('app.tenant_ids', %s, false)", [str(tenant_id or "")])


def store(apps, schema_editor):
    from verksam.schedules.dto import Schedule, ScheduleHistory
    from verksam.timereporting.worktime import ABSENCE, DayFacts, EntryFacts, classify_day

    Tenant = apps.get_model("tenancy", "Tenant")
    Membership = apps.get_model("tenancy", "Membership")
    DayLock = apps.get_model("timereporting", "DayLock")
    TimeEntry = apps.get_model("timereporting", "TimeEntry")
    WorkSchedule = apps.get_model("schedules", "WorkSchedule")
    TimeSettings = apps.get_model("timecodes", "TimeSettings")
    try:
        for tenant_id in Tenant._default_manager.order_by("pk").values_list("pk", flat=True):
            _scope(schema_editor, tenant_id)
            locks = list(DayLock._default_manager.filter(tenant_id=tenant_id, status="attested"))
            if not locks:
                continue
            settings = TimeSettings._default_manager.filter(tenant_id=tenant_id).first()
            rule = settings.excess_time_rule if settings else "flex"
            forms = dict(Membership._default_manager.filter(tenant_id=tenant_id).values_list("pk", "salary_form"))
            schedules = defaultdict(list)
            for row in WorkSchedule._default_manager.filter(tenant_id=tenant_id).order_by("valid_from"):
                schedules[row.membership_id].append(
                    Schedule(
                        valid_from=row.valid_from,
                        weekday_minutes=tuple(getattr(row, name) for name in WEEKDAYS),
                        percent=row.percent,
                    )
                )
            attested = {(lock.membership_id, lock.date) for lock in locks}
            entries = defaultdict(list)
            rows = TimeEntry._default_manager.filter(tenant_id=tenant_id).select_related("time_code", "absence_type")
            for entry in rows.iterator():
                if (entry.membership_id, entry.date) not in attested:
                    continue
                if entry.absence_type_id is not None:
                    a = entry.absence_type
                    facts = EntryFacts(entry.minutes, ABSENCE, a.code, a.paxml_code, a.time_bank_effect)
                else:
                    c = entry.time_code
                    facts = EntryFacts(
                        entry.minutes, c.kind, c.code, c.paxml_code, c.time_bank_effect, c.time_bank_factor_pct
                    )
                entries[(entry.membership_id, entry.date)].append(facts)
            for lock in locks:
                schedule = ScheduleHistory(tuple(schedules[lock.membership_id])).on(lock.date)
                result = classify_day(
                    DayFacts(
                        date=lock.date,
                        scheduled_minutes=schedule.minutes_on(lock.date),
                        full_time_minutes=schedule.full_time_minutes_on(lock.date),
                        salary_form=forms.get(lock.membership_id, "monthly"),
                        entries=tuple(entries[(lock.membership_id, lock.date)]),
                    ),
                    excess_time_rule=rule,
                )
                lock.scheduled_minutes = result.scheduled_minutes
                lock.worked_minutes = result.worked_minutes
                lock.flex_minutes = result.flex_minutes
                lock.bank_minutes = result.bank_minutes
            DayLock._default_manager.bulk_update(
                locks, ["scheduled_minutes", "worked_minutes", "flex_minutes", "bank_minutes"], batch_size=500
            )
    finally:
        _scope(schema_editor, None)


class Migration(migrations.Migration):

    dependencies = [
        ('timereporting', '0004_absence_range'),
        ('timecodes', '0003_flex_and_kinds'),
        ('schedules', '0002_existing_companies_and_members'),
    ]

    operations = [
        migrations.AddField(
            model_name='daylock',
            name='bank_minutes',
            field=models.IntegerField(blank=True, editable=False, null=True),
        ),
        migrations.AddField(
            model_name='daylock',
            name='flex_minutes',
            field=models.IntegerField(blank=True, editable=False, null=True),
        ),
        migrations.AddField(
            model_name='daylock',
            name='scheduled_minutes',
            field=models.IntegerField(blank=True, editable=False, null=True),
        ),
        migrations.AddField(
            model_name='daylock',
            name='worked_minutes',
            field=models.IntegerField(blank=True, editable=False, null=True),
        ),
        migrations.RunPython(store, migrations.RunPython.noop),
    ]
