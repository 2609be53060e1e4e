import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from verksam.audit.models import AuditEvent
from verksam.billing import selectors, services
from verksam.billing.models import BalanceEntry, BalanceKind, Payment, PaymentStatus
from verksam.tenancy.scope import tenant_scope
from verksam.tenancy.tests.factories import MembershipFactory
from verksam.tenancy.tests.fixtures import login_client

from .conftest import actor_of, browser_pay

BALANCES = "/t/snickeri/balances/"
TOPUP = "/t/snickeri/balances/topup/"
PRICING = "/t/snickeri/pricing/"


def _entries(tenant, user, n):
    with tenant_scope(tenant.pk):
        actor = actor_of(user, tenant)
        for i in range(n):
            services.balance_credit(actor=actor, kind=BalanceKind.SMS, amount=1, reason=f"r{i}")


def _count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


# --- balances page ------------------------------------------------------------------------------


def test_balances_page_shows_three_balances_and_buy_forms_to_total(tenant, owner):
    _entries(tenant, owner, 3)
    response = login_client(owner).get(BALANCES)
    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="amount-SMS">3<' in html
    assert "E-signeringar" in html and "Företagsuppslag" in html
    assert html.count('data-testid="topup-') == 3 and "Köp fler" in html


@pytest.mark.parametrize("who", ["attestant"])
def test_balances_page_without_topup_perm_has_no_buy_form(tenant, who, request):
    response = login_client(request.getfixturevalue(who)).get(BALANCES)
    assert response.status_code == 200
    assert 'data-testid="topup-' not in response.content.decode()


@pytest.mark.parametrize(
    ("who", "status"),
    [("owner", 200), ("partner_full", 200), ("employee", 403), ("partner_limited", 403), ("stranger", 404)],
)
def test_balances_page_matrix(tenant, owner, who, status, request):
    assert login_client(request.getfixturevalue(who)).get(BALANCES).status_code == status


def test_balances_page_needs_login(tenant):
    from django.test import Client

    response = Client().get(BALANCES)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_balances_page_query_count_is_constant(tenant, owner):
    client = login_client(owner)
    _entries(tenant, owner, 2)
    few = _count_queries(client, BALANCES)
    _entries(tenant, owner, 28)
    many = _count_queries(client, BALANCES)
    assert few == many


def test_balances_page_is_paged(tenant, owner):
    _entries(tenant, owner, 30)
    client = login_client(owner)
    first = client.get(BALANCES).content.decode()
    second = client.get(BALANCES + "?page=2").content.decode()
    assert first.count('<td data-label="Orsak">') == 25
    assert second.count('<td data-label="Orsak">') == 5


# --- top-up -------------------------------------------------------------------------------------


def test_topup_without_js_lands_on_our_page_with_the_checkout_link(fake_payments, tenant, owner):
    response = login_client(owner).post(TOPUP, {"sms-kind": "SMS", "sms-quantity": "200"})
    with tenant_scope(tenant.pk):
        payment = Payment.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/t/snickeri/balances/topups/{payment.pk}/"
    page = login_client(owner).get(response["Location"]).content.decode()
    assert payment.checkout_url in page and "198,00" in page


def test_topup_with_htmx_redirects_the_browser_to_checkout(fake_payments, tenant, owner):
    response = login_client(owner).post(
        TOPUP, {"e_signature-kind": "E_SIGNATURE", "e_signature-quantity": "10"}, HTTP_HX_REQUEST="true"
    )
    with tenant_scope(tenant.pk):
        payment = Payment.objects.get()
    assert response.status_code == 200
    assert response["HX-Redirect"] == payment.checkout_url
    assert payment.amount_ore == 15000
    assert fake_payments.payments[payment.provider_payment_id]["return_url"] == (
        "http://testserver/t/snickeri/balances/return/"
    )


def test_topup_invalid_quantity_rerenders_with_422_and_writes_nothing(fake_payments, tenant, owner):
    response = login_client(owner).post(TOPUP, {"sms-kind": "SMS", "sms-quantity": "7"})
    assert response.status_code == 422
    assert 'class="errorlist' in response.content.decode()
    with tenant_scope(tenant.pk):
        assert not Payment.objects.exists()


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("employee", 403),
        ("attestant", 403),
        ("partner_limited", 403),
        ("stranger", 404),
        ("partner_full", 302),
    ],
)
def test_topup_matrix_refusals_write_nothing(fake_payments, tenant, owner, who, status, request):
    response = login_client(request.getfixturevalue(who)).post(
        TOPUP, {"sms-kind": "SMS", "sms-quantity": "100"}
    )
    assert response.status_code == status
    with tenant_scope(tenant.pk):
        assert Payment.objects.count() == (1 if status == 302 else 0)


def test_topup_detail_of_another_tenant_is_404(fake_payments, tenant, owner, other_tenant, stranger):
    with tenant_scope(other_tenant.pk):
        theirs = services.topup_start(actor=actor_of(stranger, other_tenant), kind="SMS", quantity=100)
    assert login_client(owner).get(f"/t/snickeri/balances/topups/{theirs.pk}/").status_code == 404
    assert login_client(stranger).get(f"/t/annat/balances/topups/{theirs.pk}/").status_code == 200


