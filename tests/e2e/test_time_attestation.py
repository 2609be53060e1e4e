"""Journey (issue 3): an employee reports a week on a phone and locks it; the approver attests it on
the desktop; afterwards the employee can no longer change it — not in the page, not through the API."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from verksam.tenancy.scope import tenant_scope
from verksam.tenancy.tests.fixtures import api_client
from verksam.timecodes.periods import period_for
from verksam.timereporting.models import DayLock, DayStatus, TimeEntry

from .conftest import assigned_project, login, tenant_url

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def a_past_week_inside_one_month() -> list[dt.date]:
    """Monday–Friday of the latest past week whose weekdays share a month (one deviation period)."""
    today = timezone.localdate()
    monday = today - dt.timedelta(days=today.weekday() + 7)
    while (monday + dt.timedelta(days=4)).month != monday.month:
        monday -= dt.timedelta(days=7)
    return [monday + dt.timedelta(days=i) for i in range(5)]


@pytest.fixture
def site(tenant, employee):
    return assigned_project(tenant, employee, "P7")[0]


def test_employee_locks_a_week_on_a_phone_the_approver_attests_and_it_can_no_longer_change(
    phone, page, live_server, tenant, employee, attestant, site
):
    days = a_past_week_inside_one_month()
    week = "{}-W{:02d}".format(*days[0].isocalendar()[:2])
    period = period_for(days[0])

    # The employee reports Monday–Friday on the phone, 07–16 with an hour's lunch each day.
    login(phone, live_server, employee.email)
    for day in days:
        phone.goto(tenant_url(live_server, tenant.slug, f"time/day/{day.isoformat()}/"))
        phone.locator("#id_work-project").select_option(str(site.pk))
        phone.locator("#id_work-start_time").fill("07:00")
        phone.locator("#id_work-end_time").fill("16:00")
        phone.locator("#id_work-break_minutes").fill("60")
        phone.get_by_test_id("save-work").click()
        expect(phone.get_by_test_id("day-total")).to_have_text("8:00")
    # …and locks the week, which sends it to the approver.
    phone.goto(tenant_url(live_server, tenant.slug, f"time/?week={week}"))
    phone.get_by_test_id("lock-week").click()
    expect(phone.get_by_test_id("week-list").locator(".badge").first).to_have_text("Låst")

    # The approver sees the employee waiting in the period's queue and attests the locked days.
    login(page, live_server, attestant.email)
    page.goto(tenant_url(live_server, tenant.slug, f"attestation/?period={period.key}"))
    row = page.get_by_test_id("attest-queue").locator("tbody tr", has_text=employee.name)
    expect(row).to_have_attribute("data-status", "waiting")
    row.get_by_role("link", name="Visa").click()
    expect(page.get_by_test_id("total")).to_contain_text("40:00 av ")
    page.get_by_test_id("attest").click()
    days_table = page.get_by_test_id("attest-days")
    expect(days_table.locator("tr[data-status=attested]")).to_have_count(7)

    # The employee can no longer change an attested day: no form, no edit link, a clear message…
    phone.goto(tenant_url(live_server, tenant.slug, f"time/day/{days[0].isoformat()}/"))
    expect(phone.get_by_test_id("day-status")).to_have_text("Attesterad")
    expect(phone.get_by_test_id("work-form")).to_have_count(0)
    expect(phone.get_by_test_id("edit-entry")).to_have_count(0)
    expect(phone.get_by_text("Dagen är attesterad och kan inte ändras.")).to_be_visible()
    phone.goto(tenant_url(live_server, tenant.slug, f"time/?week={week}"))
    expect(phone.get_by_test_id("unlock-week")).to_have_count(0)

    # …nor through the API, and a refused call changes nothing.
    with tenant_scope(tenant.pk):
        entry = TimeEntry.objects.filter(date=days[0]).get()
        assert DayLock.objects.filter(status=DayStatus.ATTESTED).count() == 7
    api = api_client(employee)
    base = f"/api/v1/tenants/{tenant.pk}"
    changed = api.patch(f"{base}/time-entries/{entry.pk}", {"minutes": 60}, content_type="application/json")
    unlocked = api.post(
        f"{base}/time/unlock", {"dates": [days[0].isoformat()]}, content_type="application/json"
    )
    assert changed.status_code in {400, 409} and unlocked.status_code in {400, 409}
    with tenant_scope(tenant.pk):
        assert TimeEntry.objects.get(pk=entry.pk).minutes == 480
        assert DayLock.objects.filter(status=DayStatus.ATTESTED).count() == 7
