"""Översikt: my time this week and period, and what waits for me to attest."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from verksam.tenancy.models import Licence
from verksam.tenancy.scope import tenant_scope
from verksam.tenancy.tests.factories import MembershipFactory, UserFactory
from verksam.tenancy.tests.fixtures import login_client
from verksam.tenancy.tests.helpers import count_queries, membership_of
from verksam.timereporting.models import DayRejection, DayStatus
from verksam.timereporting.tests.factories import DayLockFactory, TimeEntryFactory

STOCKHOLM = ZoneInfo("Europe/Stockholm")
WEDNESDAY = dt.datetime(2026, 11, 18, 9, 0, tzinfo=STOCKHOLM)  # week 47; November is the period
MON, TUE = dt.date(2026, 11, 16), dt.date(2026, 11, 17)


@pytest.fixture
def today():
    with time_machine.travel(WEDNESDAY, tick=False):
        yield


def _page(user, tenant) -> str:
    response = login_client(user).get(reverse("web:dashboard", args=[tenant.slug]))
    assert response.status_code == 200
    return response.content.decode()


def _figure(html: str, testid: str) -> str:
    return html.split(f'data-testid="{testid}"')[1].split(">", 1)[1].split("<", 1)[0]


def test_an_employee_sees_the_week_what_to_report_and_lock_and_a_rejection(
    tenant, employee, attestant, today
):
    # given Monday reported and locked, Tuesday reported but open after a rejection; nothing earlier
    m = membership_of(tenant, employee)
    TimeEntryFactory(membership=m, date=MON, minutes=480)
    DayLockFactory(membership=m, date=MON, status=DayStatus.LOCKED)
    TimeEntryFactory(membership=m, date=TUE, minutes=450)
    with tenant_scope(tenant.pk):
        DayRejection.objects.create(
            tenant=tenant, membership=m, date=TUE, comment="Fel projekt", rejected_by=attestant
        )
    # when the employee opens Översikt
    html = _page(employee, tenant)
    # then the week has 15:30, Tuesday waits to be locked, the other 10 past workdays of November
    # (2–13 November) are to be reported, and the rejection is shown with its comment
    assert _figure(html, "dash-week") == "15:30"
    assert _figure(html, "dash-to-lock") == "1"
    assert _figure(html, "dash-to-report") == "10"
    assert "Fel projekt" in html and 'data-testid="dash-rejected"' in html
    assert 'data-testid="to-attest"' not in html  # a LIGHT employee attests nobody


def test_an_approver_sees_who_waits_for_attestation(tenant, employee, attestant, today):
    m = membership_of(tenant, employee)
    for day in (MON, TUE):
        TimeEntryFactory(membership=m, date=day)
        DayLockFactory(membership=m, date=day, status=DayStatus.LOCKED)
    html = _page(attestant, tenant)
    assert _figure(html, "dash-waiting") == "1"
    assert _figure(html, "dash-days-waiting") == "2"
    assert _figure(html, "dash-missing") == "1"  # 2–13 November not reported


def test_a_partner_sees_neither_own_time_nor_a_queue_with_limited_access(tenant, partner_limited, today):
    html = _page(partner_limited, tenant)
    assert 'data-testid="my-time"' not in html and 'data-testid="to-attest"' not in html


def test_another_tenants_user_gets_404(tenant, stranger, today):
    response = login_client(stranger).get(reverse("web:dashboard", args=[tenant.slug]))
    assert response.status_code == 404


def test_the_dashboard_uses_a_constant_number_of_queries(tenant, employee, attestant, today):
    approver = membership_of(tenant, attestant)

    def add(n: int, prefix: str) -> None:
        for i in range(n):
            person = MembershipFactory(
                tenant=tenant,
                user=UserFactory(email=f"{prefix}{i}@snickeri.se"),
                licence=Licence.LIGHT,
                approver=approver,
            )
            TimeEntryFactory(membership=person, date=MON)
            DayLockFactory(membership=person, date=MON, status=DayStatus.LOCKED)
        own = membership_of(tenant, attestant)
        for i in range(n):
            TimeEntryFactory(
                membership=own, date=dt.date(2026, 11, 2) + dt.timedelta(days=i % 10), minutes=10
            )

    client = login_client(attestant)
    url = reverse("web:dashboard", args=[tenant.slug])
    add(2, "a")
    few, _ = count_queries(lambda: client.get(url))
    add(28, "b")
    many, response = count_queries(lambda: client.get(url))
    assert response.status_code == 200
    assert few == many


def test_nothing_reported_shows_zero_hours_not_a_blank(tenant, employee, today):
    html = _page(employee, tenant)
    assert _figure(html, "dash-week") == "0:00"
    assert _figure(html, "dash-bank") == "0:00"


def _context(user, tenant) -> dict:
    from verksam.tenancy.access import resolve
    from verksam.web.home.dashboard import dashboard_context

    with tenant_scope(tenant.pk):
        actor = resolve(user, tenant)
        assert actor is not None
        return dashboard_context(actor)


def test_the_charts_and_balances_are_those_of_the_timereporting_selectors(tenant, attestant, today):
    # given the attestant's own time over the charts' eight weeks (28 September – 22 November) and
    # before them: reported days, attested days that moved flex and the time bank, an adjustment
    from verksam.timereporting import balances, chart_data
    from verksam.timereporting.models import TimeBankAdjustment

    m = membership_of(tenant, attestant)
    for day, minutes in [
        (dt.date(2026, 9, 25), 480),  # before the charts: only in the balances
        (dt.date(2026, 9, 28), 300),
        (dt.date(2026, 10, 14), 540),
        (dt.date(2026, 11, 2), 480),
        (MON, 420),
        (TUE, 600),
    ]:
        TimeEntryFactory(membership=m, date=day, minutes=minutes)
    for day, flex, bank in [
        (dt.date(2026, 9, 25), 0, 60),
        (dt.date(2026, 10, 14), 60, 0),
        (dt.date(2026, 11, 2), -30, 15),
        (MON, -60, 0),
    ]:
        DayLockFactory(
            membership=m,
            date=day,
            status=DayStatus.ATTESTED,
            attested_at=WEDNESDAY,
            flex_minutes=flex,
            bank_minutes=bank,
        )
    with tenant_scope(tenant.pk):
        TimeBankAdjustment.objects.create(
            tenant=tenant, membership=m, date=dt.date(2026, 10, 20), minutes=-45, reason="Uttag"
        )
    # when the attestant opens Översikt
    context = _context(attestant, tenant)
    hours, balance = context["charts"]
    # then the hours per week are chart_data.hours_per_week's and the schedule's, and the balances
    # at each Sunday and today those of balances.balances
    mondays = [dt.date(2026, 9, 28) + dt.timedelta(weeks=i) for i in range(8)]
    with tenant_scope(tenant.pk):
        reported = chart_data.hours_per_week(
            membership_ids=[m.pk], start=mondays[0], end=dt.date(2026, 11, 22)
        )
        at = {
            s: balances.balances(membership_ids=[m.pk], as_of=s)[m.pk]
            for s in (d + dt.timedelta(6) for d in mondays)
        }
        now = balances.balances(membership_ids=[m.pk], as_of=WEDNESDAY.date())[m.pk]
    assert list(reported) == mondays
    assert hours.first == [reported[d] for d in mondays] == [300, 0, 540, 0, 0, 480, 0, 1020]
    assert hours.second == [2400] * 8  # the built-in full-time week, no holidays in these weeks
    assert balance.first == [b.flex_minutes for b in at.values()] == [0, 0, 60, 60, 60, 30, 30, -30]
    assert balance.second == [b.bank_minutes for b in at.values()] == [60, 60, 60, 15, 15, 30, 30, 30]
    assert (
        (context["my_time"].flex_minutes, context["my_time"].time_bank_minutes)
        == (
            now.flex_minutes,
            now.bank_minutes,
        )
        == (-30, 30)
    )
    assert context["my_time"].week_minutes == 1020


def test_the_closing_period_shows_what_is_missing_for_the_employee_and_the_approver(
    tenant, employee, attestant, today
):
    # given October not yet closed for payroll: the employee reported and locked 1–2 October only
    m = membership_of(tenant, employee)
    for day in (dt.date(2026, 10, 1), dt.date(2026, 10, 2)):
        TimeEntryFactory(membership=m, date=day)
        DayLockFactory(membership=m, date=day, status=DayStatus.LOCKED)
    TimeEntryFactory(membership=m, date=dt.date(2026, 10, 5))
    # then the employee sees October's 19 missing workdays (of 22) and one day not locked
    own = _context(employee, tenant)["my_time"]
    assert own.closing.key == "2026-10"
    assert (own.closing_days_to_report, own.closing_days_to_lock) == (19, 1)
    html = _page(employee, tenant)
    assert 'data-testid="dash-closing"' in html
    # and the approver sees October's locked days and the employee missing days, November's too
    html = _page(attestant, tenant)
    assert _figure(html, "dash-closing-waiting") == "2"
    assert _figure(html, "dash-closing-missing") == "1"
    assert _figure(html, "dash-waiting") == "0" and _figure(html, "dash-missing") == "1"


def test_the_dashboard_reads_each_table_once(tenant, employee, attestant, today):
    # The figures of an approver's Översikt are eleven queries, whatever the number of employees and
    # days (test_the_dashboard_uses_a_constant_number_of_queries): the time settings, the closing of
    # the previous period, the own days (entries, locks, schedule, rejections), the own balance
    # changes (attested days and adjustments in one UNION ALL) and the queue counts of both periods
    # (members with the delegations as a subquery, entries, locks, schedules).
    m = membership_of(tenant, employee)
    TimeEntryFactory(membership=m, date=MON)
    from verksam.tenancy.access import resolve
    from verksam.web.home.dashboard import dashboard_context

    with tenant_scope(tenant.pk):
        actor = resolve(attestant, tenant)
        assert actor is not None and actor.membership is not None
        n, context = count_queries(lambda: dashboard_context(actor))
    assert context["to_attest_closing"] is not None and context["charts"]
    assert n == 11
