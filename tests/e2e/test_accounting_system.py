"""Journey: a TOTAL user connects the company to Fortnox on Inställningar > Bokföringssystem (the
fake's consent page, "Godkänn"), a voucher with a receipt photo is pushed, and it appears in the
Fortnox fake with its image and as sent on our page. The fake runs on a free loopback port, as
`manage.py fake_fortnox` serves it in development."""

import re
from datetime import date

import pytest
from playwright.sync_api import expect

from verksam.integrations.accounting import services
from verksam.integrations.accounting.dto import AttachmentToPush, VoucherRowToPush, VoucherToPush
from verksam.tenancy.access import resolve
from verksam.tenancy.scope import tenant_scope

from .conftest import login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

# a real 1×1 PNG, so the browser can draw it
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360f8cfc0f01f0005000201e5b5f3e00000000049454e44ae426082"
)


def test_owner_connects_fortnox_and_a_voucher_appears_there_with_its_image(
    page, live_server, tenant, owner, fortnox_server
):
    fake, fake_url = fortnox_server
    login(page, live_server, owner.email)
    page.locator("nav.modules").get_by_role("link", name="Bokföringssystem").click()
    expect(page).to_have_url(re.compile(rf"/t/{tenant.slug}/settings/accounting/$"))
    page.get_by_test_id("accounting-connect-fortnox").click()
    expect(page).to_have_url(re.compile(r"^http://127\.0\.0\.1:\d+/oauth-v1/auth\?"))
    page.get_by_role("button", name="Godkänn").click()
    expect(page).to_have_url(re.compile(rf"/t/{tenant.slug}/settings/accounting/$"))
    expect(page.get_by_test_id("accounting-connection")).to_contain_text("Kopplat till Fortnox")

    actor = resolve(owner, tenant)
    voucher = VoucherToPush(
        idempotency_key="voucher:e2e-1",
        series="A",
        date=date(2026, 3, 14),
        text="Utlägg: bensin",
        rows=(
            VoucherRowToPush(account=5611, debit_ore=40000),
            VoucherRowToPush(account=2641, debit_ore=10000),
            VoucherRowToPush(account=2820, credit_ore=50000),
        ),
        attachments=(AttachmentToPush("kvitto.png", "image/png", PNG),),
    )
    with tenant_scope(tenant.pk):
        services.push_enqueue(actor=actor, voucher=voucher)  # the task runs after the commit

    page.reload()
    expect(page.get_by_test_id("accounting-pushes")).to_contain_text("Skickad")
    expect(page.get_by_test_id("accounting-pushes")).to_contain_text("A-1-12")  # financial year 12 = 2026

    page.goto(fake_url + "/")
    section = page.locator("section.voucher")
    expect(section).to_contain_text("Utlägg: bensin")
    image = section.get_by_role("img", name="kvitto.png")
    expect(image).to_be_visible()
    assert image.evaluate("img => img.naturalWidth") == 1
