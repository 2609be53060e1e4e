"""POST /time-entries/batch (issue 13 item 3): up to 500 entries from a phone coming back online, each
checked by every rule of the single create and answered on its own (per-item results)."""

import datetime as dt
import uuid

import pytest

from verksam.audit.models import AuditEvent
from verksam.projects.tests.factories import ProjectFactory
from verksam.tenancy.models import Licence
from verksam.tenancy.scope import tenant_scope
from verksam.tenancy.tests.factories import MembershipFactory
from verksam.tenancy.tests.fixtures import api_client
from verksam.tenancy.tests.helpers import count_queries
from verksam.timereporting.models import DayLock, TimeEntry
from verksam.timereporting.services import _entry_audit
from verksam.timereporting.tests.factories import DayLockFactory

from .conftest import MONDAY, membership_of

JSON = "application/json"


def _url(tenant):
    return f"/api/v1/tenants/{tenant.pk}/time-entries/batch"


def _item(projects, day=MONDAY, **extra):
    return {
        "client_uuid": str(uuid.uuid4()),
        "date": day.isoformat(),
        "project_id": projects.site.pk,
        "minutes": 60,
        **extra,
    }


def _state(tenant):
    with tenant_scope(tenant.pk):
        return {
            "entries": list(TimeEntry.objects.order_by("pk").values()),
            "locks": list(DayLock.objects.order_by("pk").values()),
            "audit": AuditEvent.objects.count(),
        }


@pytest.fixture
def everyone(owner, attestant, employee, partner_full, partner_limited, stranger):
    """Every fixture user exists."""


def test_a_batch_creates_each_entry_with_its_own_audit_row(tenant, employee, codes, projects):
    client = api_client(employee)
    items = [_item(projects, MONDAY + dt.timedelta(days=i % 5), comment=f"#{i}") for i in range(12)]
    response = client.post(_url(tenant), {"entries": items}, content_type=JSON)
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["created"], body["existing"], body["refused"]) == (12, 0, 0)
    assert [r["index"] for r in body["results"]] == list(range(12))
    assert {r["status"] for r in body["results"]} == {201}
    with tenant_scope(tenant.pk):
        stored = {str(e.client_uuid): e for e in TimeEntry.objects.all()}
        assert set(stored) == {i["client_uuid"] for i in items}
        first = stored[items[0]["client_uuid"]]
        assert first.time_code_id == codes.normal.pk  # the default, as for a single create
        assert first.invoiceable_minutes == 60
        assert body["results"][0]["entry"]["id"] == first.pk
        events = AuditEvent.objects.filter(action="time.entry_create")
        assert events.count() == 12
        assert {e.target_id for e in events} == {str(e.pk) for e in stored.values()}
        # each row as a single create writes it: the entry's label and data, the actor
        by_target = {e.target_id: e for e in events}
        for entry in stored.values():
            event = by_target[str(entry.pk)]
            assert event.target_label == str(entry) and event.target_type == "timereporting.timeentry"
            assert event.data == _entry_audit(entry) and event.user_id == employee.pk


def test_a_retried_batch_writes_nothing_twice(tenant, employee, codes, projects):
    client = api_client(employee)
    items = [_item(projects, MONDAY + dt.timedelta(days=i)) for i in range(3)]
    first = client.post(_url(tenant), {"entries": items}, content_type=JSON).json()
    before = _state(tenant)
    again = client.post(_url(tenant), {"entries": items}, content_type=JSON)
    assert again.status_code == 200
    body = again.json()
    assert (body["created"], body["existing"]) == (0, 3)
    assert [r["entry"]["id"] for r in body["results"]] == [r["entry"]["id"] for r in first["results"]]
    assert {r["status"] for r in body["results"]} == {200}
    assert _state(tenant) == before


def test_each_refused_item_answers_like_the_single_post_and_the_rest_is_saved(
    tenant, other_tenant, employee, codes, projects
):
    member = membership_of(tenant, employee)
    DayLockFactory(membership=member, date=MONDAY + dt.timedelta(days=1))
    foreign = ProjectFactory(tenant=other_tenant)
    reused = _item(projects)
    items = [
        reused,
        _item(projects, MONDAY + dt.timedelta(days=1)),  # a locked day
        _item(projects, project_id=projects.completed.pk),  # a completed project
        _item(projects, project_id=projects.unassigned.pk),  # LIGHT: not assigned
        _item(projects, project_id=foreign.pk),  # another tenant's project: 404
        {**reused, "minutes": 90},  # the same client_uuid with other data
        _item(projects, minutes=23 * 60 + 1),  # with the first one the day passes 24 hours
        _item(projects, MONDAY + dt.timedelta(days=2), start_time="08:00", end_time="10:00", minutes=None),
        _item(projects, MONDAY + dt.timedelta(days=2), start_time="09:00", end_time="11:00", minutes=None),
    ]
    response = api_client(employee).post(_url(tenant), {"entries": items}, content_type=JSON)
    assert response.status_code == 200, response.content
    results = response.json()["results"]
    statuses = [(r["status"], (r["error"] or {}).get("code")) for r in results]
    assert statuses == [
        (201, None),
        (400, "day_locked"),
        (400, "project_completed"),
        (400, "not_assigned"),
        (404, "not_found"),
        (422, "idempotency_key_reused"),
        (400, "day_over_24h"),
        (201, None),
        (400, "overlap"),
    ]
    assert all(r["error"]["message"] for r in results if r["error"])
    with tenant_scope(tenant.pk):
        assert TimeEntry.objects.count() == 2
        assert AuditEvent.objects.filter(action="time.entry_create").count() == 2


