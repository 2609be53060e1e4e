"""Members' normal working day in the member schemas, and the time bank endpoints
(GET /tenants/{id}/members/{id}/time-bank, POST …/time-bank/adjustments), with the DESIGN.md trio."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine

from verksam.audit.models import AuditEvent
from verksam.tenancy.models import Invitation, Membership
from verksam.tenancy.scope import tenant_scope
from verksam.tenancy.tests.fixtures import api_client
from verksam.tenancy.tests.helpers import accept_invitation, count_queries, db_state, membership_of
from verksam.timecodes.models import TimeBankEffect
from verksam.timecodes.tests.factories import TimeCodeFactory
from verksam.timereporting.models import TimeBankAdjustment
from verksam.timereporting.tests.factories import TimeEntryFactory, attest

ROLES = ["owner", "attestant", "employee", "partner_full", "partner_limited"]
ADMINS = {"owner", "partner_full"}
JSON = "application/json"
NOW = dt.datetime(2026, 11, 20, 10, tzinfo=ZoneInfo("Europe/Stockholm"))
TODAY = NOW.date()


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def everyone(owner, attestant, employee, partner_full, partner_limited, stranger):
    """Every fixture user exists."""


def _adjustments(tenant) -> list[dict]:
    with tenant_scope(tenant.pk):
        return list(TimeBankAdjustment.objects.order_by("pk").values())


def _adjust(tenant, member, minutes, *, by=None, date=TODAY, reason="Justering"):
    with tenant_scope(tenant.pk):  # row-level security on PostgreSQL: write inside the scope
        return TimeBankAdjustment.all_tenants.create(
            tenant=tenant, membership=member, date=date, minutes=minutes, reason=reason, created_by=by
        )


def _bank_url(tenant, member_id) -> str:
    return f"/api/v1/tenants/{tenant.pk}/members/{member_id}/time-bank"


def _assert_error(response, status, code):
    assert response.status_code == status, response.content
    body = response.json()
    assert body["code"] == code and body["message"] and isinstance(body["extra"], dict)
    return body


ADJUSTMENT = {"date": "2026-11-20", "minutes": -150, "reason": "Utbetalning"}


# --- the normal working day in the member schemas -------------------------------------------------


def test_member_working_day_round_trip(tenant, owner, employee):
    client = api_client(owner)
    base = f"/api/v1/tenants/{tenant.pk}/members"
    # given an invitation of a part-timer with a 6-hour day
    created = client.post(
        base, {"email": "deltid@example.se", "name": "Del Tid", "work_day_minutes": 360}, content_type=JSON
    )
    assert created.status_code == 201 and created.json()["work_day_minutes"] == 360
    with tenant_scope(tenant.pk):
        invitation = Invitation.objects.get(pk=created.json()["id"])
    # when the person accepts, and the working day is changed to 6,5 hours, and then something else
    member_id = accept_invitation(tenant, invitation).pk
    assert (
        client.patch(f"{base}/{member_id}", {"work_day_minutes": 390}, content_type=JSON).json()[
            "work_day_minutes"
        ]
        == 390
    )
    assert (
        client.patch(f"{base}/{member_id}", {"employment_number": "9"}, content_type=JSON).status_code == 200
    )
    # then the list shows it, an invitation without it works full time, and the other fields stay
    rows = {m["email"]: m["work_day_minutes"] for m in client.get(base).json()["items"]}
    assert rows["deltid@example.se"] == 390 and rows[employee.email] == 480


@pytest.mark.parametrize("value", [0, 1441, -60])
def test_member_working_day_out_of_range_is_refused(tenant, owner, employee, value):
    member = membership_of(tenant, employee)
    before = db_state(tenant)
    client = api_client(owner)
    base = f"/api/v1/tenants/{tenant.pk}/members"
    body = _assert_error(
        client.patch(f"{base}/{member.pk}", {"work_day_minutes": value}, content_type=JSON),
        400,
        "invalid_work_day",
    )
    assert body["extra"] == {"field": "work_day_minutes"}
    _assert_error(
        client.post(
            base, {"email": "ny@example.se", "name": "Ny", "work_day_minutes": value}, content_type=JSON
        ),
        400,
        "invalid_work_day",
    )
    assert db_state(tenant) == before


# --- the time bank ----------------------------------------------------------------------------------


def test_time_bank_balance_includes_adjustments(tenant, owner, employee):
    # given 2 h of overtime into the bank, an opening balance, a payout and a future adjustment
    member = membership_of(tenant, employee)
    overtime = TimeCodeFactory(tenant=tenant, code="OT", name="Övertid", time_bank_effect=TimeBankEffect.ADD)
    TimeEntryFactory(membership=member, date=dt.date(2026, 11, 2), time_code=overtime, minutes=120)
    attest(member, [dt.date(2026, 11, 2)])  # the bank counts attested days (issue 8)
    _adjust(tenant, member, 450, by=owner, date=dt.date(2026, 1, 1), reason="Ingående saldo")
    _adjust(tenant, member, -150, by=owner, date=dt.date(2026, 10, 31), reason="Utbetalning")
    _adjust(tenant, member, 60, date=dt.date(2026, 12, 31), reason="Nästa år")
    client = api_client(owner)
    # when the owner reads the time bank today and at the end of the year
    today = client.get(_bank_url(tenant, member.pk)).json()
    year_end = client.get(_bank_url(tenant, member.pk) + "?until=2026-12-31").json()
    # then the balance counts entries and adjustments up to the day, and lists every adjustment
    assert (today["member_id"], today["until"], today["balance_minutes"]) == (member.pk, "2026-11-20", 420)
    assert year_end["balance_minutes"] == 480
    assert [(a["date"], a["minutes"], a["reason"], a["created_by_name"]) for a in today["adjustments"]] == [
        ("2026-01-01", 450, "Ingående saldo", owner.name),
        ("2026-10-31", -150, "Utbetalning", owner.name),
        ("2026-12-31", 60, "Nästa år", ""),
    ]


def test_adjust_the_time_bank(tenant, owner, employee):
    member = membership_of(tenant, employee)
    client = api_client(owner)
    response = client.post(_bank_url(tenant, member.pk) + "/adjustments", ADJUSTMENT, content_type=JSON)
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["member_id"], body["date"], body["minutes"], body["reason"]) == (
        member.pk, "2026-11-20", -150, "Utbetalning",
    )  # fmt: skip
    assert (body["created_by_id"], body["created_by_name"]) == (owner.pk, owner.name)
    assert client.get(_bank_url(tenant, member.pk)).json()["balance_minutes"] == -150
    with tenant_scope(tenant.pk):
        assert AuditEvent.objects.filter(action="time.bank_adjust").count() == 1


@pytest.mark.parametrize(
    ("changes", "status", "code"),
    [
        ({"minutes": 0}, 400, "zero_adjustment"),
        ({"reason": "   "}, 400, "reason_required"),
        ({"date": "igår"}, 422, "invalid"),
        ({"reason": "x" * 201}, 422, "invalid"),
    ],
)
def test_a_bad_adjustment_is_refused_and_writes_nothing(tenant, owner, employee, changes, status, code):
    member = membership_of(tenant, employee)
    before = db_state(tenant)
    response = api_client(owner).post(
        _bank_url(tenant, member.pk) + "/adjustments", {**ADJUSTMENT, **changes}, content_type=JSON
    )
    _assert_error(response, status, code)
    assert _adjustments(tenant) == []
    assert db_state(tenant) == before


# --- (a) other tenant and forged ids -> 404 ---------------------------------------------------------


def test_another_tenants_user_gets_404_and_changes_nothing(tenant, employee, stranger):
    member = membership_of(tenant, employee)
    client = api_client(stranger)
    _assert_error(client.get(_bank_url(tenant, member.pk)), 404, "not_found")
    _assert_error(
        client.post(_bank_url(tenant, member.pk) + "/adjustments", ADJUSTMENT, content_type=JSON),
        404,
        "not_found",
    )
    assert _adjustments(tenant) == []


def test_forged_member_id_of_another_tenant_answers_404_and_changes_nothing(tenant, owner, other_tenant):
    with tenant_scope(other_tenant.pk):
        foreign = Membership.objects.get(tenant=other_tenant)
    _adjust(other_tenant, foreign, 60)
    before, foreign_rows = db_state(tenant, other_tenant), _adjustments(other_tenant)
    client = api_client(owner)
    _assert_error(client.get(_bank_url(tenant, foreign.pk)), 404, "not_found")
    _assert_error(client.get(_bank_url(tenant, 999999)), 404, "not_found")
    _assert_error(
        client.post(_bank_url(tenant, foreign.pk) + "/adjustments", ADJUSTMENT, content_type=JSON),
        404,
        "not_found",
    )
    assert _adjustments(tenant) == [] and _adjustments(other_tenant) == foreign_rows
    assert db_state(tenant, other_tenant) == before


# --- (b) authorization matrix -----------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_time_bank_matrix(request, tenant, everyone, employee, role):
    member = membership_of(tenant, employee)
    _adjust(tenant, member, 60)
    before, rows = db_state(tenant), _adjustments(tenant)
    client = api_client(request.getfixturevalue(role))
    read = client.get(_bank_url(tenant, member.pk))
    write = client.post(_bank_url(tenant, member.pk) + "/adjustments", ADJUSTMENT, content_type=JSON)
    if role in ADMINS:
        assert read.status_code == 200 and read.json()["balance_minutes"] == 60
        assert write.status_code == 201
        assert [a["minutes"] for a in _adjustments(tenant)] == [60, -150]
    else:
        _assert_error(read, 403, "forbidden")
        _assert_error(write, 403, "forbidden")
        assert _adjustments(tenant) == rows
        assert db_state(tenant) == before


# --- (c) constant query count -----------------------------------------------------------------------


def test_time_bank_query_count_with_2_and_30_adjustments(tenant, owner, attestant, employee):
    member = membership_of(tenant, employee)
    people = [owner, attestant]
    client = api_client(owner)
    client.get("/api/v1/me")  # the first request of a token stamps its last_used_at
    for i in range(2):
        _adjust(tenant, member, 30 * (i + 1), by=people[i % 2])
    few, _ = count_queries(lambda: client.get(_bank_url(tenant, member.pk)))
    for i in range(28):
        _adjust(tenant, member, -(i + 1), by=people[i % 2])
    many, response = count_queries(lambda: client.get(_bank_url(tenant, member.pk)))
    assert len(response.json()["adjustments"]) == 30
    print(f"GET …/time-bank queries: 2 rows={few}, 30 rows={many}")
    assert few == many
