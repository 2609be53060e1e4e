"""Disconnecting revokes the refresh token at the provider (RFC 7009) and deletes the stored tokens,
also when the provider cannot be reached (then the page says to revoke it there); connecting and
disconnecting are the company's own TOTAL users', never an accounting firm's, which still books
vouchers under its grant."""

import json

import httpx
import pytest
from django import db as django_db
from django.urls import reverse

from verksam.audit.models import AuditEvent
from verksam.integrations.accounting import crypto, services
from verksam.integrations.accounting.models import Connection, OAuthState, PushStatus
from verksam.integrations.accounting.providers import ProviderError, provider_for
from verksam.tenancy.access import resolve
from verksam.tenancy.scope import tenant_scope
from verksam.tenancy.tests.fixtures import api_client, login_client

from .conftest import voucher

pytestmark = pytest.mark.django_db


def _refresh_token(tenant) -> str:
    with tenant_scope(tenant.pk):
        return crypto.decrypt(Connection.objects.get().refresh_token_enc)


@pytest.mark.parametrize("provider", ["fortnox", "visma"])
def test_disconnect_revokes_the_refresh_token_at_the_provider_and_deletes_the_tokens(
    provider, request, fakes, tenant, actor
):
    fake = request.getfixturevalue(f"{provider}_connected")
    old = _refresh_token(tenant)
    with tenant_scope(tenant.pk):
        result = services.connection_disconnect(actor=actor)
        connection = Connection.objects.get()
        event = AuditEvent.objects.get(action="accounting.disconnected")
    assert result.revoked and result.message == ""
    assert (connection.refresh_token_enc, connection.access_token_enc, connection.is_active) == (
        "",
        "",
        False,
    )
    assert fake.revoked == {old}
    with pytest.raises(ProviderError) as refused:  # the provider refuses the revoked token from now on
        provider_for(provider).refresh(refresh_token=old)
    assert refused.value.status == 400 and "revoked" in refused.value.message
    assert event.data == {"provider": provider}
    with tenant_scope(tenant.pk):
        assert AuditEvent.objects.get(action="accounting.revoked").data == {"provider": provider}


def test_the_provider_is_called_after_the_disconnect_is_committed_not_under_the_row_lock(
    fakes, settings, tenant, actor, fortnox_connected
):
    """A slow or hanging provider must not hold the connection's row lock (on SQLite: the database's
    write lock, every writer of every company waiting) for its whole timeout. The tokens are deleted
    and the disconnect audited in one short transaction; the revoke call comes after it."""
    seen = []
    transport = settings.FORTNOX_TRANSPORT

    def watching(request):
        with tenant_scope(tenant.pk):  # the disconnect is visible when the provider is called
            seen.append((list(django_db.connection.savepoint_ids), Connection.objects.get().is_active))
        return transport.handle_request(request)

    settings.FORTNOX_TRANSPORT = httpx.MockTransport(watching)
    with tenant_scope(tenant.pk):
        result = services.connection_disconnect(actor=actor)
    assert result.revoked
    assert seen == [([], False)]  # no transaction of the service open, the connection already inactive


def test_an_unreachable_provider_still_deletes_the_tokens_and_the_page_says_to_revoke_there(
    fakes, settings, tenant, owner, fortnox_connected
):
    old = _refresh_token(tenant)
    fortnox_connected.inject(503, count=1, path_prefix=fortnox_connected.revoke_path)
    client = login_client(owner)
    answer = client.post(reverse("web:accounting_disconnect", args=[tenant.slug]), follow=True)
    page = answer.content.decode()
    assert answer.status_code == 200
    assert "Återkalla Verksams behörighet bland integrationerna i Fortnox" in page
    with tenant_scope(tenant.pk):
        connection = Connection.objects.get()
        event = AuditEvent.objects.get(action="accounting.disconnected")
    assert (connection.refresh_token_enc, connection.is_active) == ("", False)
    assert old in fortnox_connected.refresh_tokens  # still valid there: the user must revoke it
    with tenant_scope(tenant.pk):
        failed = AuditEvent.objects.get(action="accounting.revoke_failed")
    assert event.data == {"provider": "fortnox"} and failed.data["error"]


def test_a_provider_that_does_not_answer_at_all_is_reported_through_the_api(fakes, settings, tenant, owner):
    def down(request):
        raise httpx.ConnectError("connection refused", request=request)

    from .conftest import connect

    connect(fakes, resolve(owner, tenant), "visma")
    settings.VISMA_TRANSPORT = httpx.MockTransport(down)
    answer = api_client(owner).delete(f"/api/v1/tenants/{tenant.pk}/accounting/connection")
    assert answer.status_code == 200
    body = answer.json()
    assert body["provider"] == "visma" and body["revoked_at_provider"] is False
    assert "Visma eEkonomi" in body["message"] and "ConnectError" in body["message"]
    with tenant_scope(tenant.pk):
        assert Connection.objects.get().refresh_token_enc == ""


def _authorize(user, tenant):
    return api_client(user).post(
        f"/api/v1/tenants/{tenant.pk}/accounting/connection/authorize",
        json.dumps({"provider": "fortnox"}),
        content_type="application/json",
    )


@pytest.mark.parametrize(("who", "status"), [("partner_full", 403), ("stranger", 404)])
def test_a_full_partner_may_not_connect_or_disconnect_and_another_tenant_gets_404(
    who, status, fakes, tenant, fortnox_connected, request
):
    # given a company connected by its owner
    user = request.getfixturevalue(who)
    client = login_client(user)
    urls = [reverse(f"web:accounting_{name}", args=[tenant.slug]) for name in ("connect", "disconnect")]
    # when the accounting firm (or a stranger) tries to connect or disconnect, in the UI and the API
    for url in urls:
        assert client.post(url, {"provider": "visma"}).status_code == status
    return_page = reverse("web:accounting_return", args=[tenant.slug]) + "?provider=visma"
    assert client.get(return_page).status_code == status
    assert client.post(return_page, {"code": "x", "state": f"{tenant.pk}.y"}).status_code == status
    assert _authorize(user, tenant).status_code == status
    assert api_client(user).delete(f"/api/v1/tenants/{tenant.pk}/accounting/connection").status_code == status
    # then nothing changed
    with tenant_scope(tenant.pk):
        connection = Connection.objects.get()
        assert connection.is_active and connection.refresh_token_enc
        assert OAuthState.objects.filter(user=user).count() == 0
    assert fortnox_connected.revoked == set()


def test_the_full_partner_sees_the_page_without_the_connect_buttons(fakes, tenant, partner_full):
    page = login_client(partner_full).get(reverse("web:accounting_settings", args=[tenant.slug]))
    html = page.content.decode()
    assert page.status_code == 200
    assert "accounting-connect-fortnox" not in html and 'data-testid="accounting-connect-own-users"' in html


def test_the_customers_total_user_connects_and_disconnects(fakes, tenant, owner):
    assert _authorize(owner, tenant).status_code == 200
    page = login_client(owner).get(reverse("web:accounting_settings", args=[tenant.slug])).content.decode()
    assert "accounting-connect-fortnox" in page and "accounting-connect-own-users" not in page


def test_a_full_partner_still_books_vouchers_under_its_grant(
    fakes, tenant, partner_full, fortnox_connected, enqueue, requeued
):
    partner = resolve(partner_full, tenant)
    assert partner is not None and partner.is_partner
    with tenant_scope(tenant.pk):
        push = enqueue(partner, voucher())
    assert push.status == PushStatus.SENT and len(fortnox_connected.booked()) == 1
