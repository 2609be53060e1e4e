"""Journey 5: on a phone (390x844) the pages fit the screen width: no horizontal scrolling."""

import pytest
from playwright.sync_api import expect

from .conftest import login, tenant_url

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}


@pytest.fixture
def phone(browser, browser_context_args):
    context = browser.new_context(**{**browser_context_args, **PHONE, "device_scale_factor": 3})
    yield context.new_page()
    context.close()


def scroll_width(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth")


def test_dashboard_fits_a_phone(phone, live_server, tenant, owner, employee, partner_full):
    login(phone, live_server, owner.email)
    expect(phone.get_by_role("heading", level=1)).to_have_text(tenant.name)

    assert scroll_width(phone) <= 390


def test_user_list_fits_a_phone(phone, live_server, tenant, owner, employee, attestant):
    login(phone, live_server, owner.email)
    phone.goto(tenant_url(live_server, tenant.slug, "users/"))
    expect(phone.get_by_test_id("member-table")).to_be_visible()

    assert scroll_width(phone) <= 390


def test_the_module_navigation_is_one_row_on_a_phone_with_the_current_module_in_view(
    phone, live_server, tenant, owner
):
    # given an owner, who has every module and every admin page in the navigation
    login(phone, live_server, owner.email)
    # when they open the last admin page on a phone
    phone.goto(tenant_url(live_server, tenant.slug, "audit/"))
    nav = phone.locator("nav.modules")
    current = nav.locator("a[aria-current]")
    expect(current).to_have_text("Händelselogg")
    # then the navigation is a single row that scrolls sideways, not the page
    links = nav.get_by_role("link").all()
    tops = {round(link.bounding_box()["y"]) for link in links}
    assert len(links) > 6 and len(tops) == 1
    assert scroll_width(phone) <= 390
    # and the current module has been scrolled into view
    box = current.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 390


def test_attestation_queue_fits_a_phone_with_the_period_arrows_on_one_row(
    phone, live_server, tenant, owner, employee, attestant
):
    login(phone, live_server, owner.email)
    phone.goto(tenant_url(live_server, tenant.slug, "attestation/"))
    nav = phone.get_by_test_id("period-nav")
    previous, following = nav.locator("a[rel=prev]"), nav.locator("a[rel=next]")
    expect(previous).to_be_visible()
    assert abs(previous.bounding_box()["y"] - following.bounding_box()["y"]) < 2
    assert scroll_width(phone) <= 390
