"""core.db.InIds (`membership_id__in_ids=`), core.fixedquery's `ids=` and core.db.DayBits, on SQLite and
PostgreSQL alike (issue 13): the lookup keeps exactly the rows `__in` keeps, whatever the list (mixed order,
duplicates, another tenant's id, none); its statement is the same text for any list (one JSON
parameter on SQLite, integer literals on PostgreSQL); a fixed query of it is compiled once and
reads each call's ids, inside each call's tenant scope."""

import datetime as dt

import pytest
from django.db import connection
from django.utils import timezone

from verksam.core.db import DayBits, day_bits
from verksam.core.fixedquery import FixedValues, date_value
from verksam.tenancy.models import Licence
from verksam.tenancy.scope import FIXED_SCOPE, NoScopeError, tenant_scope
from verksam.tenancy.tests.factories import MembershipFactory
from verksam.timereporting.models import DayLock, DayStatus, TimeEntry

from .factories import DayLockFactory, TimeEntryFactory

DAY = dt.date(2026, 10, 5)


@pytest.fixture
def people(tenant, other_tenant):
    """Three employees of `tenant` with an entry each on DAY, and one of `other_tenant`."""
    with tenant_scope(tenant.pk):
        mine = [MembershipFactory(tenant=tenant, licence=Licence.LIGHT) for _ in range(3)]
    for p in mine:
        TimeEntryFactory(membership=p, date=DAY)
    with tenant_scope(other_tenant.pk):
        foreign = MembershipFactory(tenant=other_tenant, licence=Licence.LIGHT)
    TimeEntryFactory(membership=foreign, date=DAY)
    return mine, foreign


def _ids(qs) -> list[int]:
    return sorted(qs.values_list("membership_id", flat=True))


def test_the_lookup_keeps_the_rows_of_in_whatever_the_list(tenant, people):
    mine, foreign = people
    lists = [
        [mine[2].pk, mine[0].pk, foreign.pk],  # mixed order, another tenant's id
        [mine[1].pk, mine[1].pk],  # duplicates
        [mine[0].pk],
        [str(mine[0].pk)],  # as a form or URL would give it
        [],
    ]
    with tenant_scope(tenant.pk):
        for ids in lists:
            expected = _ids(TimeEntry.objects.filter(membership_id__in=ids))
            assert _ids(TimeEntry.objects.filter(membership_id__in_ids=ids)) == expected
            assert _ids(TimeEntry.objects.filter(membership__in_ids=ids)) == expected
            assert foreign.pk not in expected
        assert _ids(TimeEntry.objects.exclude(membership_id__in_ids=[mine[0].pk])) == sorted(
            [mine[1].pk, mine[2].pk]
        )


def test_the_statement_is_the_same_text_for_any_list(tenant, people):
    mine, _foreign = people
    with tenant_scope(tenant.pk):
        many = TimeEntry.objects.filter(membership_id__in_ids=[mine[2].pk, mine[0].pk, mine[1].pk])
        one = TimeEntry.objects.filter(membership_id__in_ids=[mine[1].pk])
        (first, first_params), (second, second_params) = (
            qs.query.get_compiler(using="default").as_sql() for qs in (many, one)
        )
    if connection.vendor == "postgresql":
        # several ids as integer literals, sorted (a prepared statement's plan hashes a list of
        # constants); one id as a parameter (the same statement for everyone, as core.db.in_ids)
        ordered = ", ".join(str(pk) for pk in sorted(p.pk for p in mine))
        assert f"IN ({ordered})" in first and "IN (%s)" in second
        assert first.replace(ordered, "%s") == second
        assert second_params[-1] == mine[1].pk and len(second_params) == len(first_params) + 1
    else:  # one parameter, the ids as JSON text
        assert "json_each(%s)" in first and first == second
        assert len(first_params) == len(second_params)
        assert f"[{mine[1].pk}]" in second_params


def test_only_integers_reach_the_statement(tenant):
    with tenant_scope(tenant.pk), pytest.raises(ValueError):
        list(TimeEntry.objects.filter(membership_id__in_ids=["1); DROP TABLE x; --", 2]))


