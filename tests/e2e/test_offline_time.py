"""Journey: a site manager reports a day on the phone where there is no coverage. The day page keeps the
entry on the phone and sends it with the batch API when coverage is back (static/js/offline-time.js,
issue 13 item 3); an entry the server refuses meanwhile (the day was locked) stays listed with the
reason until it is removed."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from verksam.tenancy.scope import tenant_scope
from verksam.timereporting.models import TimeEntry
from verksam.timereporting.tests.factories import DayLockFactory

from .conftest import assigned_project, login, tenant_url

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def site(tenant, employee):
    return assigned_project(tenant, employee)


def _entries(tenant):
    with tenant_scope(tenant.pk):
        return list(TimeEntry.objects.values_list("minutes", "comment"))


def _report_without_coverage(phone, live_server, tenant, employee, project):
    login(phone, live_server, employee.email)
    phone.goto(tenant_url(live_server, tenant.slug, f"time/day/{timezone.localdate().isoformat()}/"))
    expect(phone.get_by_test_id("offline-queue")).to_be_hidden()
    phone.context.set_offline(True)
    phone.locator("#id_work-project").select_option(str(project.pk))
    phone.locator("#id_work-start_time").fill("07:00")
    phone.locator("#id_work-end_time").fill("16:00")
    phone.locator("#id_work-break_minutes").fill("60")
    phone.locator("#id_work-comment").fill("Stomme")
    phone.get_by_test_id("save-work").click()
    # kept on the phone, in Swedish, and nothing sent
    expect(phone.get_by_test_id("offline-status")).to_have_text(
        "Sparat i telefonen. Det skickas när du har täckning igen."
    )
    expect(phone.get_by_test_id("offline-item")).to_have_count(1)
    expect(phone.get_by_test_id("offline-send")).to_be_visible()
    expect(phone.get_by_test_id("offline-item")).to_contain_text("07:00–16:00 · P1 Villa Ek")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375
    assert _entries(tenant) == []


def test_time_reported_without_coverage_is_sent_when_coverage_is_back(
    phone, live_server, tenant, employee, site
):
    project, _membership = site
    _report_without_coverage(phone, live_server, tenant, employee, project)
    # a form with a typing mistake is not kept: the reason is shown at once, in Swedish
    phone.locator("#id_work-project").select_option(str(project.pk))
    phone.locator("#id_work-minutes").fill("sju")
    phone.get_by_test_id("save-work").click()
    expect(phone.get_by_test_id("offline-problems")).to_have_text("Skriv tiden som 7,5 eller 7:30.")
    # nor a comment longer than the API takes (it would refuse the whole list)
    phone.locator("#id_work-minutes").fill("8")
    phone.locator("#id_work-comment").fill("x" * 2001)
    phone.get_by_test_id("save-work").click()
    expect(phone.get_by_test_id("offline-problems")).to_have_text("Skriv högst 2 000 tecken i kommentaren.")
    expect(phone.get_by_test_id("offline-item")).to_have_count(1)
    # coverage is back: the list is sent in one batch and the page shows the saved day
    phone.context.set_offline(False)
    expect(phone.get_by_test_id("offline-status")).to_have_text(
        "Skickat: tiden du rapporterade utan täckning är sparad."
    )
    expect(phone.get_by_test_id("day-total")).to_have_text("8:00")
    expect(phone.get_by_test_id("offline-item")).to_have_count(0)
    assert _entries(tenant) == [(480, "Stomme")]
    assert phone.evaluate("Object.keys(localStorage).filter((k) => k.startsWith('verksam.offline'))") == []


def test_an_entry_refused_meanwhile_stays_listed_with_the_reason(phone, live_server, tenant, employee, site):
    project, membership = site
    _report_without_coverage(phone, live_server, tenant, employee, project)
    # the approver's side: the day was locked while the phone was without coverage
    DayLockFactory(membership=membership, date=timezone.localdate())
    phone.context.set_offline(False)
    item = phone.get_by_test_id("offline-item")
    expect(item.get_by_role("alert")).to_have_text("Inte sparat: Dagen är låst. Lås upp den först.")
    assert _entries(tenant) == []
    # opened again online: still listed with its reason (a refused entry is not sent again) until removed
    phone.reload()
    expect(phone.get_by_test_id("offline-item").get_by_role("alert")).to_contain_text("Inte sparat: ")
    expect(phone.get_by_test_id("offline-send")).to_be_hidden()  # nothing is waiting to be sent
    # both actions readable on the card's white (a link-looking button once took the buttons' white text)
    for action in ("offline-retry", "offline-remove"):
        color = phone.get_by_test_id(action).evaluate("(e) => getComputedStyle(e).color")
        assert color != "rgb(255, 255, 255)", action
    phone.get_by_test_id("offline-remove").click()
    expect(phone.get_by_test_id("offline-queue")).to_be_hidden()
    assert _entries(tenant) == []


def test_a_refused_entry_is_sent_again_once_the_day_is_unlocked(phone, live_server, tenant, employee, site):
    project, membership = site
    _report_without_coverage(phone, live_server, tenant, employee, project)
    lock = DayLockFactory(membership=membership, date=timezone.localdate())
    phone.context.set_offline(False)
    expect(phone.get_by_test_id("offline-item").get_by_role("alert")).to_contain_text("Inte sparat: ")
    # "Försök igen" while the day is still locked: refused again, nothing written
    phone.get_by_test_id("offline-retry").click()
    expect(phone.get_by_test_id("offline-item").get_by_role("alert")).to_contain_text("Inte sparat: ")
    assert _entries(tenant) == []
    # the day unlocked (on another device, say): "Försök igen" sends it and the page shows it
    with tenant_scope(tenant.pk):
        lock.delete()
    phone.get_by_test_id("offline-retry").click()
    expect(phone.get_by_test_id("offline-status")).to_have_text(
        "Skickat: tiden du rapporterade utan täckning är sparad."
    )
    expect(phone.get_by_test_id("day-total")).to_have_text("8:00")
    assert _entries(tenant) == [(480, "Stomme")]


def test_a_person_deactivated_meanwhile_is_told_the_list_was_not_saved(
    phone, live_server, tenant, employee, site
):
    project, membership = site
    _report_without_coverage(phone, live_server, tenant, employee, project)
    # the company deactivated the employee while the phone was without coverage
    with tenant_scope(tenant.pk):
        type(membership).objects.filter(pk=membership.pk).update(is_active=False)
    phone.context.set_offline(False)
    expect(phone.get_by_test_id("offline-item").get_by_role("alert")).to_have_text(
        "Inte sparat: Företaget finns inte eller så har du inte behörighet till det."
    )
    assert _entries(tenant) == []
