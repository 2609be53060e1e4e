"""Journey: an employee reports time on a phone (375 px) with the one-hand day form and locks the
week; on the desktop they type hours into the week grid (saved per cell through htmx)."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from verksam.tenancy.scope import tenant_scope
from verksam.timereporting.models import DayLock, TimeEntry

from .conftest import assigned_project, login, tenant_url

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def project(tenant, employee):
    return assigned_project(tenant, employee)[0]


def test_employee_reports_a_day_on_a_phone_and_locks_the_week(phone, live_server, tenant, employee, project):
    login(phone, live_server, employee.email)
    phone.goto(tenant_url(live_server, tenant.slug, "time/"))
    # the week is a per-day list on a phone, not the grid
    expect(phone.get_by_test_id("week-list")).to_be_visible()
    expect(phone.get_by_test_id("week-grid")).to_be_hidden()
    phone.get_by_test_id("week-list").locator("a").first.click()
    # the one-hand form: large inputs and a save button that stays in reach
    phone.locator("#id_work-project").select_option(str(project.pk))
    phone.locator("#id_work-start_time").fill("07:00")
    phone.locator("#id_work-end_time").fill("16:00")
    phone.locator("#id_work-break_minutes").fill("60")
    phone.locator("#id_work-comment").fill("Stomme")
    assert phone.get_by_test_id("save-work").bounding_box()["width"] > 300
    phone.get_by_test_id("save-work").click()
    expect(phone.get_by_test_id("day-total")).to_have_text("8:00")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375
    # back to the week and lock it: the days up to today (issue 8 item 5), confirming that the
    # other scheduled days so far have nothing to report
    phone.get_by_role("link", name="Vecka").first.click()
    # the week page first: counting its checkbox on the day page still shown finds none (a race that
    # failed this test on a loaded machine)
    expect(phone.get_by_test_id("lock-week")).to_be_visible()
    today = timezone.localdate()
    if phone.get_by_test_id("nothing-to-report").count():  # not on a Monday: Monday has its 8 h
        phone.get_by_test_id("nothing-to-report").locator("input").check()
    phone.get_by_test_id("lock-week").click()
    week = today.isocalendar().week
    expect(phone.locator(".messages")).to_contain_text(f"Vecka {week} är låst och skickad för attest.")
    expect(phone.get_by_test_id("week-list").locator(".badge").first).to_have_text("Låst")
    with tenant_scope(tenant.pk):
        assert DayLock.objects.count() == today.weekday() + 1  # Monday up to today, never the future
        assert TimeEntry.objects.get().minutes == 480


def test_employee_types_hours_into_the_week_grid(page, live_server, tenant, employee, project):
    login(page, live_server, employee.email)
    page.goto(tenant_url(live_server, tenant.slug, "time/"))
    page.get_by_test_id("add-row").get_by_role("button").click()
    today = timezone.localdate()
    monday = today - dt.timedelta(days=today.weekday())
    cell = page.get_by_test_id("week-grid").locator("input.cell").first
    cell.fill("7,5")
    cell.press("Tab")
    expect(page.get_by_test_id(f"day-total-{monday.isoformat()}")).to_have_text("7:30")
    expect(page.get_by_test_id("week-total")).to_have_text("7:30")
    with tenant_scope(tenant.pk):
        assert TimeEntry.objects.get().minutes == 450
