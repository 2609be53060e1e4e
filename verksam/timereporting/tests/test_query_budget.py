"""The query budget of the two calls a phone makes most (issue 13, docs/performance.md): creating one
time entry and listing a week, through the API with a token. The test fails when either grows.

The numbers are pinned per database: PostgreSQL adds the set_config statements of the tenant scope
(tenancy/scope.py). In a test every request runs inside the test's transaction, so the service's
transaction shows as SAVEPOINT/RELEASE instead of BEGIN/COMMIT. A feature that must read one more
row may raise a pin on purpose: say why in the commit, and re-take `make bench` (docs/performance.md).
"""

import uuid

import pytest
from django.db import connection

from verksam.tenancy.tests.fixtures import api_client
from verksam.tenancy.tests.helpers import count_queries
from verksam.timereporting.tests.factories import TimeEntryFactory

from .conftest import MONDAY, membership_of

JSON = "application/json"

# vendor -> queries; see the module docstring before changing one
# create: 12, + 1 for the closed-period guard (issue 8 item 8, attestation.selectors.period_guard),
# and the absence day check (absence.check_entry_day) shares the overlap check's read of the day
# PostgreSQL 17 -> 16 and 6 -> 5: the member's row switches the session to the tenant in the same
# statement (tenancy.scope.SwitchToRowTenant), no separate set_config for the switch
# 13 -> 10 and 16 -> 13: the client_uuid, the day's status, the project assignment and the default
# time code are one statement (rules.CreateContext); PostgreSQL 13 -> 12, 5 -> 4 and the batch's
# 16 -> 15: the token's query switches the session to the user's scope (tenancy.scope.SwitchToUser)
# 10 -> 8 and 12 -> 8 (h/pgcreate): the closed-period guard and the day's entries join CreateContext's
# statement; on PostgreSQL the entry and its audit row are one INSERT (audit.save_and_record) and the
# project is read in the employee's lock's statement (rules.lock_membership_reading_project)
# PostgreSQL 8 -> 7 (h/pgcreate6): the create runs in one request transaction (core.db.
# RequestTransaction, here a savepoint in the test's transaction) that the service joins without a
# savepoint of its own, and the member's row is read FOR UPDATE at the tenant's entry, so the project's
# row comes with CreateContext's statement; on its own (test_create_in_its_own_transaction...) the
# scope is transaction-local and needs no reset: BEGIN, token, member, reads, INSERT, COMMIT
CREATE = {"sqlite": 8, "postgresql": 7}
# PostgreSQL, every statement (BEGIN and COMMIT included), in two round trips: BEGIN, the token's
# query, the member's row and the create's reads in one write (core.db.pipeline, core.pgbatch,
# rules.send_create_context), the INSERT and COMMIT in another (RequestTransaction.execute_committing);
# test_create_round_trips.py, test_request_transaction.py
CREATE_IN_ITS_OWN_TRANSACTION = 6
WEEK_LIST = {"sqlite": 3, "postgresql": 4}
# a batch reads per batch, never per entry: the same reads for 2 entries as for 500, and two INSERTs
# (entries, audit rows; core.db.insert_rows) on both databases: SQLite 29 -> 13, its INSERTs are no
# longer split at Django's assumed limit of 999 parameters but at the library's own (32,766)
BATCH = {"sqlite": 13, "postgresql": 15}


def _queries(func) -> tuple[list[str], object]:
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        result = func()
    return [q["sql"] for q in ctx.captured_queries], result


def test_create_one_time_entry_stays_within_its_query_budget(tenant, employee, codes, projects):
    client = api_client(employee)
    url = f"/api/v1/tenants/{tenant.pk}/time-entries"

    def body():
        return {
            "client_uuid": str(uuid.uuid4()),
            "date": MONDAY.isoformat(),
            "project_id": projects.site.pk,  # a LIGHT user's assigned project: the assignment is read
            "minutes": 30,  # no time code: the company's default is read
        }

    assert client.post(url, body(), content_type=JSON).status_code == 201  # the token's first use
    sql, response = _queries(lambda: client.post(url, body(), content_type=JSON))
    assert response.status_code == 201, response.content
    assert len(sql) <= CREATE[connection.vendor], "\n".join(sql)


