"""The mobile app's API for own time: entries (idempotent POST), lock/unlock, days, time bank —
with the DESIGN.md trio: other tenant → 404, authorization matrix, constant query count."""

import datetime as dt
import uuid

import pytest

from verksam.audit.models import AuditEvent
from verksam.projects.tests.factories import ProjectFactory
from verksam.tenancy.models import Licence
from verksam.tenancy.scope import tenant_scope
from verksam.tenancy.tests.factories import MembershipFactory
from verksam.tenancy.tests.fixtures import api_client
from verksam.tenancy.tests.helpers import count_queries, sv
from verksam.timecodes.tests.factories import TimeCodeFactory
from verksam.timereporting.models import DayLock, DayRejection, DayStatus, TimeEntry
from verksam.timereporting.tests.factories import DayLockFactory, TimeEntryFactory

from .conftest import MONDAY, membership_of

JSON = "application/json"
DAY = MONDAY.isoformat()


def _base(tenant):
    return f"/api/v1/tenants/{tenant.pk}"


def _state(tenant):
    with tenant_scope(tenant.pk):
        return {
            "entries": list(TimeEntry.objects.order_by("pk").values()),
            "locks": list(DayLock.objects.order_by("pk").values()),
            "audit": AuditEvent.objects.count(),
        }


def _error(response, status, code):
    assert response.status_code == status, response.content
    body = response.json()
    assert body["code"] == code
    assert body["message"]
    return body


@pytest.fixture
def everyone(owner, attestant, employee, partner_full, partner_limited, stranger):
    """Every fixture user exists."""


@pytest.fixture
def basic(tenant, owner):
    return MembershipFactory(tenant=tenant, licence=Licence.BASIC).user


def _work(projects, codes, **kwargs):
    body = {"date": DAY, "project_id": projects.site.pk, "time_code_id": codes.normal.pk, "minutes": 120}
    body.update(kwargs)
    return body


# --- entries ----------------------------------------------------------------------------------------


def test_create_list_update_delete(tenant, employee, codes, projects):
    client = api_client(employee)
    # when the app posts an entry with start/end and break
    response = client.post(
        f"{_base(tenant)}/time-entries",
        _work(
            projects,
            codes,
            minutes=None,
            start_time="07:00",
            end_time="16:00",
            break_minutes=60,
            comment="Tak",
        ),
        content_type=JSON,
    )
    assert response.status_code == 201, response.content
    created = response.json()
    assert (created["minutes"], created["invoiceable_minutes"], created["comment"]) == (480, 480, "Tak")
    # then it is listed for the week
    listed = client.get(f"{_base(tenant)}/time-entries?from={DAY}&to=2026-11-08").json()
    assert (listed["total"], listed["items"][0]["id"]) == (1, created["id"])
    assert client.get(f"{_base(tenant)}/time-entries?from=2026-11-03&to=2026-11-08").json()["total"] == 0
    # when it is changed to hours only
    response = client.patch(
        f"{_base(tenant)}/time-entries/{created['id']}", {"minutes": 300}, content_type=JSON
    )
    assert response.status_code == 200, response.content
    assert (response.json()["minutes"], response.json()["start_time"]) == (300, None)
    # and deleted
    assert client.delete(f"{_base(tenant)}/time-entries/{created['id']}").status_code == 204
    assert _state(tenant)["entries"] == []


def test_retried_post_with_the_same_client_uuid_returns_the_entry_with_200(tenant, employee, codes, projects):
    client = api_client(employee)
    body = _work(projects, codes, client_uuid=str(uuid.uuid4()))
    first = client.post(f"{_base(tenant)}/time-entries", body, content_type=JSON)
    again = client.post(f"{_base(tenant)}/time-entries", body, content_type=JSON)
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json() == again.json()
    assert again.json()["client_uuid"] == body["client_uuid"]
    with tenant_scope(tenant.pk):
        assert TimeEntry.objects.count() == 1
    # with Idempotency-Key too, the replay is the first answer
    key = {"HTTP_IDEMPOTENCY_KEY": "k1"}
    body2 = _work(projects, codes, client_uuid=str(uuid.uuid4()), date="2026-11-03")
    assert client.post(f"{_base(tenant)}/time-entries", body2, content_type=JSON, **key).status_code == 201
    assert client.post(f"{_base(tenant)}/time-entries", body2, content_type=JSON, **key).status_code == 201
    with tenant_scope(tenant.pk):
        assert TimeEntry.objects.count() == 2


