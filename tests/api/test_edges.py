"""No input gives a 500 and no stored value breaks a page (issue 7 item 5), input types are strict
(item 6): the edges of the calendar, numbers beyond 64 bits, times with a time zone, a number where a
date belongs, Unicode digits, 1 MB strings — each answered 4xx with `{code, message, extra}` JSON and
nothing written; the business bounds (dates, minutes, time-bank adjustments, delegations, amounts) are
the same in the API and the forms."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.urls import reverse

from verksam.core import bounds
from verksam.projects.tests.factories import ProjectFactory
from verksam.tenancy.scope import tenant_scope
from verksam.tenancy.tests.fixtures import api_client, login_client
from verksam.tenancy.tests.helpers import db_state, membership_of
from verksam.timecodes.services import timecodes_install_defaults
from verksam.timereporting.models import TimeBankAdjustment, TimeEntry

JSON = "application/json"
NOW = dt.datetime(2026, 11, 20, 10, tzinfo=ZoneInfo("Europe/Stockholm"))
HUGE = 2**70
MEGABYTE = "x" * 1_000_000


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(NOW, tick=False):
        yield


def _rows(tenant) -> dict:
    with tenant_scope(tenant.pk):
        return {
            **db_state(tenant),
            "entries": list(TimeEntry.objects.values_list("pk", flat=True)),
            "adjustments": list(TimeBankAdjustment.objects.values_list("pk", flat=True)),
        }


def _assert_json_error(response, *statuses):
    assert response.status_code in statuses, (response.status_code, response.content[:500])
    assert response["Content-Type"].startswith("application/json"), response.content[:300]
    body = response.json()
    assert set(body) == {"code", "message", "extra"} and body["code"] and body["message"], body
    return body


ENTRY = {"date": "2026-11-19", "minutes": 60}


@pytest.fixture
def entry(tenant, owner) -> dict:
    """A time entry the owner may report (the control: each bad value below is the only change)."""
    timecodes_install_defaults(tenant_id=tenant.pk)
    with tenant_scope(tenant.pk):
        project = ProjectFactory(tenant=tenant)
    return {**ENTRY, "project_id": project.pk}


def test_the_control_entry_is_accepted(tenant, owner, entry):
    response = api_client(owner).post(f"/api/v1/tenants/{tenant.pk}/time-entries", entry, content_type=JSON)
    assert response.status_code == 201, response.content


# --- time entries: every bad value is refused, nothing is written ------------------------------------

BAD_ENTRIES = [
    {"date": "0001-01-01"},  # the first day of Python's calendar
    {"date": "9999-12-31"},  # the last
    {"date": "1999-12-31"},  # before any business date
    {"date": "2027-11-22"},  # more than a year ahead
    {"date": 1763510400},  # a JSON number (a Unix time) where a date is expected
    {"date": "2026-11-19T00:00:00"},  # a date-time
    {"minutes": "60"},  # a string is not minutes
    {"minutes": True},  # nor is a boolean
    {"minutes": 60.0},  # nor a float
    {"minutes": HUGE},
    {"minutes": -HUGE},
    {"break_minutes": "0"},
    {"whole_day": "true"},
    {"start_time": "08:00+02:00", "end_time": "09:00+02:00", "minutes": None},  # times with a zone
    {"start_time": 28800, "end_time": 32400, "minutes": None},  # seconds where a time belongs
    {"comment": MEGABYTE},
    {"comment": "nul \x00 byte"},
    {"project_id": HUGE},
    {"project_id": "1"},
    {"client_uuid": 12345},
]


@pytest.mark.parametrize("change", BAD_ENTRIES, ids=lambda c: repr(c)[:40])
def test_a_bad_time_entry_is_refused_with_json_and_writes_nothing(tenant, owner, entry, change):
    before = _rows(tenant)
    response = api_client(owner).post(
        f"/api/v1/tenants/{tenant.pk}/time-entries", {**entry, **change}, content_type=JSON
    )
    _assert_json_error(response, 400, 404, 422)
    assert _rows(tenant) == before


def test_a_bad_patch_is_refused_and_changes_nothing(tenant, owner, entry):
    client = api_client(owner)
    created = client.post(f"/api/v1/tenants/{tenant.pk}/time-entries", entry, content_type=JSON).json()
    before = _rows(tenant)
    url = f"/api/v1/tenants/{tenant.pk}/time-entries/{created['id']}"
    for change in BAD_ENTRIES:
        if "client_uuid" in change:
            continue  # not a field of a PATCH
        response = client.patch(url, change, content_type=JSON)
        assert response.status_code >= 400, change
        _assert_json_error(response, 400, 404, 422)
    assert _rows(tenant) == before


@pytest.mark.parametrize("dates", [["0001-01-01"], ["9999-12-31"], [20261119], ["2026-11-19", True]])
def test_locking_days_off_the_calendar_is_refused(tenant, owner, dates):
    before = _rows(tenant)
    client = api_client(owner)
    for action in ("lock", "unlock"):
        response = client.post(
            f"/api/v1/tenants/{tenant.pk}/time/{action}", {"dates": dates}, content_type=JSON
        )
        _assert_json_error(response, 400, 422)
    assert _rows(tenant) == before


@pytest.mark.parametrize(
    "query",
    [
        "from=0001-01-01&to=0001-01-07",
        "from=9999-12-25&to=9999-12-31",
        "from=2026-11-01&to=2026-11-30&page=" + str(HUGE),
        "from=2026-11-01&to=2026-11-30&page=٣",
        "from=2026-11-01&to=2026-11-30&page_size=" + str(HUGE),
        "from=2026-11-01&to=2026-11-30&page=-1",
        "from=٢٠٢٦-11-01&to=2026-11-30",
        "from=2026-11-01&to=2026-11-30&page=1.5",
    ],
)
def test_bad_list_parameters_answer_422_json(tenant, owner, query):
    response = api_client(owner).get(f"/api/v1/tenants/{tenant.pk}/time-entries?{query}")
    _assert_json_error(response, 400, 422)


def test_unknown_query_parameters_are_ignored(tenant, owner):
    response = api_client(owner).get(
        f"/api/v1/tenants/{tenant.pk}/time-entries?from=2026-11-01&to=2026-11-30&x=1"
    )
    assert response.status_code == 200


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/tenants/{huge}/members",
        "/api/v1/tenants/{tenant}/members/{huge}",
        "/api/v1/tenants/{tenant}/time-entries/{huge}",
        "/api/v1/tenants/{tenant}/projects/{huge}",
        "/api/v1/tenants/{tenant}/attestation/employees/{huge}",
        "/api/v1/tenants/{tenant}/balances/topups/{huge}",
        "/api/v1/tenants/{tenant}/members/{huge}/time-bank",
        "/api/v1/tenants/-1/members",
        "/api/v1/tenants/٣/members",
    ],
)
def test_ids_beyond_64_bits_answer_json_4xx(tenant, owner, path):
    response = api_client(owner).get(path.format(huge=HUGE, tenant=tenant.pk))
    _assert_json_error(response, 404, 405, 422)


def test_foreign_ids_in_a_list_beyond_64_bits_are_refused(tenant, owner):
    response = api_client(owner).post(
        f"/api/v1/tenants/{tenant.pk}/attestation/attest-bulk",
        {"period": "2026-11", "member_ids": [HUGE]},
        content_type=JSON,
    )
    _assert_json_error(response, 404, 422)


@pytest.mark.parametrize(
    "method,path",
    [
        ("get", "/api/v1/no-such-route"),
        ("get", "/api/v1/tenants/{tenant}/no-such-thing"),
        ("delete", "/api/v1/tenants/{tenant}/members"),  # a method the route does not have
        ("get", "/api/v1/tenants/{tenant}/projects/abc"),
    ],
)
def test_unknown_api_routes_answer_json(tenant, owner, method, path):
    response = getattr(api_client(owner), method)(path.format(tenant=tenant.pk))
    _assert_json_error(response, 404, 405, 422)


def test_malformed_json_answers_json_400(tenant, owner):
    response = api_client(owner).post(
        f"/api/v1/tenants/{tenant.pk}/time-entries", "{not json", content_type=JSON
    )
    _assert_json_error(response, 400, 422)


# --- the time bank: bounded, and a stored huge value breaks no page ----------------------------------


@pytest.mark.parametrize(
    "change",
    [
        {"minutes": bounds.MAX_TIME_BANK_ADJUSTMENT_MINUTES + 1},
        {"minutes": -bounds.MAX_TIME_BANK_ADJUSTMENT_MINUTES - 1},
        {"minutes": 2**62},
        {"minutes": "60"},
        {"date": "0001-01-01"},
        {"date": "9999-12-31"},
        {"reason": MEGABYTE},
    ],
    ids=repr,
)
def test_a_time_bank_adjustment_out_of_bounds_is_refused(tenant, owner, employee, change):
    member = membership_of(tenant, employee)
    before = _rows(tenant)
    response = api_client(owner).post(
        f"/api/v1/tenants/{tenant.pk}/members/{member.pk}/time-bank/adjustments",
        {"date": "2026-11-20", "minutes": 60, "reason": "Saldo", **change},
        content_type=JSON,
    )
    _assert_json_error(response, 400, 422)
    assert _rows(tenant) == before


def test_the_largest_adjustment_is_accepted(tenant, owner, employee):
    member = membership_of(tenant, employee)
    response = api_client(owner).post(
        f"/api/v1/tenants/{tenant.pk}/members/{member.pk}/time-bank/adjustments",
        {"date": "2026-11-20", "minutes": -bounds.MAX_TIME_BANK_ADJUSTMENT_MINUTES, "reason": "Utbetalning"},
        content_type=JSON,
    )
    assert response.status_code == 201


def test_the_time_bank_form_has_the_same_bound(tenant, owner, employee):
    member = membership_of(tenant, employee)
    before = _rows(tenant)
    response = login_client(owner).post(
        reverse("web:member_edit", args=[tenant.slug, member.pk]),
        {"action": "bank", "bank-date": "2026-11-20", "bank-minutes": "2001", "bank-reason": "Saldo"},
    )
    assert response.status_code == 422
    assert _rows(tenant) == before


def test_a_huge_stored_time_bank_value_breaks_no_page(tenant, owner, employee, attestant):
    # given absurd adjustments stored before the bound existed (as large as the column holds)
    member = membership_of(tenant, employee)
    huge = 2**62 if connection.vendor == "sqlite" else 2**31 - 1
    with tenant_scope(tenant.pk):
        for day in (2, 3):
            TimeBankAdjustment.all_tenants.create(
                tenant=tenant, membership=member, date=dt.date(2026, 11, day), minutes=huge, reason="Fel"
            )
    # then every page and endpoint that shows the bank still answers
    for user in (employee, attestant, owner):
        client = login_client(user)
        urls = [reverse("web:dashboard", args=[tenant.slug]), reverse("web:time_week", args=[tenant.slug])]
        if user != employee:
            urls.append(reverse("web:attest_queue", args=[tenant.slug]))
        for url in urls:
            assert client.get(url).status_code == 200, (user, url)
    owner_client = login_client(owner)
    assert owner_client.get(reverse("web:member_edit", args=[tenant.slug, member.pk])).status_code == 200
    assert owner_client.get(reverse("web:members", args=[tenant.slug])).status_code == 200
    api = api_client(owner)
    assert api.get(f"/api/v1/tenants/{tenant.pk}/members/{member.pk}/time-bank").status_code == 200
    assert api.get(f"/api/v1/tenants/{tenant.pk}/attestation/queue").status_code == 200
    assert api_client(employee).get(f"/api/v1/tenants/{tenant.pk}/time/bank").status_code == 200


# --- delegations, projects, top-ups: bounds -----------------------------------------------------------


@pytest.mark.parametrize(
    "start,end",
    [("2026-11-20", "2226-11-20"), ("0001-01-01", "2026-12-01"), ("2026-11-20", "9999-12-31")],
)
def test_a_delegation_for_centuries_is_refused(tenant, owner, attestant, start, end):
    substitute = membership_of(tenant, owner)
    before = _rows(tenant)
    response = api_client(attestant).post(
        f"/api/v1/tenants/{tenant.pk}/attestation/delegations",
        {"substitute_id": substitute.pk, "start_date": start, "end_date": end},
        content_type=JSON,
    )
    _assert_json_error(response, 400, 422)
    assert _rows(tenant) == before


@pytest.mark.parametrize(
    "change",
    [
        {"hourly_rate_ore": bounds.MAX_AMOUNT_ORE + 1},
        {"fixed_price_ore": 2**63},
        {"hourly_rate_ore": "100"},
        {"start_date": "0001-01-01"},
        {"end_date": "9999-12-31"},
        {"name": MEGABYTE},
    ],
    ids=repr,
)
def test_a_project_out_of_bounds_is_refused(tenant, owner, change):
    before = _rows(tenant)
    response = api_client(owner).post(
        f"/api/v1/tenants/{tenant.pk}/projects", {"name": "Kök", **change}, content_type=JSON
    )
    _assert_json_error(response, 400, 422)
    assert _rows(tenant) == before


@pytest.mark.parametrize("quantity", [HUGE, 2**31, "100", True])
def test_a_topup_out_of_bounds_is_refused(tenant, owner, quantity):
    response = api_client(owner).post(
        f"/api/v1/tenants/{tenant.pk}/balances/topups",
        {"kind": "SMS", "quantity": quantity},
        content_type=JSON,
    )
    _assert_json_error(response, 400, 422)


def test_an_unexpected_error_answers_json_500_not_an_html_page(tenant, owner, monkeypatch):
    def boom():
        raise RuntimeError("a defect")

    monkeypatch.setattr("verksam.api.routers.billing.selectors.balance_list", boom)
    client = api_client(owner)
    client.raise_request_exception = False
    body = _assert_json_error(client.get(f"/api/v1/tenants/{tenant.pk}/balances"), 500)
    assert body["code"] == "server_error"
