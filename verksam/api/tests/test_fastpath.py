"""Token API calls skip the browser's middleware (verksam/api/fastpath.py, issue 13); everything else
still gets it, and authentication answers exactly as before."""

from django.conf import settings

from verksam.tenancy.tests.fixtures import api_client, login_client


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
