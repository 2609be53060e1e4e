"""An employee who joined during the period (an invited user accepts on the day they start) is not
missing time before that day: neither in the approver's queue (and so not on Översikt) nor in the
reminders (issue 12 item 4)."""

import datetime as dt

import pytest
import time_machine
from django.core import mail

from verksam.attestation import selectors
from verksam.attestation.tasks import send_time_reminders
from verksam.schedules.services import work_schedule_install_default
from verksam.tenancy.scope import tenant_scope
from verksam.timecodes.periods import period_by_key

from .helpers import STOCKHOLM, actor, member, report

DEC = period_by_key("2026-12")


@pytest.fixture(autouse=True)
def scoped(tenant):
    with tenant_scope(tenant.pk):
        yield


def _row(tenant, attestant, when):
    with time_machine.travel(when, tick=False):
        return selectors.attestation_queue(actor=actor(tenant, attestant), period=DEC)[0]


def test_days_before_the_first_schedule_are_not_missing(tenant, attestant, employee):
    # given an employee who joined on Monday 14 December (their first schedule starts that day)
    m = member(tenant, employee)
    m.work_schedules.all().delete()
    work_schedule_install_default(membership=m, valid_from=dt.date(2026, 12, 14))
    # when the approver looks on Friday 18 December, nothing reported
    row = _row(tenant, attestant, dt.datetime(2026, 12, 18, 12, tzinfo=STOCKHOLM))
    # then only 14–17 December are missing, not 1–11 December
    assert row.days_missing == 4


def test_the_same_employee_from_the_first_of_the_month_misses_every_workday(tenant, attestant, employee):
    m = member(tenant, employee)
    m.work_schedules.all().delete()
    work_schedule_install_default(membership=m, valid_from=dt.date(2026, 12, 1))
    row = _row(tenant, attestant, dt.datetime(2026, 12, 18, 12, tzinfo=STOCKHOLM))
    assert row.days_missing == 13  # 1–17 December: 13 weekdays


def test_time_reported_before_the_start_still_counts(tenant, attestant, employee):
    # time reported before the first schedule (a correction) is shown, only nothing is expected
    m = member(tenant, employee)
    m.work_schedules.all().delete()
    work_schedule_install_default(membership=m, valid_from=dt.date(2026, 12, 14))
    report(m, [dt.date(2026, 12, 11)])
    row = _row(tenant, attestant, dt.datetime(2026, 12, 18, 12, tzinfo=STOCKHOLM))
    assert (row.days_reported, row.days_missing) == (1, 4)


@pytest.mark.parametrize(
    ("start", "reminded"), [(dt.date(2026, 12, 1), True), (dt.date(2026, 12, 31), False)]
)
def test_no_reminder_for_days_before_the_start(
    tenant, attestant, employee, start, reminded, django_capture_on_commit_callbacks
):
    # given an employee who started on `start`, nothing reported, and the reminder day before the
    # period ends
    m = member(tenant, employee)
    m.work_schedules.all().delete()
    work_schedule_install_default(membership=m, valid_from=start)
    mail.outbox.clear()
    with (
        time_machine.travel(dt.datetime(2026, 12, 30, 8, tzinfo=STOCKHOLM), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        send_time_reminders.call(tenant_id=tenant.pk)
    # then the employee is chased only when they had started (31 December is not due yet on the 30th)
    assert any(employee.email in msg.to for msg in mail.outbox) is reminded
