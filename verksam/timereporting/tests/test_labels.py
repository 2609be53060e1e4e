"""A time-reporting row reads as people read it, Swedish first (issue 12 item 3): the person, the date
as the UI writes it and the hours, never ids or English. The audit log stores it as the event's
"What" (target_label)."""

import datetime as dt
import zoneinfo

from django.utils import translation

from verksam.audit.models import AuditEvent
from verksam.timereporting import services
from verksam.timereporting.models import (
    AbsenceRange,
    DayLock,
    DayRejection,
    DayStatus,
    ReturnKind,
    RunningTimer,
    TimeBankAdjustment,
)
from verksam.timereporting.tests.factories import TimeEntryFactory

from .conftest import actor_for, membership_of

DAY = dt.date(2026, 11, 18)


def test_each_row_names_the_person_the_day_and_the_time(tenant, employee, scope):
    member = membership_of(tenant, employee)
    entry = TimeEntryFactory(membership=member, date=DAY, minutes=450)
    started = dt.datetime(2026, 11, 18, 7, 5, tzinfo=zoneinfo.ZoneInfo("Europe/Stockholm"))
    rows = {
        "entry": entry,
        "range": AbsenceRange(membership=member, start_date=DAY, end_date=dt.date(2026, 11, 20), percent=50),
        "lock": DayLock(membership=member, date=DAY, status=DayStatus.ATTESTED),
        "rejection": DayRejection(membership=member, date=DAY, kind=ReturnKind.REJECTED),
        "adjustment": TimeBankAdjustment(membership=member, date=DAY, minutes=-90),
        "timer": RunningTimer(membership=member, started_at=started),
    }
    with translation.override("sv"):
        assert {name: str(row) for name, row in rows.items()} == {
            "entry": "Erik Anställd · 18 nov 2026 · 7:30",
            "range": "Erik Anställd · 18 nov 2026 – 20 nov 2026 · 50 %",
            "lock": "Erik Anställd · 18 nov 2026 · Attesterad",
            "rejection": "Erik Anställd · 18 nov 2026 · Avvisad",
            "adjustment": "Erik Anställd · 18 nov 2026 · −1:30",
            "timer": "Erik Anställd · timern startad 18 nov 2026 kl. 07:05",
        }


def test_the_audit_log_stores_the_readable_label(tenant, employee, codes, projects, scope):
    with translation.override("sv"):
        entry = services.time_entry_create(
            actor=actor_for(tenant, employee),
            date=DAY,
            kind="work",
            project=projects.site,
            time_code=codes.normal,
            minutes=480,
        )
    event = AuditEvent.objects.get(action="time.entry_create", target_id=str(entry.pk))
    assert event.target_label == "Erik Anställd · 18 nov 2026 · 8:00"
