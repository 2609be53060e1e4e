"""On PostgreSQL the parameters are bound by the server and psycopg prepares a statement the
connection has sent a few times (config/settings/base.py, issue 13). A prepared statement's plan is
reused, but the row-level security policies read the session's tenant scope at each execution: the
same prepared statement sees only the tenant in force, whichever tenant it was prepared under."""

import pytest
from django.db import connection

from verksam.tenancy.scope import tenant_scope

from .factories import MembershipFactory, TenantFactory


@pytest.fixture
def postgres(db):
    if connection.vendor != "postgresql":
        pytest.skip("row-level security and prepared statements are PostgreSQL's")


def test_the_connection_binds_parameters_on_the_server(postgres):
    assert connection.settings_dict["OPTIONS"].get("server_side_binding") is True


def test_a_prepared_statement_sees_only_the_tenant_in_scope_at_each_execution(postgres):
    first, second = TenantFactory(), TenantFactory()
    a = MembershipFactory(tenant=first)
    b = MembershipFactory(tenant=second)
    connection.ensure_connection()
    raw = connection.connection
    # no tenant filter in the SQL: only the row-level security policy decides what it returns
    sql = "SELECT id FROM tenancy_membership WHERE id = ANY(%s) ORDER BY id"

    def ids() -> list[int]:
        with raw.cursor() as cursor:
            cursor.execute(sql, [[a.pk, b.pk]], prepare=True)
            return [row[0] for row in cursor.fetchall()]

    for _ in range(3):
        with tenant_scope(first.pk):
            assert ids() == [a.pk]
        with tenant_scope(second.pk):
            assert ids() == [b.pk]
        with tenant_scope(first.pk, second.pk):
            assert ids() == [a.pk, b.pk]
        assert ids() == []  # no scope: no rows
    with raw.cursor() as cursor:
        cursor.execute(
            "SELECT generic_plans + custom_plans FROM pg_prepared_statements WHERE statement LIKE %s",
            ["%tenancy_membership WHERE id = ANY%"],
        )
        assert cursor.fetchone()[0] >= 12  # it was prepared and run every time
