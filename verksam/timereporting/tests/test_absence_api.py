"""The API of absence ranges: CRUD, refusals in Swedish that write nothing, the confirm flag, and the
DESIGN.md trio (other tenant → 404, authorization matrix, constant query count)."""

import datetime as dt

import pytest

from verksam.audit.models import AuditEvent
from verksam.tenancy.models import Licence
from verksam.tenancy.scope import tenant_scope
from verksam.tenancy.tests.factories import MembershipFactory
from verksam.tenancy.tests.fixtures import api_client
from verksam.tenancy.tests.helpers import count_queries, sv
from verksam.timecodes.tests.factories import AbsenceTypeFactory
from verksam.timereporting.models import AbsenceRange, TimeEntry
from verksam.timereporting.tests.factories import TimeEntryFactory

from .conftest import membership_of

JSON = "application/json"


def _base(tenant):
    return f"/api/v1/tenants/{tenant.pk}"


def _state(tenant):
    with tenant_scope(tenant.pk):
        return {
            "ranges": list(AbsenceRange.objects.order_by("pk").values()),
            "entries": list(TimeEntry.objects.order_by("pk").values()),
            "audit": AuditEvent.objects.count(),
        }


def _error(response, status, code):
    assert response.status_code == status, response.content
    body = response.json()
    assert body["code"] == code, body
    return body


@pytest.fixture
def everyone(owner, attestant, employee, partner_full, partner_limited, stranger):
    """Every fixture user exists."""


@pytest.fixture
def basic(tenant, owner):
    return MembershipFactory(tenant=tenant, licence=Licence.BASIC).user


def _body(codes, **kwargs):
    body = {"absence_type_id": codes.sick.pk, "start_date": "2026-07-06", "end_date": "2026-07-17"}
    body.update(kwargs)
    return body


def test_create_list_read_change_delete(tenant, employee, codes):
    client = api_client(employee)
    response = client.post(
        f"{_base(tenant)}/absence-ranges", _body(codes, comment="Semester"), content_type=JSON
    )
    assert response.status_code == 201, response.content
    created = response.json()
    assert (created["day_count"], created["total_minutes"], created["percent"]) == (10, 4800, 100)
    listed = client.get(f"{_base(tenant)}/absence-ranges?from=2026-07-01&to=2026-07-31").json()
    assert [r["id"] for r in listed["items"]] == [created["id"]] and listed["total"] == 1
    assert client.get(f"{_base(tenant)}/absence-ranges?from=2026-08-01").json()["total"] == 0
    # the days show in the entries, each pointing at its range
    entries = client.get(f"{_base(tenant)}/time-entries?from=2026-07-06&to=2026-07-17").json()["items"]
    assert {e["absence_range_id"] for e in entries} == {created["id"]} and len(entries) == 10
    _error(
        client.patch(f"{_base(tenant)}/time-entries/{entries[0]['id']}", {"minutes": 60}, content_type=JSON),
        400,
        "part_of_range",
    )
    url = f"{_base(tenant)}/absence-ranges/{created['id']}"
    changed = client.patch(url, {"percent": 50, "end_date": "2026-07-10"}, content_type=JSON).json()
    assert (changed["day_count"], changed["total_minutes"]) == (5, 1200)
    assert client.get(url).json() == changed
    assert client.delete(url).status_code == 204
    _error(client.get(url), 404, "not_found")
    assert _state(tenant)["entries"] == []


def test_work_on_a_day_asks_for_confirm_work(tenant, employee, codes, projects):
    TimeEntryFactory(
        membership=membership_of(tenant, employee), date=dt.date(2026, 7, 7), project=projects.site,
        time_code=codes.normal, minutes=60,
    )  # fmt: skip
    client = api_client(employee)
    before = _state(tenant)
    body = _error(
        client.post(
            f"{_base(tenant)}/absence-ranges", _body(codes), content_type=JSON, HTTP_ACCEPT_LANGUAGE="sv"
        ),
        400,
        "work_on_absence_day",
    )
    assert body["extra"] == {"field": "confirm_work", "dates": ["2026-07-07"]}
    assert "2026-07-07" in body["message"]
    assert _state(tenant) == before
    response = client.post(
        f"{_base(tenant)}/absence-ranges", _body(codes, confirm_work=True), content_type=JSON
    )
    assert response.status_code == 201


