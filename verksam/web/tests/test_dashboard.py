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
