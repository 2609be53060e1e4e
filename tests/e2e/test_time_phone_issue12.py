"""Issue 12 in Chromium at 375 × 812 and 1366 × 900: the top of the time pages is short on a phone,
a refused save brings its error summary into view with the focus, the sticky save button never
covers a field, the VAB fields follow the absence type (and stay without JavaScript), destructive
actions ask first, and one employee's month in attestation stays readable (page height measured)."""

import pytest
from playwright.sync_api import expect

from .conftest import login, tenant_url
from .timeui_data import time_site

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE = {"viewport": {"width": 375, "height": 812}, "is_mobile": True, "has_touch": True}
DESK = {"viewport": {"width": 1366, "height": 900}}


@pytest.fixture
def phone(browser, browser_context_args):
    context = browser.new_context(**{**browser_context_args, **PHONE, "device_scale_factor": 2})
    yield context.new_page()
    context.close()


@pytest.fixture
def desk(browser, browser_context_args):
    context = browser.new_context(**{**browser_context_args, **DESK})
    yield context.new_page()
    context.close()


@pytest.fixture
def site(tenant, employee, attestant):
    return time_site(tenant, employee, attestant)


def _day_url(live_server, tenant, site, index=-1):
    return tenant_url(live_server, tenant.slug, f"time/day/{site.days[index].isoformat()}/")


def test_the_header_and_module_tabs_take_at_most_120_px_on_a_phone(
    phone, live_server, tenant, employee, site
):
    login(phone, live_server, employee.email)
    for path in (
        "time/",
        f"time/day/{site.days[-1].isoformat()}/",
        f"time/day/{site.days[-2].isoformat()}/",
        "",
    ):
        phone.goto(tenant_url(live_server, tenant.slug, path))
        header = phone.locator("header.topbar").bounding_box()
        modules = phone.locator("nav.modules").bounding_box()
        assert header["height"] <= 56, path  # one row, not wrapped
        assert modules["y"] + modules["height"] <= 120, path
        assert phone.evaluate("document.documentElement.scrollWidth") <= 375, path


def test_a_refused_save_puts_the_error_summary_in_view_with_the_focus(
    phone, live_server, tenant, employee, site
):
    login(phone, live_server, employee.email)
    phone.goto(_day_url(live_server, tenant, site))
    phone.locator("#id_work-minutes").fill("sju timmar")
    phone.get_by_test_id("save-work").click()
    summary = phone.get_by_test_id("error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_be_in_viewport()
    expect(summary).to_contain_text("Skriv tiden som 7,5 eller 7:30.")
    summary.get_by_role("link").first.click()
    expect(phone.locator("#id_work-minutes")).to_be_in_viewport()


def test_the_sticky_save_button_never_covers_a_field(phone, live_server, tenant, employee, site):
    login(phone, live_server, employee.email)
    phone.goto(_day_url(live_server, tenant, site) + "?more=1")  # every field of the form
    form = phone.get_by_test_id("work-form")
    fields = form.locator("input:not([type=hidden]), select, textarea")
    assert fields.count() >= 8
    for i in range(fields.count()):
        field = fields.nth(i)
        if not field.is_visible():
            continue
        field.focus()
        box = field.bounding_box()
        bar = form.locator(".sticky-save").bounding_box()
        overlap = box["y"] < bar["y"] + bar["height"] and box["y"] + box["height"] > bar["y"]
        assert not overlap, f"field {i} under the save button: {box} / {bar}"
    # at the end of the form the last field sits above the button, not under it
    phone.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    last = form.locator("textarea").last.bounding_box()
    assert last["y"] + last["height"] <= form.locator(".sticky-save").bounding_box()["y"]


def test_the_childs_personnummer_shows_for_vab_only(phone, live_server, tenant, employee, site):
    login(phone, live_server, employee.email)
    phone.goto(_day_url(live_server, tenant, site))
    phone.locator("details.entry-form summary", has_text="Rapportera frånvaro").click()
    child = phone.get_by_test_id("child-fields")
    phone.locator("#id_absence-absence_type").select_option(str(site.sick.pk))
    expect(child).to_be_hidden()
    phone.locator("#id_absence-absence_type").select_option(str(site.vab.pk))
    expect(child).to_be_visible()


def test_without_javascript_the_vab_fields_are_there(
    browser, browser_context_args, live_server, tenant, employee, site
):
    context = browser.new_context(**{**browser_context_args, **PHONE, "java_script_enabled": False})
    page = context.new_page()
    login(page, live_server, employee.email)
    page.goto(_day_url(live_server, tenant, site))
    page.locator("details.entry-form summary", has_text="Rapportera frånvaro").click()
    expect(page.locator("#id_absence-child_personnummer")).to_be_visible()
    context.close()


def test_deleting_an_entry_asks_and_says_what_happens(phone, live_server, tenant, employee, site):
    login(phone, live_server, employee.email)
    phone.goto(_day_url(live_server, tenant, site, index=-2))  # reported, not locked
    phone.get_by_test_id("delete-entry").first.click()
    dialog = phone.get_by_test_id("confirm-dialog")
    expect(dialog).to_contain_text("kan inte återställas")
    dialog.get_by_role("button", name="Avbryt").click()
    expect(phone.get_by_test_id("entry-hours")).to_have_count(1)
    phone.get_by_test_id("delete-entry").first.click()
    phone.get_by_test_id("confirm-dialog").get_by_role("button", name="Ta bort tidrapport").click()
    expect(phone.get_by_test_id("entry-hours")).to_have_count(0)


@pytest.mark.parametrize("size", ["phone", "desk"])
def test_one_employees_month_and_the_queue_of_30_stay_short(
    request, size, live_server, tenant, employee, attestant, browser, browser_context_args
):
    site = time_site(tenant, employee, attestant, others=29)  # 30 employees, a month each
    page = request.getfixturevalue(size)
    login(page, live_server, attestant.email)
    page.goto(tenant_url(live_server, tenant.slug, f"attestation/{site.member_id}/?period={site.period.key}"))
    height = page.evaluate("document.documentElement.scrollHeight")
    limit = 4500 if size == "phone" else 2800
    assert height <= limit, f"employee month {height} px at {size}"
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]
    # the actions stay at hand at the bottom of the month
    page.evaluate("window.scrollTo(0, document.body.scrollHeight * 0.7)")
    expect(page.get_by_test_id("attest")).to_be_in_viewport()
    page.goto(tenant_url(live_server, tenant.slug, f"attestation/?period={site.period.key}"))
    expect(page.get_by_test_id("attest-queue").locator("tbody tr[data-member]")).to_have_count(30)
    queue = page.evaluate("document.documentElement.scrollHeight")
    print(f"{size}: employee month {height} px, queue of 30 {queue} px")
    assert queue <= (5500 if size == "phone" else 3400)
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]
