"""Bokföringssystem page and API: the OAuth2 flow end to end, permissions, other tenants, queries."""

import json

import httpx
import pytest
from django.urls import reverse

from verksam.integrations.accounting import services
from verksam.integrations.accounting.models import Connection, OAuthState, Push
from verksam.tenancy.scope import tenant_scope
from verksam.tenancy.tests.fixtures import api_client, login_client

from .conftest import approve, voucher

pytestmark = pytest.mark.django_db


def test_connect_fortnox_in_the_browser_flow_and_disconnect(fakes, tenant, owner):
    client = login_client(owner)
    page = client.get(reverse("web:accounting_settings", args=[tenant.slug]))
    assert page.status_code == 200 and "accounting-connect-fortnox" in page.text
    started = client.post(
        reverse("web:accounting_connect", args=[tenant.slug]), {"provider": "fortnox"}, HTTP_HX_REQUEST="true"
    )
    authorize_url = started.headers["HX-Redirect"]
    assert authorize_url.startswith("http://fortnox.test/oauth-v1/auth?")
    code, state = approve(fakes["fortnox"], authorize_url)
    callback = client.get(
        reverse("web:accounting_oauth_callback", args=["fortnox"]), {"code": code, "state": state}
    )
    assert callback.status_code == 302
    shown = client.get(callback.headers["Location"])
    assert shown.status_code == 200 and "accounting-finish" in shown.text
    with tenant_scope(tenant.pk):
        assert not Connection.objects.exists()  # opening the return page writes nothing
    done = client.post(callback.headers["Location"], {"code": code, "state": state})
    assert done.status_code == 302
    with tenant_scope(tenant.pk):
        connection = Connection.objects.get()
    assert connection.provider == "fortnox" and connection.is_active
    page = client.get(reverse("web:accounting_settings", args=[tenant.slug]))
    assert "accounting-disconnect" in page.text
    assert connection.refresh_token_enc not in page.text and "oauth" not in page.text.lower()
    refresh_token = services.crypto.decrypt(connection.refresh_token_enc)
    done = client.post(reverse("web:accounting_disconnect", args=[tenant.slug]), follow=True)
    assert "Fortnox är frånkopplat och Verksams behörighet är återkallad" in done.content.decode()
    with tenant_scope(tenant.pk):
        connection.refresh_from_db()
    assert not connection.is_active and connection.refresh_token_enc == ""
    assert fakes["fortnox"].revoked == {refresh_token}  # revoked at Fortnox (RFC 7009)


def test_a_state_of_another_person_or_used_twice_is_refused(fakes, tenant, owner, partner_full):
    client = login_client(owner)
    started = client.post(reverse("web:accounting_connect", args=[tenant.slug]), {"provider": "visma"})
    authorize_url = started.context["authorize_url"]
    code, state = approve(fakes["visma"], authorize_url)
    url = reverse("web:accounting_return", args=[tenant.slug]) + "?provider=visma"
    other = login_client(partner_full).post(url, {"code": code, "state": state})
    assert other.status_code == 403  # a partner never connects the customer (and the state is the owner's)
    forged = client.post(url, {"code": code, "state": state + "x"})
    assert forged.status_code == 422
    with tenant_scope(tenant.pk):
        assert not Connection.objects.exists()
        assert OAuthState.objects.filter(used_at__isnull=True).count() == 1


@pytest.mark.parametrize(("who", "status"), [("employee", 403), ("partner_limited", 403), ("stranger", 404)])
def test_refused_people_change_nothing(who, status, fakes, tenant, owner, request):
    user = request.getfixturevalue(who)
    client = login_client(user)
    assert client.get(reverse("web:accounting_settings", args=[tenant.slug])).status_code == status
    assert (
        client.post(
            reverse("web:accounting_connect", args=[tenant.slug]), {"provider": "fortnox"}
        ).status_code
        == status
    )
    api = api_client(user)
    answer = api.post(
        f"/api/v1/tenants/{tenant.pk}/accounting/connection/authorize",
        json.dumps({"provider": "fortnox"}),
        content_type="application/json",
    )
    assert answer.status_code == status
    with tenant_scope(tenant.pk):
        assert not OAuthState.objects.exists()


def test_api_shows_connection_and_pushes_and_another_tenants_push_is_404(
    fakes, tenant, owner, other_tenant, stranger, actor, fortnox_connected, enqueue, requeued
):
    with tenant_scope(tenant.pk):
        push = enqueue(actor, voucher())
    api = api_client(owner)
    assert api.get(f"/api/v1/tenants/{tenant.pk}/accounting/connection").json()["provider"] == "fortnox"
    listed = api.get(f"/api/v1/tenants/{tenant.pk}/accounting/pushes").json()
    assert [p["status"] for p in listed["items"]] == ["sent"] and listed["items"][0]["remote_voucher_id"]
    assert api.get(f"/api/v1/tenants/{tenant.pk}/accounting/pushes/{push.pk}").status_code == 200
    theirs = api_client(stranger)
    assert theirs.get(f"/api/v1/tenants/{other_tenant.pk}/accounting/pushes/{push.pk}").status_code == 404
    assert api.get(f"/api/v1/tenants/{tenant.pk}/accounting/pushes/999999").status_code == 404
    bad = api.post(
        f"/api/v1/tenants/{tenant.pk}/accounting/connection/authorize",
        json.dumps({"provider": "visma"}),
        content_type="application/json",
    )
    assert bad.status_code == 409 and bad.json()["code"] == "conflict"  # disconnect Fortnox first
    disconnected = api.delete(f"/api/v1/tenants/{tenant.pk}/accounting/connection")
    assert disconnected.status_code == 200
    assert disconnected.json() == {"provider": "fortnox", "revoked_at_provider": True, "message": ""}
    assert api.get(f"/api/v1/tenants/{tenant.pk}/accounting/connection").json()["connected"] is False


def test_the_page_lists_pushes_with_a_constant_number_of_queries(
    fakes, tenant, owner, actor, fortnox_connected, settings
):
    settings.ACCOUNTING_PUSH_MAX_ATTEMPTS = 1
    client = login_client(owner)

    def add(n):
        with tenant_scope(tenant.pk):
            for i in range(n):
                Push.all_tenants.create(
                    tenant=tenant,
                    provider="fortnox",
                    idempotency_key=f"v:{i}-{n}",
                    marker="VKS-X",
                    payload={},
                    status="failed",
                    last_error="Konto saknas",
                )

    add(2)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        assert client.get(reverse("web:accounting_settings", args=[tenant.slug])).status_code == 200
    add(30)
    with CaptureQueriesContext(connection) as large:
        page = client.get(reverse("web:accounting_settings", args=[tenant.slug]))
    assert "Konto saknas" in page.content.decode()
    assert len(large) == len(small)


def test_the_fake_serves_the_booked_receipt_for_the_ui(fakes, actor, fortnox_connected, enqueue, requeued):
    with tenant_scope(actor.tenant_id):
        enqueue(actor, voucher())
    file_id = fortnox_connected.booked()[0]["Files"][0]["Id"]
    with httpx.Client(
        transport=httpx.WSGITransport(app=fortnox_connected), base_url="http://f.test"
    ) as client:
        image = client.get(f"/_fake/files/{file_id}")
        index = client.get("/")
    assert image.headers["content-type"] == "image/png" and image.content.startswith(b"\x89PNG")
    assert "kvitto.png" in index.text
