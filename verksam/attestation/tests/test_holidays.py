"""Röda dagar in attestation: public holidays and the free eves (midsommarafton, julafton, nyårsafton)
are never "missing" in the approver's queue, and the reminders do not chase anybody for them."""

import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.test import TestCase

from verksam.attestation import selectors
from verksam.attestation.tasks import send_time_reminders
from verksam.core.timeutil import workdays
from verksam.tenancy.models import Licence
from verksam.tenancy.scope import tenant_scope
from verksam.tenancy.tests.factories import MembershipFactory, UserFactory
from verksam.timecodes.periods import period_by_key

from .helpers import STOCKHOLM, actor, member, report

DEC = period_by_key("2026-12")
APR = period_by_key("2026-04")
JULAFTON, JULDAGEN, ANNANDAG_JUL, NYARSAFTON = (dt.date(2026, 12, d) for d in (24, 25, 26, 31))
LANGFREDAGEN, ANNANDAG_PASK = dt.date(2026, 4, 3), dt.date(2026, 4, 6)


@pytest.fixture(autouse=True)
def scoped(tenant):
    with tenant_scope(tenant.pk):
        yield


def _queue_row(tenant, attestant, period, when):
    with time_machine.travel(when, tick=False):
        return selectors.attestation_queue(actor=actor(tenant, attestant), period=period)[0]


def test_christmas_and_new_years_eve_are_not_missing(tenant, attestant, employee):
    # given December 2026 (23 weekdays, of which julafton, juldagen and nyårsafton are days off),
    # looked at in January when the whole period is due, and nothing reported
    m = member(tenant, employee)
    row = _queue_row(tenant, attestant, DEC, dt.datetime(2027, 1, 4, 9, tzinfo=STOCKHOLM))
    # then only the 20 workdays are missing
    assert row.member_id == m.pk
    assert row.days_missing == 20


def test_a_december_reported_on_every_workday_is_complete(tenant, attestant, employee):
    # given an employee who reported and had attested every workday of December, none of 24–26 and 31
    m = member(tenant, employee)
    days = workdays(DEC.start, DEC.end)
    assert not {JULAFTON, JULDAGEN, ANNANDAG_JUL, NYARSAFTON} & set(days)
    report(m, days, status="attested")
    # when the approver opens the queue in January
    row = _queue_row(tenant, attestant, DEC, dt.datetime(2027, 1, 4, 9, tzinfo=STOCKHOLM))
    # then nothing is missing and the period is attested
    assert (row.days_missing, row.days_attested) == (0, 20)
    assert row.status == selectors.STATUS_ATTESTED


def test_work_reported_on_a_holiday_still_counts_as_reported(tenant, attestant, employee):
    # given a site worker who worked Juldagen (on-call) and nothing else in December
    m = member(tenant, employee)
    report(m, [JULDAGEN], status="locked")
    row = _queue_row(tenant, attestant, DEC, dt.datetime(2027, 1, 4, 9, tzinfo=STOCKHOLM))
    # then the day is reported and waiting, and the 20 workdays are still missing
    assert (row.days_reported, row.days_locked, row.days_missing) == (1, 1, 20)


def test_easter_in_the_middle_of_a_period(tenant, attestant, employee):
    # given April 2026 seen on Friday 10 April: 1–9 April are due; Långfredagen (3rd) and
    # Annandag påsk (6th) are röda dagar, so the due workdays are 1, 2, 7, 8 and 9 April
    m = member(tenant, employee)
    when = dt.datetime(2026, 4, 10, 12, tzinfo=STOCKHOLM)
    assert _queue_row(tenant, attestant, APR, when).days_missing == 5
    # when the employee reports those five days
    report(m, [dt.date(2026, 4, d) for d in (1, 2, 7, 8, 9)])
    # then nothing is missing, although nothing was reported over Easter
    row = _queue_row(tenant, attestant, APR, when)
    assert (row.days_missing, row.days_open) == (0, 5)


