"""Locking and unlocking a whole week through the API (`/time/weeks/{week}/lock|unlock`, own and on
behalf), as the week page's "Lås veckan" / "Lås upp veckan" do: the same services, so the same days,
audit rows and refusals (a locked week, attested days, another employee's week, a closed period),
another tenant 404, LIGHT only their own week, partners by their grant, and weeks that do not exist
answer 4xx without writing anything."""

import datetime as dt

import pytest
from django.urls import reverse

from verksam.attestation.models import PeriodClose
from verksam.audit.models import AuditEvent
from verksam.tenancy.models import Membership
from verksam.tenancy.scope import tenant_scope
from verksam.tenancy.tests.fixtures import api_client, login_client
from verksam.timereporting.models import DayLock

from .helpers import FRI, MON, ROLES, codes, lock, member, report, state

JSON = "application/json"
WEEK = "2026-W47"  # MON..FRI: 16-20 November 2026, "today" is the Friday
WEEK_DAYS = [MON + dt.timedelta(days=i) for i in range(7)]
WORKDAYS = WEEK_DAYS[:5]


def _own(tenant, week=WEEK, action="lock"):
    return f"/api/v1/tenants/{tenant.pk}/time/weeks/{week}/{action}"


def _behalf(tenant, member_id, week=WEEK, action="lock"):
    return f"/api/v1/tenants/{tenant.pk}/employees/{member_id}/time/weeks/{week}/{action}"


def _post(client, url, body=None):
    return client.post(url, body if body is not None else {}, content_type=JSON)


def _locked(tenant, membership) -> list[dt.date]:
    with tenant_scope(tenant.pk):
        return list(
            DayLock.objects.filter(membership=membership).order_by("date").values_list("date", flat=True)
        )


def _audit(tenant) -> list[tuple[str, list[str]]]:
    with tenant_scope(tenant.pk):
        return [
            (action, data["dates"])
            for action, data in AuditEvent.objects.filter(action__in=("time.lock", "time.unlock"))
            .order_by("pk")
            .values_list("action", "data")
        ]


@pytest.fixture
def week(tenant, employee):
    """The LIGHT employee has reported Monday to Friday of the week (a full schedule's days)."""
    kit = codes(tenant)
    with tenant_scope(tenant.pk):
        report(member(tenant, employee), WORKDAYS, kit=kit)
    return kit


def test_the_week_page_and_the_api_lock_and_unlock_the_same_days(tenant, employee, week, today):
    # given the employee's week, locked and unlocked once through the page
    m = member(tenant, employee)
    web = login_client(employee)
    web.post(reverse("web:time_lock", args=[tenant.slug]), {"week": WEEK})
    by_page = _locked(tenant, m)
    web.post(reverse("web:time_unlock", args=[tenant.slug]), {"week": WEEK})
    assert by_page == WORKDAYS and _locked(tenant, m) == []
    # when the same is done through the API
    client = api_client(employee)
    locked = _post(client, _own(tenant))
    assert locked.status_code == 200, locked.content
    by_api = _locked(tenant, m)
    unlocked = _post(client, _own(tenant, action="unlock"))
    # then the same days were locked and unlocked, and the audit log says the same twice
    assert by_api == by_page
    assert locked.json()["changed"] == 5 and unlocked.json()["changed"] == 5
    assert [d["date"] for d in locked.json()["days"]] == [d.isoformat() for d in WEEK_DAYS]
    assert [d["status"] for d in locked.json()["days"]] == ["locked"] * 5 + ["open"] * 2
    events = _audit(tenant)
    assert events[:2] == events[2:] and [e[0] for e in events] == ["time.lock", "time.unlock"] * 2


def test_a_locked_week_changes_nothing_and_an_empty_day_needs_confirmation(tenant, employee, week, today):
    client = api_client(employee)
    assert _post(client, _own(tenant)).json()["changed"] == 5
    # locking a locked week again changes nothing (the page says "already locked")
    again = _post(client, _own(tenant))
    assert again.status_code == 200 and again.json()["changed"] == 0
    # a week with a scheduled day without time needs "inget att rapportera"
    before = state(tenant)
    refused = _post(client, _own(tenant, "2026-W46"))
    assert refused.status_code == 400 and refused.json()["code"] == "nothing_reported"
    assert state(tenant) == before
    confirmed = _post(client, _own(tenant, "2026-W46"), {"nothing_to_report": True})
    assert confirmed.status_code == 200 and confirmed.json()["changed"] == 7


def test_attested_days_are_not_unlocked(tenant, employee, owner, week, today):
    m = member(tenant, employee)
    with tenant_scope(tenant.pk):
        lock(m, [MON], status="attested", attested_by=owner)
        lock(m, WORKDAYS[1:])
    before = state(tenant)
    response = _post(api_client(employee), _own(tenant, action="unlock"))
    assert response.status_code == 400 and response.json()["code"] == "day_attested"
    assert response.json()["extra"]["dates"] == [MON.isoformat()]
    assert state(tenant) == before


