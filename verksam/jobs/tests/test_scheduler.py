"""The daily-job scheduler runs each job once a day, from its time of day on."""

import datetime as dt
from io import StringIO
from zoneinfo import ZoneInfo

import time_machine
from django.core.management import call_command

from verksam.jobs.management.commands import run_scheduler
from verksam.jobs.management.commands.run_scheduler import JobState, due_jobs

STOCKHOLM = ZoneInfo("Europe/Stockholm")


def at(hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(2026, 11, 25, hour, minute, tzinfo=STOCKHOLM)


def test_a_job_is_due_from_its_time_and_only_once_a_day(db, settings):
    settings.SCHEDULE = [("07:30", "send_time_reminders", {"enqueue": True})]
    assert due_jobs(at(7, 29), {}) == []
    assert due_jobs(at(7, 30), {}) == [("send_time_reminders", {"enqueue": True})]
    done_today = JobState(day=dt.date(2026, 11, 25), done=True)
    assert due_jobs(at(15), {"send_time_reminders": done_today}) == []
    done_yesterday = JobState(day=dt.date(2026, 11, 24), done=True)
    assert due_jobs(at(7, 31), {"send_time_reminders": done_yesterday}) != []


def test_once_runs_the_due_jobs_by_command_name(db, settings, monkeypatch):
    settings.SCHEDULE = [("07:30", "send_time_reminders", {"enqueue": True}), ("23:00", "late_job", {})]
    calls = []
    monkeypatch.setattr(run_scheduler, "call_command", lambda name, **kw: calls.append((name, kw)))
    with time_machine.travel(at(8), tick=False):
        call_command("run_scheduler", once=True, stdout=StringIO())
    assert [(name, kw.get("enqueue")) for name, kw in calls] == [("send_time_reminders", True)]


def test_the_scheduled_reminder_command_exists_and_runs(db):
    # the real job of settings.SCHEDULE runs (no tenant has reminders due: nothing is sent)
    out = StringIO()
    call_command("send_time_reminders", stdout=out)
    assert "Reminders sent" in out.getvalue()
