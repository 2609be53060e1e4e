"""A phone opens Verksam from the home screen: the service worker is installed on the first visit and
shows the Swedish offline page when there is no coverage (issue 12 item 1)."""

import pytest

from .conftest import login

pytestmark = [pytest.mark.e2e]


@pytest.mark.django_db(transaction=True)
def test_without_coverage_the_phone_gets_the_swedish_offline_page(page, live_server, owner):
    # given a site manager who has used Verksam once (the worker is installed and has its cache)
    login(page, live_server, owner.email)
    page.evaluate("async () => { await navigator.serviceWorker.ready; }")
    page.reload()
    page.wait_for_function("navigator.serviceWorker.controller !== null")
    # when the phone loses its connection and a page is opened
    page.context.set_offline(True)
    try:
        page.goto(f"{live_server.url}/", wait_until="domcontentloaded")
        # then the worker answers with the offline page instead of the browser's error
        assert page.get_by_test_id("offline").is_visible()
        assert "Ingen anslutning just nu" in page.content()
    finally:
        page.context.set_offline(False)