def _entries(ids, start, end):
    return (
        TimeEntry.objects.filter(membership_id__in_ids=ids, date__gte=start, date__lte=end)
        .order_by("membership_id")
        .values_list("membership_id", "minutes")
    )


def test_a_fixed_query_of_ids_is_compiled_once_and_reads_each_call_s_ids_and_tenant(
    tenant, other_tenant, people
):
    mine, foreign = people
    query = FixedValues(
        _entries,
        sentinels={"ids": [-7_900_000_041], "start": dt.date(1, 2, 3), "end": dt.date(1, 2, 4)},
        adapt={"start": date_value, "end": date_value},
        ids=("ids",),
        scope=FIXED_SCOPE,
    )
    everyone = [p.pk for p in mine] + [foreign.pk]
    for _ in range(2):  # the first call compiles and checks against the ORM, the second uses the cache
        with tenant_scope(tenant.pk):
            for ids in ([mine[2].pk, foreign.pk, mine[0].pk], [mine[1].pk], [], everyone, [mine[0].pk] * 2):
                expected = list(_entries(ids, DAY, DAY))
                assert query.rows(ids=ids, start=DAY, end=DAY) == expected
                assert all(mid in ids and mid != foreign.pk for mid, _minutes in expected)
            assert (
                query.rows(ids=everyone, start=DAY + dt.timedelta(days=1), end=DAY + dt.timedelta(days=9))
                == []
            )
        with tenant_scope(other_tenant.pk):  # the other tenant reads only its own, through the same SQL
            assert [mid for mid, _ in query.rows(ids=everyone, start=DAY, end=DAY)] == [foreign.pk]
    cached = query._local.__dict__["by_vendor"]
    if connection.vendor == "postgresql":  # one id (a parameter) and several (literals) apart
        assert cached[("default", "postgresql", 1, ())] and cached[("default", "postgresql", 1, ("ids",))]
    else:
        assert cached == {("default", "sqlite", 1, ()): cached[("default", "sqlite", 1, ())]}
        assert cached[("default", "sqlite", 1, ())]
    with pytest.raises(NoScopeError):
        query.rows(ids=everyone, start=DAY, end=DAY)


def test_day_bits_set_one_bit_per_day_of_a_group(tenant, people):
    """core.db.DayBits: bit i for the day `start` + i, on SQLite and PostgreSQL alike, for groups that
    hold each day once (SQLite sums the bits): day locks per employee, unique per employee and day."""
    mine, _foreign = people
    start = DAY - dt.timedelta(days=3)
    last = start + dt.timedelta(days=30)
    for membership, day, status in [
        (mine[0], start, DayStatus.ATTESTED),
        (mine[0], DAY, DayStatus.LOCKED),
        (mine[0], last, DayStatus.LOCKED),
        (mine[1], DAY, DayStatus.LOCKED),
        (mine[2], last + dt.timedelta(days=1), DayStatus.LOCKED),  # after the period
    ]:
        attested_at = timezone.now() if status == DayStatus.ATTESTED else None
        DayLockFactory(membership=membership, date=day, status=status, attested_at=attested_at)
    with tenant_scope(tenant.pk):
        masks = {
            (mid, status): days
            for mid, status, days in DayLock.objects.filter(date__gte=start, date__lte=last)
            .order_by()
            .values("membership_id", "status")
            .annotate(days=DayBits("date", start))
            .values_list("membership_id", "status", "days")
        }
    bit = day_bits([start + dt.timedelta(days=i) for i in range(31)])
    assert masks == {
        (mine[0].pk, DayStatus.ATTESTED): bit[start],
        (mine[0].pk, DayStatus.LOCKED): bit[DAY] | bit[last],
        (mine[1].pk, DayStatus.LOCKED): bit[DAY],
    }
    assert bit[start] == 1 and bit[DAY] == 1 << 3 and bit[last] == 1 << 30
    with pytest.raises(ValueError):
        day_bits([start + dt.timedelta(days=i) for i in range(63)])
    # what makes SQLite's sum exact: one lock per employee and day
    assert any(tuple(getattr(c, "fields", ())) == ("membership", "date") for c in DayLock._meta.constraints)
