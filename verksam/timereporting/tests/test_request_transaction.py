"""The create of one time entry runs in one request transaction on PostgreSQL (issue 13; core.db.
RequestTransaction): BEGIN before the token's query, COMMIT once the answer exists, the tenant scope
set transaction-local so that its end clears it. Whatever the answer, a following request on the
same connection sees no tenant, and a failed request leaves nothing behind. These tests commit for
real (transaction=True): inside a test's transaction the request transaction is a savepoint and the
scope stays session-level (test_query_budget.py covers that case)."""

import uuid

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from verksam.api.models import IdempotencyRecord
from verksam.audit.models import AuditEvent
from verksam.core.db import current_request_transaction
from verksam.core.errors import Forbidden
from verksam.tenancy.scope import tenant_scope
from verksam.tenancy.tests.fixtures import api_client
from verksam.tenancy.tests.helpers import session_scope
from verksam.timereporting import services
from verksam.timereporting.models import TimeEntry
from verksam.timereporting.tests.conftest import MONDAY
from verksam.timereporting.tests.factories import TimeEntryFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
JSON = "application/json"


@pytest.fixture(autouse=True)
def _only_postgres():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: the request transaction and set_config")


def _session_scope() -> tuple[str, str]:
    """(tenant ids, user id): helpers.session_scope the other way round, as this module's asserts read."""
    user_id, tenant_ids = session_scope()
    return tenant_ids, user_id


@pytest.fixture
def site(projects):
    return projects.site.pk


def _body(site, **extra):
    return {
        "client_uuid": str(uuid.uuid4()),
        "date": MONDAY.isoformat(),
        "project_id": site,
        "minutes": 30,
        **extra,
    }


def _counts(tenant) -> tuple[int, int, int]:
    with tenant_scope(tenant.pk):
        return TimeEntry.objects.count(), AuditEvent.objects.count(), IdempotencyRecord.objects.count()


def _boom(*args, **kwargs):
    raise RuntimeError("boom")


def _refuse(*args, **kwargs):
    raise Forbidden("no")


def _other_employees_uuid(tenant, owner):
    """A client_uuid another employee of the tenant used: the INSERT meets the unique constraint."""
    from verksam.tenancy.tests.helpers import membership_of

    with tenant_scope(tenant.pk):
        return TimeEntryFactory(
            tenant=tenant, membership=membership_of(tenant, owner), date=MONDAY
        ).client_uuid


@pytest.mark.parametrize(
    "case, status",
    [
        ("created", 201),
        ("again", 200),
        ("bad_token", 401),
        ("invalid", 422),
        ("refused_by_rule", 400),
        ("malformed", 400),
        ("refused", 403),
        ("no_tenant", 404),
        ("no_project", 404),
        ("conflict", 409),
        ("crash", 500),
    ],
)
def test_no_scope_is_left_on_the_connection_whatever_the_answer(
    case, status, tenant, owner, employee, codes, site, monkeypatch
):
    client = api_client(employee)
    client.raise_request_exception = False
    url = f"/api/v1/tenants/{tenant.pk}/time-entries"
    body = _body(site)
    if case == "again":
        assert client.post(url, body, content_type=JSON).status_code == 201
    elif case == "bad_token":
        client = Client(HTTP_AUTHORIZATION="Bearer vks_not-a-token")
    elif case == "invalid":
        body["date"] = "not a date"
    elif case == "refused_by_rule":
        body["minutes"] = 0
    elif case == "refused":
        monkeypatch.setattr(services, "time_entry_create_or_get", _refuse)
    elif case == "no_tenant":
        url = f"/api/v1/tenants/{tenant.pk + 1000}/time-entries"
    elif case == "no_project":
        body["project_id"] = 999_999_999
    elif case == "conflict":
        body["client_uuid"] = str(_other_employees_uuid(tenant, owner))
    elif case == "crash":
        monkeypatch.setattr(services, "time_entry_create_or_get", _boom)
    if case == "malformed":
        response = client.post(url, "{not json", content_type=JSON)
    else:
        response = client.post(url, body, content_type=JSON)
    assert response.status_code == status, response.content
    assert current_request_transaction() is None
    assert not connection.in_atomic_block
    assert _session_scope() == ("", "")


def test_the_create_is_one_transaction_from_the_token_to_the_answer(tenant, employee, codes, site):
    client = api_client(employee)
    url = f"/api/v1/tenants/{tenant.pk}/time-entries"
    assert client.post(url, _body(site), content_type=JSON).status_code == 201  # the token's first use
    with CaptureQueriesContext(connection) as ctx:
        response = client.post(url, _body(site), content_type=JSON)
    assert response.status_code == 201, response.content
    sql = [q["sql"] for q in ctx.captured_queries]
    assert sql[0] == "BEGIN" and sql[-1] == "COMMIT", "\n".join(sql)
    assert "accounts_apitoken" in sql[1]  # the token is read inside the transaction
    assert sum(s in ("BEGIN", "COMMIT", "ROLLBACK") for s in sql) == 2  # no other transaction
    assert not any("SAVEPOINT" in s for s in sql)  # the service joins it without a savepoint
    assert not any("set_config" in s and "false)" in s for s in sql)  # the scope is transaction-local
    assert _session_scope() == ("", "")


