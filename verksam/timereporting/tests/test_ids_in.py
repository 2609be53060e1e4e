"""core.db.IdsIn / in_ids on the time tables, on SQLite and PostgreSQL alike: many employees' ids are
written into the statement as integer literals (a prepared statement's generic plan hashes a list of
constants, not one of parameters), and the filter keeps exactly the rows `__in` keeps; one id stays a
parameter; another tenant's rows never show."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from verksam.core.db import IdsIn, in_ids
from verksam.tenancy.models import Licence
from verksam.tenancy.scope import tenant_scope
from verksam.tenancy.tests.factories import MembershipFactory
from verksam.timereporting import selectors
from verksam.timereporting.models import TimeEntry

from .factories import TimeEntryFactory

DAY = dt.date(2026, 10, 5)


def test_many_ids_are_literals_and_keep_the_same_rows(tenant, other_tenant):
    # given three employees with an entry each, and an employee of another tenant
    with tenant_scope(tenant.pk):
        people = [MembershipFactory(tenant=tenant, licence=Licence.LIGHT) for _ in range(3)]
    for p in people:
        TimeEntryFactory(membership=p, date=DAY)
    with tenant_scope(other_tenant.pk):
        foreign = MembershipFactory(tenant=other_tenant, licence=Licence.LIGHT)
    TimeEntryFactory(membership=foreign, date=DAY)
    ids = [people[0].pk, people[2].pk, foreign.pk]
    # when the entries of two of them (and the foreigner's id) are read by the queue's selector
    with tenant_scope(tenant.pk), CaptureQueriesContext(connection) as queries:
        read = sorted(
            selectors.time_entries(membership_ids=ids, start=DAY, end=DAY).values_list(
                "membership_id", flat=True
            )
        )
        expected = sorted(
            TimeEntry.objects.filter(membership_id__in=ids).values_list("membership_id", flat=True)
        )
    # then the same rows as __in, none of the other tenant, and the ids are in the statement itself
    assert read == expected == sorted([people[0].pk, people[2].pk])
    ordered = ", ".join(str(pk) for pk in sorted(ids))
    assert any(f"IN ({ordered})" in q["sql"] for q in queries.captured_queries)


def test_one_id_stays_a_parameter_and_none_reads_nothing(tenant):
    assert not isinstance(in_ids("membership_id", [7]), IdsIn)
    with tenant_scope(tenant.pk):
        assert list(TimeEntry.objects.filter(in_ids("membership_id", []))) == []
        assert list(TimeEntry.objects.filter(IdsIn("membership_id", []))) == []


def test_only_integers_reach_the_statement():
    with pytest.raises(ValueError):
        IdsIn("membership_id", ["1); DROP TABLE x; --", 2])
