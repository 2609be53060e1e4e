"""Issue 10 journey on a 375 px phone: an employee photographs a receipt (the camera input, a
preview), registers and submits the outlay; the approver sees the thumbnail and attests it."""

import io

import pytest
from PIL import Image
from playwright.sync_api import expect

from verksam.expenses.defaults import expenses_install_defaults

from .conftest import login, tenant_url

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE = {"viewport": {"width": 375, "height": 812}, "is_mobile": True, "has_touch": True}


@pytest.fixture
def new_phone(browser, browser_context_args):
    contexts = []

    def make():
        context = browser.new_context(**{**browser_context_args, **PHONE, "device_scale_factor": 2})
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


def receipt_photo() -> bytes:
    image = Image.new("RGB", (1200, 1600), (240, 240, 230))
    exif = Image.Exif()
    exif[0x8825] = {1: "N", 2: (59.0, 19.0, 48.0), 3: "E", 4: (18.0, 4.0, 7.0)}
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return out.getvalue()


def scroll_width(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth")


def test_employee_photographs_a_receipt_and_the_approver_attests_it(
    new_phone, live_server, tenant, owner, attestant, employee
):
    expenses_install_defaults(tenant_id=tenant.pk)
    # the employee on their phone
    phone = new_phone()
    login(phone, live_server, employee.email)
    phone.goto(tenant_url(live_server, tenant.slug, "expenses/"))
    expect(phone.get_by_role("heading", level=1)).to_have_text("Mina utlägg")
    file_input = phone.locator("input[type=file]")
    assert file_input.get_attribute("capture") == "environment"
    assert file_input.get_attribute("accept") == "image/*,application/pdf"
    file_input.set_input_files(
        files=[{"name": "IMG_0042.jpg", "mimeType": "image/jpeg", "buffer": receipt_photo()}]
    )
    expect(phone.get_by_test_id("receipt-preview")).to_be_visible()
    phone.get_by_label("Typ").select_option(label="Drivmedel")
    phone.get_by_label("Belopp inkl. moms (kr)").fill("625,00")
    phone.get_by_label("Moms 25 % (kr)").fill("125,00")
    phone.get_by_label("Beskrivning").fill("Diesel till bygget")
    assert scroll_width(phone) <= 375
    phone.get_by_test_id("save-and-submit").click()
    expect(phone.locator(".messages")).to_contain_text("Utlägget har skickats in.")
    row = phone.get_by_test_id("expense").first
    expect(row.locator("[data-status=submitted]")).to_be_visible()
    expect(row.get_by_test_id("receipt-thumb")).to_be_visible()
    assert phone.evaluate("document.querySelector('[data-testid=receipt-thumb]').naturalWidth") > 0
    assert scroll_width(phone) <= 375

    # the approver, also on a phone, attests it from the queue's Utlägg och resor tab
    approver = new_phone()
    login(approver, live_server, attestant.email)
    approver.goto(tenant_url(live_server, tenant.slug, "attestation/"))
    approver.get_by_test_id("claims-tab").click()
    claim = approver.get_by_test_id("claim").first
    expect(claim).to_contain_text("Drivmedel")
    expect(claim).to_contain_text("625,00")
    # the thumbnail is served (permission-checked) and decoded: wait for it rather than race the load
    approver.wait_for_function(
        "() => { const i = document.querySelector('[data-testid=queue-thumb]'); return i && i.complete }"
    )
    assert approver.evaluate("document.querySelector('[data-testid=queue-thumb]').naturalWidth") > 0
    assert scroll_width(approver) <= 375
    claim.get_by_test_id("attest-claim").click()
    expect(approver.locator(".messages")).to_contain_text("Attesterad.")
    expect(approver.get_by_test_id("claims-empty")).to_be_visible()

    # the employee sees it attested
    phone.reload()
    expect(phone.get_by_test_id("expense").first.locator("[data-status=attested]")).to_be_visible()
