"""The DESIGN.md trio for the attestation API: other tenant -> 404 {code: not_found}, authorization
matrix (refused writes change nothing), constant query count (2 rows vs 30 rows); and the payloads."""

import pytest
from django.core import mail

from verksam.tenancy.models import Licence
from verksam.tenancy.scope import tenant_scope
from verksam.tenancy.tests.factories import MembershipFactory, UserFactory
from verksam.tenancy.tests.fixtures import api_client
from verksam.tenancy.tests.helpers import count_queries
from verksam.timereporting.models import DayLock

from .helpers import (
    FRI,
    MON,
    ROLES,
    TUE,
    WED,
    absence,
    codes,
    delegate,
    member,
    report,
    state,
    statuses,
    team,
)

JSON = "application/json"
ATTESTERS = {"owner", "attestant", "partner_full"}
REOPENERS = {"owner", "partner_full"}


@pytest.fixture
def week(tenant, everyone, employee, today):
    m = member(tenant, employee)
    report(m, [MON, TUE], status="locked")
    report(m, [WED])
    return m


def _base(tenant):
    return f"/api/v1/tenants/{tenant.pk}/attestation"


def _call(client, method, url, body=None):
    if method == "get":
        return client.get(url)
    return getattr(client, method)(url, body or {}, content_type=JSON)


def _warm(client):
    # The first request of a token stamps its last_used_at (once a minute): not part of the endpoint.
    client.get("/api/v1/tenants")
    return client


def _error(response, status, code):
    assert response.status_code == status, response.content
    assert response.json()["code"] == code


def _calls(tenant, member_id, delegation_id, substitute_id):
    base = _base(tenant)
    dates = [MON.isoformat()]
    return [
        ("get", f"{base}/queue?period=2026-11", None),
        ("get", f"{base}/employees/{member_id}?period=2026-11", None),
        ("post", f"{base}/attest", {"member_id": member_id, "dates": dates}),
        ("post", f"{base}/reject", {"member_id": member_id, "dates": dates, "comment": "Fel"}),
        ("post", f"{base}/reopen", {"member_id": member_id, "dates": dates, "reason": "Fel"}),
        ("post", f"{base}/attest-bulk", {"period": "2026-11"}),
        ("get", f"{base}/delegations", None),
        (
            "post",
            f"{base}/delegations",
            {"substitute_id": substitute_id, "start_date": "2026-11-20", "end_date": "2026-11-27"},
        ),
        ("delete", f"{base}/delegations/{delegation_id}", None),
    ]


# --- (a) other tenant -> 404 -------------------------------------------------------------------------


def test_stranger_gets_404_on_every_endpoint(tenant, week, stranger, attestant, owner):
    d = delegate(member(tenant, attestant), member(tenant, owner), MON, FRI)
    before = state(tenant)
    client = api_client(stranger)
    for method, url, body in _calls(tenant, week.pk, d.pk, member(tenant, owner).pk):
        _error(_call(client, method, url, body), 404, "not_found")
    assert state(tenant) == before


def test_forged_ids_of_another_tenant_answer_404(tenant, week, owner, other_tenant, today):
    foreign = MembershipFactory(tenant=other_tenant, licence=Licence.STANDARD)
    boss = MembershipFactory(tenant=other_tenant, licence=Licence.TOTAL)
    report(foreign, [MON], status="locked")
    d = delegate(boss, foreign, MON, FRI)
    before = state(tenant, other_tenant)
    client = api_client(owner)
    for method, url, body in _calls(tenant, foreign.pk, d.pk, foreign.pk):
        if (
            url.endswith("/queue?period=2026-11")
            or url.endswith("/attest-bulk")
            or (method == "get" and url.endswith("/delegations"))
        ):
            continue
        _error(_call(client, method, url, body), 404, "not_found")
    _error(
        _call(
            client, "post", f"{_base(tenant)}/attest-bulk", {"period": "2026-11", "member_ids": [foreign.pk]}
        ),
        404,
        "not_found",
    )
    assert state(tenant, other_tenant) == before