def test_a_closed_period_refuses_the_week(tenant, employee, owner, today):
    # given October 2026 closed after payroll, and a locked day in its first week
    m = member(tenant, employee)
    client = api_client(owner)
    assert _post(client, f"/api/v1/tenants/{tenant.pk}/attestation/periods/2026-10/close").status_code == 200
    with tenant_scope(tenant.pk):
        assert PeriodClose.objects.count() == 1
        lock(m, [dt.date(2026, 10, 6)])
    before = state(tenant)
    # when the week is locked or unlocked, own or on behalf
    for url in (_own(tenant, "2026-W41"), _behalf(tenant, m.pk, "2026-W41")):
        response = _post(
            api_client(employee) if "/employees/" not in url else client, url, {"nothing_to_report": True}
        )
        # then 409 period_closed with the period, and nothing changed
        assert response.status_code == 409, response.content
        assert response.json()["code"] == "period_closed" and response.json()["extra"]["period"] == "2026-10"
    for url in (_own(tenant, "2026-W41", "unlock"), _behalf(tenant, m.pk, "2026-W41", "unlock")):
        response = _post(api_client(employee) if "/employees/" not in url else client, url)
        assert response.status_code == 409 and response.json()["code"] == "period_closed"
    assert state(tenant) == before


@pytest.mark.parametrize(
    "week_key",
    ["2026-W00", "2026-W54", "2025-W53", "0000-W01", "9999-W01", "9999-W52", "2026-W1x", "x", "2026W47",
     "2026-W047", "٢٠٢٦-W01", "2026-12-01"],
)  # fmt: skip
def test_weeks_that_do_not_exist_answer_4xx_and_write_nothing(tenant, employee, owner, week, today, week_key):
    m = member(tenant, employee)
    before = state(tenant)
    for client, url in (
        (api_client(employee), _own(tenant, week_key)),
        (api_client(employee), _own(tenant, week_key, "unlock")),
        (api_client(owner), _behalf(tenant, m.pk, week_key)),
        (api_client(owner), _behalf(tenant, m.pk, week_key, "unlock")),
    ):
        response = _post(client, url)
        assert 400 <= response.status_code < 500, (url, response.status_code)
        assert response.json()["code"] in ("invalid_week", "invalid", "not_found"), response.content
    assert state(tenant) == before


def test_a_week_not_begun_is_refused(tenant, employee, week, today):
    response = _post(api_client(employee), _own(tenant, "2026-W48"))
    assert response.status_code == 400 and response.json()["code"] == "future_week"


def test_another_tenant_answers_404(tenant, employee, owner, other_tenant, stranger, week, today):
    before = state(tenant)
    with tenant_scope(other_tenant.pk):
        foreign = Membership.objects.get()
    # the other tenant's user on this tenant, and this tenant's owner on the other tenant's employee
    assert _post(api_client(stranger), _own(tenant)).status_code == 404
    assert _post(api_client(stranger), _behalf(tenant, member(tenant, employee).pk)).status_code == 404
    for member_id in (foreign.pk, 999999):
        for action in ("lock", "unlock"):
            response = _post(api_client(owner), _behalf(tenant, member_id, action=action))
            assert response.status_code == 404 and response.json()["code"] == "not_found"
    assert state(tenant) == before


# who may lock their own week: everyone with own time (a partner has none in the customer's company)
OWN_WEEK = {"owner", "attestant", "employee"}
# who may lock the LIGHT employee's week (approver: the attestant): as reporting on behalf
ACTING = {"owner", "attestant", "partner_full", "employee"}  # the employee's own id is their own week


@pytest.mark.parametrize("role", [*ROLES, "stranger"])
def test_own_week_matrix(request, tenant, everyone, week, today, role):
    before = state(tenant)
    response = _post(api_client(request.getfixturevalue(role)), _own(tenant), {"nothing_to_report": True})
    if role in OWN_WEEK:
        assert response.status_code == 200, response.content
    else:
        assert response.status_code == (404 if role == "stranger" else 403), response.content
        assert state(tenant) == before


@pytest.mark.parametrize("role", [*ROLES, "stranger"])
def test_employee_week_matrix(request, tenant, everyone, employee, week, today, role):
    m = member(tenant, employee)
    before = state(tenant)
    response = _post(api_client(request.getfixturevalue(role)), _behalf(tenant, m.pk))
    if role in ACTING:
        assert response.status_code == 200, response.content
        assert _locked(tenant, m) == WORKDAYS
    else:
        assert response.status_code == (404 if role == "stranger" else 403), response.content
        assert state(tenant) == before


def test_a_light_user_locks_only_their_own_week(tenant, employee, attestant, owner, week, today):
    # the LIGHT employee on their approver's and the owner's weeks: 403, nothing changed
    before = state(tenant)
    for user in (attestant, owner):
        for action in ("lock", "unlock"):
            response = _post(api_client(employee), _behalf(tenant, member(tenant, user).pk, action=action))
            assert response.status_code == 403 and response.json()["code"] == "not_approver", response.content
    assert state(tenant) == before


def test_the_approver_locks_and_unlocks_the_employees_week_audited_on_behalf(
    tenant, employee, attestant, week, today
):
    m = member(tenant, employee)
    client = api_client(attestant)
    locked = _post(client, _behalf(tenant, m.pk))
    assert locked.json()["changed"] == 5 and _locked(tenant, m) == WORKDAYS
    assert _post(client, _behalf(tenant, m.pk, action="unlock")).json()["changed"] == 5
    with tenant_scope(tenant.pk):
        event = AuditEvent.objects.filter(action="time.lock").get()
    assert event.data["reported_for"] == "Erik Anställd" and event.data["dates"][-1] == FRI.isoformat()
