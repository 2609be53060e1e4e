"""Journey 2: people who work in several companies move between them with the tenant switcher."""

import pytest
from playwright.sync_api import expect

from verksam.tenancy.models import Licence
from verksam.tenancy.tests.factories import MembershipFactory

from .conftest import login, tenant_url, url_pattern

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def switcher_link(page, tenant):
    return page.get_by_test_id("tenant-switcher").locator(f'a[href="/t/{tenant.slug}/"]')


def switch_to(page, tenant) -> None:
    page.get_by_test_id("tenant-switcher").locator("summary").click()
    link = switcher_link(page, tenant)
    expect(link).to_contain_text(tenant.name)
    link.click()


def test_a_member_of_two_companies_switches_between_them(page, live_server, tenant, owner, other_tenant):
    MembershipFactory(tenant=other_tenant, user=owner, licence=Licence.BASIC)

    login(page, live_server, owner.email)
    # Two companies: the start page lets the person choose.
    companies = page.get_by_test_id("tenant-list")
    expect(companies.get_by_role("link")).to_have_count(2)
    companies.get_by_role("link", name=tenant.name).click()
    expect(page).to_have_url(url_pattern(live_server, tenant.slug))

    switch_to(page, other_tenant)

    expect(page).to_have_url(url_pattern(live_server, other_tenant.slug))
    expect(page.get_by_role("heading", level=1)).to_have_text(other_tenant.name)
    expect(page.locator("main .badge")).to_have_text("BASIC")
    expect(page.locator(".banner.partner")).to_have_count(0)

    switch_to(page, tenant)

    expect(page).to_have_url(url_pattern(live_server, tenant.slug))
    expect(page.locator("main .badge")).to_have_text("TOTAL")


def test_a_partner_switches_from_the_firm_to_a_customer_and_sees_the_banner(
    page, live_server, tenant, partner_full, partner_firm
):
    login(page, live_server, partner_full.email)
    page.goto(tenant_url(live_server, partner_firm.slug))
    expect(page.locator(".banner.partner")).to_have_count(0)
    page.get_by_test_id("tenant-switcher").locator("summary").click()
    # The customer is listed with the firm it is reached through.
    expect(switcher_link(page, tenant)).to_contain_text(partner_firm.name)

    switcher_link(page, tenant).click()

    expect(page).to_have_url(url_pattern(live_server, tenant.slug))
    banner = page.get_by_role("status")
    expect(banner).to_contain_text("byråpartner")
    expect(banner).to_contain_text("Fullständig åtkomst")

    switch_to(page, partner_firm)

    expect(page).to_have_url(url_pattern(live_server, partner_firm.slug))
    expect(page.locator(".banner.partner")).to_have_count(0)
