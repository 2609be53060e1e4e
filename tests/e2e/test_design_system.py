"""The design system in a real browser: the confirmation dialog before a destructive action, and tap
targets a thumb can hit on a 375 px phone (issue 12 items 1-2)."""

import pytest

from .conftest import login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_destructive_action_asks_first_and_cancel_keeps_everything(page, live_server, owner):
    login(page, live_server, owner.email)
    page.goto(f"{live_server.url}/styleguide/")
    before = page.url
    # when the user presses the destructive button, a dialog says what will happen
    page.get_by_role("button", name="Inaktivera användare").click()
    dialog = page.get_by_test_id("confirm-dialog")
    assert dialog.is_visible()
    assert "förlorar åtkomsten direkt" in dialog.inner_text()
    # cancel: nothing was sent
    dialog.get_by_role("button", name="Avbryt").click()
    assert not dialog.is_visible() and page.url == before
    # confirm: the form is sent
    page.get_by_role("button", name="Inaktivera användare").click()
    with page.expect_navigation():
        page.get_by_test_id("confirm-dialog").get_by_role("button", name="Inaktivera").click()


def test_on_a_phone_buttons_and_fields_are_at_least_44_px_high(page, live_server, owner):
    page.set_viewport_size({"width": 375, "height": 812})
    login(page, live_server, owner.email)
    page.goto(f"{live_server.url}/styleguide/")
    heights = page.eval_on_selector_all(
        "main button, main .button, main select, main input:not([type=checkbox]):not([type=radio])",
        "els => els.filter(e => e.offsetParent !== null).map(e => e.getBoundingClientRect().height)",
    )
    assert heights and min(heights) >= 44