def test_a_client_uuid_reused_for_another_entry_is_refused_with_422(tenant, employee, codes, projects):
    # given an entry created offline with a client id
    client = api_client(employee)
    body = _work(projects, codes, client_uuid=str(uuid.uuid4()))
    assert client.post(f"{_base(tenant)}/time-entries", body, content_type=JSON).status_code == 201
    before = _state(tenant)
    # when the same id arrives with other data (a client bug: silently answering with the old entry
    # would lose the new one)
    response = client.post(f"{_base(tenant)}/time-entries", {**body, "minutes": 60}, content_type=JSON)
    # then it is refused like a reused Idempotency-Key, and nothing changes
    _error(response, 422, "idempotency_key_reused")
    assert _state(tenant) == before


def test_a_retry_after_the_entry_was_edited_still_answers_with_the_entry(tenant, employee, codes, projects):
    # the fingerprint is of the create request, not of the entry's current state
    client = api_client(employee)
    body = _work(projects, codes, client_uuid=str(uuid.uuid4()))
    created = client.post(f"{_base(tenant)}/time-entries", body, content_type=JSON).json()
    client.patch(f"{_base(tenant)}/time-entries/{created['id']}", {"minutes": 90}, content_type=JSON)
    again = client.post(f"{_base(tenant)}/time-entries", body, content_type=JSON)
    assert again.status_code == 200
    assert again.json()["id"] == created["id"] and again.json()["minutes"] == 90


@pytest.mark.parametrize(
    ("changes", "code", "message"),
    [
        ({"minutes": 0}, "zero_time", "The time must be more than zero."),
        ({"minutes": -15}, "zero_time", "The time must be more than zero."),
        (
            {"minutes": None, "start_time": "10:00", "end_time": "09:00"},
            "end_before_start",
            "The end time must be after the start time.",
        ),
        ({"minutes": 1441}, "day_over_24h", "A day cannot have more than 24 hours reported."),
        (
            {"project_id": "completed"},
            "project_completed",
            "The project is completed; time can no longer be reported on it.",
        ),
        ({"project_id": "unassigned"}, "not_assigned", "You are not assigned to this project."),
    ],
)
def test_bad_input_answers_400_in_swedish_and_writes_nothing(
    tenant, employee, codes, projects, changes, code, message
):
    body = _work(projects, codes, **changes)
    if isinstance(body["project_id"], str):
        body["project_id"] = getattr(projects, body["project_id"]).pk
    before = _state(tenant)
    response = api_client(employee).post(
        f"{_base(tenant)}/time-entries", body, content_type=JSON, HTTP_ACCEPT_LANGUAGE="sv"
    )
    assert _error(response, 400, code)["message"] == sv(message)
    assert _state(tenant) == before


def test_vab_and_absence(tenant, employee, codes):
    client = api_client(employee)
    body = {"date": DAY, "kind": "absence", "absence_type_id": codes.vab.pk, "whole_day": True}
    _error(client.post(f"{_base(tenant)}/time-entries", body, content_type=JSON), 400, "child_required")
    from verksam.tenancy.tests.factories import make_personnummer

    child = make_personnummer(3, year=2019)
    response = client.post(
        f"{_base(tenant)}/time-entries", {**body, "child_personnummer": child}, content_type=JSON
    )
    assert response.status_code == 201
    assert (response.json()["minutes"], response.json()["child_personnummer"]) == (480, child)


def test_locked_and_attested_days_refuse_changes(tenant, employee, codes, projects):
    client = api_client(employee)
    entry = client.post(f"{_base(tenant)}/time-entries", _work(projects, codes), content_type=JSON).json()
    assert (
        client.post(f"{_base(tenant)}/time/lock", {"dates": [DAY]}, content_type=JSON).json()["changed"] == 1
    )
    before = _state(tenant)
    _error(
        client.patch(f"{_base(tenant)}/time-entries/{entry['id']}", {"minutes": 60}, content_type=JSON),
        400,
        "day_locked",
    )
    _error(client.delete(f"{_base(tenant)}/time-entries/{entry['id']}"), 400, "day_locked")
    _error(
        client.post(f"{_base(tenant)}/time-entries", _work(projects, codes, minutes=30), content_type=JSON),
        400,
        "day_locked",
    )
    assert _state(tenant) == before
    with tenant_scope(tenant.pk):
        DayLock.objects.update(status=DayStatus.ATTESTED, attested_at=dt.datetime.now(dt.UTC))
    before = _state(tenant)
    _error(
        client.post(f"{_base(tenant)}/time/unlock", {"dates": [DAY]}, content_type=JSON), 400, "day_attested"
    )
    _error(
        client.patch(f"{_base(tenant)}/time-entries/{entry['id']}", {"minutes": 60}, content_type=JSON),
        400,
        "day_attested",
    )
    assert _state(tenant) == before


