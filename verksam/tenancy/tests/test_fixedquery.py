"""The member's row and the API token are read with SQL compiled once per process (core.fixedquery,
issue 13): the same rows as the ORM, the tenant and the user in every call's WHERE clause."""

import pytest
from django.db import connection

from verksam.accounts.services import _token_query, api_token_create, api_token_revoke, user_for_token
from verksam.core.fixedquery import FixedQuery, FixedStatement, FixedValues
from verksam.tenancy import access
from verksam.tenancy.access import resolve_id, tenant_entered
from verksam.tenancy.models import Membership
from verksam.tenancy.scope import FIXED_SCOPE, NoScopeError, tenant_scope

from .factories import MembershipFactory, TenantFactory, UserFactory


def _cached(query) -> bool:
    compiled = query._local.__dict__.get("by_vendor", {}).get(("default", connection.vendor))
    return bool(compiled)


def test_the_member_query_is_cached_and_reads_each_call_s_tenant_and_user(db):
    first, second = TenantFactory(), TenantFactory()
    anna, bo = UserFactory(), UserFactory()
    MembershipFactory(tenant=first, user=anna, licence="TOTAL")
    MembershipFactory(tenant=second, user=bo, licence="LIGHT")
    for _ in range(2):  # the first call compiles and checks, the second uses the cache
        assert resolve_id(anna, first.pk).tenant.pk == first.pk
        assert resolve_id(anna, first.pk).licence == "TOTAL"
        assert resolve_id(bo, second.pk).licence == "LIGHT"
        assert resolve_id(anna, second.pk) is None  # another tenant's id: no access
        assert resolve_id(bo, first.pk) is None
    assert _cached(access._MEMBER)
    with tenant_scope(second.pk):  # row-level security on PostgreSQL
        assert Membership.objects.filter(user=bo).update(is_active=False) == 1
    assert resolve_id(bo, second.pk) is None
    with tenant_entered(anna, first.pk) as actor:
        assert actor is not None and actor.tenant_id == first.pk
    with tenant_entered(anna, second.pk) as actor:
        assert actor is None


def test_the_token_query_is_cached_and_refuses_an_unknown_or_revoked_token(db):
    user = UserFactory()
    token, secret = api_token_create(user=user, name="Mobil")
    for _ in range(2):
        assert user_for_token(secret) == user
        assert user_for_token(secret[:-1] + ("x" if secret[-1] != "x" else "y")) is None
    assert _cached(_token_query(None))
    api_token_revoke(user=user, token_id=token.pk)
    assert user_for_token(secret) is None


def test_a_scoped_fixed_query_reads_the_tenants_of_each_call_s_scope(db):
    """Compiled once per scope size with sentinel tenant ids (tenancy.scope.FIXED_SCOPE): every call
    sends the ids of the scope it runs in, a scope of another size is compiled on its own, and no
    scope at all still fails closed."""
    first, second = TenantFactory(), TenantFactory()
    anna = UserFactory()
    a = MembershipFactory(tenant=first, user=anna)
    b = MembershipFactory(tenant=second, user=anna)

    def members(user_id):
        return Membership.objects.filter(user_id=user_id).order_by("pk")

    sentinels = {"user_id": -7_900_000_001}
    instances = FixedQuery(members, sentinels=sentinels, scope=FIXED_SCOPE)
    rows = FixedValues(
        lambda user_id: members(user_id).values_list("pk", "tenant_id"),
        sentinels=sentinels,
        scope=FIXED_SCOPE,
    )
    statement = FixedStatement(
        lambda user_id: members(user_id).values("pk").query.sql_with_params(),
        sentinels=sentinels,
        scope=FIXED_SCOPE,
    )

    def statement_rows():
        with connection.cursor() as cursor:
            cursor.execute(*statement.sql_params(user_id=anna.pk))
            return [row[0] for row in cursor.fetchall()]

    for _ in range(2):  # the first call of each scope size compiles and checks, the second uses the cache
        with tenant_scope(first.pk):
            assert rows.rows(user_id=anna.pk) == [(a.pk, first.pk)]
            assert [m.pk for m in instances.all(user_id=anna.pk)] == [a.pk]
            assert statement_rows() == [a.pk]
        with tenant_scope(second.pk):
            assert rows.rows(user_id=anna.pk) == [(b.pk, second.pk)]
            assert instances.first(user_id=anna.pk).tenant_id == second.pk
            assert statement_rows() == [b.pk]
        with tenant_scope(first.pk, second.pk):
            assert rows.rows(user_id=anna.pk) == [(a.pk, first.pk), (b.pk, second.pk)]
            assert [m.pk for m in instances.all(user_id=anna.pk)] == [a.pk, b.pk]
            assert statement_rows() == [a.pk, b.pk]
    for query in (rows, instances, statement):
        cached = query._local.__dict__["by_vendor"]
        assert cached[("default", connection.vendor, 1)]
        assert cached[("default", connection.vendor, 2)]
    with pytest.raises(NoScopeError):
        rows.rows(user_id=anna.pk)


def test_a_query_whose_values_do_not_show_as_parameters_is_never_cached_but_still_answers(db):
    tenant = TenantFactory()
    anna = UserFactory()
    a = MembershipFactory(tenant=tenant, user=anna)
    # `user_id=None` is compiled as IS NULL, so the sentinel is nowhere in the parameters
    query = FixedValues(
        lambda user_id: Membership.objects.filter(user_id=user_id).values_list("pk"),
        sentinels={"user_id": None},
        scope=FIXED_SCOPE,
    )
    with tenant_scope(tenant.pk):
        assert query.rows(user_id=anna.pk) == [(a.pk,)]
        assert query.rows(user_id=anna.pk) == [(a.pk,)]
    assert query._local.__dict__["by_vendor"][("default", connection.vendor, 1)] is False