# --- (b) authorization matrix ------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_read_matrix(request, tenant, week, role):
    client = api_client(request.getfixturevalue(role))
    for url in (
        f"{_base(tenant)}/queue?period=2026-11",
        f"{_base(tenant)}/employees/{week.pk}",
        f"{_base(tenant)}/delegations",
    ):
        response = client.get(url)
        if role in ATTESTERS:
            assert response.status_code == 200, (url, response.content)
        else:
            _error(response, 403, "forbidden")


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", ["attest", "reject", "attest-bulk"])
def test_write_matrix(request, tenant, week, role, action):
    before = state(tenant)
    client = api_client(request.getfixturevalue(role))
    body = {"member_id": week.pk, "dates": [MON.isoformat(), TUE.isoformat()], "comment": "Fel projekt"}
    if action == "attest-bulk":
        body = {"period": "2026-11"}
    response = _call(client, "post", f"{_base(tenant)}/{action}", body)
    if role in ATTESTERS:
        assert response.status_code == 200, response.content
        expected = {} if action == "reject" else {MON: "attested", TUE: "attested"}
        assert statuses(week) == expected
    else:
        _error(response, 403, "forbidden")
        assert state(tenant) == before


@pytest.mark.parametrize("role", ROLES)
def test_reopen_matrix(request, tenant, week, owner, role):
    _call(
        api_client(owner),
        "post",
        f"{_base(tenant)}/attest",
        {"member_id": week.pk, "dates": [MON.isoformat()]},
    )
    before = state(tenant)
    response = _call(
        api_client(request.getfixturevalue(role)),
        "post",
        f"{_base(tenant)}/reopen",
        {"member_id": week.pk, "dates": [MON.isoformat()], "reason": "Fel tidkod"},
    )
    if role in REOPENERS:
        assert response.status_code == 200 and response.json() == {"member_id": week.pk, "days": 1}
        assert statuses(week) == {TUE: "locked"}
    else:
        _error(response, 403, "forbidden")
        assert state(tenant) == before


@pytest.mark.parametrize("role", ROLES)
def test_delegation_matrix(request, tenant, week, owner, attestant, role):
    before = state(tenant)
    body = {"substitute_id": member(tenant, owner).pk, "start_date": "2026-11-20", "end_date": "2026-11-27"}
    if role in {"owner", "partner_full"}:
        body["approver_id"] = member(tenant, attestant).pk
    response = _call(api_client(request.getfixturevalue(role)), "post", f"{_base(tenant)}/delegations", body)
    if role in ATTESTERS:
        assert response.status_code == 201, response.content
        assert response.json()["approver_id"] == member(tenant, attestant).pk
        assert response.json()["substitute_name"] == "Olle Ägare"
    else:
        _error(response, 403, "forbidden")
        assert state(tenant) == before


def test_same_tenant_member_you_may_not_attest_answers_403(tenant, week, attestant, owner):
    me = member(tenant, owner)
    report(me, [MON], status="locked")
    before = state(tenant)
    client = api_client(attestant)
    _error(client.get(f"{_base(tenant)}/employees/{me.pk}"), 403, "not_approver")
    _error(
        _call(client, "post", f"{_base(tenant)}/attest", {"member_id": me.pk, "dates": [MON.isoformat()]}),
        403,
        "not_approver",
    )
    _error(
        _call(client, "post", f"{_base(tenant)}/attest-bulk", {"period": "2026-11", "member_ids": [me.pk]}),
        403,
        "not_approver",
    )
    assert state(tenant) == before