def test_lock_unlock_days_and_bank(tenant, owner, employee, codes, projects):
    client = api_client(employee)
    client.post(
        f"{_base(tenant)}/time-entries",
        _work(projects, codes, time_code_id=codes.overtime.pk, minutes=90),
        content_type=JSON,
    )
    with tenant_scope(tenant.pk):
        DayRejection.objects.create(
            tenant=tenant,
            membership=membership_of(tenant, employee),
            date=MONDAY + dt.timedelta(days=1),
            comment="Saknas",
        )
    response = client.post(f"{_base(tenant)}/time/lock", {"dates": [DAY]}, content_type=JSON)
    assert response.json() == {
        "changed": 1,
        "days": [
            {
                "date": DAY,
                "status": "locked",
                "minutes": 90,
                "rejection_comment": "",
                "reopen_reason": "",
                "scheduled_minutes": 480,
                "reported": False,
            }
        ],
    }
    days = client.get(f"{_base(tenant)}/time/days?from={DAY}&to=2026-11-08").json()
    assert [d["status"] for d in days] == ["locked", "rejected", "open", "open", "open", "open", "open"]
    assert days[1]["rejection_comment"] == "Saknas"
    assert (
        client.post(f"{_base(tenant)}/time/unlock", {"dates": [DAY]}, content_type=JSON).json()["changed"]
        == 1
    )
    bank = client.get(f"{_base(tenant)}/time/bank?until=2026-11-30").json()
    assert bank["minutes"] == 0  # the bank counts attested days only (issue 8); see test_balances.py
    assert client.get(f"{_base(tenant)}/time/bank?until=2026-11-01").json()["minutes"] == 0
    _error(client.get(f"{_base(tenant)}/time/days?from=2026-11-08&to={DAY}"), 400, "invalid_range")
    _error(client.post(f"{_base(tenant)}/time/lock", {"dates": []}, content_type=JSON), 422, "invalid")


def test_dst_sunday_through_the_api(tenant, employee, codes, projects):
    client = api_client(employee)
    body = _work(projects, codes, date="2026-03-29", minutes=None, start_time="01:00", end_time="04:00")
    assert client.post(f"{_base(tenant)}/time-entries", body, content_type=JSON).json()["minutes"] == 180
    days = client.get(f"{_base(tenant)}/time/days?from=2026-03-28&to=2026-03-30").json()
    assert [d["minutes"] for d in days] == [0, 180, 0]


# --- (a) other tenant → 404, forged ids → 404 -------------------------------------------------------


def test_stranger_gets_404_everywhere(tenant, everyone, stranger, codes, projects):
    client = api_client(stranger)
    before = _state(tenant)
    calls = [
        ("get", f"{_base(tenant)}/time-entries?from={DAY}&to={DAY}", None),
        ("post", f"{_base(tenant)}/time-entries", _work(projects, codes)),
        ("patch", f"{_base(tenant)}/time-entries/1", {"minutes": 1}),
        ("delete", f"{_base(tenant)}/time-entries/1", None),
        ("post", f"{_base(tenant)}/time/lock", {"dates": [DAY]}),
        ("post", f"{_base(tenant)}/time/unlock", {"dates": [DAY]}),
        ("get", f"{_base(tenant)}/time/days?from={DAY}&to={DAY}", None),
        ("get", f"{_base(tenant)}/time/bank", None),
    ]
    for method, url, body in calls:
        response = (
            getattr(client, method)(url, body, content_type=JSON) if body else getattr(client, method)(url)
        )
        _error(response, 404, "not_found")
    assert _state(tenant) == before


def test_forged_ids_answer_404(tenant, other_tenant, everyone, owner, employee, stranger, codes, projects):
    foreign_entry = TimeEntryFactory(membership=membership_of(other_tenant, stranger))
    colleague_entry = TimeEntryFactory(
        membership=membership_of(tenant, owner), project=projects.site, time_code=codes.normal
    )
    foreign_project = ProjectFactory(tenant=other_tenant)
    foreign_code = TimeCodeFactory(tenant=other_tenant)
    client = api_client(employee)
    before = _state(tenant)
    for entry in (foreign_entry, colleague_entry):
        _error(
            client.patch(f"{_base(tenant)}/time-entries/{entry.pk}", {"minutes": 1}, content_type=JSON),
            404,
            "not_found",
        )
        _error(client.delete(f"{_base(tenant)}/time-entries/{entry.pk}"), 404, "not_found")
    for body in (
        _work(projects, codes, project_id=foreign_project.pk),
        _work(projects, codes, time_code_id=foreign_code.pk),
    ):
        _error(client.post(f"{_base(tenant)}/time-entries", body, content_type=JSON), 404, "not_found")
    mine = client.post(f"{_base(tenant)}/time-entries", _work(projects, codes), content_type=JSON).json()
    before = _state(tenant)
    _error(
        client.patch(
            f"{_base(tenant)}/time-entries/{mine['id']}",
            {"project_id": foreign_project.pk},
            content_type=JSON,
        ),
        404,
        "not_found",
    )
    # the other tenant's own listing does not see this tenant's entries
    assert (
        api_client(stranger)
        .get(f"/api/v1/tenants/{other_tenant.pk}/time-entries?from={DAY}&to={DAY}")
        .json()["total"]
        == 1
    )
    assert _state(tenant) == before