def test_employee_period_names_the_holidays(tenant, employee):
    # when the approver reads the employee's December day by day
    detail = selectors.employee_period(membership=member(tenant, employee), period=DEC)
    by_date = {d.date: d for d in detail.days}
    # then the holidays carry their Swedish names and are days off, like the weekend
    assert by_date[JULAFTON].holiday_name == "Julafton" and by_date[JULAFTON].is_day_off
    assert by_date[JULDAGEN].holiday_name == "Juldagen" and not by_date[JULDAGEN].is_weekend
    assert by_date[NYARSAFTON].is_day_off
    assert by_date[dt.date(2026, 12, 27)].is_day_off and by_date[dt.date(2026, 12, 27)].holiday_name is None
    assert not by_date[dt.date(2026, 12, 28)].is_day_off


# --- reminders ------------------------------------------------------------------------------------------

DEC_29 = dt.datetime(2026, 12, 29, 7, 30, tzinfo=STOCKHOLM)  # Tuesday, 2 days before 31 December


def _listed_days(body: str) -> list[str]:
    return [line for line in body.splitlines() if line.startswith("- ")]


def test_reminders_do_not_chase_holidays(tenant, owner, attestant, employee):
    # given everyone locked (and had attested) every workday of December up to the 29th, but none of
    # the holidays; the employee left Monday 28 December open
    up_to_today = workdays(DEC.start, DEC_29.date())
    for user in (owner, attestant):
        report(member(tenant, user), up_to_today, status="attested")
    m = member(tenant, employee)
    report(m, [d for d in up_to_today if d != dt.date(2026, 12, 28)], status="attested")
    # when the reminders run on the 29th
    with time_machine.travel(DEC_29, tick=False), TestCase.captureOnCommitCallbacks(execute=True):
        sent = send_time_reminders.call(tenant_id=tenant.pk)
    # then only the employee is reminded, and only of the 28th — not of julafton or juldagen
    assert sent == {"employees": 1, "approvers": 0}
    assert [msg.to[0] for msg in mail.outbox] == [employee.email]
    listed = _listed_days(mail.outbox[0].body)
    assert len(listed) == 1 and "28" in listed[0]


def test_nobody_is_reminded_when_only_holidays_are_open(tenant, owner, attestant, employee):
    # given a new colleague and everyone locked every workday up to nyårsafton (the period's last day)
    newcomer = MembershipFactory(
        tenant=tenant, user=UserFactory(email="ny@snickeri.se"), licence=Licence.LIGHT
    )
    for membership in [member(tenant, u) for u in (owner, attestant, employee)] + [newcomer]:
        report(membership, workdays(DEC.start, DEC.end), status="attested")
    # when the reminders run on nyårsafton itself
    with (
        time_machine.travel(dt.datetime(2026, 12, 31, 9, tzinfo=STOCKHOLM), tick=False),
        TestCase.captureOnCommitCallbacks(execute=True),
    ):
        sent = send_time_reminders.call(tenant_id=tenant.pk)
    # then nobody is chased for 24, 25 or 31 December
    assert sent == {"employees": 0, "approvers": 0}
    assert mail.outbox == []


def test_the_approvers_day_view_names_holidays_instead_of_nothing_reported(tenant, attestant, employee):
    from django.urls import reverse

    from verksam.tenancy.tests.fixtures import login_client

    # given the employee's December with nothing reported
    m = member(tenant, employee)
    url = reverse("web:attest_employee", args=[tenant.slug, m.pk]) + "?period=2026-12"
    # when the approver opens it
    html = login_client(attestant).get(url).content.decode()
    # then Juldagen is named and is not flagged as "nothing reported"; an ordinary Monday is
    row = html.split('data-date="2026-12-25"')[1].split("</tr>")[0]
    assert "Juldagen" in row and "Inget rapporterat" not in row
    monday = html.split('data-date="2026-12-28"')[1].split("</tr>")[0]
    assert "Inget rapporterat" in monday
