"""The API create of one time entry on PostgreSQL reads the member's row in the token's round trip
(core.db.pipeline, tenancy.access.send_member_lock; issue 13), and that read never lets a token reach
another person's row or another tenant, nor leaves a scope behind."""

import uuid
from contextlib import contextmanager

import pytest
from django.db import connection

from verksam.accounts import services as accounts_services
from verksam.core import db as core_db
from verksam.tenancy import access
from verksam.tenancy.scope import tenant_scope
from verksam.tenancy.tests.fixtures import api_client
from verksam.tenancy.tests.helpers import membership_of, session_scope
from verksam.timereporting.models import TimeEntry

from .conftest import MONDAY

JSON = "application/json"


@pytest.fixture
def postgres(db):
    if connection.vendor != "postgresql":
        pytest.skip("the request transaction and the pipeline are PostgreSQL's")


def _body(projects) -> dict:
    return {
        "client_uuid": str(uuid.uuid4()),
        "date": MONDAY.isoformat(),
        "project_id": projects.site.pk,
        "minutes": 30,
    }


@pytest.fixture
def statements(monkeypatch):
    """Every statement of the call, and whether it was sent inside core.db.pipeline."""
    seen: list[tuple[str, bool]] = []
    inside = [False]
    real = core_db.pipeline

    @contextmanager
    def spy(using="default"):
        inside[0] = True
        try:
            with real(using):
                yield
        finally:
            inside[0] = False

    monkeypatch.setattr(accounts_services, "pipeline", spy)

    def wrapper(execute, sql, params, many, context):
        seen.append((sql, inside[0]))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(wrapper):
        yield seen


def test_the_token_and_the_member_s_row_are_sent_together(
    postgres, tenant, employee, codes, projects, statements
):
    client = api_client(employee)
    url = f"/api/v1/tenants/{tenant.pk}/time-entries"
    response = client.post(url, _body(projects), content_type=JSON)
    assert response.status_code == 201, response.content
    together = [sql for sql, inside in statements if inside]
    assert len(together) == 3, together
    assert '"accounts_apitoken"' in together[0]
    # the member's row of the session's user, locked: the token's query switched the session to it
    assert '"tenancy_membership"' in together[1] and "current_setting('app.user_id'" in together[1]
    assert "FOR UPDATE" in together[1] and "set_config('app.member_id'" in together[1]
    # the create's reads (rules.CreateContext) after it, of the member row it noted
    assert '"timereporting_daylock"' in together[2] and "current_setting('app.member_id'" in together[2]
    # and neither is read again: not the member's row at the tenant's entry, not the create's reads
    apart = [sql for sql, inside in statements if not inside]
    assert not [sql for sql in apart if '"tenancy_membership"."licence"' in sql]
    assert not [sql for sql in apart if '"timereporting_daylock"' in sql], apart
    assert session_scope() == ("", "")


@pytest.mark.parametrize(
    "change",
    [
        {"project_id": None},  # no project: no reads to send ahead
        {"date": "2026-W45-1"},  # a form of the date the schema refuses (422), read ahead for nothing
        {"kind": "absence", "project_id": None},
        {"client_uuid": None},
    ],
)
def test_a_body_the_reads_ahead_do_not_fit_is_answered_as_before(
    postgres, tenant, employee, codes, projects, statements, change
):
    """The reads sent ahead are used only for the very values the service gets; otherwise it reads."""
    client = api_client(employee)
    url = f"/api/v1/tenants/{tenant.pk}/time-entries"
    body = {**_body(projects), **change}
    if change.get("kind") == "absence":
        body["absence_type_id"] = codes.sick.pk
    body = {key: value for key, value in body.items() if value is not None}
    expected = client.post(url, {**body, "client_uuid": str(uuid.uuid4())}, content_type=JSON).status_code
    statements.clear()
    response = client.post(url, body, content_type=JSON)
    assert response.status_code == expected, response.content
    if response.status_code == 201:
        assert response.json()["date"] == "2026-11-02"
    assert session_scope() == ("", "")


def test_the_reads_ahead_are_of_the_token_user_s_own_row(postgres, tenant, owner, employee, codes, projects):
    """One request after another on the connection: each create's reads are of its own member row
    (the noted id is set by the member read of the same round trip), never of the previous caller's."""
    url = f"/api/v1/tenants/{tenant.pk}/time-entries"
    first = api_client(employee).post(url, _body(projects), content_type=JSON)
    assert first.status_code == 201, first.content
    # the owner is not assigned to the LIGHT employee's project the way the employee is: the owner's
    # own row decides (an owner may report on any project), and the answer is the owner's entry
    second = api_client(owner).post(url, _body(projects), content_type=JSON)
    assert second.status_code == 201, second.content
    with tenant_scope(tenant.pk):
        assert TimeEntry.objects.get(pk=second.json()["id"]).membership == membership_of(tenant, owner)
        assert TimeEntry.objects.get(pk=first.json()["id"]).membership == membership_of(tenant, employee)


def test_a_token_of_another_company_reaches_nothing(
    postgres, tenant, other_tenant, employee, stranger, projects
):
    response = api_client(stranger).post(
        f"/api/v1/tenants/{tenant.pk}/time-entries", _body(projects), content_type=JSON
    )
    assert response.status_code == 404, response.content
    assert session_scope() == ("", "")
    member = membership_of(tenant, employee)
    from verksam.tenancy.scope import tenant_scope
    from verksam.timereporting.models import TimeEntry

    with tenant_scope(tenant.pk):
        assert not TimeEntry.objects.filter(membership=member).exists()