# --- (b) authorization matrix -----------------------------------------------------------------------

REPORTERS = {"owner", "attestant", "employee", "basic"}


@pytest.mark.parametrize(
    "role", ["owner", "attestant", "employee", "basic", "partner_full", "partner_limited"]
)
def test_authorization_matrix(request, tenant, everyone, basic, codes, projects, role):
    user = basic if role == "basic" else request.getfixturevalue(role)
    client = api_client(user)
    allowed = role in REPORTERS
    before = _state(tenant)
    body = _work(projects, codes, project_id=projects.internal.pk)
    response = client.post(f"{_base(tenant)}/time-entries", body, content_type=JSON)
    assert response.status_code == (201 if allowed else 403), response.content
    response = client.post(
        f"{_base(tenant)}/time/lock", {"dates": ["2026-11-04"], "nothing_to_report": True}, content_type=JSON
    )
    assert response.status_code == (200 if allowed else 403)
    for url in (
        f"{_base(tenant)}/time-entries?from={DAY}&to={DAY}",
        f"{_base(tenant)}/time/days?from={DAY}&to={DAY}",
        f"{_base(tenant)}/time/bank",
    ):
        assert client.get(url).status_code == (200 if allowed else 403), url
    if allowed:
        entry_id = client.get(f"{_base(tenant)}/time-entries?from={DAY}&to={DAY}").json()["items"][0]["id"]
        assert (
            client.patch(
                f"{_base(tenant)}/time-entries/{entry_id}", {"minutes": 30}, content_type=JSON
            ).status_code
            == 200
        )
        assert client.delete(f"{_base(tenant)}/time-entries/{entry_id}").status_code == 204
    else:
        _error(response, 403, "forbidden")
        assert _state(tenant) == before


def test_nobody_writes_another_users_time_even_as_total(tenant, everyone, owner, employee, codes, projects):
    entry = TimeEntryFactory(
        membership=membership_of(tenant, employee), project=projects.site, time_code=codes.normal
    )
    before = _state(tenant)
    client = api_client(owner)
    _error(
        client.patch(f"{_base(tenant)}/time-entries/{entry.pk}", {"minutes": 1}, content_type=JSON),
        404,
        "not_found",
    )
    _error(client.delete(f"{_base(tenant)}/time-entries/{entry.pk}"), 404, "not_found")
    assert _state(tenant) == before


# --- (c) constant query counts ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "time-entries?from=2026-11-02&to=2026-11-08&page_size=200",
        "time/days?from=2026-11-02&to=2026-11-08",
        "time/bank?until=2026-11-30",
    ],
)
def test_query_count_is_constant(tenant, employee, codes, path):
    client = api_client(employee)
    member = membership_of(tenant, employee)
    project_list = [ProjectFactory(tenant=tenant) for _ in range(3)]

    def fill(n, first_hour):
        for i in range(n):
            hour = first_hour + i // 7
            TimeEntryFactory(
                membership=member, date=MONDAY + dt.timedelta(days=i % 7), project=project_list[i % 3],
                time_code=codes.overtime, minutes=10, start_time=dt.time(hour), end_time=dt.time(hour, 10),
            )  # fmt: skip

    fill(2, 1)
    DayLockFactory(membership=member, date=MONDAY)
    client.get(f"{_base(tenant)}/{path}")  # the token's first use is recorded once
    few, response = count_queries(lambda: client.get(f"{_base(tenant)}/{path}"))
    assert response.status_code == 200
    fill(28, 5)
    DayLockFactory(membership=member, date=MONDAY + dt.timedelta(days=1))
    many, response = count_queries(lambda: client.get(f"{_base(tenant)}/{path}"))
    assert response.status_code == 200
    assert few == many
    if path.startswith("time-entries"):
        assert response.json()["total"] == 30
