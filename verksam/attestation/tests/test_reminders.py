"""Reminder e-mails before the deviation period ends: once a day, only to the right people."""

import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.test import TestCase

from verksam.attestation.models import ReminderLog
from verksam.attestation.tasks import send_time_reminders
from verksam.core.timeutil import workdays
from verksam.mail.models import MailStatus, OutgoingMail
from verksam.tenancy.models import Licence
from verksam.tenancy.scope import tenant_scope
from verksam.tenancy.tests.factories import MembershipFactory, UserFactory

from .helpers import STOCKHOLM, TimeSettingsFactory, delegate, member, report

NOV_27 = dt.datetime(2026, 11, 27, 7, 30, tzinfo=STOCKHOLM)  # Friday, 3 days before 30 November


@pytest.fixture
def company(tenant, owner, attestant, employee):
    """The owner and the attestant locked every weekday of November up to the 27th (the attestant's
    are attested); the employee locked the first two weeks and left the rest open."""
    days = workdays(dt.date(2026, 11, 1), dt.date(2026, 11, 27))
    report(member(tenant, owner), days, status="attested")
    report(member(tenant, attestant), days, status="attested")
    report(member(tenant, employee), days[:10], status="locked")
    return days


def _run(when, tenant) -> dict:
    # Each reminder is queued in the run's transaction and delivered by its own task after commit.
    with time_machine.travel(when, tick=False), TestCase.captureOnCommitCallbacks(execute=True):
        return send_time_reminders.call(tenant_id=tenant.pk)


def _recipients():
    return sorted((m.to[0], m.subject) for m in mail.outbox)


def test_reminds_employee_with_open_days_and_approver_with_pending(company, tenant, employee, attestant):
    sent = _run(NOV_27, tenant)
    assert sent == {"employees": 1, "approvers": 1}
    to = {m.to[0]: m for m in mail.outbox}
    assert set(to) == {employee.email, attestant.email}
    body = to[employee.email].body
    assert "Erik Anställd" in body and "/t/snickeri/time/" in body
    assert "27" in body  # the open Friday 27 November is listed
    approver_mail = to[attestant.email]
    assert "Erik Anställd: 10" in approver_mail.body
    assert "/t/snickeri/attestation/?period=2026-11" in approver_mail.body
    with tenant_scope(tenant.pk):
        assert ReminderLog.objects.count() == 2


def test_sends_once_a_day_and_again_the_next_day(company, tenant):
    _run(NOV_27, tenant)
    assert _run(NOV_27.replace(hour=15), tenant) == {"employees": 0, "approvers": 0}
    assert len(mail.outbox) == 2
    assert _run(NOV_27 + dt.timedelta(days=1), tenant) == {"employees": 1, "approvers": 1}
    assert len(mail.outbox) == 4


@pytest.mark.parametrize(
    ("when", "sends"),
    [
        (dt.datetime(2026, 11, 26, 12, tzinfo=STOCKHOLM), False),  # 4 days before the end
        (dt.datetime(2026, 11, 30, 23, 30, tzinfo=STOCKHOLM), True),  # the last day, late evening
        (dt.datetime(2026, 12, 1, 0, 30, tzinfo=STOCKHOLM), False),  # a new period just began
    ],
)
def test_only_in_the_last_n_days_of_the_period(company, tenant, when, sends):
    result = _run(when, tenant)
    assert bool(result["employees"] or result["approvers"]) is sends


def test_reminder_days_and_start_day_come_from_the_settings(tenant, owner, attestant, employee):
    # given periods 16th–15th and reminders 1 day before: the period ends Tuesday 15 December
    TimeSettingsFactory(tenant=tenant, period_start_day=16, reminder_days_before=1)
    assert _run(dt.datetime(2026, 12, 13, 12, tzinfo=STOCKHOLM), tenant)["employees"] == 0
    assert _run(dt.datetime(2026, 12, 14, 12, tzinfo=STOCKHOLM), tenant)["employees"] == 3


