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
