"""Journey (issue 8 items 6 and 8): the office manager (TOTAL) reports a forgotten day for an employee
from the attestation page, locks and attests it, closes last month's deviation period after payroll,
finds that nothing in it can be reopened any more, and reopens the period with a reason. The audit
log reads "rapporterad av … för …"."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from verksam.projects.models import ProjectKind
from verksam.projects.tests.factories import ProjectFactory
from verksam.tenancy.models import Membership
from verksam.tenancy.scope import tenant_scope
from verksam.timecodes.periods import period_for, period_previous
from verksam.timecodes.tests.factories import TimeCodeFactory
from verksam.timereporting.models import TimeEntry

from .conftest import login, tenant_url

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_report_on_behalf_then_close_and_reopen_the_period(page, live_server, tenant, owner, employee):
    TimeCodeFactory(tenant=tenant, code="NT", name="Normaltid", is_default=True)
    project = ProjectFactory(tenant=tenant, number="INT", name="Interntid", kind=ProjectKind.INTERNAL)
    with tenant_scope(tenant.pk):
        member = Membership.objects.get(user=employee)
    period = period_previous(period_for(timezone.localdate()))  # last month: ended, payroll is done
    day = period.start
    while day.weekday() >= 5:
        day += dt.timedelta(days=1)

    # The office manager opens the employee in last period's attestation and reports for them.
    login(page, live_server, owner.email)
    page.goto(tenant_url(live_server, tenant.slug, f"attestation/{member.pk}/?period={period.key}"))
    page.get_by_test_id("report-for").click()
    expect(page.get_by_test_id("behalf-banner")).to_contain_text("Du rapporterar för Erik Anställd")
    page.goto(tenant_url(live_server, tenant.slug, f"time/employees/{member.pk}/?day={day.isoformat()}"))
    page.locator("#id_work-project").select_option(str(project.pk))
    page.locator("#id_work-minutes").fill("8")
    page.get_by_test_id("save-work").click()
    expect(page.get_by_test_id("entry-hours")).to_have_text("8:00 h")
    with tenant_scope(tenant.pk):
        assert TimeEntry.objects.get().membership_id == member.pk

    # …locks the day's week for them, confirming the other days have nothing to report (issue 8
    # item 5), and attests the period's locked days.
    page.get_by_test_id("behalf-nothing-to-report").check()
    page.get_by_test_id("behalf-lock-week").click()
    expect(page.get_by_test_id("day-status")).to_have_text("Låst")
    page.goto(tenant_url(live_server, tenant.slug, f"attestation/{member.pk}/?period={period.key}"))
    page.get_by_test_id("attest").click()
    expect(page.locator(f'tr[data-date="{day.isoformat()}"]')).to_have_attribute("data-status", "attested")

    # After payroll the period is closed on the attestation page.
    page.goto(tenant_url(live_server, tenant.slug, f"attestation/?period={period.key}"))
    page.get_by_test_id("close-period").click()
    page.get_by_test_id("confirm-dialog").get_by_role("button", name="Stäng perioden").click()
    expect(page.get_by_test_id("period-closed")).to_contain_text("Perioden är stängd efter lönekörningen.")

    # Reopening attested time in the closed period is refused with a clear Swedish message.
    page.goto(tenant_url(live_server, tenant.slug, f"attestation/{member.pk}/?period={period.key}"))
    page.locator(f"#day-{day.isoformat()}").check()
    page.get_by_test_id("att-actions").locator("summary").click()  # "Avvisa eller återöppna …"
    page.locator("#id_reason").fill("Fel projekt")
    page.get_by_test_id("reopen").click()
    page.get_by_test_id("confirm-dialog").get_by_role("button", name="Återöppna").click()
    expect(page.get_by_test_id("form-error")).to_contain_text(
        f"Perioden {period.key} är stängd efter lönekörningen"
    )

    # The period is reopened with a reason; the banner is gone and the close button is back.
    page.goto(tenant_url(live_server, tenant.slug, f"attestation/?period={period.key}"))
    page.get_by_test_id("reopen-period-reason").fill("Sjukdag saknades i lönefilen")
    page.get_by_test_id("reopen-period").click()
    page.get_by_test_id("confirm-dialog").get_by_role("button", name="Öppna perioden igen").click()
    expect(page.get_by_test_id("close-period")).to_be_visible()
    expect(page.get_by_test_id("period-closed")).to_have_count(0)

    # The audit log names both people.
    page.goto(tenant_url(live_server, tenant.slug, "audit/"))
    expect(page.locator("body")).to_contain_text("rapporterad av Olle Ägare för Erik Anställd")
