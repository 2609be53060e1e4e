"""Journeys of the partner portal (issue 11 "Done when"): the partner creates a folder the customer
may edit and uploads a document, the customer replaces it with a new version, the partner gets a
message notification and answers in the customer's individual channel; a firm creates a new
collaboration and the invited customer logs in and sees the shared folder."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from verksam.tenancy.tests.helpers import membership_of

from .conftest import PASSWORD, login, tenant_url

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PDF = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


def _upload(page, name: str, body: bytes) -> None:
    page.get_by_test_id("upload-form").locator("input[type=file]").set_input_files(
        files=[{"name": name, "mimeType": "application/pdf", "buffer": body}]
    )
    page.get_by_role("button", name="Ladda upp").click()


def test_documents_and_messages_between_the_firm_and_the_customer(
    page, another_page, live_server, tenant, owner, employee, partner_full, partner_firm
):
    # given the partner in Mina samarbeten
    login(page, live_server, partner_full.email)
    page.goto(tenant_url(live_server, partner_firm.slug, "portal/"))
    page.get_by_role("link", name=tenant.name).click()
    expect(page.get_by_test_id("log-in-as-customer")).to_be_visible()
    # when they create a folder the customer may edit and upload a document
    page.get_by_test_id("tab-documents").click()
    page.get_by_test_id("folder-new").click()
    page.locator("#id_name").fill("Bokslut 2026")
    page.get_by_label("Kunden får läsa och redigera").check()
    page.get_by_role("button", name="Spara").click()
    expect(page.get_by_test_id("folder-tree")).to_contain_text("Bokslut 2026")
    _upload(page, "avtal.pdf", PDF)
    expect(page.locator('tr[data-document="avtal.pdf"]')).to_be_visible()

    # then the customer sees it in their own account and replaces it with a new version
    customer = another_page()
    login(customer, live_server, employee.email)
    customer.goto(tenant_url(live_server, tenant.slug))
    customer.locator("nav.modules").get_by_role("link", name="Dokument").click()
    expect(customer.locator('tr[data-document="avtal.pdf"]')).to_be_visible()
    _upload(customer, "avtal.pdf", PDF + b"% version 2\n")
    expect(customer.locator('tr[data-document="avtal.pdf"] td').nth(1)).to_have_text("2")

    # when the customer writes to the firm in their individual channel
    customer.locator("nav.modules").get_by_role("link", name="Meddelanden").click()
    customer.locator("#id_body").fill("Här är det nya avtalet")
    customer.get_by_role("button", name="Skicka").click()
    expect(customer.get_by_test_id("thread")).to_contain_text("Här är det nya avtalet")

    # then the partner was notified by e-mail and sees the badges on Mina samarbeten
    assert partner_full.email in [m.to[0] for m in mail.outbox]
    page.goto(tenant_url(live_server, partner_firm.slug, "portal/"))
    row = page.locator(f'tr[data-customer="{tenant.slug}"]')
    expect(row.locator('[data-badge="messages"]')).to_have_text("1")
    expect(row.locator('[data-badge="documents"]')).to_have_text("1")
    # and answers in the customer's individual channel
    page.get_by_role("link", name=tenant.name).click()
    page.get_by_test_id("tab-messages").click()
    key = f"m{membership_of(tenant, employee).pk}"
    page.locator(f'[data-channel="{key}"]').click()
    expect(page.get_by_test_id("thread")).to_contain_text("Här är det nya avtalet")
    page.locator("#id_body").fill("Tack, vi tittar på det")
    page.get_by_role("button", name="Skicka").click()
    # the answer appears at the customer without a reload (the thread is polled)
    expect(customer.get_by_test_id("thread")).to_contain_text("Tack, vi tittar på det", timeout=15_000)


def test_a_firm_creates_a_collaboration_and_the_invited_customer_sees_the_shared_folder(
    page, another_page, live_server, partner_full, partner_firm
):
    login(page, live_server, partner_full.email)
    page.goto(tenant_url(live_server, partner_firm.slug, "portal/"))
    page.get_by_test_id("collaboration-new").click()
    page.locator("#id_name").fill("Nya Kunden AB")
    page.locator("#id_orgnr").fill("556036-0793")
    page.locator("#id_contact_name").fill("Vera Vd")
    page.locator("#id_contact_email").fill("vd@nyakunden.se")
    page.get_by_role("button", name="Skapa samarbete").click()
    expect(page.get_by_text("Nya Kunden AB har skapats")).to_be_visible()
    # the firm shares a folder with the new customer
    page.get_by_role("link", name="Nya Kunden AB").click()
    page.get_by_test_id("tab-documents").click()
    page.get_by_test_id("folder-new").click()
    page.locator("#id_name").fill("Underlag")
    page.get_by_role("button", name="Spara").click()
    expect(page.get_by_test_id("folder-tree")).to_contain_text("Underlag")

    # the contact follows the link in the invitation, creates an account and sees the folder
    (invitation,) = [m for m in mail.outbox if m.to == ["vd@nyakunden.se"]]
    link = re.search(r"https?://\S+/invitations/\S+", invitation.body).group(0)
    customer = another_page()
    customer.goto(live_server.url + link[link.index("/invitations/") :])
    customer.locator("#id_password1").fill(PASSWORD + "x")
    customer.locator("#id_password2").fill(PASSWORD + "x")
    customer.get_by_role("button", name="Tacka ja och gå med").click()
    customer.locator("nav.modules").get_by_role("link", name="Dokument").click()
    expect(customer.get_by_test_id("folder-tree")).to_contain_text("Underlag")
