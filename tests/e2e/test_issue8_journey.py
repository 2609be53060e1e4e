"""The whole journey of issue 8 ("Done when"): an office manager gives an employee the 75 % schedule,
the employee registers two weeks of semester as one range and locks the weeks, the approver attests,
and flex, the time bank and the payroll codes read right.

September 2026 (one deviation period, no röda dagar): the schedule holds from 1 September, the
semester is Monday 7 – Friday 18 September, and the employee also worked the Saturday (2 h normal
time: flex for a monthly employee) and the Sunday (1 h overtime to komp at 1.5: 1:30 to the bank)."""

import datetime as dt

import pytest
from playwright.sync_api import expect

from verksam.projects.tests.factories import ProjectFactory, ProjectMemberFactory
from verksam.schedules.models import ScheduleTemplate
from verksam.tenancy.models import Membership, SalaryForm
from verksam.tenancy.scope import tenant_scope
from verksam.timecodes.models import TimeBankEffect, TimeCodeKind
from verksam.timecodes.periods import period_for
from verksam.timecodes.tests.factories import AbsenceTypeFactory, TimeCodeFactory
from verksam.timereporting.models import DayLock, DayStatus
from verksam.timereporting.tests.factories import TimeEntryFactory

from .conftest import login, tenant_url

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

FROM = dt.date(2026, 9, 1)
START, END = dt.date(2026, 9, 7), dt.date(2026, 9, 18)
SATURDAY, SUNDAY = dt.date(2026, 9, 12), dt.date(2026, 9, 13)


def test_schedule_semester_range_attestation_flex_and_bank(
    page, live_server, tenant, owner, employee, attestant
):
    norm = TimeCodeFactory(tenant=tenant, code="NT", name="Normaltid", paxml_code="TID", is_default=True)
    komp = TimeCodeFactory(
        tenant=tenant, code="K15", name="Övertid till komp", kind=TimeCodeKind.OVERTIME, paxml_code="ÖK1",
        time_bank_effect=TimeBankEffect.ADD, time_bank_factor_pct=150,
    )  # fmt: skip
    semester = AbsenceTypeFactory(tenant=tenant, code="SEM", name="Semester", paxml_code="SEM")
    site = ProjectFactory(tenant=tenant, number="P1", name="Villa Ek")
    with tenant_scope(tenant.pk):
        member = Membership.objects.get(user=employee)
        assert member.salary_form == SalaryForm.MONTHLY
        template = ScheduleTemplate(tenant=tenant, name="Deltid 75 % mån–fre 6 h", percent=75)
        template.set_weekday_minutes((360, 360, 360, 360, 360, 0, 0))
        template.save()
    ProjectMemberFactory(tenant=tenant, project=site, membership=member)
    TimeEntryFactory(membership=member, date=SATURDAY, project=site, time_code=norm, minutes=120)
    TimeEntryFactory(membership=member, date=SUNDAY, project=site, time_code=komp, minutes=60)

    # 1. The office manager gives the employee the 75 % schedule from 1 September.
    login(page, live_server, owner.email)
    page.goto(tenant_url(live_server, tenant.slug, "settings/schedules/"))
    form = page.get_by_test_id("assign-form")
    form.locator("select").select_option(str(template.pk))
    form.locator("input[type=date]").fill(FROM.isoformat())
    form.get_by_test_id("assign-users").get_by_label(employee.name).check()
    form.get_by_test_id("assign-submit").click()
    expect(page.locator(".messages")).to_contain_text("Deltid 75 % mån–fre 6 h")

    # 2. The employee registers two weeks of semester as one range: ten days of 6 hours.
    page.context.clear_cookies()
    login(page, live_server, employee.email)
    page.goto(tenant_url(live_server, tenant.slug, "time/"))
    page.get_by_test_id("tab-absence").click()
    form = page.get_by_test_id("absence-range-form")
    form.locator("#id_absence_type").select_option(str(semester.pk))
    form.locator("#id_start_date").fill(START.isoformat())
    form.locator("#id_end_date").fill(END.isoformat())
    page.get_by_test_id("save-absence-range").click()
    row = page.get_by_test_id("absence-range")
    expect(row).to_have_count(1)
    expect(row.first.get_by_test_id("range-days")).to_have_text("10")
    expect(row.first).to_contain_text("60:00")

    # … and locks both weeks (every scheduled day is filled by the semester).
    for week in ("2026-W37", "2026-W38"):
        page.goto(tenant_url(live_server, tenant.slug, f"time/?week={week}"))
        page.get_by_test_id("lock-week").click()
        expect(page.locator(".messages")).to_contain_text("är låst och skickad för attest")
    with tenant_scope(tenant.pk):
        assert DayLock.objects.filter(membership=member, status=DayStatus.LOCKED).count() == 14

    # 3. The approver attests the period and reads flex, the bank and the payroll codes.
    page.context.clear_cookies()
    login(page, live_server, attestant.email)
    period = period_for(START)
    page.goto(tenant_url(live_server, tenant.slug, f"attestation/{member.pk}/?period={period.key}"))
    page.get_by_test_id("attest").click()
    expect(page.get_by_test_id("balance-flex")).to_have_attribute("data-minutes", "120")
    expect(page.get_by_test_id("balance-bank")).to_have_attribute("data-minutes", "90")
    codes = page.get_by_test_id("payroll-codes")
    expect(codes.locator('tr[data-code="SEM"]')).to_have_attribute("data-minutes", str(10 * 360))
    expect(codes.locator('tr[data-code="ÖK1"]')).to_have_attribute("data-minutes", "60")
    with tenant_scope(tenant.pk):
        assert DayLock.objects.filter(membership=member, status=DayStatus.ATTESTED).count() == 14

    # 4. The employee sees the attested balances on the week.
    page.context.clear_cookies()
    login(page, live_server, employee.email)
    page.goto(tenant_url(live_server, tenant.slug, "time/?week=2026-W38"))
    expect(page.get_by_test_id("flex-balance")).to_have_attribute("data-minutes", "120")
    expect(page.get_by_test_id("bank-balance")).to_have_attribute("data-minutes", "90")
