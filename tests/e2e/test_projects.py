"""Browser journey (Playwright on the system Chromium, see tests/e2e/conftest.py): a site manager on a
phone creates a project, finds it with the htmx search, assigns an employee and completes it."""

import pytest
from playwright.sync_api import expect

from verksam.projects.models import Project, ProjectStatus
from verksam.projects.tests.factories import ProjectFactory
from verksam.tenancy.scope import tenant_scope
from verksam.tenancy.tests.helpers import sv

from .conftest import login, tenant_url

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}


@pytest.fixture
def phone(browser, browser_context_args):  # noqa: F811
    context = browser.new_context(**{**browser_context_args, **PHONE})
    yield context.new_page()
    context.close()


def test_project_journey_on_a_phone(phone, live_server, tenant, owner, attestant, employee):
    # given an existing project, so the search has something to leave out
    ProjectFactory(tenant=tenant, number="1", name="Tak Olsson")
    login(phone, live_server, attestant.email)
    # when the site manager creates a project with an hourly rate in kronor
    phone.goto(tenant_url(live_server, tenant.slug, "projects/new/"))
    phone.locator("#id_name").fill("Badrum Berg")
    phone.locator("#id_customer_name").fill("Berit Berg")
    phone.locator("#id_hourly_rate").fill("850,50")
    phone.locator("#id_site_city").fill("Västerås")
    phone.get_by_test_id("project-form").locator("button[type=submit]").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("2 Badrum Berg")
    expect(phone.get_by_test_id("hourly-rate")).to_contain_text("850,50")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    # and assigns the employee
    phone.get_by_test_id("project-member-add").locator("select").select_option(label="Erik Anställd")
    phone.get_by_test_id("project-member-add").locator("button[type=submit]").click()
    expect(phone.get_by_test_id("project-members")).to_contain_text("Erik Anställd")
    # then the list's search narrows the table without a page load (htmx)
    phone.goto(tenant_url(live_server, tenant.slug, "projects/"))
    expect(phone.get_by_test_id("project-table")).to_contain_text("Tak Olsson")
    phone.locator("#id_q").fill("berg")
    expect(phone.get_by_test_id("project-table")).not_to_contain_text("Tak Olsson")
    expect(phone.get_by_test_id("project-table")).to_contain_text("Badrum Berg")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    # and completing it from the detail page closes it for time reporting
    phone.get_by_role("link", name="Badrum Berg").click()
    phone.get_by_test_id("project-complete").click()
    # the dialog says what completing means before anything is sent
    dialog = phone.get_by_test_id("confirm-dialog")
    expect(dialog).to_contain_text("Ingen kan rapportera tid på ett avslutat projekt.")
    dialog.get_by_role("button", name="Markera som avslutat").click()
    expect(phone.get_by_test_id("project-reopen")).to_be_visible()
    expect(phone.locator("main")).to_contain_text(
        sv("The project is completed: no time can be reported on it.")
    )
    with tenant_scope(tenant.pk):
        project = Project.objects.get(name="Badrum Berg")
    assert (project.status, project.hourly_rate_ore) == (ProjectStatus.COMPLETED, 85_050)