@pytest.mark.django_db(transaction=True)
def test_create_in_its_own_transaction_stays_within_its_round_trips(tenant, employee, codes, projects):
    """Outside a test's transaction, as in production: every round trip of the create on PostgreSQL."""
    if connection.vendor != "postgresql":
        pytest.skip("the request transaction is PostgreSQL's (SQLite: CREATE above)")
    client = api_client(employee)
    url = f"/api/v1/tenants/{tenant.pk}/time-entries"

    def body():
        return {
            "client_uuid": str(uuid.uuid4()),
            "date": MONDAY.isoformat(),
            "project_id": projects.site.pk,
            "minutes": 30,
        }

    assert client.post(url, body(), content_type=JSON).status_code == 201  # the token's first use
    sql, response = _queries(lambda: client.post(url, body(), content_type=JSON))
    assert response.status_code == 201, response.content
    assert len(sql) <= CREATE_IN_ITS_OWN_TRANSACTION, "\n".join(sql)
    assert sql[0] == "BEGIN" and sql[-1] == "COMMIT", "\n".join(sql)


def test_list_one_week_stays_within_its_query_budget(tenant, employee, codes, projects):
    member = membership_of(tenant, employee)
    for i in range(5):
        TimeEntryFactory(
            membership=member, date=MONDAY, project=projects.site, time_code=codes.normal, minutes=30 + i
        )
    client = api_client(employee)
    url = f"/api/v1/tenants/{tenant.pk}/time-entries?from=2026-11-02&to=2026-11-08"
    client.get(url)  # the token's first use is recorded once
    sql, response = _queries(lambda: client.get(url))
    assert response.status_code == 200
    assert response.json()["total"] == 5
    assert len(sql) <= WEEK_LIST[connection.vendor], "\n".join(sql)


@pytest.mark.parametrize("page_size, page", [(2, 1), (2, 3), (5, 2)])
def test_a_full_or_later_page_still_reports_the_total(tenant, employee, codes, projects, page_size, page):
    """The week list skips COUNT only on the last page; any other page still counts (api/paging.py)."""
    member = membership_of(tenant, employee)
    for i in range(5):
        TimeEntryFactory(
            membership=member, date=MONDAY, project=projects.site, time_code=codes.normal, minutes=30 + i
        )
    client = api_client(employee)
    url = f"/api/v1/tenants/{tenant.pk}/time-entries?from=2026-11-02&to=2026-11-08"
    few, answer = count_queries(lambda: client.get(f"{url}&page_size={page_size}&page={page}"))
    body = answer.json()
    assert body["total"] == 5
    assert len(body["items"]) == max(0, min(page_size, 5 - (page - 1) * page_size))


def test_a_batch_of_500_entries_takes_as_many_queries_as_a_batch_of_two(tenant, employee, codes, projects):
    client = api_client(employee)
    url = f"/api/v1/tenants/{tenant.pk}/time-entries/batch"

    def batch(n: int, day: str):
        entries = [
            {"client_uuid": str(uuid.uuid4()), "date": day, "project_id": projects.site.pk, "minutes": 1}
            for _ in range(n)
        ]
        return lambda: client.post(url, {"entries": entries}, content_type=JSON)

    assert batch(1, "2026-11-04")().status_code == 200  # the token's first use
    few, answer = _queries(batch(2, MONDAY.isoformat()))
    assert answer.json()["created"] == 2, answer.content
    many, answer = _queries(batch(500, "2026-11-03"))
    assert answer.json()["created"] == 500, answer.content
    reads = [q for q in many if not q.startswith("INSERT")]
    assert len(reads) == len([q for q in few if not q.startswith("INSERT")]), _short(many)
    assert len(many) <= BATCH[connection.vendor], _short(many)


def _short(sql: list[str]) -> str:
    return "\n".join(q[:200] for q in sql)


def test_the_default_first_page_is_compiled_once_and_still_counts_a_full_page(
    tenant, employee, codes, projects
):
    """The week list's first page of the default size reads through SQL compiled once per process
    (selectors.own_time_entry_rows); a full page still reports the total, and the next page follows."""
    member = membership_of(tenant, employee)
    for i in range(101):
        TimeEntryFactory(
            membership=member, date=MONDAY, project=projects.site, time_code=codes.normal, minutes=1 + i
        )
    client = api_client(employee)
    url = f"/api/v1/tenants/{tenant.pk}/time-entries?from=2026-11-02&to=2026-11-08"
    for _ in range(2):  # compiled on the first call, from the cache on the second
        first = client.get(url).json()
        assert (first["total"], len(first["items"]), first["page_size"]) == (101, 100, 100)
        rest = client.get(f"{url}&page=2").json()
        assert (rest["total"], len(rest["items"])) == (101, 1)
        ids = [item["id"] for item in first["items"] + rest["items"]]
        assert len(set(ids)) == 101
    other = api_client(employee).get(
        f"/api/v1/tenants/{tenant.pk}/time-entries?from=2026-11-09&to=2026-11-15"
    )
    assert other.json() == {"items": [], "page": 1, "page_size": 100, "total": 0}
