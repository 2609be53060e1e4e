"""Time reported without coverage on the day page (static/js/offline-time.js) is sent by the browser to
POST /time-entries/batch with its session and CSRF token (issue 13 item 3: the batch for phones coming
back online, used by the web app). The session path keeps CSRF and the tenant's scope."""

import uuid

import pytest
from django.test import Client

from verksam.tenancy.models import Licence
from verksam.tenancy.scope import tenant_scope
from verksam.tenancy.tests.factories import MembershipFactory
from verksam.timereporting.models import TimeEntry

from .conftest import MONDAY

JSON = "application/json"


def _url(tenant):
    return f"/api/v1/tenants/{tenant.pk}/time-entries/batch"


def _browser(user, tenant) -> tuple[Client, str]:
    """A logged-in browser that checks CSRF as a real one is checked, and the token of its day page."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    page = client.get(f"/t/{tenant.slug}/time/day/{MONDAY.isoformat()}/")
    assert page.status_code == 200
    return client, client.cookies["csrftoken"].value


def _body(projects):
    return {
        "entries": [
            {
                "client_uuid": str(uuid.uuid4()),
                "date": MONDAY.isoformat(),
                "kind": "work",
                "project_id": projects.site.pk,
                "start_time": "07:00",
                "end_time": "16:00",
                "break_minutes": 60,
                "minutes": None,
                "invoiceable_minutes": None,
                "comment": "Stomme",
                "internal_comment": "",
            }
        ]
    }


def _entries(tenant):
    with tenant_scope(tenant.pk):
        return list(TimeEntry.objects.values_list("client_uuid", "minutes", "comment"))


def test_the_browser_sends_its_offline_list_with_the_session_and_csrf_token(
    tenant, employee, codes, projects
):
    client, token = _browser(employee, tenant)
    body = _body(projects)
    response = client.post(_url(tenant), body, content_type=JSON, HTTP_X_CSRFTOKEN=token)
    assert response.status_code == 200, response.content
    assert response.json()["created"] == 1
    sent = uuid.UUID(body["entries"][0]["client_uuid"])
    assert _entries(tenant) == [(sent, 480, "Stomme")]
    # sent again (the answer was lost to a dropped connection): nothing is written twice
    again = client.post(_url(tenant), body, content_type=JSON, HTTP_X_CSRFTOKEN=token)
    assert [r["status"] for r in again.json()["results"]] == [200]
    assert _entries(tenant) == [(sent, 480, "Stomme")]


def test_without_the_csrf_token_the_session_s_batch_is_refused(tenant, employee, codes, projects):
    client, _token = _browser(employee, tenant)
    response = client.post(_url(tenant), _body(projects), content_type=JSON)
    assert response.status_code == 403
    assert _entries(tenant) == []


def test_another_tenant_s_session_user_is_refused(tenant, other_tenant, employee, codes, projects):
    other = MembershipFactory(tenant=other_tenant, licence=Licence.TOTAL).user
    client = Client(enforce_csrf_checks=True)
    client.force_login(other)
    assert client.get(f"/t/{other_tenant.slug}/time/").status_code == 200  # a valid CSRF token of its own
    token = client.cookies["csrftoken"].value
    response = client.post(_url(tenant), _body(projects), content_type=JSON, HTTP_X_CSRFTOKEN=token)
    assert response.status_code == 404  # as with a token: the company is not theirs to know of
    assert _entries(tenant) == []


@pytest.mark.parametrize("page", ["time/", f"time/day/{MONDAY.isoformat()}/"])
def test_the_time_pages_carry_the_offline_list_of_this_company_and_person(tenant, employee, codes, page):
    client = Client()
    client.force_login(employee)
    html = client.get(f"/t/{tenant.slug}/{page}").content.decode()
    assert f'data-batch-url="{_url(tenant)}"' in html
    assert f'data-store="verksam.offline-time.{tenant.pk}.{employee.pk}"' in html
    assert "js/offline-time" in html
    if "day/" in page:
        assert f'data-offline-date="{MONDAY.isoformat()}"' in html
        assert 'data-offline-prefix="work-"' in html
