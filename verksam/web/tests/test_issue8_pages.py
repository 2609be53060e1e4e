"""Pages of issue 8 items 6–8: reporting on behalf of an employee (web:time_behalf and its edit,
delete and lock actions), closing and reopening a deviation period on the attestation page, and the
user page asking for a new approver or a confirmation. With the DESIGN.md trio: other tenant -> 404,
authorization matrix (a refused call changes nothing), constant query count."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from verksam.attestation.models import PeriodClose
from verksam.core.duration import typed_hours
from verksam.projects.models import ProjectKind
from verksam.projects.tests.factories import ProjectFactory
from verksam.tenancy.models import Licence, Membership
from verksam.tenancy.scope import tenant_scope
from verksam.tenancy.tests.factories import MembershipFactory, UserFactory
from verksam.tenancy.tests.fixtures import login_client
from verksam.tenancy.tests.helpers import count_queries, membership_of
from verksam.timecodes.tests.factories import TimeCodeFactory
from verksam.timereporting.models import DayLock, TimeEntry
from verksam.timereporting.tests.factories import DayLockFactory, TimeEntryFactory

ROLES = ["owner", "attestant", "employee", "partner_full", "partner_limited"]
ACTING = {"owner", "attestant", "partner_full"}
STOCKHOLM = ZoneInfo("Europe/Stockholm")
NOW = dt.datetime(2026, 11, 20, 10, tzinfo=STOCKHOLM)
MON = dt.date(2026, 11, 16)


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def everyone(owner, attestant, employee, partner_full, partner_limited, stranger):
    """Every fixture user exists."""


@pytest.fixture
def kit(tenant):
    return {
        "project": ProjectFactory(tenant=tenant, number="INT", name="Interntid", kind=ProjectKind.INTERNAL),
        "code": TimeCodeFactory(tenant=tenant, code="NT", name="Normaltid", is_default=True),
    }


def _state(tenant):
    with tenant_scope(tenant.pk):
        return (
            list(TimeEntry.objects.order_by("pk").values()),
            list(DayLock.objects.order_by("pk").values()),
            list(PeriodClose.objects.order_by("pk").values()),
            list(Membership.objects.order_by("pk").values()),
        )


def _page(tenant, m, day=MON):
    return reverse("web:time_behalf", args=[tenant.slug, m.pk]) + f"?day={day.isoformat()}"


# --- report on behalf -------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_report_on_behalf_page_matrix(request, tenant, everyone, employee, attestant, kit, role):
    client = login_client(request.getfixturevalue(role))
    # the employee's page (the attestant is their approver); for the employee: a colleague's page
    target = membership_of(tenant, attestant if role == "employee" else employee)
    before = _state(tenant)
    page = client.get(_page(tenant, target))
    post = client.post(
        _page(tenant, target),
        {
            "kind": "work",
            "work-project": kit["project"].pk,
            "work-time_code": kit["code"].pk,
            "work-minutes": "2",
        },
    )
    if role in ACTING:
        assert page.status_code == 200
        assert "Du rapporterar för Erik Anställd" in page.content.decode()
        assert post.status_code == 302
        with tenant_scope(tenant.pk):
            entry = TimeEntry.objects.get()
        assert (entry.membership_id, entry.minutes, entry.date) == (target.pk, 120, MON)
    else:
        assert (page.status_code, post.status_code) == (403, 403)
        assert _state(tenant) == before


def test_report_on_behalf_other_tenant_and_missing_answer_404(tenant, owner, other_tenant, employee):
    client = login_client(owner)
    with tenant_scope(other_tenant.pk):
        foreign = Membership.objects.get()
    for m in (foreign, Membership(pk=999999)):
        assert client.get(reverse("web:time_behalf", args=[tenant.slug, m.pk])).status_code == 404
        url = reverse("web:time_behalf_lock", args=[tenant.slug, m.pk])
        assert client.post(url, {"day": "2026-11-16"}).status_code == 404


def test_correct_lock_and_delete_on_behalf(tenant, owner, employee, kit):
    client = login_client(owner)
    m = membership_of(tenant, employee)
    entry = TimeEntryFactory(
        membership=m, date=MON, project=kit["project"], time_code=kit["code"], minutes=60
    )
    edit = reverse("web:time_behalf_entry_edit", args=[tenant.slug, m.pk, entry.pk])
    assert client.get(edit).status_code == 200
    response = client.post(edit, {"project": kit["project"].pk, "time_code": kit["code"].pk, "minutes": "3"})
    assert response.status_code == 302
    lock = reverse("web:time_behalf_lock", args=[tenant.slug, m.pk])
    client.post(lock, {"day": "2026-11-16", "scope": "week", "action": "lock", "nothing_to_report": "1"})
    with tenant_scope(tenant.pk):
        assert TimeEntry.objects.get().minutes == 180
        # the week up to today (Friday), as the employee's own "Lås veckan" does, with "inget att
        # rapportera" confirmed for the empty days (issue 8 item 5)
        assert DayLock.objects.filter(membership=m).count() == 5
    client.post(lock, {"day": "2026-11-16", "scope": "week", "action": "unlock"})
    client.post(reverse("web:time_behalf_entry_delete", args=[tenant.slug, m.pk, entry.pk]))
    with tenant_scope(tenant.pk):
        assert not TimeEntry.objects.exists() and not DayLock.objects.exists()
    # an entry of another employee through this employee's page answers 404
    other = TimeEntryFactory(
        membership=membership_of(tenant, owner), date=MON, project=kit["project"], time_code=kit["code"]
    )
    assert (
        client.get(reverse("web:time_behalf_entry_edit", args=[tenant.slug, m.pk, other.pk])).status_code
        == 404
    )


def test_report_on_behalf_page_queries_are_constant(tenant, owner, employee, kit):
    client = login_client(owner)
    m = membership_of(tenant, employee)
    client.get(_page(tenant, m))

    def add(n):
        for i in range(n):
            TimeEntryFactory(
                membership=m, date=MON, project=kit["project"], time_code=kit["code"], minutes=10 + i
            )

    add(2)
    small, r1 = count_queries(lambda: client.get(_page(tenant, m)))
    add(28)
    large, r2 = count_queries(lambda: client.get(_page(tenant, m)))
    assert r1.content.decode().count('data-testid="entry-hours"') == 2
    assert r2.content.decode().count('data-testid="entry-hours"') == 30
    assert small == large


# --- period close -----------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_period_close_page_matrix(request, tenant, everyone, role):
    client = login_client(request.getfixturevalue(role))
    before = _state(tenant)
    queue = client.get(reverse("web:attest_queue", args=[tenant.slug]) + "?period=2026-10")
    response = client.post(reverse("web:attest_period_close", args=[tenant.slug]) + "?period=2026-10")
    if role in ("owner", "partner_full"):
        assert 'data-testid="close-period"' in queue.content.decode()
        assert response.status_code == 302
        after = login_client(request.getfixturevalue(role)).get(
            reverse("web:attest_queue", args=[tenant.slug]) + "?period=2026-10"
        )
        assert "Perioden är stängd efter lönekörningen." in after.content.decode()
    else:
        assert 'data-testid="close-period"' not in queue.content.decode()
        assert response.status_code == 403
        assert _state(tenant) == before


def test_period_reopen_needs_a_reason_on_the_page(tenant, owner):
    client = login_client(owner)
    client.post(reverse("web:attest_period_close", args=[tenant.slug]) + "?period=2026-10")
    url = reverse("web:attest_period_reopen", args=[tenant.slug]) + "?period=2026-10"
    response = client.post(url, {"reason": " "}, follow=True)
    assert "Ange en orsak till att den stängda perioden öppnas igen." in response.content.decode()
    with tenant_scope(tenant.pk):
        assert PeriodClose.objects.get().is_closed
    client.post(url, {"reason": "Rättelse"})
    with tenant_scope(tenant.pk):
        assert not PeriodClose.objects.get().is_closed


def test_period_close_and_reopen_of_another_tenant_answer_404(tenant, owner, other_tenant):
    client = login_client(owner)
    assert client.post(reverse("web:attest_period_close", args=[other_tenant.slug])).status_code == 404
    assert client.post(reverse("web:attest_period_reopen", args=[other_tenant.slug])).status_code == 404


# --- the user page: approvers who can approve --------------------------------------------------------


def _edit_data(m: Membership, **changes) -> dict:
    data = {
        "licence": m.licence,
        "approver": m.approver_id or "",
        "employment_number": m.employment_number,
        "salary_form": m.salary_form,
        "is_active": "on" if m.is_active else "",
        "work_day_minutes": typed_hours(m.work_day_minutes),
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v != ""}


def test_a_light_user_is_not_offered_nor_accepted_as_approver(tenant, owner, employee):
    light = MembershipFactory(tenant=tenant, user=UserFactory(name="Lisa Lätt"), licence=Licence.LIGHT)
    client = login_client(owner)
    m = membership_of(tenant, employee)
    url = reverse("web:member_edit", args=[tenant.slug, m.pk])
    assert "Lisa Lätt" not in client.get(url).content.decode()
    before = _state(tenant)
    response = client.post(url, _edit_data(m, approver=light.pk))
    assert response.status_code == 422
    assert _state(tenant) == before


def test_demoting_an_approver_asks_for_a_new_approver_then_moves_the_employees(
    tenant, owner, attestant, employee
):
    client = login_client(owner)
    a = membership_of(tenant, attestant)
    url = reverse("web:member_edit", args=[tenant.slug, a.pk])
    before = _state(tenant)
    response = client.post(url, _edit_data(a, licence="LIGHT"))
    assert response.status_code == 422
    html = response.content.decode()
    assert 'name="new_approver"' in html and 'name="ask_new_approver"' in html
    assert "Erik Anställd" in html and "är attestansvarig för 1 anställda" in html
    assert _state(tenant) == before
    owner_m = membership_of(tenant, owner)
    response = client.post(
        url, {**_edit_data(a, licence="LIGHT"), "ask_new_approver": "1", "new_approver": owner_m.pk}
    )
    assert response.status_code == 302
    assert membership_of(tenant, employee).approver_id == owner_m.pk
    assert membership_of(tenant, attestant).licence == Licence.LIGHT


def test_deactivating_an_employee_with_open_time_asks_for_confirmation(tenant, owner, employee, kit):
    client = login_client(owner)
    m = membership_of(tenant, employee)
    TimeEntryFactory(membership=m, date=MON, project=kit["project"], time_code=kit["code"])
    DayLockFactory(membership=m, date=MON)
    url = reverse("web:member_edit", args=[tenant.slug, m.pk])
    before = _state(tenant)
    response = client.post(url, _edit_data(m, is_active=""))
    assert response.status_code == 422
    html = response.content.decode()
    assert 'data-testid="open-days"' in html and "16 nov 2026" in html and 'name="confirm_open_time"' in html
    assert _state(tenant) == before
    response = client.post(
        url, {**_edit_data(m, is_active=""), "ask_confirm_open_time": "1", "confirm_open_time": "on"}
    )
    assert response.status_code == 302
    assert not membership_of(tenant, employee).is_active
