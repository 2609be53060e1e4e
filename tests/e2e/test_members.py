"""Journey 3: a TOTAL user invites a colleague, who accepts through the e-mailed link by choosing a
password; the TOTAL user changes their licence and cannot demote the last TOTAL."""

import re

import pytest
from playwright.sync_api import expect

from verksam.tenancy.models import Licence, Membership
from verksam.tenancy.scope import tenant_scope

from .conftest import login, url_pattern

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

NEW_EMAIL = "nina.ny@snickeri.se"


def member_row(page, email: str):
    return page.get_by_test_id("member-table").locator(f'tr[data-email="{email}"]')


def test_invite_accept_then_change_licence_then_last_total_is_refused(
    page, live_server, tenant, owner, mailoutbox
):
    login(page, live_server, owner.email)
    page.locator("nav.modules").get_by_role("link", name="Användare").click()
    expect(page).to_have_url(url_pattern(live_server, tenant.slug, "users/"))

    # Invite (Bjud in): the address waits for an answer; it is no user yet
    page.get_by_role("link", name="Bjud in användare").click()
    expect(page).to_have_url(url_pattern(live_server, tenant.slug, "users/invite/"))
    page.locator("#id_email").fill(NEW_EMAIL)
    page.locator("#id_name").fill("Nina Ny")
    page.locator("#id_employment_number").fill("42")
    page.get_by_role("button", name="Skicka inbjudan").click()

    expect(page).to_have_url(url_pattern(live_server, tenant.slug, "users/"))
    expect(page.get_by_test_id("invitation-table").locator(f'tr[data-email="{NEW_EMAIL}"]')).to_be_visible()
    expect(member_row(page, NEW_EMAIL)).to_have_count(0)
    assert [m.to for m in mailoutbox] == [[NEW_EMAIL]]
    assert "Länken gäller till" in mailoutbox[0].body

    # Nina opens the link, chooses a password and joins
    link = re.search(r"https?://\S+(/invitations/\S+/)", mailoutbox[0].body).group(1)
    page.get_by_role("button", name="Logga ut").click()
    page.goto(live_server.url + link)
    expect(page.get_by_test_id("invitation")).to_contain_text(tenant.name)
    expect(page.locator("#id_name")).to_have_value("Nina Ny")
    page.locator("#id_password1").fill("lagom-langt-losen-7")
    page.locator("#id_password2").fill("lagom-langt-losen-7")
    page.get_by_role("button", name="Tacka ja och gå med").click()
    expect(page).to_have_url(url_pattern(live_server, tenant.slug))
    expect(page.locator("main")).to_contain_text(f"Välkommen till {tenant.name}!")
    page.get_by_role("button", name="Logga ut").click()

    # Edit: licence to STANDARD
    login(page, live_server, owner.email)
    page.goto(f"{live_server.url}/t/{tenant.slug}/users/")
    row = member_row(page, NEW_EMAIL)
    expect(row).to_contain_text("Nina Ny")
    expect(row.locator(".badge")).to_have_text("LIGHT")
    row.get_by_role("link", name="Redigera").click()
    page.locator("#id_licence").select_option("STANDARD")
    page.get_by_role("button", name="Spara").click()

    expect(page).to_have_url(url_pattern(live_server, tenant.slug, "users/"))
    expect(member_row(page, NEW_EMAIL).locator(".badge")).to_have_text("STANDARD")

    # The only TOTAL user cannot demote themselves.
    member_row(page, owner.email).get_by_role("link", name="Redigera").click()
    page.locator("#id_licence").select_option("BASIC")
    with page.expect_response(lambda r: r.request.method == "POST") as posted:
        page.get_by_role("button", name="Spara").click()

    assert posted.value.status == 422
    expect(page.get_by_role("alert")).to_contain_text(
        "Företaget måste alltid ha minst en aktiv användare med licensen TOTAL."
    )
    with tenant_scope(tenant.pk):
        assert Membership.objects.get(user=owner).licence == Licence.TOTAL
