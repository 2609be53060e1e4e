"""Journey (issue 8 item 4): the employee registers two weeks of semester as one range on the
Absence tab, sees it as one registration spread over the working days, and the week shows the
absence day by day."""

import datetime as dt

import pytest
from playwright.sync_api import expect

from verksam.tenancy.scope import tenant_scope
from verksam.timecodes.tests.factories import AbsenceTypeFactory
from verksam.timereporting.models import AbsenceRange, TimeEntry

from .conftest import login, tenant_url

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

START = dt.date(2026, 7, 6)  # Monday of ISO week 28
END = dt.date(2026, 7, 17)  # Friday of week 29


def test_employee_registers_two_weeks_of_semester_as_one_range(page, live_server, tenant, employee):
    semester = AbsenceTypeFactory(tenant=tenant, code="SEM", name="Semester", paxml_code="SEM")
    login(page, live_server, employee.email)
    page.goto(tenant_url(live_server, tenant.slug, "time/"))
    page.get_by_test_id("tab-absence").click()
    form = page.get_by_test_id("absence-range-form")
    form.locator("#id_absence_type").select_option(str(semester.pk))
    form.locator("#id_start_date").fill(START.isoformat())
    form.locator("#id_end_date").fill(END.isoformat())
    form.locator("#id_comment").fill("Sommarsemester")
    page.get_by_test_id("save-absence-range").click()
    # one registration: one row, ten working days, 80 hours
    expect(page.locator(".messages")).to_contain_text("10")
    rows = page.get_by_test_id("absence-range")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Semester")
    expect(rows.first.get_by_test_id("range-days")).to_have_text("10")
    expect(rows.first).to_contain_text("80:00")
    with tenant_scope(tenant.pk):
        assert AbsenceRange.objects.count() == 1
        assert TimeEntry.objects.filter(absence_range__isnull=False).count() == 10
    # the week shows the absence on each working day
    page.goto(tenant_url(live_server, tenant.slug, "time/?week=2026-W29"))
    grid = page.get_by_test_id("week-grid")
    expect(grid.locator("tr.absence")).to_contain_text("Semester")
    # a day links back to the one registration, which lists its days and can shorten it
    page.goto(tenant_url(live_server, tenant.slug, "time/day/2026-07-08/"))
    page.get_by_test_id("edit-range").click()
    expect(page.get_by_test_id("range-days").locator("tr")).to_have_count(10)
    page.locator("#id_end_date").fill("2026-07-10")
    page.get_by_test_id("save-absence-range").click()
    expect(page.get_by_test_id("absence-range").first.get_by_test_id("range-days")).to_have_text("5")
