"""Journey 1: a person logs in with the real form and lands on their company's dashboard."""

import pytest
from playwright.sync_api import expect

from .conftest import login, url_pattern

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_login_lands_on_the_company_dashboard(page, live_server, tenant, owner):
    login(page, live_server, owner.email)

    expect(page).to_have_url(url_pattern(live_server, tenant.slug))
    expect(page.get_by_role("heading", level=1)).to_have_text(tenant.name)
    expect(page.locator("main")).to_contain_text(f"Välkommen, {owner.name}.")
    expect(page.get_by_test_id("tenant-switcher")).to_contain_text(tenant.name)


def test_wrong_password_shows_the_swedish_error_and_stays_logged_out(page, live_server, tenant, owner):
    page.goto(f"{live_server.url}/accounts/login/")
    page.locator("#id_email").fill(owner.email)
    page.locator("#id_password").fill("not-the-password")
    with page.expect_response(lambda r: r.request.method == "POST") as posted:
        page.locator("form button[type=submit]").click()

    assert posted.value.status == 422
    expect(page.get_by_role("alert")).to_contain_text("Fel e-postadress eller lösenord.")
    page.goto(f"{live_server.url}/t/{tenant.slug}/")
    expect(page).to_have_url(f"{live_server.url}/accounts/login/?next=/t/{tenant.slug}/")