def test_a_bad_token_answers_401_and_leaves_no_scope(postgres, tenant, employee, projects):
    client = api_client(employee)
    client.defaults["HTTP_AUTHORIZATION"] = "Bearer vks_not-a-token"
    response = client.post(f"/api/v1/tenants/{tenant.pk}/time-entries", _body(projects), content_type=JSON)
    assert response.status_code == 401
    assert session_scope() == ("", "")


def test_a_partner_without_a_membership_is_answered_as_before(postgres, tenant, partner_full, projects):
    """No member's row: the tenant's entry finds the partner's grant as without the pipeline."""
    response = api_client(partner_full).post(
        f"/api/v1/tenants/{tenant.pk}/time-entries", _body(projects), content_type=JSON
    )
    assert response.status_code in (400, 403, 422), response.content  # the endpoint's own refusal
    assert session_scope() == ("", "")


def test_a_tenant_id_ninja_would_refuse_is_not_sent(postgres, tenant, employee, projects, statements):
    response = api_client(employee).post(
        "/api/v1/tenants/99999999999999999999/time-entries", _body(projects), content_type=JSON
    )
    assert response.status_code in (404, 422)
    assert not [sql for sql, inside in statements if inside]


def test_a_member_s_row_of_another_user_is_never_kept(db, tenant, employee, owner):
    row = membership_of(tenant, owner)
    with pytest.raises(RuntimeError):
        access.keep_member_prefetched(employee, tenant.pk, row)
    assert access.MEMBER_PREFETCHED not in employee.__dict__


def test_without_pipeline_mode_the_create_is_the_same(
    postgres, tenant, employee, codes, projects, monkeypatch
):
    """A libpq older than 14 has no pipeline mode: the two statements are then sent one by one."""
    monkeypatch.setattr(core_db, "_has_pipeline", lambda: False)
    response = api_client(employee).post(
        f"/api/v1/tenants/{tenant.pk}/time-entries", _body(projects), content_type=JSON
    )
    assert response.status_code == 201, response.content
    assert session_scope() == ("", "")


def test_a_body_refused_after_the_token_leaves_no_scope_and_no_lock(
    postgres, tenant, employee, codes, projects
):
    """The member's row was read (and switched to the tenant) with the token; ninja then refuses the
    body before the tenant's entry: the switch is reset and the next call of the same person goes on."""
    client = api_client(employee)
    url = f"/api/v1/tenants/{tenant.pk}/time-entries"
    refused = client.post(url, {"date": "2026-13-40", "minutes": "many"}, content_type=JSON)
    assert refused.status_code == 422, refused.content
    assert session_scope() == ("", "")
    assert client.post(url, _body(projects), content_type=JSON).status_code == 201


@pytest.mark.django_db(transaction=True)
def test_the_same_in_its_own_transaction(postgres, tenant, employee, codes, projects):
    """As in production: the request transaction is the outermost, the switches transaction-local."""
    test_a_body_refused_after_the_token_leaves_no_scope_and_no_lock(
        postgres, tenant, employee, codes, projects
    )
    response = api_client(employee).post(
        f"/api/v1/tenants/{tenant.pk}/time-entries", _body(projects), content_type=JSON
    )
    assert response.status_code == 201, response.content
    assert session_scope() == ("", "")


def test_the_reads_ahead_never_use_the_previous_caller_s_row(postgres, tenant, employee, codes, projects):
    """A LIGHT employee assigned to the project creates, then another LIGHT employee, not assigned,
    on the same connection: the second is refused (not_assigned) — its reads are of its own row,
    not of the row the first request noted."""
    from verksam.tenancy.models import Licence
    from verksam.tenancy.tests.factories import MembershipFactory, UserFactory

    other = MembershipFactory(
        tenant=tenant, user=UserFactory(email="other@snickeri.se"), licence=Licence.LIGHT
    ).user
    url = f"/api/v1/tenants/{tenant.pk}/time-entries"
    assert api_client(employee).post(url, _body(projects), content_type=JSON).status_code == 201
    refused = api_client(other).post(url, _body(projects), content_type=JSON)
    assert refused.status_code == 400 and refused.json()["code"] == "not_assigned", refused.content


def test_a_body_over_the_upload_limit_is_refused_as_before(postgres, tenant, employee, codes, projects):
    """The reads sent ahead read the body before ninja does: a body Django refuses to read
    (DATA_UPLOAD_MAX_MEMORY_SIZE) sends nothing ahead and is answered 400 as before."""
    client = api_client(employee)
    client.raise_request_exception = False
    body = {**_body(projects), "comment": "x" * 3_000_000}
    response = client.post(f"/api/v1/tenants/{tenant.pk}/time-entries", body, content_type=JSON)
    assert response.status_code == 400, response.content[:300]
    assert session_scope() == ("", "")


@pytest.mark.parametrize(
    "change",
    [
        {"project_id": 10**20},
        {"project_id": -1},
        {"project_id": 0},
        {"date": "0001-01-01"},
        {"date": "9999-12-31"},
        {"date": "２０２６-11-02"},
        {"client_uuid": "not-a-uuid"},
        {"kind": "absence"},
    ],
)
def test_edge_values_sent_ahead_are_answered_4xx(postgres, tenant, employee, codes, projects, change):
    """What the reads sent ahead take from the body unvalidated never turns a refusal into a 500."""
    client = api_client(employee)
    client.raise_request_exception = False
    response = client.post(
        f"/api/v1/tenants/{tenant.pk}/time-entries", {**_body(projects), **change}, content_type=JSON
    )
    assert 400 <= response.status_code < 500, response.content[:300]
    assert session_scope() == ("", "")
