"""The daily jobs survive faults (issue 7 item 11): each tenant runs in its own scope and
transaction, a failure is recorded and retried with back-off (bounded), and one tenant's failure
never stops another's; the scheduler loop retries too, and operators see it all."""

import datetime as dt
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.core.management import CommandError, call_command
from django.test import TestCase

from verksam.attestation import selectors as attestation_selectors
from verksam.jobs.management.commands import run_scheduler
from verksam.jobs.management.commands.run_scheduler import JobState, due_jobs, run_due
from verksam.jobs.models import JobRun, JobStatus
from verksam.jobs.services import MAX_ATTEMPTS, retry_delay
from verksam.tenancy.scope import current_tenant_ids, tenant_scope

STOCKHOLM = ZoneInfo("Europe/Stockholm")
MORNING = dt.datetime(2026, 11, 27, 7, 30, tzinfo=STOCKHOLM)  # 3 days before the period ends: reminders


@pytest.fixture
def broken_for(monkeypatch):
    """Make the reminders of the given tenants raise, as a bug or bad data in one tenant would."""
    broken: set[int] = set()
    original = attestation_selectors.attestation_settings

    def attestation_settings(*args, **kwargs):
        if set(current_tenant_ids()) & broken:
            raise RuntimeError("this tenant's data breaks the job")
        return original(*args, **kwargs)

    monkeypatch.setattr(attestation_selectors, "attestation_settings", attestation_settings)
    return broken


def _reminders(when):
    with time_machine.travel(when, tick=False), TestCase.captureOnCommitCallbacks(execute=True):
        out = StringIO()
        call_command("send_time_reminders", date="2026-11-27", stdout=out)
        return out.getvalue()


def _run(tenant) -> JobRun:
    with tenant_scope(tenant.pk):
        return JobRun.objects.get(job="send_time_reminders", run_for=dt.date(2026, 11, 27))


def test_one_tenants_failure_does_not_stop_the_others_and_is_recorded(
    tenant, owner, other_tenant, broken_for
):
    # given the first tenant's reminders raise (it comes first: lower id)
    assert tenant.pk < other_tenant.pk
    broken_for.add(tenant.pk)
    # when the daily run goes over all tenants
    output = _reminders(MORNING)
    # then the other tenant's boss was still reminded
    assert [m.to for m in mail.outbox] == [["boss@annat.se"]]
    assert "1 failed" in output
    # and the failure is recorded with its error and a retry time after the back-off
    failed = _run(tenant)
    assert (failed.status, failed.attempts) == (JobStatus.FAILED, 1)
    assert "RuntimeError: this tenant's data breaks the job" in failed.error
    assert failed.next_attempt_at == MORNING + retry_delay(1)
    assert (_run(other_tenant).status, _run(other_tenant).attempts) == (JobStatus.SUCCEEDED, 1)


def test_a_failed_tenant_is_retried_after_the_back_off_and_only_it(tenant, owner, other_tenant, broken_for):
    broken_for.add(tenant.pk)
    _reminders(MORNING)
    # a run before the retry time leaves the failed tenant alone, and never repeats a successful one
    _reminders(MORNING + dt.timedelta(minutes=1))
    assert _run(tenant).attempts == 1
    assert _run(other_tenant).attempts == 1
    # once the fault is gone and the retry time has come, the failed tenant runs again and succeeds
    broken_for.clear()
    _reminders(MORNING + retry_delay(1))
    assert (_run(tenant).status, _run(tenant).attempts) == (JobStatus.SUCCEEDED, 2)
    assert _run(tenant).error == ""
    assert sorted(m.to[0] for m in mail.outbox) == ["boss@annat.se", "owner@snickeri.se"]
    assert _run(other_tenant).attempts == 1


def test_retries_are_bounded(tenant, owner, broken_for):
    broken_for.add(tenant.pk)
    when = MORNING
    for _ in range(MAX_ATTEMPTS + 2):
        _reminders(when)
        when += dt.timedelta(hours=3)  # longer than any back-off
    run = _run(tenant)
    assert (run.status, run.attempts, run.next_attempt_at) == (JobStatus.FAILED, MAX_ATTEMPTS, None)


def test_the_scheduler_runs_a_job_again_when_a_tenant_waits_for_its_retry(
    tenant, owner, other_tenant, broken_for, settings
):
    settings.SCHEDULE = [("07:30", "send_time_reminders", {})]
    broken_for.add(tenant.pk)
    state = {"send_time_reminders": JobState(day=MORNING.date(), done=True)}
    _reminders(MORNING)
    # not before the tenant's retry time
    with time_machine.travel(MORNING + dt.timedelta(minutes=1), tick=False):
        assert due_jobs(MORNING + dt.timedelta(minutes=1), state) == []
    later = MORNING + retry_delay(1)
    with time_machine.travel(later, tick=False):
        assert due_jobs(later, state) == [("send_time_reminders", {})]


def test_the_scheduler_retries_a_job_that_failed_as_a_whole_with_back_off(db, settings, monkeypatch):
    settings.SCHEDULE = [("07:30", "flaky_job", {})]
    calls = []

    def call_command(name, **kwargs):
        calls.append(name)
        if len(calls) == 1:
            raise ConnectionError("database went away")

    monkeypatch.setattr(run_scheduler, "call_command", call_command)
    state: dict[str, JobState] = {}
    out, err = StringIO(), StringIO()
    run_due(MORNING, state, out, err)
    assert calls == ["flaky_job"] and "flaky_job failed" in err.getvalue()
    run_due(MORNING + dt.timedelta(minutes=1), state, out, err)  # too early: not again
    assert calls == ["flaky_job"]
    run_due(MORNING + retry_delay(1), state, out, err)
    assert calls == ["flaky_job", "flaky_job"]
    run_due(MORNING + dt.timedelta(hours=5), state, out, err)  # succeeded: not again today
    assert calls == ["flaky_job", "flaky_job"]


def test_scheduler_status_shows_failures_to_operators(tenant, owner, other_tenant, broken_for):
    broken_for.add(tenant.pk)
    _reminders(MORNING)
    out = StringIO()
    with time_machine.travel(MORNING, tick=False), pytest.raises(CommandError, match="1 failed"):
        call_command("scheduler_status", stdout=out)
    lines = out.getvalue().splitlines()
    failed = next(line for line in lines if tenant.slug in line)
    assert "failed" in failed and "RuntimeError: this tenant's data breaks the job" in failed
    assert any(other_tenant.slug in line and "succeeded" in line for line in lines)
