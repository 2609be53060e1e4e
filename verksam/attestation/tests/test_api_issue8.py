"""The DESIGN.md trio for the endpoints of issue 8 items 6–8: reporting on behalf under
/employees/{id}/…, closing and reopening a deviation period, and the members PATCH that names an
approver, hands over a demoted approver's employees and confirms deactivating someone with open
time. Other tenant -> 404, permission matrix (a refused call changes nothing), constant queries."""

import datetime as dt

import pytest

from verksam.attestation.models import PeriodClose
from verksam.mail.models import OutgoingMail
from verksam.projects.models import ProjectKind
from verksam.tenancy.models import Licence, Membership
from verksam.tenancy.scope import tenant_scope
from verksam.tenancy.tests.factories import MembershipFactory, UserFactory
from verksam.tenancy.tests.fixtures import api_client
from verksam.tenancy.tests.helpers import count_queries
from verksam.timereporting.models import TimeEntry

from .helpers import MON, ROLES, TUE, codes, member, report, state

JSON = "application/json"
# who may act for the employee (LIGHT, approver: the attestant)
ACTING = {"owner", "attestant", "partner_full"}
CLOSERS = {"owner", "partner_full"}


def _post(client, url, body=None, method="post"):
    return getattr(client, method)(url, body or {}, content_type=JSON)


def _snapshot(tenant):
    with tenant_scope(tenant.pk):
        return (
            state(tenant),
            list(TimeEntry.objects.order_by("pk").values()),
            list(PeriodClose.objects.order_by("pk").values()),
            list(Membership.objects.order_by("pk").values()),
            OutgoingMail.objects.count(),
        )


@pytest.fixture
def kit(tenant, employee):
    k = codes(tenant)
    with tenant_scope(tenant.pk):
        k["project"].kind = ProjectKind.INTERNAL  # open to the LIGHT employee
        k["project"].save()
    return k


def _entry_body(kit, day=MON, minutes=120):
    return {
        "date": day.isoformat(),
        "project_id": kit["project"].pk,
        "time_code_id": kit["normal"].pk,
        "minutes": minutes,
    }


def _behalf(tenant, member_id):
    return f"/api/v1/tenants/{tenant.pk}/employees/{member_id}"


# --- report on behalf -------------------------------------------------------------------------------


@pytest.mark.parametrize("role", [*ROLES, "stranger"])
def test_report_on_behalf_matrix(request, tenant, everyone, employee, kit, today, role):
    client = api_client(request.getfixturevalue(role))
    m = member(tenant, employee)
    before = _snapshot(tenant)
    response = _post(client, _behalf(tenant, m.pk) + "/time-entries", _entry_body(kit))
    if role in ACTING:
        assert response.status_code == 201, response.content
        assert response.json()["minutes"] == 120
        with tenant_scope(tenant.pk):
            assert TimeEntry.objects.get().membership_id == m.pk
            assert OutgoingMail.objects.filter(to=employee.email).count() == 1
    else:
        # the employee (their own id goes the own way: not "on behalf"), LIMITED: 403; stranger: 404
        expected = 404 if role == "stranger" else 403
        if role == "employee":
            # their own membership is their own time: reported as their own, no mail
            assert response.status_code == 201
            return
        assert response.status_code == expected, response.content
        assert _snapshot(tenant) == before


def test_on_behalf_correct_lock_unlock_delete_and_read(tenant, owner, employee, kit, today):
    client = api_client(owner)
    m = member(tenant, employee)
    base = _behalf(tenant, m.pk)
    entry = _post(client, base + "/time-entries", _entry_body(kit)).json()
    changed = _post(client, f"{base}/time-entries/{entry['id']}", {"minutes": 300}, "patch")
    assert changed.status_code == 200 and changed.json()["minutes"] == 300
    locked = _post(client, base + "/time/lock", {"dates": [MON.isoformat()]}).json()
    assert locked["changed"] == 1 and locked["days"][0]["status"] == "locked"
    assert _post(client, base + "/time/unlock", {"dates": [MON.isoformat()]}).json()["changed"] == 1
    listed = client.get(base + f"/time-entries?from={MON}&to={TUE}").json()
    assert [e["id"] for e in listed["items"]] == [entry["id"]]
    days = client.get(base + f"/time/days?from={MON}&to={TUE}").json()
    assert [d["minutes"] for d in days] == [300, 0]
    assert _post(client, f"{base}/time-entries/{entry['id']}", method="delete").status_code == 204


def test_on_behalf_other_tenant_and_missing_answer_404(tenant, owner, employee, other_tenant, kit, today):
    client = api_client(owner)
    with tenant_scope(other_tenant.pk):
        foreign = Membership.objects.get()
    before = _snapshot(tenant)
    for member_id in (foreign.pk, 999999):
        response = _post(client, _behalf(tenant, member_id) + "/time-entries", _entry_body(kit))
        assert response.status_code == 404 and response.json()["code"] == "not_found"
        assert client.get(_behalf(tenant, member_id) + f"/time/days?from={MON}&to={TUE}").status_code == 404
    # another employee's entry id through this employee answers 404 too
    other = report_entry(tenant, owner, kit)
    m = member(tenant, employee)
    response = _post(client, f"{_behalf(tenant, m.pk)}/time-entries/{other.pk}", {"minutes": 10}, "patch")
    assert response.status_code == 404
    assert _snapshot(tenant)[1] == before[1] + [dict(_row(other))]


def report_entry(tenant, user, kit):
    with tenant_scope(tenant.pk):
        report(member(tenant, user), [TUE], kit=kit)
        return TimeEntry.objects.filter(membership__user=user).get()


def _row(entry):
    with tenant_scope(entry.tenant_id):
        return TimeEntry.objects.filter(pk=entry.pk).values().get()


