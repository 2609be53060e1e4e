"""The accounting firm's tab "Privata utlägg" (issue 10 item 9): a registration period's attested
claims; a FULL partner books them (audited as the partner) and downloads SIE 4I read back with its
checksum; a LIMITED partner sees but cannot book; another tenant and a partner without grant refused."""

import io

import pytest
from django.urls import reverse
from django.utils import timezone

from verksam.audit.models import AuditEvent
from verksam.bookkeeping.models import Voucher
from verksam.bookkeeping.sie.reader import read_sie
from verksam.tenancy.scope import tenant_scope
from verksam.tenancy.tests.fixtures import api_client, login_client
from verksam.timecodes.periods import period_for

from .test_outlays import _media, attested  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db


def _url(tenant, name="web:bookkeeping_private_outlays"):
    return reverse(name, args=[tenant.slug])


def test_a_full_partner_books_the_period_and_downloads_sie(
    tenant, employee, attestant, partner_full, partner_firm
):
    expense = attested(tenant, employee, attestant)
    key = period_for(timezone.localdate()).key
    client = login_client(partner_full)
    assert client.get(reverse("web:portal_customer_tab", args=[tenant.slug, "expenses"])).status_code == 302
    html = client.get(_url(tenant) + f"?period={key}").content.decode()
    assert f'data-expense="{expense.pk}" data-booked="0"' in html and 'data-testid="tab-expenses"' in html
    assert (
        client.post(_url(tenant, "web:bookkeeping_private_outlays_book"), {"period": key}).status_code == 302
    )
    html = client.get(_url(tenant) + f"?period={key}").content.decode()
    assert f'data-expense="{expense.pk}" data-booked="1"' in html
    with tenant_scope(tenant.pk):
        voucher = Voucher.objects.get()
        event = AuditEvent.objects.get(action="bookkeeping.voucher_propose")
    assert event.user == partner_full and event.partner_tenant_id == partner_firm.pk
    sie = client.post(_url(tenant, "web:bookkeeping_private_outlays_sie"), {"period": key})
    assert sie.status_code == 200
    content = b"".join(sie.streaming_content)
    parsed = read_sie(io.BytesIO(content))
    assert parsed.ksumma_ok
    assert [(v.series, v.number) for v in parsed.vouchers] == [(voucher.series, str(voucher.number))]


def test_a_limited_partner_sees_but_cannot_book(tenant, employee, attestant, partner_limited):
    expense = attested(tenant, employee, attestant)
    client = login_client(partner_limited)
    html = client.get(_url(tenant)).content.decode()
    assert f'data-expense="{expense.pk}"' in html and 'data-testid="private-read-only"' in html
    assert 'data-testid="private-book"' not in html
    assert client.post(_url(tenant, "web:bookkeeping_private_outlays_book")).status_code == 403
    assert client.post(_url(tenant, "web:bookkeeping_private_outlays_sie")).status_code == 403
    listed = api_client(partner_limited).get(f"/api/v1/tenants/{tenant.pk}/private-outlays").json()
    assert [(r["expense_id"], r["voucher_id"]) for r in listed] == [(expense.pk, None)]
    assert (
        api_client(partner_limited).post(f"/api/v1/tenants/{tenant.pk}/outlays/{expense.pk}/book").status_code
        == 403
    )
    with tenant_scope(tenant.pk):
        assert not Voucher.objects.exists()


def test_another_tenant_and_a_partner_without_grant_are_refused(tenant, stranger, partner_firm):
    from verksam.tenancy.tests.factories import UserFactory

    nobody = UserFactory(email="ingen@byra.se")
    for user in (stranger, nobody):
        client = login_client(user)
        assert client.get(_url(tenant)).status_code in (403, 404)
        assert client.post(_url(tenant, "web:bookkeeping_private_outlays_book")).status_code in (403, 404)
        assert api_client(user).get(f"/api/v1/tenants/{tenant.pk}/private-outlays").status_code in (
            401,
            403,
            404,
        )


def test_a_malformed_period_is_a_clear_422(tenant, owner):
    response = login_client(owner).get(_url(tenant) + "?period=2026-13")
    assert response.status_code == 422
    bad = api_client(owner).get(f"/api/v1/tenants/{tenant.pk}/private-outlays?period=2026-13")
    assert bad.status_code == 400 and bad.json()["code"] == "invalid_period"