@pytest.mark.parametrize(
    ("changes", "status", "code"),
    [
        ({"end_date": "2026-07-01"}, 400, "invalid_range"),
        ({"percent": 0}, 422, "invalid"),
        ({"percent": "50"}, 422, "invalid"),
        ({"absence_type_id": "vab"}, 400, "child_required"),
        ({"absence_type_id": "vab", "child_personnummer": "20140708-1234"}, 400, "child_invalid"),
        ({"start_date": "2026-07-11", "end_date": "2026-07-12"}, 400, "no_working_days"),
    ],
)
def test_bad_input_writes_nothing(tenant, employee, codes, changes, status, code):
    if changes.get("absence_type_id") == "vab":
        changes = {**changes, "absence_type_id": codes.vab.pk}
    client = api_client(employee)
    client.post(
        f"{_base(tenant)}/absence-ranges",
        _body(codes, start_date="2026-08-03", end_date="2026-08-07"),
        content_type=JSON,
    )
    before = _state(tenant)
    response = client.post(
        f"{_base(tenant)}/absence-ranges",
        _body(codes, **changes),
        content_type=JSON,
        HTTP_ACCEPT_LANGUAGE="sv",
    )
    _error(response, status, code)
    # an overlap with the August range
    _error(
        client.post(
            f"{_base(tenant)}/absence-ranges",
            _body(codes, start_date="2026-08-07", end_date="2026-08-10"),
            content_type=JSON,
        ),
        400,
        "absence_overlap",
    )
    assert _state(tenant) == before


def test_overlap_message_is_swedish(tenant, employee, codes):
    client = api_client(employee)
    client.post(f"{_base(tenant)}/absence-ranges", _body(codes), content_type=JSON)
    body = _error(
        client.post(
            f"{_base(tenant)}/absence-ranges", _body(codes), content_type=JSON, HTTP_ACCEPT_LANGUAGE="sv"
        ),
        400,
        "absence_overlap",
    )
    template = "The dates overlap your absence “%(absence)s” %(start)s–%(end)s. Change that one instead."
    assert body["message"] == sv(template) % {"absence": "Sjuk", "start": "2026-07-06", "end": "2026-07-17"}


# --- (a) other tenant → 404, forged ids → 404 -----------------------------------------------------------


def test_stranger_and_forged_ids_get_404(tenant, other_tenant, everyone, owner, employee, stranger, codes):
    mine = (
        api_client(employee).post(f"{_base(tenant)}/absence-ranges", _body(codes), content_type=JSON).json()
    )
    foreign_type = AbsenceTypeFactory(tenant=other_tenant)
    before = _state(tenant)
    stranger_client = api_client(stranger)
    for method, url, body in [
        ("get", f"{_base(tenant)}/absence-ranges", None),
        ("post", f"{_base(tenant)}/absence-ranges", _body(codes)),
        ("get", f"{_base(tenant)}/absence-ranges/{mine['id']}", None),
        ("patch", f"{_base(tenant)}/absence-ranges/{mine['id']}", {"percent": 50}),
        ("delete", f"{_base(tenant)}/absence-ranges/{mine['id']}", None),
    ]:
        call = getattr(stranger_client, method)
        _error(call(url, body, content_type=JSON) if body else call(url), 404, "not_found")
    # the stranger's own tenant does not know the range either
    _error(
        stranger_client.get(f"/api/v1/tenants/{other_tenant.pk}/absence-ranges/{mine['id']}"),
        404,
        "not_found",
    )
    # a colleague (even TOTAL) cannot read or change my range; a foreign absence type is unknown
    owner_client = api_client(owner)
    _error(owner_client.get(f"{_base(tenant)}/absence-ranges/{mine['id']}"), 404, "not_found")
    _error(
        owner_client.patch(
            f"{_base(tenant)}/absence-ranges/{mine['id']}", {"percent": 50}, content_type=JSON
        ),
        404,
        "not_found",
    )
    _error(owner_client.delete(f"{_base(tenant)}/absence-ranges/{mine['id']}"), 404, "not_found")
    _error(
        api_client(employee).post(
            f"{_base(tenant)}/absence-ranges",
            _body(codes, absence_type_id=foreign_type.pk, start_date="2026-09-07", end_date="2026-09-08"),
            content_type=JSON,
        ),
        404,
        "not_found",
    )
    assert _state(tenant) == before