@pytest.mark.parametrize("failure", ["crash", "refused_after_insert"])
def test_a_failed_create_leaves_nothing_behind(failure, tenant, employee, codes, site, monkeypatch):
    """No entry, no audit row, no idempotency record of a 500: the request transaction rolls back (a
    500), or the service's block that failed after its INSERT marks it for rollback (a 4xx). The
    create's INSERT is its last statement and commits in its own write (`last`,
    test_the_create_commits_with_its_insert); a failure after an INSERT that is not the last is what
    this checks."""
    client = api_client(employee)
    client.raise_request_exception = False
    before = _counts(tenant)
    real = services.save_and_record

    def insert_then_fail(**kwargs):
        real(**{**kwargs, "last": False})
        if failure == "crash":
            raise RuntimeError("boom after the insert")
        raise Forbidden("refused after the insert")

    monkeypatch.setattr(services, "save_and_record", insert_then_fail)
    response = client.post(
        f"/api/v1/tenants/{tenant.pk}/time-entries",
        _body(site),
        content_type=JSON,
        HTTP_IDEMPOTENCY_KEY="k-" + failure,
    )
    assert response.status_code == (500 if failure == "crash" else 403), response.content
    entries, audit_rows, keys = _counts(tenant)
    assert (entries, audit_rows) == before[:2]
    # a 500 frees its Idempotency-Key; a 403 is an answer, stored for a retry (api.idempotency)
    assert keys == before[2] + (0 if failure == "crash" else 1)
    assert _session_scope() == ("", "")


def test_a_unique_violation_answers_409_and_rolls_back(tenant, owner, employee, codes, site):
    client = api_client(employee)
    taken = _other_employees_uuid(tenant, owner)
    before = _counts(tenant)
    response = client.post(
        f"/api/v1/tenants/{tenant.pk}/time-entries", _body(site, client_uuid=str(taken)), content_type=JSON
    )
    assert response.status_code == 409, response.content
    assert _counts(tenant) == before
    # the connection is usable again
    assert (
        client.post(f"/api/v1/tenants/{tenant.pk}/time-entries", _body(site), content_type=JSON).status_code
        == 201
    )


def test_inside_an_outer_transaction_the_scope_stays_session_level_and_is_reset(
    tenant, employee, codes, site
):
    """The nested case (a test's transaction, or any caller's): the request transaction is a savepoint,
    the scope is set for the session and reset at the end, as without it."""
    from django.db import transaction

    client = api_client(employee)
    url = f"/api/v1/tenants/{tenant.pk}/time-entries"
    with transaction.atomic():
        with CaptureQueriesContext(connection) as ctx:
            response = client.post(url, _body(site), content_type=JSON)
        assert response.status_code == 201, response.content
        sql = [q["sql"] for q in ctx.captured_queries]
        assert sql[0].startswith("SAVEPOINT") and sql[-1].startswith("SELECT set_config"), "\n".join(sql)
        assert _session_scope() == ("", "")
        assert connection.in_atomic_block
    assert _counts(tenant)[0] == 1


def test_the_service_keeps_its_own_transaction_outside_the_api(tenant, employee, codes, site):
    """Called without a request transaction (pages, tasks), the service is atomic as before."""
    from verksam.tenancy.access import resolve

    actor = resolve(employee, tenant)
    with tenant_scope(tenant.pk), CaptureQueriesContext(connection) as ctx:
        services.time_entry_create_or_get(actor=actor, date=MONDAY, minutes=30, project_id=site)
    sql = [q["sql"] for q in ctx.captured_queries]
    assert sql[0] == "BEGIN" and sql[-1] == "COMMIT", "\n".join(sql)


def test_the_create_commits_with_its_insert(tenant, employee, codes, site, monkeypatch):
    """Issue 13: the INSERT of one's own entry is the request's last statement; the COMMIT goes in its
    write (core.db.RequestTransaction.execute_committing), and the request ends with nothing open."""
    from verksam.core import pgbatch

    sent = []
    real = pgbatch.send_batch

    def spy(conn, statements, *, begin, commit=False):
        sent.append(([sql for sql, _ in statements], begin, commit))
        return real(conn, statements, begin=begin, commit=commit)

    monkeypatch.setattr(pgbatch, "send_batch", spy)
    client = api_client(employee)
    before = _counts(tenant)
    response = client.post(f"/api/v1/tenants/{tenant.pk}/time-entries", _body(site), content_type=JSON)
    assert response.status_code == 201, response.content
    committed = [sqls for sqls, _begin, commit in sent if commit]
    assert len(committed) == 1 and 'INSERT INTO "timereporting_timeentry"' in committed[0][0]
    assert _counts(tenant)[:2] == (before[0] + 1, before[1] + 1)
    with tenant_scope(tenant.pk):
        assert TimeEntry.objects.filter(pk=response.json()["id"]).exists()
    assert current_request_transaction() is None and not connection.in_atomic_block
    assert connection.execute_wrappers == []
    assert _session_scope() == ("", "")