def test_on_behalf_reads_are_constant_in_queries(tenant, owner, employee, kit, today):
    client = api_client(owner)
    client.get("/api/v1/tenants")
    m = member(tenant, employee)
    url = _behalf(tenant, m.pk) + f"/time-entries?from={MON}&to={MON + dt.timedelta(days=40)}"
    report(m, [MON, TUE], kit=kit)
    small, r1 = count_queries(lambda: client.get(url))
    report(m, [MON + dt.timedelta(days=i) for i in range(2, 30)], kit=kit)
    large, r2 = count_queries(lambda: client.get(url))
    assert (r1.json()["total"], r2.json()["total"]) == (2, 30)
    assert small == large


# --- period close -----------------------------------------------------------------------------------


def _periods(tenant):
    return f"/api/v1/tenants/{tenant.pk}/attestation/periods"


@pytest.mark.parametrize("role", [*ROLES, "stranger"])
def test_period_close_matrix(request, tenant, everyone, today, role):
    client = api_client(request.getfixturevalue(role))
    before = _snapshot(tenant)
    response = _post(client, _periods(tenant) + "/2026-10/close")
    if role in CLOSERS:
        assert response.status_code == 200, response.content
        body = response.json()
        assert body["closed"] is True and body["period"]["key"] == "2026-10"
    else:
        assert response.status_code == (404 if role == "stranger" else 403)
        assert _snapshot(tenant) == before


def test_period_reopen_and_status(tenant, owner, attestant, employee, today):
    client = api_client(owner)
    _post(client, _periods(tenant) + "/2026-10/close")
    before = _snapshot(tenant)
    response = _post(client, _periods(tenant) + "/2026-10/reopen", {"reason": ""})
    assert response.status_code == 400 and response.json()["code"] == "reason_required"
    response = _post(api_client(attestant), _periods(tenant) + "/2026-10/reopen", {"reason": "Fel"})
    assert response.status_code == 403
    assert _snapshot(tenant) == before
    response = _post(client, _periods(tenant) + "/2026-10/reopen", {"reason": "Rättelse av sjukdag"})
    assert response.status_code == 200
    history = response.json()["history"]
    assert response.json()["closed"] is False
    assert history[0]["reopen_reason"] == "Rättelse av sjukdag" and history[0]["correction_pending"] is True
    # the approver reads the status (a period in the queue); a closed period's writes answer 409
    status = api_client(attestant).get(_periods(tenant) + "/2026-10")
    assert status.status_code == 200 and status.json()["closed"] is False
    _post(client, _periods(tenant) + "/2026-10/close")
    m = member(tenant, employee)
    response = _post(client, _behalf(tenant, m.pk) + "/time/lock", {"dates": ["2026-10-05"]})
    assert response.status_code == 409 and response.json()["code"] == "period_closed"
    assert response.json()["extra"] == {"period": "2026-10", "dates": ["2026-10-05"]}


def test_period_bad_keys_and_other_tenant(tenant, owner, other_tenant, stranger, today):
    client = api_client(owner)
    assert _post(client, _periods(tenant) + "/2026-13/close").json()["code"] == "invalid_period"
    assert client.get(_periods(tenant) + "/x").status_code == 400
    assert client.get(_periods(tenant) + "/2026-100").status_code in (400, 422)
    assert client.get(f"/api/v1/tenants/{other_tenant.pk}/attestation/periods/2026-10").status_code == 404


# --- approvers who can approve (members PATCH) ------------------------------------------------------


def _members(tenant, member_id):
    return f"/api/v1/tenants/{tenant.pk}/members/{member_id}"


def test_a_light_user_named_approver_answers_a_clear_error_and_writes_nothing(tenant, owner, employee):
    light = MembershipFactory(tenant=tenant, user=UserFactory(name="Lisa Lätt"), licence=Licence.LIGHT)
    before = _snapshot(tenant)
    response = _post(
        api_client(owner), _members(tenant, member(tenant, employee).pk), {"approver_id": light.pk}, "patch"
    )
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "approver_cannot_attest" and body["extra"]["field"] == "approver"
    assert "Lisa Lätt kan inte vara attestansvarig" in body["message"]
    assert _snapshot(tenant) == before


def test_demoting_an_approver_lists_their_employees_then_moves_them(tenant, owner, attestant, employee):
    client = api_client(owner)
    url = _members(tenant, member(tenant, attestant).pk)
    before = _snapshot(tenant)
    response = _post(client, url, {"licence": "LIGHT"}, "patch")
    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "approver_has_employees"
    assert body["extra"]["employees"] == [{"id": member(tenant, employee).pk, "name": "Erik Anställd"}]
    assert _snapshot(tenant) == before
    response = _post(client, url, {"licence": "LIGHT", "new_approver_id": member(tenant, owner).pk}, "patch")
    assert response.status_code == 200, response.content
    assert member(tenant, employee).approver_id == member(tenant, owner).pk
    assert member(tenant, attestant).licence == Licence.LIGHT


def test_deactivating_with_open_time_needs_confirmation(tenant, owner, employee, today):
    client = api_client(owner)
    m = member(tenant, employee)
    report(m, [MON], status="locked")
    before = _snapshot(tenant)
    response = _post(client, _members(tenant, m.pk), {"is_active": False}, "patch")
    assert response.status_code == 409 and response.json()["code"] == "open_time"
    assert response.json()["extra"]["days"] == [{"date": "2026-11-16", "status": "locked", "minutes": 480}]
    assert _snapshot(tenant) == before
    response = _post(client, _members(tenant, m.pk), {"is_active": False, "confirm_open_time": True}, "patch")
    assert response.status_code == 200 and response.json()["is_active"] is False