# --- (b) authorization matrix ---------------------------------------------------------------------------

REPORTERS = {"owner", "attestant", "employee", "basic"}


@pytest.mark.parametrize(
    "role", ["owner", "attestant", "employee", "basic", "partner_full", "partner_limited"]
)
def test_authorization_matrix(request, tenant, everyone, basic, codes, role):
    user = basic if role == "basic" else request.getfixturevalue(role)
    client = api_client(user)
    allowed = role in REPORTERS
    before = _state(tenant)
    response = client.post(f"{_base(tenant)}/absence-ranges", _body(codes), content_type=JSON)
    assert response.status_code == (201 if allowed else 403), response.content
    assert client.get(f"{_base(tenant)}/absence-ranges").status_code == (200 if allowed else 403)
    if allowed:
        url = f"{_base(tenant)}/absence-ranges/{response.json()['id']}"
        assert client.get(url).status_code == 200
        assert client.patch(url, {"percent": 50}, content_type=JSON).status_code == 200
        assert client.delete(url).status_code == 204
    else:
        _error(response, 403, "forbidden")
        url = f"{_base(tenant)}/absence-ranges/1"
        assert client.get(url).status_code == 403
        assert client.patch(url, {"percent": 50}, content_type=JSON).status_code == 403
        assert client.delete(url).status_code == 403
        assert _state(tenant) == before


# --- (c) constant query counts --------------------------------------------------------------------------


def test_list_query_count_is_constant(tenant, employee, codes):
    client = api_client(employee)
    member = membership_of(tenant, employee)

    def fill(weeks):
        with tenant_scope(tenant.pk):
            for i in range(weeks):
                start = dt.date(2026, 1, 5) + dt.timedelta(days=7 * i + 7 * len(AbsenceRange.objects.all()))
                AbsenceRange.objects.create(
                    tenant=tenant, membership=member, absence_type=codes.sick, start_date=start,
                    end_date=start + dt.timedelta(days=4),
                )  # fmt: skip

    fill(2)
    client.get(f"{_base(tenant)}/absence-ranges")  # the token's first use is recorded once
    few, response = count_queries(lambda: client.get(f"{_base(tenant)}/absence-ranges?page_size=100"))
    assert response.json()["total"] == 2
    fill(28)
    many, response = count_queries(lambda: client.get(f"{_base(tenant)}/absence-ranges?page_size=100"))
    assert response.json()["total"] == 30
    assert few == many


def test_a_three_month_range_is_one_request_with_a_constant_query_count(tenant, employee, codes):
    import math

    from django.db import connection

    client = api_client(employee)
    client.get(f"{_base(tenant)}/absence-ranges")  # the token's first use is recorded once

    def post(start, end):
        body = _body(codes, start_date=start, end_date=end)
        return client.post(f"{_base(tenant)}/absence-ranges", body, content_type=JSON)

    few, response = count_queries(lambda: post("2026-02-02", "2026-02-06"))
    assert response.json()["day_count"] == 5
    many, response = count_queries(lambda: post("2026-03-02", "2026-05-29"))
    rows = response.json()["day_count"]
    assert rows > 55
    # SQLite splits one bulk INSERT into batches of at most 999 parameters; PostgreSQL does not
    fields = [f for f in TimeEntry._meta.concrete_fields if not f.primary_key]
    batch = connection.ops.bulk_batch_size(fields, [None] * rows) or rows
    assert many == few + math.ceil(rows / batch) - 1


