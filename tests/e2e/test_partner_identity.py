"""Journey: an accounting firm confirms a new accountant's personnummer, then a customer adds them
as byråpartner by it; a LIMITED partner reads the users list without edit controls (issue 7)."""

import pytest
from playwright.sync_api import expect

from verksam.tenancy.models import Licence
from verksam.tenancy.tests.factories import MembershipFactory, UserFactory, make_personnummer

from .conftest import login, tenant_url

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_the_firm_confirms_and_the_customer_adds_the_accountant(
    page, live_server, tenant, owner, partner_firm, another_page
):
    # given a firm owner and a new accountant who entered their personnummer themselves
    chef = MembershipFactory(
        tenant=partner_firm, user=UserFactory(email="chef@byra.se", name="Carl Chef"), licence=Licence.TOTAL
    ).user
    pnr = make_personnummer(980)
    MembershipFactory(
        tenant=partner_firm,
        user=UserFactory(email="ny@byra.se", name="Nils Byrå", personnummer=pnr),
        licence=Licence.STANDARD,
    )
    # when the customer tries to add them first / then refused, saying what to do
    login(page, live_server, owner.email)
    page.goto(tenant_url(live_server, tenant.slug, "partners/"))
    page.locator("#id_personnummer").fill(pnr)
    page.locator("#id_personnummer").press("Enter")
    expect(page.get_by_text("Be byråns administratör att bekräfta det")).to_be_visible()

    # when the firm's owner confirms the number from the ID document
    firm = another_page()
    login(firm, live_server, chef.email)
    firm.goto(tenant_url(live_server, partner_firm.slug, "users/"))
    row = firm.locator('tr[data-email="ny@byra.se"]')
    expect(row.get_by_test_id("personnummer")).to_contain_text(pnr[:8] + "-****")
    row.get_by_role("link", name="Bekräfta personnummer").click()
    firm.locator("#id_personnummer").fill(f"{pnr[:8]}-{pnr[8:]}")
    firm.get_by_role("button", name="Bekräfta").click()
    expect(firm.locator('tr[data-email="ny@byra.se"]').get_by_text("Bekräftat")).to_be_visible()

    # then the customer can add them
    page.locator("#id_personnummer").fill(pnr)
    page.locator("#id_personnummer").press("Enter")
    expect(page.get_by_text("Nils Byrå på Byrå Revision AB har nu åtkomst")).to_be_visible()


def test_a_limited_partner_reads_the_users_without_edit_controls(
    page, live_server, tenant, owner, employee, partner_limited
):
    login(page, live_server, partner_limited.email)
    page.goto(tenant_url(live_server, tenant.slug))
    page.locator("nav.modules").get_by_role("link", name="Användare").click()
    table = page.get_by_test_id("member-table")
    expect(table.locator(f'tr[data-email="{employee.email}"]')).to_be_visible()
    expect(page.get_by_role("link", name="Bjud in användare")).to_have_count(0)
    expect(table.get_by_role("link", name="Redigera")).to_have_count(0)