def test_a_batch_is_at_most_500_entries_and_each_needs_a_client_uuid(tenant, employee, codes, projects):
    client = api_client(employee)
    before = _state(tenant)
    too_many = [_item(projects, MONDAY - dt.timedelta(days=i)) for i in range(501)]
    assert client.post(_url(tenant), {"entries": too_many}, content_type=JSON).status_code == 422
    without = {k: v for k, v in _item(projects).items() if k != "client_uuid"}
    assert client.post(_url(tenant), {"entries": [without]}, content_type=JSON).status_code == 422
    assert client.post(_url(tenant), {"entries": []}, content_type=JSON).status_code == 422
    assert _state(tenant) == before


def test_another_tenant_and_a_stranger_get_404(
    tenant, other_tenant, everyone, employee, stranger, codes, projects
):
    before = _state(tenant)
    body = {"entries": [_item(projects)]}
    assert api_client(stranger).post(_url(tenant), body, content_type=JSON).status_code == 404
    other = MembershipFactory(tenant=other_tenant, licence=Licence.TOTAL).user
    assert api_client(other).post(_url(tenant), body, content_type=JSON).status_code == 404
    assert _state(tenant) == before


@pytest.mark.parametrize("role", ["owner", "attestant", "employee", "partner_full", "partner_limited"])
def test_authorization_matrix(request, tenant, everyone, codes, projects, role):
    client = api_client(request.getfixturevalue(role))
    allowed = role in {"owner", "attestant", "employee"}
    before = _state(tenant)
    body = {"entries": [_item(projects, project_id=projects.internal.pk)]}
    response = client.post(_url(tenant), body, content_type=JSON)
    assert response.status_code == (200 if allowed else 403), response.content
    if allowed:
        assert response.json()["created"] == 1
    else:
        assert response.json()["code"] == "forbidden"
        assert _state(tenant) == before


def test_query_count_does_not_grow_with_the_entries(tenant, employee, codes, projects):
    client = api_client(employee)
    client.post(
        _url(tenant), {"entries": [_item(projects, MONDAY - dt.timedelta(days=30))]}, content_type=JSON
    )

    def send(n, first):
        items = [_item(projects, first + dt.timedelta(days=i % 7), minutes=15) for i in range(n)]
        return client.post(_url(tenant), {"entries": items}, content_type=JSON)

    few, response = count_queries(lambda: send(2, MONDAY))
    assert response.json()["created"] == 2
    many, response = count_queries(lambda: send(30, MONDAY + dt.timedelta(days=7)))
    assert response.json()["created"] == 30
    assert few == many


def test_a_later_komp_ledig_in_the_batch_draws_from_what_the_earlier_ones_left(
    tenant, owner, employee, codes, projects
):
    # given a bank of 1 h 30 (an opening balance)
    from verksam.timereporting import services
    from verksam.timereporting.tests.conftest import actor_for

    with tenant_scope(tenant.pk):
        services.time_bank_adjust(
            actor=actor_for(tenant, owner),
            membership=membership_of(tenant, employee),
            date=dt.date(2026, 1, 1),
            minutes=90,
            reason="IB",
        )

    def komp(day, minutes):
        return {
            "client_uuid": str(uuid.uuid4()),
            "date": day.isoformat(),
            "kind": "absence",
            "absence_type_id": codes.komp.pk,
            "minutes": minutes,
        }

    # when one batch takes 1 h, then 1 h more, then 30 min komp-ledig
    items = [komp(MONDAY + dt.timedelta(days=i), minutes) for i, minutes in enumerate([60, 60, 30])]
    response = api_client(employee).post(_url(tenant), {"entries": items}, content_type=JSON)
    # then the second is refused as the single POST would refuse it after the first, the third fits
    results = response.json()["results"]
    assert [(r["status"], (r["error"] or {}).get("code")) for r in results] == [
        (201, None),
        (400, "time_bank_exceeded"),
        (201, None),
    ]
    assert results[1]["error"]["extra"]["balance_minutes"] == 30
