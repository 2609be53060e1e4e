"""The create's statements, prepared by psycopg after a few calls on PostgreSQL and compiled once
per process (core.fixedquery) on both databases, keep every rule call after call: the tenant's
scope, another tenant's project refused, the retry of a client_uuid, a locked day (issue 13)."""

import uuid

from verksam.projects.tests.factories import ProjectFactory
from verksam.tenancy.scope import tenant_scope
from verksam.tenancy.tests.fixtures import api_client
from verksam.timereporting.models import DayLock, DayStatus, TimeEntry

from .conftest import MONDAY, membership_of

JSON = "application/json"


def test_creates_stay_in_their_tenant_and_keep_their_rules_call_after_call(
    tenant, employee, codes, projects, other_tenant
):
    foreign = ProjectFactory(tenant=other_tenant, number="X1", name="Främmande")
    client = api_client(employee)
    url = f"/api/v1/tenants/{tenant.pk}/time-entries"
    member = membership_of(tenant, employee)
    for i in range(8):  # psycopg prepares a statement on its 5th execution
        body = {"client_uuid": str(uuid.uuid4()), "date": MONDAY.isoformat(), "project_id": projects.site.pk}
        answer = client.post(url, {**body, "minutes": 10 + i}, content_type=JSON)
        assert answer.status_code == 201, answer.content
        again = client.post(url, {**body, "minutes": 10 + i}, content_type=JSON)
        assert (again.status_code, again.json()["id"]) == (200, answer.json()["id"])
        reused = client.post(url, {**body, "minutes": 11 + i}, content_type=JSON)
        assert reused.json()["code"] == "idempotency_key_reused"
        refused = client.post(
            url, {"date": MONDAY.isoformat(), "project_id": foreign.pk, "minutes": 10}, content_type=JSON
        )
        assert refused.status_code == 404
    with tenant_scope(tenant.pk):
        assert TimeEntry.objects.filter(membership=member).count() == 8
        DayLock.objects.create(tenant=tenant, membership=member, date=MONDAY, status=DayStatus.LOCKED)
    locked = client.post(
        url, {"date": MONDAY.isoformat(), "project_id": projects.site.pk, "minutes": 5}, content_type=JSON
    )
    assert locked.json()["code"] == "day_locked"
    with tenant_scope(other_tenant.pk):
        assert not TimeEntry.objects.exists()
