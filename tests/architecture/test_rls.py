"""PostgreSQL row-level security is the backstop (DESIGN.md rule 10). Runs only on PostgreSQL."""

import pytest
from django.db import DatabaseError, connection, transaction

from verksam.audit.models import AuditEvent
from verksam.tenancy.models import Membership
from verksam.tenancy.rls import POLICY, tenant_models
from verksam.tenancy.scope import tenant_scope

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="row-level security exists only on PostgreSQL"
    ),
]


def _one(sql, params=None):
    with connection.cursor() as cursor:
        cursor.execute(sql, params or [])
        return cursor.fetchone()


def _no_scope():
    with connection.cursor() as cursor:
        cursor.execute("SELECT set_config('app.tenant_ids', '', false), set_config('app.user_id', '', false)")


def test_the_app_role_cannot_bypass_row_level_security(db):
    assert _one("SELECT rolbypassrls, rolsuper FROM pg_roles WHERE rolname = current_user") == (False, False)


@pytest.mark.parametrize("model", tenant_models(), ids=lambda m: m._meta.label)
def test_every_tenant_table_has_forced_rls_and_the_policy(db, model):
    table = model._meta.db_table
    assert _one(
        "SELECT relrowsecurity, relforcerowsecurity FROM pg_class WHERE oid = %s::regclass", [table]
    ) == (
        True,
        True,
    )
    policy = _one(
        "SELECT qual, with_check FROM pg_policies WHERE tablename = %s AND policyname = %s", [table, POLICY]
    )
    assert policy is not None, f"{table} has no {POLICY} policy"
    qual, with_check = policy
    assert "app.tenant_ids" in qual and "app.tenant_ids" in with_check


def test_raw_sql_without_a_scope_sees_no_rows(tenant, owner, employee, other_tenant):
    # given rows of two tenants (visible inside their scope)
    with tenant_scope(tenant.pk, other_tenant.pk):
        assert _one("SELECT count(*) FROM tenancy_membership")[0] == 4
    # when raw SQL runs with no scope / then it sees nothing, in every tenant table
    _no_scope()
    for model in tenant_models():
        assert _one(f'SELECT count(*) FROM "{model._meta.db_table}"')[0] == 0, model._meta.db_table
    # and a scope of one tenant sees only that tenant
    with tenant_scope(tenant.pk):
        assert _one("SELECT count(DISTINCT tenant_id), count(*) FROM tenancy_membership") == (1, 3)


def test_all_tenants_manager_is_still_filtered_by_the_database(tenant, owner, other_tenant):
    # the Python-side escape hatch does not escape PostgreSQL: without a scope it sees nothing
    _no_scope()
    assert Membership.all_tenants.count() == 0
    with tenant_scope(other_tenant.pk):
        assert Membership.all_tenants.count() == 1


def test_forged_insert_into_another_tenant_is_rejected(tenant, owner, other_tenant):
    # given a scope of tenant / when a row of other_tenant is inserted (ORM and raw SQL)
    with tenant_scope(tenant.pk):
        with pytest.raises(DatabaseError), transaction.atomic():
            AuditEvent(tenant_id=other_tenant.pk, action="forged").save()
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO audit_auditevent (tenant_id, created_at, action, target_type, target_id, "
                "target_label, data) VALUES (%s, now(), 'forged', '', '', '', '{}')",
                [other_tenant.pk],
            )
    # then nothing was written
    with tenant_scope(other_tenant.pk):
        assert not AuditEvent.objects.filter(action="forged").exists()


def test_forged_update_moving_a_row_to_another_tenant_is_rejected(tenant, owner, other_tenant):
    with tenant_scope(tenant.pk):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                "UPDATE tenancy_membership SET tenant_id = %s WHERE tenant_id = %s",
                [other_tenant.pk, tenant.pk],
            )
        assert Membership.objects.filter(user=owner).exists()


def test_user_scope_reveals_only_the_users_own_access_rows(tenant, owner, employee, other_tenant):
    from verksam.tenancy.scope import user_scope

    _no_scope()
    with user_scope(owner.pk):
        assert _one("SELECT count(*), min(user_id) FROM tenancy_membership") == (1, owner.pk)
        assert _one("SELECT count(*) FROM audit_auditevent")[0] == 0