def test_own_time_refused_for_standard_through_the_api(tenant, owner, today):
    boss = MembershipFactory(tenant=tenant, licence=Licence.STANDARD)
    worker = MembershipFactory(tenant=tenant, licence=Licence.STANDARD, approver=boss)
    with tenant_scope(tenant.pk):
        boss.approver = worker
        boss.save()
    report(boss, [MON], status="locked")
    before = state(tenant)
    response = _call(
        api_client(boss.user),
        "post",
        f"{_base(tenant)}/attest",
        {"member_id": boss.pk, "dates": [MON.isoformat()]},
    )
    _error(response, 403, "own_time")
    assert state(tenant) == before


# --- (c) constant query count ------------------------------------------------------------------------


def test_queue_endpoint_queries_are_constant(tenant, owner, attestant, today):
    a = member(tenant, attestant)
    kit = codes(tenant)
    client = _warm(api_client(attestant))
    url = f"{_base(tenant)}/queue?period=2026-11"

    def add(n, prefix):
        for p in team(tenant, a, n, prefix):
            report(p, [MON], status="attested", kit=kit)
            report(p, [TUE], status="locked", kit=kit)
            absence(p, WED, kit["sick"])

    add(2, "a")
    small, r1 = count_queries(lambda: client.get(url))
    add(28, "b")
    large, r2 = count_queries(lambda: client.get(url))
    assert len(r1.json()["rows"]) == 2 and len(r2.json()["rows"]) == 30
    assert small == large


def test_bulk_and_detail_and_delegation_queries_are_constant(tenant, owner, attestant, employee, today):
    a = member(tenant, attestant)
    kit = codes(tenant)
    client = _warm(api_client(attestant))
    m = member(tenant, employee)
    detail = f"{_base(tenant)}/employees/{m.pk}?period=2026-11"
    report(m, [MON, TUE], kit=kit)
    small, _ = count_queries(lambda: client.get(detail))
    report(m, [WED] * 28, kit=kit, minutes=15)
    large, response = count_queries(lambda: client.get(detail))
    assert sum(len(d["entries"]) for d in response.json()["days"]) == 30
    assert small == large

    def bulk(n, prefix):
        for p in team(tenant, a, n, prefix):
            report(p, [MON, TUE], status="locked", kit=kit)
        return count_queries(
            lambda: _call(client, "post", f"{_base(tenant)}/attest-bulk", {"period": "2026-11"})
        )

    small, r1 = bulk(2, "a")
    large, r2 = bulk(30, "b")
    assert r1.json() == {"employees": 2, "days": 4} and r2.json() == {"employees": 30, "days": 60}
    assert small == large

    def delegations(n, prefix):
        for i in range(n):
            sub = MembershipFactory(
                tenant=tenant, user=UserFactory(email=f"{prefix}{i}@s.se"), licence=Licence.STANDARD
            )
            delegate(a, sub, MON, FRI)
        return count_queries(lambda: client.get(f"{_base(tenant)}/delegations?page_size=100"))

    small, r1 = delegations(2, "d")
    large, r2 = delegations(28, "e")
    assert r1.json()["total"] == 2 and r2.json()["total"] == 30
    assert small == large


# --- payloads ----------------------------------------------------------------------------------------


def test_queue_payload(tenant, week, attestant):
    body = api_client(attestant).get(f"{_base(tenant)}/queue?period=2026-11").json()
    assert body["period"] == {"key": "2026-11", "start": "2026-11-01", "end": "2026-11-30"}
    row = body["rows"][0]
    assert row["member_id"] == week.pk and row["employment_number"] == "17"
    assert (row["days_reported"], row["days_open"], row["days_locked"], row["days_attested"]) == (3, 1, 2, 0)
    assert row["days_missing"] == 11 and row["status"] == "waiting" and row["total_minutes"] == 3 * 480
    assert row["via_delegation"] is False and row["on_behalf_of_id"] is None


