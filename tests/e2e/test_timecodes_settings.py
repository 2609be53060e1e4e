"""Journey: a TOTAL user opens Tidsinställningar, adds a time code, is refused a duplicate code,
and switches the deviation period to the 16th–15th."""

import pytest
from playwright.sync_api import expect

from verksam.tenancy.scope import tenant_scope
from verksam.timecodes.models import TimeCode, TimeSettings
from verksam.timecodes.services import timecodes_install_defaults

from .conftest import login, tenant_url

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_owner_adds_a_time_code_and_sets_the_deviation_period(page, live_server, tenant, owner):
    timecodes_install_defaults(tenant_id=tenant.pk)  # the defaults a company is created with
    login(page, live_server, owner.email)
    page.locator("nav.modules").get_by_role("link", name="Tidsinställningar").click()
    expect(page.get_by_role("heading", name="Tidsinställningar", exact=True)).to_be_visible()
    expect(page.get_by_test_id("time-code-table")).to_contain_text("Normaltid")

    # Ny tidkod: Övertid 3 (PAXml ÖT3)
    page.get_by_text("Ny tidkod").click()
    page.locator("#id_tc-code").fill("OT3")
    page.locator("#id_tc-name").fill("Övertid 3")
    page.locator("#id_tc-paxml_code").select_option("ÖT3")
    page.get_by_role("button", name="Lägg till tidkod").click()
    expect(page.get_by_test_id("time-code-table").locator('tr[data-code="OT3"]')).to_contain_text("ÖT3")
    page.screenshot(path="/tmp/tc-settings.png", full_page=True)

    # A duplicate code is refused with 422 and a Swedish message; nothing is written.
    page.get_by_text("Ny tidkod").click()
    page.locator("#id_tc-code").fill("norm")
    page.locator("#id_tc-name").fill("Dubblett")
    with page.expect_response(lambda r: r.request.method == "POST") as posted:
        page.get_by_role("button", name="Lägg till tidkod").click()
    assert posted.value.status == 422
    expect(page.get_by_test_id("time-code-form")).to_contain_text("En annan tidkod har redan den koden.")

    # Avvikelseperiod: the 16th to the 15th.
    page.goto(tenant_url(live_server, tenant.slug, "settings/time/#avvikelseperiod"))
    page.locator("#id_ps-period_start_day").select_option("16")
    page.get_by_test_id("settings-form").get_by_role("button", name="Spara").click()
    expect(page.get_by_test_id("period-label")).to_contain_text("16")
    expect(page.get_by_test_id("period-label")).to_contain_text("15")
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path="/tmp/tc-settings-phone.png", full_page=True)
    with tenant_scope(tenant.pk):
        assert TimeSettings.objects.get().period_start_day == 16
        assert TimeCode.objects.filter(code__in=["OT3", "NORM"]).count() == 2
