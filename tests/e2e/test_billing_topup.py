"""Journey: a TOTAL user tops up SMS ("Köp fler"), pays on the provider's checkout page and comes back
to a larger balance. The fake payment provider runs on a free localhost port, as `manage.py
fake_payment_provider` would serve it in development."""

import re
import threading
from wsgiref.simple_server import WSGIRequestHandler, make_server

import pytest
from playwright.sync_api import expect

from verksam.billing import selectors
from verksam.integrations.payment.fake.app import FakePaymentProvider
from verksam.tenancy.scope import tenant_scope

from .conftest import login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the stdlib's signature
        pass


@pytest.fixture
def payment_server(settings):
    fake = FakePaymentProvider(api_key="e2e-key")
    server = make_server("127.0.0.1", 0, fake, handler_class=_QuietHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.PAYMENT_PROVIDER_URL = f"http://127.0.0.1:{server.server_port}"
    settings.PAYMENT_PROVIDER_API_KEY = "e2e-key"
    try:
        yield fake
    finally:
        server.shutdown()
        server.server_close()


def test_total_user_buys_sms_and_sees_the_new_balance(page, live_server, tenant, owner, payment_server):
    login(page, live_server, owner.email)
    page.locator("nav.modules").get_by_role("link", name="Saldon").click()
    expect(page).to_have_url(re.compile(rf"/t/{tenant.slug}/balances/$"))
    expect(page.get_by_test_id("amount-SMS")).to_have_text("0")

    # Köp fler: 200 SMS. htmx sends the browser to the provider's checkout (a script navigation,
    # which the form-action CSP does not govern).
    card = page.get_by_test_id("balance-SMS")
    card.get_by_label("Antal").select_option("200")
    card.get_by_role("button", name="Köp fler").click()
    expect(page).to_have_url(re.compile(r"^http://127\.0\.0\.1:\d+/checkout/pay_"))
    expect(page.locator(".amount")).to_contain_text("198,00 SEK")

    page.get_by_role("button", name="Betala").click()

    expect(page).to_have_url(re.compile(rf"/t/{tenant.slug}/balances/$"))
    expect(page.locator(".messages")).to_contain_text("Tack! 200 SMS har lagts till ert saldo.")
    expect(page.get_by_test_id("amount-SMS")).to_have_text("200")
    expect(page.get_by_test_id("ledger-table")).to_contain_text("Påfyllning: 200 SMS")
    with tenant_scope(tenant.pk):
        assert selectors.balance_get("SMS") == 200
