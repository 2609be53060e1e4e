"""Löneunderlag in the browser (issue 9): the payroll administrator opens the period and sees it
preliminary with the missing day and its link to the approver queue, leaves the late employee out
(remembered), sees it complete, runs the dry run and downloads the test export; an accounting-firm
user with LIMITED access opens the same basis from Mina samarbeten and prints it; both pages fit a
375 px phone."""

import datetime as dt

import pytest
from playwright.sync_api import expect

from verksam.payroll.tests.db import attest, days, kit, person, work

from .conftest import login, tenant_url

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

KEY = "2026-11"


@pytest.fixture
def company(tenant, owner):
    codes = kit(tenant)
    done = person(tenant, 1, name="Klara Klar")
    late = person(tenant, 2, name="Sven Sen")
    november = days(dt.date(2026, 11, 1), dt.date(2026, 11, 30))
    for m in (done, late):
        work(m, november, codes)
    work(done, [dt.date(2026, 11, 10)], codes["overtime"], 90)
    attest(done, november)
    attest(late, november[:-1])
    return {"done": done, "late": late}


def test_the_payroll_administrator_and_the_accounting_firm(
    page, another_page, live_server, tenant, owner, company, partner_limited, partner_firm
):
    login(page, live_server, owner.email)
    page.goto(tenant_url(live_server, tenant.slug))
    page.locator("nav.modules").get_by_role("link", name="Löneunderlag").click()
    page.goto(tenant_url(live_server, tenant.slug, f"payroll/?period={KEY}"))
    # the fixture's own users (no time) and the late employee keep it preliminary
    expect(page.get_by_test_id("basis-status")).to_have_text("Preliminärt")
    late = page.get_by_test_id("missing-employee").filter(has_text="Sven Sen")
    expect(late.locator('[data-date="2026-11-30"]')).to_be_visible()
    expect(late.get_by_test_id("queue-link")).to_have_attribute(
        "href", f"/t/{tenant.slug}/attestation/{company['late'].pk}/?period={KEY}"
    )
    # choose only Klara: remembered for the period, and the basis is complete
    page.get_by_test_id("choose-employees").locator("summary").click()
    for box in page.locator('input[type=checkbox][name="member"]').all():
        box.uncheck()
    page.get_by_role("checkbox", name="Klara Klar (1001)").check()
    page.get_by_test_id("save-choice").click()
    expect(page.get_by_test_id("basis-status")).to_have_text("Allt attesterat")
    expect(page.get_by_test_id("employee")).to_have_count(1)
    expect(page.locator('[data-testid="codes"] tr[data-code="ÖT1"]')).to_contain_text("1:30")
    # the dry run passes and the one-employee test export downloads
    page.get_by_test_id("dry-run-link").click()
    expect(page.get_by_test_id("dry-run-status")).to_have_text("Godkänd")
    with page.expect_download() as download:
        page.get_by_test_id("test-export").click()
    assert download.value.suggested_filename.startswith("test_lonefil_")
    for path in (f"payroll/?period={KEY}", f"payroll/dry-run/?period={KEY}"):
        page.set_viewport_size({"width": 375, "height": 800})
        page.goto(tenant_url(live_server, tenant.slug, path))
        assert page.evaluate("document.documentElement.scrollWidth") <= 375, path

    # the accounting firm with LIMITED access: Mina samarbeten → the customer → Löneunderlag
    firm = another_page()
    login(firm, live_server, partner_limited.email)
    firm.goto(tenant_url(live_server, partner_firm.slug, "portal/"))
    firm.get_by_role("link", name=tenant.name).click()
    firm.get_by_test_id("tab-payroll").click()
    firm.goto(tenant_url(live_server, tenant.slug, f"payroll/?period={KEY}"))
    expect(firm.get_by_test_id("basis-status")).to_have_text("Allt attesterat")
    expect(firm.locator('[data-testid="tab-payroll"][aria-current="page"]')).to_be_visible()
    with firm.expect_download() as pdf:
        firm.get_by_test_id("summary-pdf").click()
    assert pdf.value.suggested_filename == f"loneunderlag_{KEY}.pdf"
