"""No input gives a 500 on a page (issue 7 item 5): weeks and months out of range, days at the edges of
the calendar, Unicode digits, NUL characters — each answered 400 or 404 with the site's own error
page, and nothing written."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from verksam.tenancy.tests.fixtures import login_client
from verksam.tenancy.tests.helpers import db_state

NOW = dt.datetime(2026, 11, 20, 10, tzinfo=ZoneInfo("Europe/Stockholm"))


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(NOW, tick=False):
        yield


def _assert_site_error(response, status):
    assert response.status_code == status, (response.status_code, response.content[:300])
    assert response["Content-Type"].startswith("text/html")
    assert b"<html" in response.content.lower() and b"Verksam" in response.content


@pytest.mark.parametrize("week", ["2026-W54", "2026-W00", "0001-W01", "9999-W52", "1999-W01", "2101-W01"])
def test_a_week_that_does_not_exist_answers_404(tenant, employee, week):
    _assert_site_error(
        login_client(employee).get(reverse("web:time_week", args=[tenant.slug]), {"week": week}), 404
    )


@pytest.mark.parametrize("month", ["2026-13", "2026-00", "0001-01", "9999-12", "2101-01"])
def test_a_month_that_does_not_exist_answers_404(tenant, employee, month):
    _assert_site_error(
        login_client(employee).get(reverse("web:time_month", args=[tenant.slug]), {"month": month}), 404
    )


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31", "2026-02-30", "٢٠٢٦-11-20", "1999-12-31"])
def test_a_day_off_the_calendar_answers_404(tenant, employee, day):
    _assert_site_error(login_client(employee).get(reverse("web:time_day", args=[tenant.slug, day])), 404)


@pytest.mark.parametrize("value", ["٢٠٢٦-W48", "2026-W٤٨", "٢٠٢٦-11", "2026-1x", "x", ""])
def test_text_that_is_no_week_or_month_shows_the_current_one(tenant, employee, value):
    client = login_client(employee)
    week = client.get(reverse("web:time_week", args=[tenant.slug]), {"week": value})
    month = client.get(reverse("web:time_month", args=[tenant.slug]), {"month": value})
    assert week.context["monday"] == dt.date(2026, 11, 16)
    assert month.context["first"] == dt.date(2026, 11, 1)


def test_the_pages_still_answer_for_valid_weeks_and_months(tenant, employee):
    client = login_client(employee)
    assert client.get(reverse("web:time_week", args=[tenant.slug]), {"week": "2026-W48"}).status_code == 200
    assert client.get(reverse("web:time_week", args=[tenant.slug]), {"week": "2026-W53"}).status_code == 200
    assert client.get(reverse("web:time_month", args=[tenant.slug]), {"month": "2026-11"}).status_code == 200
    assert client.get(reverse("web:time_week", args=[tenant.slug])).status_code == 200


@pytest.mark.parametrize("week", ["0001-W01", "9999-W52", "2026-W54"])
def test_locking_a_week_off_the_calendar_writes_nothing(tenant, employee, week):
    before = db_state(tenant)
    client = login_client(employee)
    for name in ("time_lock", "time_unlock", "time_copy_week"):
        response = client.post(reverse(f"web:{name}", args=[tenant.slug]), {"week": week})
        assert response.status_code in (302, 404), (name, response.status_code)
    assert db_state(tenant) == before


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31", "1999-12-31", "2027-11-22"])
def test_locking_days_off_the_calendar_writes_nothing(tenant, employee, day):
    before = db_state(tenant)
    response = login_client(employee).post(reverse("web:time_lock", args=[tenant.slug]), {"date": day})
    assert response.status_code in (302, 404)
    assert db_state(tenant) == before


@pytest.mark.parametrize(
    "name,query",
    [
        ("web:balances_return", {"payment_id": "abc\x00"}),
        ("web:project_list", {"search": "a\x00b"}),
        ("web:audit", {"group": "\x00"}),
        ("web:time_week", {"add_project": "٣"}),
        ("web:time_week", {"add_project": str(2**70), "add_time_code": str(2**70)}),
        ("web:balances", {"page": str(2**70)}),
        ("web:audit", {"page": "٣"}),
    ],
)
def test_odd_query_parameters_never_give_a_500(tenant, owner, name, query):
    response = login_client(owner).get(reverse(name, args=[tenant.slug]), query)
    assert response.status_code in (200, 302, 400, 404), response.status_code


def test_a_nul_character_answers_400_with_the_site_page(tenant, owner):
    _assert_site_error(
        login_client(owner).get(reverse("web:members", args=[tenant.slug]), {"q": "\x00"}), 400
    )


@pytest.mark.parametrize(
    "name,extra",
    [
        ("web:member_edit", []),
        ("web:time_entry_edit", []),
        ("web:time_entry_delete", []),
        ("web:attest_employee", []),
        ("web:project_detail", []),
        ("web:partner_grant_revoke", []),
        ("web:balances_topup_detail", []),
    ],
)
def test_ids_beyond_64_bits_answer_404(tenant, owner, name, extra):
    url = reverse(name, args=[tenant.slug, 2**70, *extra])
    client = login_client(owner)
    response = client.get(url)
    if response.status_code != 405:  # a POST-only address
        _assert_site_error(response, 404)
    before = db_state(tenant)
    assert client.post(url).status_code == 404
    assert db_state(tenant) == before
