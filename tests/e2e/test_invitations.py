"""Journey: a company invites a person who already has a Verksam account. The company sees only the
address; the person finds the invitation on their start page and chooses to join (issue 7)."""

import pytest
from playwright.sync_api import expect

from .conftest import login, url_pattern

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_invite_an_existing_account_who_accepts_from_the_start_page(
    page, live_server, tenant, owner, stranger, mailoutbox
):
    # The owner invites an address that belongs to someone in another company
    login(page, live_server, owner.email)
    page.goto(f"{live_server.url}/t/{tenant.slug}/users/invite/")
    page.locator("#id_email").fill(stranger.email)
    page.get_by_role("button", name="Skicka inbjudan").click()
    expect(page).to_have_url(url_pattern(live_server, tenant.slug, "users/"))
    expect(page.locator(".messages")).to_contain_text(f"En inbjudan har skickats till {stranger.email}.")
    invitations = page.get_by_test_id("invitation-table")
    expect(invitations.locator(f'tr[data-email="{stranger.email}"]')).to_be_visible()
    expect(invitations.get_by_role("button", name="Skicka ny inbjudan")).to_be_visible()
    expect(page.locator("main")).not_to_contain_text(stranger.name)
    assert [m.to for m in mailoutbox] == [[stranger.email]]
    page.get_by_role("button", name="Logga ut").click()

    # The invited person logs in: not a member yet, the start page lists the invitation
    login(page, live_server, stranger.email)
    response = page.goto(f"{live_server.url}/t/{tenant.slug}/")
    assert response is not None and response.status == 404
    page.goto(f"{live_server.url}/")
    mine = page.get_by_test_id("my-invitations")
    expect(mine).to_contain_text(tenant.name)
    expect(mine).to_contain_text("Länken gäller till")
    mine.get_by_role("button", name="Tacka ja och gå med").click()

    # …and joins
    expect(page).to_have_url(url_pattern(live_server, tenant.slug))
    expect(page.get_by_role("heading", level=1)).to_have_text(tenant.name)
    expect(page.get_by_test_id("tenant-switcher")).to_contain_text(tenant.name)
