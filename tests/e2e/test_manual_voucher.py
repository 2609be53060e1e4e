"""Journey (issue 10 item 6, Nytt verifikat) at 1366 × 900: the bookkeeper enters a voucher by hand
— rows with a decimal comma, a row added — sees the difference while typing, is refused while it
does not balance, posts it and sees its number; then reverses it with "Vänd verifikat"."""

import pytest
from playwright.sync_api import expect

from verksam.bookkeeping.models import Voucher
from verksam.tenancy.scope import tenant_scope

from .conftest import login, tenant_url

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_the_bookkeeper_enters_and_posts_a_manual_voucher(page, live_server, tenant, owner):
    page.set_viewport_size({"width": 1366, "height": 900})
    login(page, live_server, owner.email)
    page.goto(tenant_url(live_server, tenant.slug, "bookkeeping/"))
    page.get_by_test_id("voucher-new").click()
    expect(page.locator("h1")).to_have_text("Nytt verifikat")
    expect(page.locator("#id_series")).to_have_value("V")

    page.locator("#id_date").fill("2026-03-31")
    page.locator("#id_text").fill("Periodisering hyra mars")
    page.locator("#id_rows-0-account").fill("5010")
    page.locator("#id_rows-0-debit").fill("1 250,50")
    page.locator("#id_rows-1-account").fill("2641")
    page.locator("#id_rows-1-debit").fill("312,63")
    page.locator("#id_rows-2-account").fill("1930")
    page.locator("#id_rows-2-credit").fill("1563,00")
    difference = page.get_by_test_id("voucher-difference")
    expect(difference).to_have_text("0,13")
    expect(page.get_by_test_id("voucher-debit-total")).to_have_text("1\u00a0563,13")

    # posting while it does not balance: refused in Swedish, what was typed kept, nothing written
    page.get_by_test_id("voucher-new-post").click()
    expect(page.get_by_test_id("voucher-error")).to_contain_text("balanserar inte")
    expect(page.get_by_test_id("voucher-error")).to_contain_text("0,13 kr")
    expect(page.locator("#id_rows-0-debit")).to_have_value("1 250,50")
    with tenant_scope(tenant.pk):
        assert not Voucher.objects.exists()

    # a row added for the rounding makes it balance
    page.get_by_test_id("voucher-add-row").click()
    page.locator("#id_rows-4-account").fill("3740")
    page.locator("#id_rows-4-credit").fill("0,13")
    expect(difference).to_have_text("Balanserar")
    page.get_by_test_id("voucher-new-post").click()
    expect(page.get_by_test_id("voucher-label")).to_have_text("V1")
    expect(page.get_by_test_id("voucher-status")).to_have_text("Bokförd")
    expect(page.get_by_test_id("voucher-rows")).to_contain_text("3740")

    page.get_by_test_id("voucher-reverse").click()
    page.get_by_test_id("confirm-dialog").get_by_role("button", name="Vänd verifikat").click()
    expect(page.get_by_test_id("voucher-label")).to_have_text("V2")
    with tenant_scope(tenant.pk):
        assert list(Voucher.objects.order_by("number").values_list("number", "reverses__number")) == [
            (1, None),
            (2, 1),
        ]
