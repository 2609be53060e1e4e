"""Screenshots of the week, the day form on a phone and the attestation page (issue 12's closing
note). Written only when TIMEUI_SHOTS names a directory: `TIMEUI_SHOTS=/tmp/shots pytest …`."""

import os
import pathlib

import pytest

from .conftest import login, tenant_url
from .timeui_data import time_site

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SHOTS = os.environ.get("TIMEUI_SHOTS", "")
PHONE = {"viewport": {"width": 375, "height": 812}, "is_mobile": True, "has_touch": True}
DESK = {"viewport": {"width": 1366, "height": 900}}


@pytest.mark.skipif(not SHOTS, reason="TIMEUI_SHOTS not set")
def test_screenshots(browser, browser_context_args, live_server, tenant, owner, employee, attestant):
    site = time_site(tenant, employee, attestant, others=5)
    out = pathlib.Path(SHOTS)
    out.mkdir(parents=True, exist_ok=True)
    week = "{}-W{:02d}".format(*site.days[-2].isocalendar()[:2])
    for name, size in (("phone", PHONE), ("desktop", DESK)):
        context = browser.new_context(**{**browser_context_args, **size})
        page = context.new_page()
        login(page, live_server, employee.email)
        page.goto(tenant_url(live_server, tenant.slug, f"time/?week={week}"))
        page.screenshot(path=str(out / f"week-{name}.png"), full_page=True)
        page.goto(tenant_url(live_server, tenant.slug, f"time/day/{site.days[-1].isoformat()}/"))
        page.screenshot(path=str(out / f"day-{name}.png"), full_page=True)
        if page.locator("#id_work-minutes").count():
            page.locator("#id_work-minutes").fill("sju timmar")  # refused: the errors
        page.get_by_test_id("save-work").click()
        page.wait_for_load_state()
        page.screenshot(path=str(out / f"day-errors-{name}.png"))
        page.goto(tenant_url(live_server, tenant.slug, ""))
        page.screenshot(path=str(out / f"oversikt-employee-{name}.png"), full_page=True)
        context.close()
        context = browser.new_context(**{**browser_context_args, **size})
        page = context.new_page()
        login(page, live_server, attestant.email)
        page.goto(tenant_url(live_server, tenant.slug, f"attestation/?period={site.period.key}"))
        page.screenshot(path=str(out / f"attestation-{name}.png"), full_page=True)
        page.goto(
            tenant_url(live_server, tenant.slug, f"attestation/{site.member_id}/?period={site.period.key}")
        )
        page.screenshot(path=str(out / f"attestation-employee-{name}.png"), full_page=True)
        page.goto(tenant_url(live_server, tenant.slug, ""))
        page.screenshot(path=str(out / f"oversikt-{name}.png"), full_page=True)
        context.close()
