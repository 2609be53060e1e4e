"""On PostgreSQL a create's look-ups seek their index, whatever the company's history (issue 13).

Every read of a time entry carries the row-level-security policy's `tenant_id = ANY(...)` beside the
query's own `tenant_id IN (...)`. With indexes that led with tenant_id, the planner took the plain
tenant_id index and filtered the rest: the create's client_uuid look-up read all of the company's
entries, the day's entries all of the employee's, each create slower than the last. The unique key
leads with client_uuid and the day's index with the employee (timereporting migration 0008).
"""

import datetime as dt
import json
import uuid

import pytest
from django.db import connection

from verksam.tenancy.scope import tenant_scope
from verksam.tenancy.tests.factories import MembershipFactory
from verksam.timereporting.models import TimeEntry

from .factories import TimeEntryFactory

FIRST = dt.date(2024, 1, 1)


def _years_of_entries(tenant, people: int, per_day: int):
    """Two years of `per_day` entries a day of `people` new employees of `tenant`; the first of them."""
    with tenant_scope(tenant.pk):
        staff = [MembershipFactory(tenant=tenant) for _ in range(people)]
        template = TimeEntryFactory(membership=staff[0], date=FIRST)
        TimeEntry.objects.bulk_create(
            TimeEntry(
                tenant=tenant,
                membership=person,
                date=FIRST + dt.timedelta(days=day),
                kind=template.kind,
                project=template.project,
                time_code=template.time_code,
                minutes=60,
                invoiceable_minutes=60,
            )
            for day in range(1, 730)
            for person in staff
            for _ in range(per_day)
        )
    return staff[0]


@pytest.fixture
def history(tenant, other_tenant):
    """A database of several companies, as in production and the bench: `tenant` holds a sixth of
    the entries, another company the rest; analysed as autovacuum would."""
    if connection.vendor != "postgresql":
        pytest.skip("row-level security and the planner are PostgreSQL's")
    employee = _years_of_entries(tenant, people=2, per_day=1)
    _years_of_entries(other_tenant, people=5, per_day=2)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE timereporting_timeentry")
    return employee


def _index_conditions(queryset) -> list[str]:
    """The index condition of every scan of the time entries in the queryset's plan (a bitmap scan
    shows its index's as the Recheck Cond; a sequential scan has none)."""
    plan = json.loads(queryset.explain(format="json"))

    def walk(node):
        if node.get("Relation Name") == "timereporting_timeentry":
            yield node.get("Index Cond") or node.get("Recheck Cond") or ""
        for child in node.get("Plans", []):
            yield from walk(child)

    return list(walk(plan[0]["Plan"]))


def test_the_client_uuid_look_up_seeks_the_uuid(tenant, history):
    with tenant_scope(tenant.pk):
        query = TimeEntry.objects.filter(tenant_id__in=[tenant.pk], client_uuid=uuid.uuid4())
        conditions = _index_conditions(query.values("pk")[:1])
    assert conditions and all("client_uuid" in each for each in conditions), conditions


def test_the_day_and_the_week_of_an_employee_seek_the_date(tenant, history):
    with tenant_scope(tenant.pk):
        day = TimeEntry.objects.filter(
            tenant_id__in=[tenant.pk], membership=history, date=FIRST + dt.timedelta(days=400)
        )
        week = TimeEntry.objects.filter(
            tenant_id__in=[tenant.pk],
            membership=history,
            date__range=(FIRST + dt.timedelta(days=400), FIRST + dt.timedelta(days=406)),
        )
        for query in (day, week):
            conditions = _index_conditions(query.values("pk", "start_time"))
            assert conditions and all("date" in each for each in conditions), conditions
