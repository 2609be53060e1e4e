"""A posted outlay voucher sent to Fortnox / Visma with its receipt (issue 10 item 8 wiring):
idempotency key from the voucher, a draft refused, status and error on the voucher page and in the
API, "Skicka igen" after a failure, another tenant and a partner without grant refused."""

import pytest
from django.urls import reverse

from verksam.bookkeeping import outlays
from verksam.bookkeeping.tests.test_outlays import _media, attested  # noqa: F401  (fixture)
from verksam.core.errors import Conflict
from verksam.expenses.models import Receipt
from verksam.integrations.accounting import vouchers
from verksam.integrations.accounting.models import PushStatus
from verksam.tenancy.scope import tenant_scope
from verksam.tenancy.tests.fixtures import api_client, login_client

pytestmark = pytest.mark.django_db


def posted(tenant, employee, attestant, actor):
    expense = attested(tenant, employee, attestant)
    with tenant_scope(tenant.pk):
        return expense, outlays.outlay_book(actor=actor, expense_id=expense.pk)


@pytest.mark.parametrize("provider", ["fortnox", "visma"])
def test_a_posted_outlay_arrives_once_with_its_receipt_image(
    provider, request, tenant, employee, attestant, actor, fakes, requeued, django_capture_on_commit_callbacks
):
    fake = request.getfixturevalue(f"{provider}_connected")
    expense, voucher = posted(tenant, employee, attestant, actor)
    with tenant_scope(tenant.pk):
        size = Receipt.objects.get(pk=expense.receipt_id).size
        with django_capture_on_commit_callbacks(execute=True):
            push = vouchers.voucher_push(actor=actor, voucher_id=voucher.id)
        push.refresh_from_db()
        again = vouchers.voucher_push(actor=actor, voucher_id=voucher.id)
    assert push.status == PushStatus.SENT, push.last_error
    assert push.idempotency_key == f"voucher:{voucher.id}"
    assert again.pk == push.pk
    (booked,) = fake.booked()
    files = booked.get("Files") or booked.get("Attachments")
    assert len(files) == 1
    name = files[0].get("Name") or files[0].get("FileName")
    assert name == f"kvitto-{expense.receipt_id}.jpg"
    if provider == "fortnox":
        assert files[0]["Size"] == size


def test_a_draft_is_not_sent(tenant, employee, attestant, actor, fortnox_connected):
    expense = attested(tenant, employee, attestant)
    with tenant_scope(tenant.pk):
        draft = outlays.outlay_book(actor=actor, expense_id=expense.pk, post=False)
        with pytest.raises(Conflict) as exc:
            vouchers.voucher_push(actor=actor, voucher_id=draft.id)
    assert exc.value.code == "not_posted"


def test_status_and_error_on_the_page_and_in_the_api_and_send_again(
    tenant,
    owner,
    employee,
    attestant,
    actor,
    fortnox_connected,
    requeued,
    settings,
    django_capture_on_commit_callbacks,
):
    settings.ACCOUNTING_PUSH_MAX_ATTEMPTS = 2
    expense, voucher = posted(tenant, employee, attestant, actor)
    page = reverse("web:bookkeeping_voucher", args=[tenant.slug, voucher.id])
    send = reverse("web:bookkeeping_voucher_push", args=[tenant.slug, voucher.id])
    client = login_client(owner)
    html = client.get(page).content.decode()
    assert "Skicka till Fortnox" in html
    fortnox_connected.inject(503, count=2)
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(send).status_code == 302
    html = client.get(page).content.decode()
    assert 'data-status="failed"' in html and 'data-testid="push-error"' in html and "Skicka igen" in html
    api = api_client(owner)
    status = api.get(f"/api/v1/tenants/{tenant.pk}/vouchers/{voucher.id}/push").json()
    assert status["status"] == "failed" and status["last_error"]
    with django_capture_on_commit_callbacks(execute=True):
        again = api.post(f"/api/v1/tenants/{tenant.pk}/vouchers/{voucher.id}/push")
    assert again.status_code == 202, again.content
    assert api.get(f"/api/v1/tenants/{tenant.pk}/vouchers/{voucher.id}/push").json()["status"] == "sent"
    assert len(fortnox_connected.booked()) == 1


def test_another_tenant_and_a_partner_without_grant_are_refused(
    tenant, employee, attestant, actor, fortnox_connected, stranger, partner_limited
):
    _expense, voucher = posted(tenant, employee, attestant, actor)
    send = reverse("web:bookkeeping_voucher_push", args=[tenant.slug, voucher.id])
    for user in (stranger, partner_limited):
        assert login_client(user).post(send).status_code in (403, 404)
        api = api_client(user)
        assert api.post(f"/api/v1/tenants/{tenant.pk}/vouchers/{voucher.id}/push").status_code in (403, 404)
        assert api.get(f"/api/v1/tenants/{tenant.pk}/vouchers/{voucher.id}/push").status_code in (403, 404)
    assert fortnox_connected.booked() == []
