"""Idempotency under real concurrency on PostgreSQL (issue 7 item 4): requests with the same
`Idempotency-Key` or the same `client_uuid` at the same moment write once and answer alike.
SQLite serialises writers, so it cannot show the race; these tests run on PostgreSQL only."""

import json
import threading
import time
import uuid

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone

from verksam.accounts.services import api_token_create
from verksam.api.models import IdempotencyRecord
from verksam.projects import services as project_services
from verksam.projects.models import Project
from verksam.projects.tests.factories import ProjectFactory, ProjectMemberFactory
from verksam.tenancy.models import Licence
from verksam.tenancy.scope import tenant_scope
from verksam.tenancy.tests.factories import MembershipFactory, TenantFactory
from verksam.tenancy.tests.helpers import membership_of
from verksam.timecodes.tests.factories import TimeCodeFactory
from verksam.timereporting.models import TimeEntry

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
JSON = "application/json"


@pytest.fixture(autouse=True)
def _only_postgres():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: concurrent transactions")


def _together(calls):
    """Run each call in its own thread, released at the same moment; return the results in order."""
    barrier = threading.Barrier(len(calls))
    results: list = [None] * len(calls)

    def worker(i, call):
        try:
            barrier.wait()
            results[i] = call()
        except Exception as exc:  # collected and asserted by the test
            results[i] = exc
        finally:
            connection.close()  # each thread has its own connection

    threads = [threading.Thread(target=worker, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    return results


def _client(user) -> Client:
    _token, secret = api_token_create(user=user, name="test")
    return Client(HTTP_AUTHORIZATION=f"Bearer {secret}")


@pytest.fixture
def company():
    tenant = TenantFactory()
    owner = MembershipFactory(tenant=tenant, licence=Licence.TOTAL).user
    return tenant, owner


@pytest.fixture
def slow_project_create(monkeypatch):
    """Hold the write open long enough that every concurrent request overlaps it."""
    original = project_services.project_create

    def slow(**kwargs):
        time.sleep(0.5)
        return original(**kwargs)

    monkeypatch.setattr(project_services, "project_create", slow)


def _projects(tenant) -> list[str]:
    with tenant_scope(tenant.pk):
        return list(Project.objects.values_list("name", flat=True))


def test_the_same_key_at_the_same_moment_writes_once_and_answers_alike(company, slow_project_create):
    # given a client that sends the same request with the same key on six connections at once
    tenant, owner = company
    clients = [_client(owner) for _ in range(6)]
    url = f"/api/v1/tenants/{tenant.pk}/projects"

    def post(client):
        return lambda: client.post(url, {"name": "Villa Ek"}, content_type=JSON, HTTP_IDEMPOTENCY_KEY="k-1")

    # when they race
    responses = _together([post(c) for c in clients])
    # then exactly one project is written and every answer is the same 201
    assert _projects(tenant) == ["Villa Ek"]
    assert [r.status_code for r in responses] == [201] * 6, responses
    assert len({r.content for r in responses}) == 1
    assert sum(r.has_header("Idempotent-Replayed") for r in responses) == 5
    with tenant_scope(tenant.pk):
        assert IdempotencyRecord.objects.get(key="k-1").status_code == 201


def test_the_same_key_with_another_body_at_the_same_moment_is_refused(company, slow_project_create):
    tenant, owner = company
    url = f"/api/v1/tenants/{tenant.pk}/projects"
    a, b = _client(owner), _client(owner)
    responses = _together(
        [
            lambda: a.post(url, {"name": "Villa Ek"}, content_type=JSON, HTTP_IDEMPOTENCY_KEY="k-1"),
            lambda: b.post(url, {"name": "Kök Berg"}, content_type=JSON, HTTP_IDEMPOTENCY_KEY="k-1"),
        ]
    )
    assert sorted(r.status_code for r in responses) == [201, 422]
    refused = next(r for r in responses if r.status_code == 422)
    assert refused.json()["code"] == "idempotency_key_reused"
    assert len(_projects(tenant)) == 1


def test_the_same_client_uuid_at_the_same_moment_writes_one_entry(company):
    # given an employee on a project, and one offline entry sent twice at once (no Idempotency-Key)
    tenant, owner = company
    employee = MembershipFactory(tenant=tenant, licence=Licence.LIGHT).user
    project = ProjectFactory(tenant=tenant)
    ProjectMemberFactory(tenant=tenant, project=project, membership=membership_of(tenant, employee))
    code = TimeCodeFactory(tenant=tenant, code="NT", is_default=True)
    body = json.dumps(
        {
            "client_uuid": str(uuid.uuid4()),
            "date": "2026-11-02",
            "project_id": project.pk,
            "time_code_id": code.pk,
            "minutes": 120,
        }
    )
    url = f"/api/v1/tenants/{tenant.pk}/time-entries"
    clients = [_client(employee) for _ in range(4)]
    # when they race
    responses = _together([lambda c=c: c.post(url, body, content_type=JSON) for c in clients])
    # then one entry exists and every answer describes it (201 for the write, 200 for the others)
    with tenant_scope(tenant.pk):
        assert TimeEntry.objects.count() == 1
    assert sorted(r.status_code for r in responses) == [200, 200, 200, 201], responses
    assert len({json.dumps(r.json(), sort_keys=True) for r in responses}) == 1


def test_overlapping_entries_of_one_employee_at_the_same_moment_write_one(company):
    # given an employee, and four different entries of the same hours sent at once: the member's row
    # is read FOR UPDATE at the tenant's entry (the request transaction, issue 13), so the overlap
    # rule of each one sees what the one before it wrote
    tenant, owner = company
    employee = MembershipFactory(tenant=tenant, licence=Licence.LIGHT).user
    project = ProjectFactory(tenant=tenant)
    ProjectMemberFactory(tenant=tenant, project=project, membership=membership_of(tenant, employee))
    TimeCodeFactory(tenant=tenant, code="NT", is_default=True)
    url = f"/api/v1/tenants/{tenant.pk}/time-entries"

    def body():
        return json.dumps(
            {
                "client_uuid": str(uuid.uuid4()),
                "date": "2026-11-02",
                "project_id": project.pk,
                "start_time": "08:00",
                "end_time": "12:00",
            }
        )

    clients = [_client(employee) for _ in range(4)]
    # when they race
    bodies = [body() for _ in clients]
    responses = _together(
        [lambda c=c, b=b: c.post(url, b, content_type=JSON) for c, b in zip(clients, bodies, strict=True)]
    )
    # then one is written and the others are refused by the overlap rule
    with tenant_scope(tenant.pk):
        assert TimeEntry.objects.count() == 1
    assert sorted(r.status_code for r in responses) == [201, 400, 400, 400], [r.content for r in responses]


# --- the same class of defect elsewhere: simultaneous duplicates without a key ----------------------
# The unique constraints stop the second write, but a check-then-insert let the loser of the race
# hit the constraint as an unhandled IntegrityError: a 500 instead of the domain's 409.


def test_simultaneous_invitations_of_one_address_make_one_invitation(company):
    from verksam.tenancy.models import Invitation

    tenant, owner = company
    clients = [_client(owner) for _ in range(4)]
    url = f"/api/v1/tenants/{tenant.pk}/members"
    responses = _together(
        [
            lambda c=c: c.post(url, {"email": "ny@example.se", "name": "Nina Ny"}, content_type=JSON)
            for c in clients
        ]
    )
    # one is written; the others are refused with the error body (409 from the service's check or the
    # constraint, 422 when full_clean already saw the winner's committed row) — never a 500
    assert [r.status_code for r in responses].count(201) == 1, responses
    for refused in (r for r in responses if r.status_code != 201):
        assert refused.status_code in (409, 422), responses
        assert refused.json()["code"] in {"duplicate_invitation", "invalid"} and refused.json()["message"]
    with tenant_scope(tenant.pk):
        assert Invitation.objects.filter(email="ny@example.se").count() == 1


def test_simultaneous_grants_to_one_person_make_one_grant_and_409s(company):
    from verksam.tenancy.models import PartnerGrant, Variant
    from verksam.tenancy.tests.factories import UserFactory, make_personnummer

    tenant, owner = company
    firm = TenantFactory(variant=Variant.PARTNER)
    person = UserFactory(personnummer=make_personnummer(4242), personnummer_verified_at=timezone.now())
    MembershipFactory(tenant=firm, user=person, licence=Licence.TOTAL)
    clients = [_client(owner) for _ in range(4)]
    url = f"/api/v1/tenants/{tenant.pk}/partner-grants"
    body = {"personnummer": person.personnummer, "level": "FULL"}
    responses = _together([lambda c=c: c.post(url, body, content_type=JSON) for c in clients])
    assert sorted(r.status_code for r in responses) == [201, 409, 409, 409], responses
    assert {r.json()["code"] for r in responses if r.status_code == 409} == {"duplicate_grant"}
    with tenant_scope(tenant.pk):
        assert PartnerGrant.objects.count() == 1


def test_simultaneous_assignments_to_a_project_make_one_and_409s(company):
    from verksam.projects.models import ProjectMember

    tenant, owner = company
    member = MembershipFactory(tenant=tenant, licence=Licence.LIGHT)
    project = ProjectFactory(tenant=tenant)
    clients = [_client(owner) for _ in range(4)]
    url = f"/api/v1/tenants/{tenant.pk}/projects/{project.pk}/members"
    responses = _together(
        [lambda c=c: c.post(url, {"membership_id": member.pk}, content_type=JSON) for c in clients]
    )
    assert sorted(r.status_code for r in responses) == [201, 409, 409, 409], responses
    assert {r.json()["code"] for r in responses if r.status_code == 409} == {"already_assigned"}
    with tenant_scope(tenant.pk):
        assert ProjectMember.objects.count() == 1


def test_any_other_simultaneous_duplicate_answers_409_json_not_500(company):
    # The safety net for every other check-then-insert (here: two time codes with one code): the
    # constraint keeps the data right, and the API answers 409 with its error body.
    from verksam.timecodes.models import TimeCode

    tenant, owner = company
    clients = [_client(owner) for _ in range(4)]
    url = f"/api/v1/tenants/{tenant.pk}/time-codes"
    responses = _together(
        [lambda c=c: c.post(url, {"code": "OB9", "name": "OB natt"}, content_type=JSON) for c in clients]
    )
    # one is written; the others are refused with the error body: 409 when they hit the constraint
    # (or the service's own check), 422 when full_clean saw the winner's row already committed
    assert [r.status_code for r in responses].count(201) == 1, responses
    for refused in (r for r in responses if r.status_code != 201):
        assert refused.status_code in (409, 422), responses
        assert (
            refused.json()["code"] in {"duplicate_code", "conflict", "invalid"} and refused.json()["message"]
        )
    with tenant_scope(tenant.pk):
        assert TimeCode.objects.filter(code="OB9").count() == 1
