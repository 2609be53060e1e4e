import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from verksam.billing import services
from verksam.billing.models import BalanceKind, Payment
from verksam.tenancy.scope import tenant_scope
from verksam.tenancy.tests.fixtures import api_client

from .conftest import actor_of, browser_pay


def _base(tenant) -> str:
    return f"/api/v1/tenants/{tenant.pk}/balances"


def _entries(tenant, user, n):
    with tenant_scope(tenant.pk):
        actor = actor_of(user, tenant)
        for i in range(n):
            services.balance_credit(actor=actor, kind=BalanceKind.SMS, amount=1, reason=f"r{i}")


def test_balances_lists_all_kinds(tenant, owner):
    _entries(tenant, owner, 2)
    response = api_client(owner).get(_base(tenant))
    assert response.status_code == 200
    assert [(b["kind"], b["amount"], b["package_size"]) for b in response.json()] == [
        ("SMS", 2, 100),
        ("E_SIGNATURE", 0, 10),
        ("COMPANY_LOOKUP", 0, 100),
    ]


@pytest.mark.parametrize("path", ["", "/entries"])
@pytest.mark.parametrize(
    ("who", "status"),
    [("owner", 200), ("employee", 403), ("partner_full", 200), ("partner_limited", 403), ("stranger", 404)],
)
def test_balance_reads_matrix(tenant, owner, who, status, path, request):
    assert api_client(request.getfixturevalue(who)).get(_base(tenant) + path).status_code == status


def test_entries_are_paged(tenant, owner):
    _entries(tenant, owner, 30)
    body = api_client(owner).get(_base(tenant) + "/entries?page=2&page_size=20").json()
    assert (body["total"], body["page"], len(body["items"])) == (30, 2, 10)
    assert body["items"][0]["delta"] == 1 and body["items"][0]["created_by_id"] == owner.pk


def test_entries_query_count_is_constant(tenant, owner):
    client = api_client(owner)
    client.get(_base(tenant))  # first use of a token records last_used_at once
    _entries(tenant, owner, 2)
    with CaptureQueriesContext(connection) as few:
        assert client.get(_base(tenant) + "/entries").status_code == 200
    _entries(tenant, owner, 28)
    with CaptureQueriesContext(connection) as many:
        assert len(client.get(_base(tenant) + "/entries").json()["items"]) == 30
    assert len(few.captured_queries) == len(many.captured_queries)


def test_balances_query_count_is_constant(tenant, owner):
    client = api_client(owner)
    client.get(_base(tenant))  # first use of a token records last_used_at once
    _entries(tenant, owner, 2)
    with CaptureQueriesContext(connection) as few:
        client.get(_base(tenant))
    _entries(tenant, owner, 28)
    with CaptureQueriesContext(connection) as many:
        client.get(_base(tenant))
    assert len(few.captured_queries) == len(many.captured_queries)


def test_topup_start_returns_201_with_checkout_url(fake_payments, tenant, owner):
    response = api_client(owner).post(
        _base(tenant) + "/topups",
        {"kind": "COMPANY_LOOKUP", "quantity": 300},
        content_type="application/json",
    )
    body = response.json()
    assert response.status_code == 201
    assert body["amount_ore"] == 30000 and body["status"] == "created" and body["currency"] == "SEK"
    assert body["checkout_url"].startswith("http://payments.test/checkout/pay_")
    fetched = api_client(owner).get(_base(tenant) + f"/topups/{body['payment_id']}")
    assert fetched.status_code == 200 and fetched.json()["quantity"] == 300


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("employee", 403),
        ("attestant", 403),
        ("partner_limited", 403),
        ("stranger", 404),
        ("partner_full", 201),
    ],
)
def test_topup_start_matrix_refusals_write_nothing(fake_payments, tenant, owner, who, status, request):
    response = api_client(request.getfixturevalue(who)).post(
        _base(tenant) + "/topups", {"kind": "SMS", "quantity": 100}, content_type="application/json"
    )
    assert response.status_code == status
    with tenant_scope(tenant.pk):
        assert Payment.objects.count() == (1 if status == 201 else 0)
    assert len(fake_payments.payments) == (1 if status == 201 else 0)


def test_topup_start_invalid_quantity_is_an_error_body(fake_payments, tenant, owner):
    response = api_client(owner).post(
        _base(tenant) + "/topups", {"kind": "SMS", "quantity": 150}, content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_quantity" and response.json()["extra"] == {"field": "quantity"}


def test_topup_get_of_another_tenant_is_404(fake_payments, tenant, owner, other_tenant, stranger):
    with tenant_scope(other_tenant.pk):
        theirs = services.topup_start(actor=actor_of(stranger, other_tenant), kind="SMS", quantity=100)
    assert api_client(owner).get(_base(tenant) + f"/topups/{theirs.pk}").status_code == 404
    assert api_client(stranger).get(_base(tenant) + f"/topups/{theirs.pk}").status_code == 404
    assert api_client(stranger).get(_base(other_tenant) + f"/topups/{theirs.pk}").status_code == 200


def test_full_api_flow_with_webhook(fake_payments, tenant, owner):
    client = api_client(owner)
    started = client.post(
        _base(tenant) + "/topups", {"kind": "SMS", "quantity": 100}, content_type="application/json"
    )
    provider_id = started.json()["checkout_url"].rsplit("/", 1)[1]
    browser_pay(fake_payments, provider_id)
    hook = Client().post("/api/v1/webhooks/payments", {"id": provider_id}, content_type="application/json")
    assert hook.status_code == 200 and hook.json() == {"id": provider_id, "status": "paid"}
    assert client.get(_base(tenant)).json()[0]["amount"] == 100
    assert client.get(_base(tenant) + f"/topups/{started.json()['payment_id']}").json()["status"] == "paid"


def test_webhook_rejects_malformed_ids(fake_payments, db):
    response = Client().post(
        "/api/v1/webhooks/payments", {"id": "../v1/payments"}, content_type="application/json"
    )
    assert response.status_code == 404
    assert Client().post("/api/v1/webhooks/payments", {}, content_type="application/json").status_code == 422


def test_prices_for_any_authenticated_user(licence_prices, stranger):
    response = api_client(stranger).get("/api/v1/prices")
    assert response.status_code == 200
    assert [(p["licence"], p["monthly_ore"]) for p in response.json()] == [
        ("LIGHT", 9900),
        ("BASIC", 19900),
        ("STANDARD", 29900),
        ("TOTAL", 39900),
    ]
    assert Client().get("/api/v1/prices").status_code == 401