def test_disabled_reminders_send_nothing(company, tenant):
    TimeSettingsFactory(tenant=tenant, reminders_enabled=False)
    assert _run(NOV_27, tenant) == {"employees": 0, "approvers": 0}
    assert mail.outbox == []


def test_pending_days_go_to_the_substitute_while_delegated(company, tenant, attestant, employee):
    sub = MembershipFactory(
        tenant=tenant, user=UserFactory(email="sub@snickeri.se"), licence=Licence.STANDARD
    )
    report(sub, company, status="attested")
    delegate(member(tenant, attestant), sub, dt.date(2026, 11, 23), dt.date(2026, 12, 4))
    _run(NOV_27, tenant)
    assert {m.to[0] for m in mail.outbox} == {employee.email, "sub@snickeri.se"}


def test_inactive_members_and_other_tenants_are_not_reminded(
    company, tenant, other_tenant, employee, attestant
):
    with tenant_scope(tenant.pk):
        m = member(tenant, employee)
        m.is_active = False
        m.save()
    _run(NOV_27, tenant)
    # the employee is inactive and is not reminded; their 10 locked days still wait in the approver's
    # queue (issue 8 item 7: payroll needs their last period), so the approver is reminded of them
    assert [m.to[0] for m in mail.outbox] == [attestant.email]
    assert "Erik Anställd: 10" in mail.outbox[0].body


def test_management_command_runs_every_tenant_idempotently(
    company, tenant, other_tenant, employee, attestant
):
    with TestCase.captureOnCommitCallbacks(execute=True):
        call_command("send_time_reminders", date="2026-11-27", stdout=open("/dev/null", "w"))  # noqa: SIM115
    # the other tenant's boss has reported nothing: reminded too
    assert {m.to[0] for m in mail.outbox} == {employee.email, attestant.email, "boss@annat.se"}
    with TestCase.captureOnCommitCallbacks(execute=True):
        call_command("send_time_reminders", date="2026-11-27", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert len(mail.outbox) == 3


def test_a_refused_address_does_not_stop_the_other_reminders(company, tenant, employee, attestant, smtp):
    # given a real SMTP server that refuses the employee's mailbox for good (issue 7 item 11)
    smtp.refused = {employee.email}
    # when the day's reminders run
    sent = _run(NOV_27, tenant)
    # then the approver still got theirs, and the employee's failure is recorded, not lost
    assert sent == {"employees": 1, "approvers": 1}
    assert smtp.recipients == [attestant.email]
    with tenant_scope(tenant.pk):
        failed = OutgoingMail.objects.get(status=MailStatus.FAILED)
        assert failed.to == employee.email and "550" in failed.last_error
        assert OutgoingMail.objects.get(status=MailStatus.SENT).to == attestant.email


def test_reminders_never_go_to_an_approver_who_cannot_act(company, tenant, employee, attestant):
    # given an approver demoted to LIGHT before the rule existed (issue 8 item 7)
    with tenant_scope(tenant.pk):
        member(tenant, attestant).__class__.objects.filter(user=attestant).update(licence=Licence.LIGHT)
    _run(NOV_27, tenant)
    # then only the employee is reminded of their open days; the approver cannot attest
    assert [m.to[0] for m in mail.outbox] == [employee.email]


def test_a_substitute_who_cannot_act_leaves_the_reminder_with_the_approver(
    company, tenant, attestant, employee
):
    sub = MembershipFactory(tenant=tenant, user=UserFactory(email="sub@snickeri.se"), licence=Licence.LIGHT)
    delegate(member(tenant, attestant), sub, dt.date(2026, 11, 23), dt.date(2026, 12, 4))
    _run(NOV_27, tenant)
    with tenant_scope(tenant.pk):
        approver_reminders = set(
            ReminderLog.objects.filter(kind="approver").values_list("membership__user__email", flat=True)
        )
    assert approver_reminders == {attestant.email}  # the LIGHT substitute only hears of its own days
