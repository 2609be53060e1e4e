"""The member's row and the API token are read with SQL compiled once per process (core.fixedquery,
issue 13): the same rows as the ORM, the tenant and the user in every call's WHERE clause."""

from django.db import connection

from verksam.accounts.services import _token_query, api_token_create, api_token_revoke, user_for_token
from verksam.tenancy import access
from verksam.tenancy.access import resolve_id, tenant_entered
from verksam.tenancy.models import Membership
from verksam.tenancy.scope import tenant_scope

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
