"""Token API calls skip the browser's middleware (verksam/api/fastpath.py, issue 13); everything else
still gets it, and authentication answers exactly as before."""

from django.conf import settings

from verksam.tenancy.tests.fixtures import api_client, login_client
from verksam.tenancy.tests.helpers import session_scope


def test_a_token_call_gets_no_session_or_csp_and_still_answers(tenant, employee):
    response = api_client(employee).get(f"/api/v1/tenants/{tenant.pk}/members")
    assert response.status_code in (200, 403), response.content  # the endpoint's own answer
    assert response["Content-Type"].startswith("application/json")
    assert "Content-Security-Policy" not in response
    assert settings.SESSION_COOKIE_NAME not in response.cookies


def test_a_bad_token_answers_401_not_500(tenant, employee):
    client = api_client(employee)
    client.defaults["HTTP_AUTHORIZATION"] = "Bearer vks_not-a-token"
    response = client.get(f"/api/v1/tenants/{tenant.pk}/time-entries?from=2026-11-02&to=2026-11-08")
    assert response.status_code == 401
    assert response.json()["code"] == "unauthorized"


def test_the_browser_with_its_session_cookie_keeps_every_middleware(tenant, owner):
    client = login_client(owner)
    # a stray bearer header does not take the fast path while the session cookie is there
    client.defaults["HTTP_AUTHORIZATION"] = "Bearer vks_not-a-token"
    response = client.get(f"/api/v1/tenants/{tenant.pk}/members")
    assert response.status_code == 200, response.content
    page = login_client(owner).get(f"/t/{tenant.slug}/")
    assert page.status_code == 200
    assert "Content-Security-Policy" in page


def test_the_token_query_s_user_scope_never_outlives_the_call(tenant, other_tenant, employee):
    """PostgreSQL: the token's query switches the session to the user's scope (tenancy.scope.SwitchToUser,
    issue 13); a tenant's entry takes it over, and whatever the call, the session holds no scope after it."""
    from django.db import connection

    client = api_client(employee)
    calls = [
        "/api/v1/me",  # no tenant entered: ScopeMiddleware resets the switch
        f"/api/v1/tenants/{tenant.pk}/time-entries?from=2026-11-02&to=2026-11-08",  # taken over
        f"/api/v1/tenants/{other_tenant.pk}/time-entries?from=2026-11-02&to=2026-11-08",  # 404
    ]
    for path in calls:
        response = client.get(path)
        assert response.status_code in (200, 404), response.content
        if connection.vendor == "postgresql":
            assert session_scope() == ("", ""), path
    assert client.get(calls[2]).status_code == 404
