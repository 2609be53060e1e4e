"""The PostgreSQL session's scope settings around an API call (issue 13): the member's row switches the
session to the tenant in the same statement (scope.SwitchToRowTenant), a refused user never gets the
tenant's scope, and nothing stays on the (pooled, CONN_MAX_AGE) connection for the next request."""

import pytest
from django.db import connection

from verksam.tenancy.access import tenant_entered
from verksam.tenancy.models import Membership
from verksam.tenancy.tests.fixtures import api_client

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="session settings: PostgreSQL")


def _settings() -> tuple[str, str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('app.tenant_ids', true), current_setting('app.user_id', true)")
        tenant_ids, user_id = cursor.fetchone()
    return tenant_ids or "", user_id or ""


def test_a_member_enters_the_tenant_with_the_read_of_their_row(tenant, employee, other_tenant):
    with tenant_entered(employee, tenant.pk) as actor:
        assert actor is not None and actor.membership is not None
        assert _settings() == (str(tenant.pk), "")  # the tenant's scope, the user's own scope closed
        assert Membership.objects.filter(tenant=other_tenant).count() == 0  # RLS: only this tenant
    assert _settings() == ("", "")


def test_a_stranger_never_holds_the_tenants_scope(tenant, stranger):
    with tenant_entered(stranger, tenant.pk) as actor:
        assert actor is None
        assert _settings() == ("", "")
    assert _settings() == ("", "")


def test_a_partner_enters_through_the_grant(tenant, partner_full):
    with tenant_entered(partner_full, tenant.pk) as actor:
        assert actor is not None and actor.is_partner
        assert _settings() == (str(tenant.pk), "")
    assert _settings() == ("", "")


def test_no_scope_stays_on_the_connection_after_an_api_call(tenant, employee):
    answer = api_client(employee).get(
        f"/api/v1/tenants/{tenant.pk}/time-entries?from=2026-11-02&to=2026-11-08"
    )
    assert answer.status_code == 200
    assert _settings() == ("", "")


def test_no_scope_stays_after_a_refused_call(tenant, stranger):
    answer = api_client(stranger).get(
        f"/api/v1/tenants/{tenant.pk}/time-entries?from=2026-11-02&to=2026-11-08"
    )
    assert answer.status_code == 404
    assert _settings() == ("", "")