def test_time_on_someone_s_behalf_commits_after_its_mail(tenant, owner, employee, codes, site, monkeypatch):
    """The owner's entry for an employee is followed by the employee's e-mail: its INSERT is not the
    last statement, the COMMIT keeps its own round trip."""
    from verksam.core import pgbatch
    from verksam.tenancy.tests.helpers import membership_of

    commits = []
    real = pgbatch.send_batch
    monkeypatch.setattr(
        pgbatch,
        "send_batch",
        lambda conn, statements, *, begin, commit=False: (
            commits.append(commit),
            real(conn, statements, begin=begin, commit=commit),
        )[1],
    )
    member = membership_of(tenant, employee)
    client = api_client(owner)
    response = client.post(
        f"/api/v1/tenants/{tenant.pk}/employees/{member.pk}/time-entries", _body(site), content_type=JSON
    )
    assert response.status_code == 201, response.content
    assert True not in commits
    assert current_request_transaction() is None and not connection.in_atomic_block


def test_nothing_runs_after_the_committing_statement(tenant):
    """The guard: after `execute_committing` a statement in the same request raises instead of running
    outside the transaction (and outside the transaction-local scope); the request's end lifts it."""
    from verksam.core.db import request_transaction

    tx = request_transaction()
    assert tx is not None and tx.can_commit_with_next()
    assert tx.execute_committing("SELECT %s::int", [5]) == [(5,)]
    assert not tx.can_commit_with_next()
    with pytest.raises(RuntimeError, match="committed with its last statement"), connection.cursor() as cur:
        cur.execute("SELECT 1")
    tx.end(commit=True)
    assert connection.execute_wrappers == [] and not connection.in_atomic_block
    with connection.cursor() as cur:
        cur.execute("SELECT 1")


def test_a_transaction_that_waits_for_its_commit_does_not_commit_early(tenant):
    """An `on_commit` hook, a savepoint or a failed block: the statement runs as usual."""
    from django.db import transaction

    from verksam.core.db import request_transaction

    tx = request_transaction()
    try:
        transaction.on_commit(lambda: None)
        assert not tx.can_commit_with_next()
    finally:
        tx.end(commit=False)
    tx = request_transaction()
    try:
        with transaction.atomic():  # a savepoint
            assert not tx.can_commit_with_next()
        assert tx.can_commit_with_next()
    finally:
        tx.end(commit=False)


def test_an_idempotency_key_is_stored_after_the_create_committed_with_its_insert(
    tenant, employee, codes, site
):
    """api.idempotency stores the answer after the request's transaction ended (its middleware wraps
    ScopeMiddleware), so the INSERT's early COMMIT leaves it room to write; a retry gets the answer."""
    client = api_client(employee)
    url = f"/api/v1/tenants/{tenant.pk}/time-entries"
    body = _body(site)
    first = client.post(url, body, content_type=JSON, HTTP_IDEMPOTENCY_KEY="k-commit-with-insert")
    assert first.status_code == 201, first.content
    again = client.post(url, body, content_type=JSON, HTTP_IDEMPOTENCY_KEY="k-commit-with-insert")
    assert again.status_code == 201 and again.json()["id"] == first.json()["id"]
    assert _counts(tenant)[2] >= 1


def test_the_create_is_two_round_trips(tenant, employee, codes, site, monkeypatch):
    """Issue 13, as the floor: BEGIN, the token, the member's row and the create's reads in one write;
    the INSERT and the COMMIT in another; nothing sent on its own."""
    from verksam.core import pgbatch

    client = api_client(employee)
    url = f"/api/v1/tenants/{tenant.pk}/time-entries"
    assert client.post(url, _body(site), content_type=JSON).status_code == 201  # the token's first use
    batches, apart = [], []
    real = pgbatch.send_batch

    def spy(conn, statements, *, begin, commit=False):
        batches.append((len(statements), begin, commit))
        return real(conn, statements, begin=begin, commit=commit)

    def each(execute, sql, params, many, context):
        if context.get("cursor") is not None:  # Django's cursor: a statement of its own
            apart.append(sql)
        return execute(sql, params, many, context)

    monkeypatch.setattr(pgbatch, "send_batch", spy)
    with connection.execute_wrapper(each):
        response = client.post(url, _body(site), content_type=JSON)
    assert response.status_code == 201, response.content
    assert batches == [(3, True, False), (1, False, True)], batches
    assert apart == [], apart
