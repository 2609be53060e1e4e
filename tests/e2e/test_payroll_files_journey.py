"""Journey (issue 9 "Done when"): the payroll administrator opens last month's Löneunderlag and sees it
preliminary; the last approver attests the employee's locked days; the basis is complete and the dry
run passes; the PAXml file is made (background task, progress) and downloaded, and it validates
against the XSD. Then an accounting-firm user with LIMITED access opens the customer's Löneunderlag
from the portal, goes to Lönefiler and downloads the same file: the same SHA-256."""

import datetime as dt
import hashlib

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from verksam.payroll import paxml
from verksam.payroll.models import PayrollSelection
from verksam.payroll.tests import db
from verksam.tenancy.models import Membership
from verksam.tenancy.scope import tenant_scope
from verksam.tenancy.tests.factories import make_personnummer
from verksam.timecodes.periods import period_for, period_previous

from .conftest import login, tenant_url

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _setup(tenant, employee):
    codes = db.kit(tenant)
    period = period_previous(period_for(timezone.localdate()))  # last month: ended, payroll's turn
    with tenant_scope(tenant.pk):
        member = Membership.objects.select_related("user").get(user=employee)
        member.user.personnummer = make_personnummer(42)
        member.user.save(update_fields=["personnummer"])
        PayrollSelection.objects.create(tenant=tenant, period_key=period.key, member_ids=[member.pk])
    workdays = db.days(period.start, period.end)
    db.work(member, workdays, codes)
    db.work(member, workdays[3:4], codes["overtime"], minutes=90)  # a deviation for the file
    db.attest(member, workdays[:-2])
    db.lock(member, workdays[-2:])  # waiting for the approver
    return period, member, workdays


def _download(page, locator) -> bytes:
    with page.expect_download() as info:
        locator.click()
    path = info.value.path()
    with open(path, "rb") as f:
        return f.read()


def test_payroll_file_from_preliminary_to_downloaded_by_the_firm(
    page, live_server, tenant, owner, attestant, employee, partner_limited
):
    period, member, workdays = _setup(tenant, employee)

    # The payroll administrator opens the period: preliminary, with the two locked days missing.
    login(page, live_server, owner.email)
    page.goto(tenant_url(live_server, tenant.slug, f"payroll/?period={period.key}"))
    expect(page.get_by_test_id("basis-status")).to_have_attribute("data-status", "preliminary")
    page.context.clear_cookies()

    # The last approver attests the locked days.
    login(page, live_server, attestant.email)
    page.goto(tenant_url(live_server, tenant.slug, f"attestation/{member.pk}/?period={period.key}"))
    page.get_by_test_id("attest").click()
    expect(page.locator(f'tr[data-date="{workdays[-1].isoformat()}"]')).to_have_attribute(
        "data-status", "attested"
    )
    page.context.clear_cookies()

    # The basis is complete and the dry run for PAXml passes.
    login(page, live_server, owner.email)
    page.goto(tenant_url(live_server, tenant.slug, f"payroll/?period={period.key}"))
    expect(page.get_by_test_id("basis-status")).to_have_attribute("data-status", "complete")
    page.goto(tenant_url(live_server, tenant.slug, f"payroll/dry-run/?period={period.key}&target=paxml"))
    expect(page.get_by_test_id("dry-run-result")).to_have_attribute("data-passes", "true")

    # Lönefiler: the PAXml file is made in the background and offered.
    page.get_by_test_id("payroll-tab-files").click()
    page.get_by_test_id("target").select_option("paxml")
    page.get_by_test_id("start-export").click()
    status = page.get_by_test_id("export-status")
    expect(status).to_have_attribute("data-status", "done", timeout=20_000)
    shown = page.get_by_test_id("sha256").inner_text().strip()
    content = _download(page, page.get_by_test_id("download-new"))
    assert paxml.VALIDATOR.errors(content) == []
    assert hashlib.sha256(content).hexdigest() == shown
    lines = paxml.read_paxml(content)
    assert [(r.anstid, r.line.paxml_code) for r in lines] == [("17", "ÖT1")]
    assert lines[0].line.date == workdays[3] and isinstance(lines[0].line.date, dt.date)
    page.context.clear_cookies()

    # The accounting firm (LIMITED) opens the customer's Löneunderlag from the portal and downloads it.
    login(page, live_server, partner_limited.email)
    page.goto(tenant_url(live_server, tenant.slug, "collaboration/"))
    page.get_by_test_id("tab-payroll").click()
    expect(page.get_by_test_id("period")).to_have_attribute("data-period", period.key)
    page.get_by_test_id("payroll-tab-files").click()
    row = page.get_by_test_id("export-history").locator('tr[data-status="done"]').first
    expect(row.locator("code")).to_have_attribute("data-sha256", shown)
    again = _download(page, row.get_by_test_id("download"))
    assert hashlib.sha256(again).hexdigest() == shown and again == content
