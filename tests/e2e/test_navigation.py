"""Journey 4: the navigation shows only what the licence allows, and the server agrees (403)."""

import pytest
from playwright.sync_api import expect

from .conftest import login, tenant_url

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

ADMIN_PAGES = ["users/", "partners/", "audit/", "pricing/"]  # need TOTAL (or a FULL partner)


def test_a_light_employee_sees_no_admin_links_and_gets_403_on_the_users_page(
    page, live_server, tenant, employee
):
    login(page, live_server, employee.email)
    nav = page.locator("nav.modules")
    expect(nav.get_by_role("link", name="Översikt")).to_be_visible()
    expect(nav.get_by_role("link", name="Användare")).to_have_count(0)
    for path in ADMIN_PAGES:
        expect(nav.locator(f'a[href="/t/{tenant.slug}/{path}"]')).to_have_count(0)

    response = page.goto(tenant_url(live_server, tenant.slug, "users/"))

    assert response.status == 403
    expect(page.get_by_role("heading", level=1)).to_have_text("Du har inte behörighet till den här sidan")


def test_a_total_user_sees_the_admin_links(page, live_server, tenant, owner):
    login(page, live_server, owner.email)
    nav = page.locator("nav.modules")
    expect(nav.get_by_role("link", name="Användare")).to_be_visible()
    for path in ADMIN_PAGES:
        expect(nav.locator(f'a[href="/t/{tenant.slug}/{path}"]')).to_have_count(1)


def test_another_companys_page_answers_404(page, live_server, tenant, employee, other_tenant):
    login(page, live_server, employee.email)

    response = page.goto(tenant_url(live_server, other_tenant.slug, "users/"))

    assert response.status == 404
