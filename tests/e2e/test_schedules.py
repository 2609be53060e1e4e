"""Journey (issue 8 item 1): an office manager gives an employee the 75 % schedule from a date; the
employee's week then measures each day against 6 hours ("6:00 av 6:00") and a whole day of sickness
counts 6 hours."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from verksam.projects.tests.factories import ProjectFactory, ProjectMemberFactory
from verksam.schedules.models import ScheduleTemplate, WorkSchedule
from verksam.tenancy.models import Membership
from verksam.tenancy.scope import tenant_scope
from verksam.timecodes.tests.factories import AbsenceTypeFactory, TimeCodeFactory
from verksam.timereporting.tests.factories import TimeEntryFactory

from .conftest import login, tenant_url

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def a_week_without_roda_dagar() -> dt.date:
    """The Monday of the latest past week without a röd dag on Monday–Friday."""
    from verksam.core.timeutil import is_workday

    today = timezone.localdate()
    monday = today - dt.timedelta(days=today.weekday() + 7)
    while not all(is_workday(monday + dt.timedelta(days=i)) for i in range(5)):
        monday -= dt.timedelta(days=7)
    return monday


def test_office_manager_gives_a_75_percent_schedule_and_the_week_reads_6_of_6(
    page, live_server, tenant, owner, employee
):
    monday = a_week_without_roda_dagar()
    code = TimeCodeFactory(tenant=tenant, code="NT", name="Normaltid", is_default=True)
    sick = AbsenceTypeFactory(tenant=tenant, code="SJK", name="Sjuk", paxml_code="SJK")
    site = ProjectFactory(tenant=tenant, number="P1", name="Villa Ek")
    with tenant_scope(tenant.pk):
        member = Membership.objects.get(user=employee)
        template = ScheduleTemplate(tenant=tenant, name="Deltid 75 % mån–fre 6 h", percent=75)
        template.set_weekday_minutes((360, 360, 360, 360, 360, 0, 0))
        template.save()
    ProjectMemberFactory(tenant=tenant, project=site, membership=member)
    # Monday and Tuesday: 6 hours each; Wednesday: 4 hours
    for i, minutes in enumerate((360, 360, 240)):
        TimeEntryFactory(
            membership=member,
            date=monday + dt.timedelta(days=i),
            project=site,
            time_code=code,
            minutes=minutes,
        )

    # The office manager ticks the employee in the list and gives the 75 % template from that Monday.
    login(page, live_server, owner.email)
    page.goto(tenant_url(live_server, tenant.slug, "settings/schedules/"))
    form = page.get_by_test_id("assign-form")
    form.locator("select").select_option(str(template.pk))
    form.locator("input[type=date]").fill(monday.isoformat())
    form.get_by_test_id("assign-users").get_by_label(employee.name).check()
    form.get_by_test_id("assign-submit").click()
    expect(page.locator(".messages")).to_contain_text("Deltid 75 % mån–fre 6 h")
    with tenant_scope(tenant.pk):
        row = WorkSchedule.objects.get(membership=member)
    assert (row.valid_from, row.monday_minutes, row.percent) == (monday, 360, 75)
    # the users list shows it
    page.goto(tenant_url(live_server, tenant.slug, "users/"))
    expect(page.get_by_test_id(f"schedule-{member.pk}")).to_contain_text("30:00")

    # The employee's week measures every day against 6 hours.
    page.context.clear_cookies()
    login(page, live_server, employee.email)
    week = "{}-W{:02d}".format(*monday.isocalendar()[:2])
    page.goto(tenant_url(live_server, tenant.slug, f"time/?week={week}"))
    day = lambda i: (monday + dt.timedelta(days=i)).isoformat()  # noqa: E731
    expect(page.get_by_test_id(f"day-scheduled-{day(0)}")).to_have_text("6:00 av 6:00")
    expect(page.get_by_test_id(f"day-scheduled-{day(2)}")).to_have_text("4:00 av 6:00")
    expect(page.get_by_test_id(f"day-scheduled-{day(5)}")).to_have_text("–")
    expect(page.get_by_test_id("week-of-schedule")).to_have_text("16:00 av 30:00")

    # A whole day of sickness on Thursday counts the day's 6 hours.
    page.goto(tenant_url(live_server, tenant.slug, f"time/day/{day(3)}/"))
    page.locator("details.entry-form summary", has_text="frånvaro").or_(
        page.locator("details.entry-form summary", has_text="Frånvaro")
    ).first.click()
    page.locator("#id_absence-absence_type").select_option(str(sick.pk))
    page.locator("#id_absence-whole_day").check()
    page.get_by_test_id("save-absence").click()
    page.goto(tenant_url(live_server, tenant.slug, f"time/?week={week}"))
    expect(page.get_by_test_id(f"day-scheduled-{day(3)}")).to_have_text("6:00 av 6:00")