def test_a_single_entry_takes_confirm_work_too(tenant, employee, codes, projects):
    client = api_client(employee)
    day = "2026-07-07"
    absence = {"date": day, "kind": "absence", "absence_type_id": codes.sick.pk, "whole_day": True}
    assert client.post(f"{_base(tenant)}/time-entries", absence, content_type=JSON).status_code == 201
    work = {"date": day, "project_id": projects.site.pk, "time_code_id": codes.normal.pk, "minutes": 60}
    before = _state(tenant)
    _error(client.post(f"{_base(tenant)}/time-entries", work, content_type=JSON), 400, "work_on_absence_day")
    assert _state(tenant) == before
    created = client.post(f"{_base(tenant)}/time-entries", {**work, "confirm_work": True}, content_type=JSON)
    assert created.status_code == 201
    url = f"{_base(tenant)}/time-entries/{created.json()['id']}"
    _error(client.patch(url, {"minutes": 90}, content_type=JSON), 400, "work_on_absence_day")
    assert client.patch(url, {"minutes": 90, "confirm_work": True}, content_type=JSON).json()["minutes"] == 90


# --- on an employee's behalf (issue 8 item 6) ------------------------------------------------------------


def test_ranges_on_an_employees_behalf(
    tenant, other_tenant, everyone, owner, attestant, employee, stranger, basic, codes
):
    member = membership_of(tenant, employee)
    base = f"{_base(tenant)}/employees/{member.pk}/absence-ranges"
    created = api_client(owner).post(base, _body(codes), content_type=JSON)
    assert created.status_code == 201, created.content
    range_id = created.json()["id"]
    url = f"{base}/{range_id}"
    # the approver corrects it; the employee sees it as their own
    assert (
        api_client(attestant).patch(url, {"percent": 50}, content_type=JSON).json()["total_minutes"] == 2400
    )
    mine = api_client(employee).get(f"{_base(tenant)}/absence-ranges").json()["items"]
    assert [r["id"] for r in mine] == [created.json()["id"]]
    with tenant_scope(tenant.pk):
        event = AuditEvent.objects.filter(action="time.absence_range_update").get()
    assert event.data["reported_for"] == employee.name
    before = _state(tenant)
    # a colleague who is neither TOTAL nor the approver: 403; a stranger: 404; nothing changes
    for call in (
        lambda c: c.get(base),
        lambda c: c.post(base, _body(codes, start_date="2026-09-07"), content_type=JSON),
        lambda c: c.patch(url, {"percent": 20}, content_type=JSON),
        lambda c: c.delete(url),
    ):
        _error(call(api_client(basic)), 403, "not_approver")
        _error(call(api_client(stranger)), 404, "not_found")
    # the range is only found under its own employee; another tenant's member is unknown
    owner_member = membership_of(tenant, owner)
    _error(
        api_client(attestant).get(
            f"{_base(tenant)}/employees/{owner_member.pk}/absence-ranges/{created.json()['id']}"
        ),
        403,
        "not_approver",
    )
    _error(
        api_client(owner).delete(
            f"{_base(tenant)}/employees/{membership_of(tenant, attestant).pk}/absence-ranges/{range_id}"
        ),
        404,
        "not_found",
    )
    foreign = membership_of(other_tenant, stranger)
    _error(api_client(owner).get(f"{_base(tenant)}/employees/{foreign.pk}/absence-ranges"), 404, "not_found")
    assert _state(tenant) == before
    assert api_client(owner).delete(url).status_code == 204
    assert _state(tenant)["entries"] == []


def test_behalf_list_query_count_is_constant(tenant, owner, employee, codes):
    client = api_client(owner)
    member = membership_of(tenant, employee)
    path = f"{_base(tenant)}/employees/{member.pk}/absence-ranges?page_size=100"

    def fill(first, n):
        with tenant_scope(tenant.pk):
            for i in range(first, first + n):
                start = dt.date(2026, 1, 5) + dt.timedelta(weeks=i)
                AbsenceRange.objects.create(
                    tenant=tenant, membership=member, absence_type=codes.sick, start_date=start,
                    end_date=start + dt.timedelta(days=4),
                )  # fmt: skip

    fill(0, 2)
    client.get(path)
    few, response = count_queries(lambda: client.get(path))
    assert response.json()["total"] == 2
    fill(2, 28)
    many, response = count_queries(lambda: client.get(path))
    assert response.json()["total"] == 30
    assert few == many
