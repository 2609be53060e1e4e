"""Journey (issue 8 items 2 and 3): an employee worked 8:30 a day and an hour of overtime to komp at
1.5, locked the week; the approver attests it in the browser and reads flex, the time bank and the
period per payroll code; the employee then sees the attested balances on their week."""

import pytest
from playwright.sync_api import expect

from verksam.core import timeutil
from verksam.projects.tests.factories import ProjectFactory
from verksam.tenancy.models import Membership
from verksam.tenancy.scope import tenant_scope
from verksam.timecodes.models import TimeBankEffect, TimeCodeKind
from verksam.timecodes.periods import period_for
from verksam.timecodes.tests.factories import TimeCodeFactory
from verksam.timereporting.models import DayLock
from verksam.timereporting.tests.factories import TimeEntryFactory

from .conftest import login, tenant_url
from .test_time_attestation import a_past_week_inside_one_month

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_approver_attests_and_reads_flex_bank_and_payroll_codes(
    page, live_server, tenant, employee, attestant
):
    days = a_past_week_inside_one_month()
    week = "{}-W{:02d}".format(*days[0].isocalendar()[:2])
    period = period_for(days[0])
    norm = TimeCodeFactory(tenant=tenant, code="NT", name="Normaltid", paxml_code="TID", is_default=True)
    komp = TimeCodeFactory(
        tenant=tenant, code="K15", name="Övertid till komp", kind=TimeCodeKind.OVERTIME, paxml_code="ÖK1",
        time_bank_effect=TimeBankEffect.ADD, time_bank_factor_pct=150,
    )  # fmt: skip
    project = ProjectFactory(tenant=tenant, number="P7", name="Villa Ek")
    with tenant_scope(tenant.pk):
        member = Membership.objects.get(user=employee)
        for day in days:
            TimeEntryFactory(membership=member, date=day, project=project, time_code=norm, minutes=510)
            DayLock.objects.create(tenant=tenant, membership=member, date=day)
        TimeEntryFactory(membership=member, date=days[0], project=project, time_code=komp, minutes=60)

    # The approver attests the employee's locked days and reads the figures.
    login(page, live_server, attestant.email)
    page.goto(tenant_url(live_server, tenant.slug, f"attestation/{member.pk}/?period={period.key}"))
    page.get_by_test_id("attest").click()
    # 8:30 against 8:00 scheduled on a workday (a röd dag has 0 scheduled: all of it is flex)
    flex = sum(510 - (480 if timeutil.is_workday(d) else 0) for d in days)
    expect(page.get_by_test_id("balance-flex")).to_have_attribute("data-minutes", str(flex))
    expect(page.get_by_test_id("balance-bank")).to_have_attribute("data-minutes", "90")
    codes = page.get_by_test_id("payroll-codes")
    expect(codes.locator('tr[data-code="ÖK1"]')).to_have_attribute("data-minutes", "60")
    expect(codes.locator('tr[data-code="TID"]')).to_have_attribute("data-minutes", str(510 * len(days)))

    # The employee sees the attested balances on their week.
    page.context.clear_cookies()
    login(page, live_server, employee.email)
    page.goto(tenant_url(live_server, tenant.slug, f"time/?week={week}"))
    expect(page.get_by_test_id("bank-balance")).to_have_attribute("data-minutes", "90")
    expect(page.get_by_test_id("flex-balance")).to_have_attribute("data-minutes", str(flex))