def test_return_after_paying_credits_and_says_thank_you(fake_payments, tenant, owner):
    client = login_client(owner)
    client.post(TOPUP, {"sms-kind": "SMS", "sms-quantity": "100"})
    with tenant_scope(tenant.pk):
        payment = Payment.objects.get()
    location = browser_pay(fake_payments, payment.provider_payment_id).replace("http://testserver", "")
    # the page the provider sends the browser to posts back at once; the POST confirms
    assert 'data-testid="payment-return"' in client.get(location).content.decode()
    response = client.post(location, follow=True)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Tack! 100 SMS har lagts till ert saldo." in html
    assert 'data-testid="amount-SMS">100<' in html
    # returning again (reload) does not credit twice
    client.post(location)
    with tenant_scope(tenant.pk):
        assert selectors.balance_get("SMS") == 100 and BalanceEntry.objects.count() == 1


def test_opening_the_return_page_writes_nothing(fake_payments, tenant, owner):
    # issue 7 item 13: the provider's redirect is a GET, and a GET never writes
    client = login_client(owner)
    client.post(TOPUP, {"sms-kind": "SMS", "sms-quantity": "100"})
    with tenant_scope(tenant.pk):
        payment = Payment.objects.get()
        audit = AuditEvent.objects.count()
    location = browser_pay(fake_payments, payment.provider_payment_id).replace("http://testserver", "")
    response = client.get(location)
    assert response.status_code == 200
    with tenant_scope(tenant.pk):
        assert Payment.objects.get().status == PaymentStatus.CREATED
        assert BalanceEntry.objects.count() == 0 and AuditEvent.objects.count() == audit


def test_the_return_page_confirms_through_htmx_and_sends_the_browser_to_the_balances(
    fake_payments, tenant, owner
):
    client = login_client(owner)
    client.post(TOPUP, {"sms-kind": "SMS", "sms-quantity": "100"})
    with tenant_scope(tenant.pk):
        payment = Payment.objects.get()
    location = browser_pay(fake_payments, payment.provider_payment_id).replace("http://testserver", "")
    response = client.post(location, HTTP_HX_REQUEST="true")
    assert response["HX-Redirect"] == "/t/snickeri/balances/"
    with tenant_scope(tenant.pk):
        assert selectors.balance_get("SMS") == 100


def test_return_after_cancelling_says_nothing_was_charged(fake_payments, tenant, owner):
    client = login_client(owner)
    client.post(TOPUP, {"sms-kind": "SMS", "sms-quantity": "100"})
    with tenant_scope(tenant.pk):
        payment = Payment.objects.get()
    location = browser_pay(fake_payments, payment.provider_payment_id, action="cancel")
    html = client.post(location.replace("http://testserver", ""), follow=True).content.decode()
    assert "Betalningen avbröts" in html
    with tenant_scope(tenant.pk):
        assert Payment.objects.get().status == PaymentStatus.CANCELLED


def test_return_with_another_tenants_payment_is_404(fake_payments, tenant, owner, other_tenant, stranger):
    with tenant_scope(other_tenant.pk):
        theirs = services.topup_start(actor=actor_of(stranger, other_tenant), kind="SMS", quantity=100)
    browser_pay(fake_payments, theirs.provider_payment_id)
    url = f"/t/snickeri/balances/return/?payment_id={theirs.provider_payment_id}"
    assert login_client(owner).get(url).status_code == 404
    assert login_client(owner).post(url).status_code == 404
    assert login_client(stranger).post(url).status_code == 404
    with tenant_scope(other_tenant.pk):
        assert selectors.balance_get("SMS") == 0


# --- pricing ------------------------------------------------------------------------------------


def test_pricing_shows_current_mix_and_its_cost(licence_prices, tenant, owner, employee, attestant):
    html = login_client(owner).get(PRICING).content.decode()
    # 99 + 299 + 399 kr per month
    assert 'data-testid="current-monthly">797,00\u00a0kr<' in html
    assert "Vad kostar det?" in html


def test_pricing_calculator_htmx_returns_the_partial_with_annual_discount(licence_prices, tenant, owner):
    response = login_client(owner).get(
        PRICING,
        {"LIGHT": "10", "BASIC": "0", "STANDARD": "0", "TOTAL": "1", "billing": "annual"},
        HTTP_HX_REQUEST="true",
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert html.strip().startswith('<div id="quote"') and "<html" not in html
    # (10 × 99 + 399) × 12 = 16 668 kr; 10 % off = 15 001,20 kr
    assert 'data-testid="quote-yearly">15\u00a0001,20\u00a0kr<' in html
    assert 'data-testid="quote-discount">1\u00a0666,80\u00a0kr<' in html


def test_pricing_calculator_works_without_js(licence_prices, tenant, owner):
    response = login_client(owner).get(PRICING, {"LIGHT": "2", "billing": "monthly"})
    html = response.content.decode()
    assert response.status_code == 200 and "<html" in html
    assert 'data-testid="quote-monthly">198,00\u00a0kr<' in html


def test_pricing_invalid_numbers_rerender_with_422(licence_prices, tenant, owner):
    response = login_client(owner).get(PRICING, {"LIGHT": "-3", "billing": "monthly"})
    assert response.status_code == 422
    assert "Rätta siffrorna" in response.content.decode()


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("owner", 200),
        ("partner_full", 200),
        ("employee", 403),
        ("attestant", 403),
        ("partner_limited", 403),
        ("stranger", 404),
    ],
)
def test_pricing_matrix(licence_prices, tenant, owner, who, status, request):
    assert login_client(request.getfixturevalue(who)).get(PRICING).status_code == status


def test_pricing_query_count_is_constant(licence_prices, tenant, owner):
    client = login_client(owner)
    MembershipFactory(tenant=tenant, licence="LIGHT")
    few = _count_queries(client, PRICING)
    for _ in range(28):
        MembershipFactory(tenant=tenant, licence="BASIC")
    many = _count_queries(client, PRICING)
    assert few == many