def test_bad_period_and_missing_comment(tenant, week, attestant):
    client = api_client(attestant)
    _error(client.get(f"{_base(tenant)}/queue?period=2026-13"), 400, "invalid_period")
    _error(_call(client, "post", f"{_base(tenant)}/attest-bulk", {"period": "26-11"}), 422, "invalid")
    before = state(tenant)
    response = _call(
        client,
        "post",
        f"{_base(tenant)}/reject",
        {"member_id": week.pk, "dates": [MON.isoformat()], "comment": ""},
    )
    _error(response, 400, "comment_required")
    _error(
        _call(client, "post", f"{_base(tenant)}/attest", {"member_id": week.pk, "dates": []}), 422, "invalid"
    )
    assert state(tenant) == before


def test_detail_and_reject_payload(tenant, week, attestant, employee, django_capture_on_commit_callbacks):
    client = api_client(attestant)
    days = {
        d["date"]: d for d in client.get(f"{_base(tenant)}/employees/{week.pk}?period=2026-11").json()["days"]
    }
    assert days["2026-11-16"]["status"] == "locked" and days["2026-11-18"]["status"] == "open"
    assert days["2026-11-16"]["entries"][0]["minutes"] == 480
    with django_capture_on_commit_callbacks(execute=True):
        response = _call(
            client,
            "post",
            f"{_base(tenant)}/reject",
            {"member_id": week.pk, "dates": ["2026-11-16"], "comment": "Fel"},
        )
    assert response.json() == {"member_id": week.pk, "days": 1}
    assert [m.to for m in mail.outbox] == [[employee.email]]
    days = {
        d["date"]: d for d in client.get(f"{_base(tenant)}/employees/{week.pk}?period=2026-11").json()["days"]
    }
    assert days["2026-11-16"]["status"] == "open" and days["2026-11-16"]["rejection_comment"] == "Fel"


def test_substitute_attests_on_behalf_through_the_api(tenant, week, attestant):
    sub = MembershipFactory(tenant=tenant, licence=Licence.STANDARD)
    delegate(member(tenant, attestant), sub, MON, FRI)
    client = api_client(sub.user)
    row = client.get(f"{_base(tenant)}/queue").json()["rows"][0]
    assert row["via_delegation"] and row["on_behalf_of_id"] == member(tenant, attestant).pk
    _call(client, "post", f"{_base(tenant)}/attest", {"member_id": week.pk, "dates": [MON.isoformat()]})
    days = {d["date"]: d for d in client.get(f"{_base(tenant)}/employees/{week.pk}").json()["days"]}
    assert days["2026-11-16"]["attested_on_behalf_of_id"] == member(tenant, attestant).pk
    with tenant_scope(tenant.pk):
        assert DayLock.objects.get(membership=week, date=MON).attested_by == sub.user


def test_delegation_list_and_revoke(tenant, week, attestant, owner):
    sub = MembershipFactory(tenant=tenant, licence=Licence.STANDARD)
    client = api_client(attestant)
    created = _call(
        client,
        "post",
        f"{_base(tenant)}/delegations",
        {"substitute_id": sub.pk, "start_date": "2026-11-20", "end_date": "2026-11-27"},
    ).json()
    listed = client.get(f"{_base(tenant)}/delegations").json()
    assert [d["id"] for d in listed["items"]] == [created["id"]]
    _error(
        _call(api_client(sub.user), "delete", f"{_base(tenant)}/delegations/{created['id']}"),
        403,
        "not_yours",
    )
    revoked = _call(client, "delete", f"{_base(tenant)}/delegations/{created['id']}").json()
    assert revoked["revoked_at"] is not None
    assert client.get(f"{_base(tenant)}/delegations").json()["total"] == 0
    assert client.get(f"{_base(tenant)}/delegations?include_ended=true").json()["total"] == 1
    _error(_call(client, "delete", f"{_base(tenant)}/delegations/{created['id']}"), 409, "already_revoked")
    bad = _call(
        client,
        "post",
        f"{_base(tenant)}/delegations",
        {"substitute_id": week.pk, "start_date": "2026-11-20", "end_date": "2026-11-27"},
    )
    _error(bad, 400, "invalid_substitute")
