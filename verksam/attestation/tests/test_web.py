"""The DESIGN.md trio for the Attestering pages: other tenant -> 404, authorization matrix (refused
writes change nothing), constant query count (2 rows vs 30 rows); and what the pages show."""

import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import translation
from django.utils.translation import ngettext

from verksam.tenancy.models import Licence
from verksam.tenancy.scope import tenant_scope
from verksam.tenancy.tests.factories import MembershipFactory, UserFactory
from verksam.tenancy.tests.fixtures import login_client
from verksam.tenancy.tests.helpers import count_queries, sv
from verksam.timereporting.models import DayLock

from .helpers import (
    FRI,
    MON,
    ROLES,
    THU,
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

ATTESTERS = {"owner", "attestant", "partner_full"}  # may attest the employee
REOPENERS = {"owner", "partner_full"}


@pytest.fixture
def week(tenant, everyone, employee, today):
    """The employee reported Monday–Wednesday and locked Monday–Tuesday."""
    m = member(tenant, employee)
    report(m, [MON, TUE], status="locked")
    report(m, [WED])
    return m


def _url(name, tenant, *args):
    return reverse(f"web:{name}", args=[tenant.slug, *args])


def _detail(tenant, m):
    return _url("attest_employee", tenant, m.pk) + "?period=2026-11"


# --- (a) other tenant -> 404 -------------------------------------------------------------------------


def test_stranger_gets_404_on_every_page(tenant, week, stranger, attestant, owner):
    d = delegate(member(tenant, attestant), member(tenant, owner), MON, FRI)
    before = state(tenant)
    client = login_client(stranger)
    calls = [
        ("get", _url("attest_queue", tenant), None),
        ("get", _detail(tenant, week), None),
        ("post", _detail(tenant, week), {"action": "attest", "dates": [MON.isoformat()]}),
        ("get", _url("attest_bulk", tenant) + "?period=2026-11", None),
        ("post", _url("attest_bulk", tenant) + "?period=2026-11", {}),
        ("get", _url("attest_delegations", tenant), None),
        ("post", _url("attest_delegations", tenant), {"substitute": member(tenant, owner).pk}),
        ("post", _url("attest_delegation_revoke", tenant, d.pk), {}),
    ]
    for method, url, data in calls:
        assert getattr(client, method)(url, data).status_code == 404, url
    assert state(tenant) == before


def test_forged_ids_of_another_tenant_answer_404(tenant, week, owner, other_tenant, today):
    foreign = MembershipFactory(tenant=other_tenant, licence=Licence.STANDARD)
    foreign_boss = MembershipFactory(tenant=other_tenant, licence=Licence.TOTAL)
    report(foreign, [MON], status="locked")
    foreign_delegation = delegate(foreign_boss, foreign, MON, FRI)
    before = state(tenant, other_tenant)
    client = login_client(owner)
    assert client.get(_detail(tenant, foreign)).status_code == 404
    assert (
        client.post(_detail(tenant, foreign), {"action": "attest", "dates": [MON.isoformat()]}).status_code
        == 404
    )
    assert client.post(_url("attest_delegation_revoke", tenant, foreign_delegation.pk)).status_code == 404
    # a forged substitute is refused by the form (its choices are narrowed to the tenant)
    response = client.post(
        _url("attest_delegations", tenant),
        {"substitute": foreign.pk, "start_date": "2026-11-20", "end_date": "2026-11-27"},
    )
    assert response.status_code == 422
    assert state(tenant, other_tenant) == before


# --- (b) authorization matrix ------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_queue_and_detail_matrix(request, tenant, week, role):
    client = login_client(request.getfixturevalue(role))
    expected = 200 if role in ATTESTERS else 403
    assert client.get(_url("attest_queue", tenant)).status_code == expected
    assert client.get(_detail(tenant, week)).status_code == expected
    assert client.get(_url("attest_delegations", tenant)).status_code == expected
    assert client.get(_url("attest_bulk", tenant)).status_code == expected


@pytest.mark.parametrize("role", ROLES)
def test_attest_matrix(request, tenant, week, role):
    before = state(tenant)
    client = login_client(request.getfixturevalue(role))
    response = client.post(
        _detail(tenant, week), {"action": "attest", "dates": [MON.isoformat(), TUE.isoformat()]}
    )
    if role in ATTESTERS:
        assert response.status_code == 302
        assert statuses(week) == {MON: "attested", TUE: "attested"}
    else:
        assert response.status_code == 403
        assert state(tenant) == before


@pytest.mark.parametrize("role", ROLES)
def test_reopen_matrix(request, tenant, week, owner, role, today):
    login_client(owner).post(_detail(tenant, week), {"action": "attest", "dates": [MON.isoformat()]})
    before = state(tenant)
    client = login_client(request.getfixturevalue(role))
    response = client.post(
        _detail(tenant, week), {"action": "reopen", "dates": [MON.isoformat()], "reason": "Fel kod"}
    )
    if role in REOPENERS:
        assert response.status_code == 302
        assert statuses(week) == {TUE: "locked"}
    else:
        assert response.status_code == 403
        assert state(tenant) == before


@pytest.mark.parametrize("role", ROLES)
def test_bulk_matrix(request, tenant, week, role):
    before = state(tenant)
    client = login_client(request.getfixturevalue(role))
    response = client.post(_url("attest_bulk", tenant) + "?period=2026-11")
    if role in ATTESTERS:
        assert response.status_code == 302
        assert statuses(week) == {MON: "attested", TUE: "attested"}
    else:
        assert response.status_code == 403
        assert state(tenant) == before


@pytest.mark.parametrize("role", ROLES)
def test_delegation_matrix(request, tenant, week, owner, attestant, role):
    before = state(tenant)
    client = login_client(request.getfixturevalue(role))
    data = {"substitute": member(tenant, owner).pk, "start_date": "2026-11-20", "end_date": "2026-11-27"}
    if role in {"owner", "partner_full"}:
        data = {**data, "approver": member(tenant, attestant).pk}
    response = client.post(_url("attest_delegations", tenant), data)
    if role in ATTESTERS:
        assert response.status_code == 302, response.content.decode()
        assert len(state(tenant)["delegations"]) == 1
    else:
        assert response.status_code == 403
        assert state(tenant) == before


def test_same_tenant_member_you_may_not_attest_answers_403(tenant, week, attestant, owner):
    before = state(tenant)
    client = login_client(attestant)
    me = member(tenant, owner)
    assert client.get(_detail(tenant, me)).status_code == 403
    assert (
        client.post(_detail(tenant, me), {"action": "attest", "dates": [MON.isoformat()]}).status_code == 403
    )
    assert state(tenant) == before


def test_substitute_cannot_revoke(tenant, week, attestant, owner):
    d = delegate(member(tenant, attestant), member(tenant, owner), MON, FRI)
    sub = MembershipFactory(tenant=tenant, licence=Licence.STANDARD)
    d2 = delegate(member(tenant, attestant), sub, MON, FRI)
    before = state(tenant)
    assert login_client(sub.user).post(_url("attest_delegation_revoke", tenant, d2.pk)).status_code == 403
    assert state(tenant) == before
    assert login_client(attestant).post(_url("attest_delegation_revoke", tenant, d.pk)).status_code == 302
    with tenant_scope(tenant.pk):
        d.refresh_from_db()
    assert d.revoked_at is not None


# --- (c) constant query count ------------------------------------------------------------------------


def test_queue_page_queries_are_constant(tenant, owner, attestant, today):
    a = member(tenant, attestant)
    kit = codes(tenant)
    client = login_client(attestant)

    def add(n, prefix):
        for p in team(tenant, a, n, prefix):
            report(p, [MON], status="attested", kit=kit)
            report(p, [TUE], status="locked", kit=kit)

    add(2, "a")
    url = _url("attest_queue", tenant) + "?period=2026-11"
    small, r1 = count_queries(lambda: client.get(url))
    add(28, "b")
    large, r2 = count_queries(lambda: client.get(url))
    assert r1.status_code == r2.status_code == 200
    assert r2.content.decode().count("data-member=") == 30
    assert small == large
    bulk = _url("attest_bulk", tenant) + "?period=2026-11"
    assert count_queries(lambda: client.get(bulk))[0] == count_queries(lambda: client.get(bulk))[0]


def test_detail_page_queries_are_constant(tenant, attestant, employee, today):
    m = member(tenant, employee)
    kit = codes(tenant)
    client = login_client(attestant)
    report(m, [MON, TUE], status="locked", kit=kit)
    small, _ = count_queries(lambda: client.get(_detail(tenant, m)))
    days = [dt.date(2026, 11, d) for d in range(1, 31) if d not in (16, 17)]
    report(m, days[:28], status="locked", kit=kit)
    large, response = count_queries(lambda: client.get(_detail(tenant, m)))
    assert response.content.decode().count('name="dates"') == 30
    assert small == large


def test_delegation_page_queries_are_constant(tenant, owner, attestant, today):
    client = login_client(owner)
    boss = member(tenant, owner)

    def add(n, prefix):
        for i in range(n):
            sub = MembershipFactory(
                tenant=tenant, user=UserFactory(email=f"{prefix}{i}@s.se"), licence=Licence.STANDARD
            )
            delegate(boss, sub, MON, FRI)

    add(2, "a")
    small, _ = count_queries(lambda: client.get(_url("attest_delegations", tenant)))
    add(28, "b")
    large, response = count_queries(lambda: client.get(_url("attest_delegations", tenant)))
    assert response.content.decode().count("data-delegation=") == 30
    assert small == large


# --- what the pages do -------------------------------------------------------------------------------


def test_queue_page_shows_the_team_in_swedish(tenant, week, attestant):
    response = login_client(attestant).get(_url("attest_queue", tenant) + "?period=2026-11")
    html = response.content.decode()
    assert sv("Attestation") in html and "Erik Anställd" in html
    assert sv("Waiting for attestation") in html
    assert 'data-period="2026-11"' in html and "?period=2026-10" in html and "?period=2026-12" in html
    assert sv("Attest all locked") in html
    # filter: only waiting
    assert (
        'data-status="waiting"'
        in login_client(attestant)
        .get(_url("attest_queue", tenant) + "?period=2026-11&waiting=1")
        .content.decode()
    )


def test_queue_rows_escape_names_and_link_each_employee(tenant, attestant, owner, today):
    # given an approver with a name to escape, one of their people with such a name too (a short
    # day, a day of sick leave, one locked day), and a substitute who stands in for the approver
    approver = member(tenant, attestant)
    approver.user.name = 'Åsa "<b>" & Co'
    approver.user.save()
    kit = codes(tenant)
    (person,) = team(tenant, approver, 1, "x")
    person.user.name = "<script>alert(1)</script> Öberg"
    person.user.save()
    report(person, [MON], status="locked", kit=kit)
    report(person, [TUE], kit=kit, minutes=240)
    absence(person, WED, kit["sick"])
    sub = MembershipFactory(tenant=tenant, user=UserFactory(name="Sune Ersättare"), licence=Licence.STANDARD)
    delegate(approver, sub, MON, FRI)
    # when the substitute opens November's queue (the rows are drawn in Python: web/attestation/rows.py)
    html = login_client(sub.user).get(_url("attest_queue", tenant) + "?period=2026-11").content.decode()
    # then the names are escaped, never markup
    assert "<script>alert(1)" not in html and "&lt;script&gt;alert(1)&lt;/script&gt; Öberg" in html
    assert sv("as substitute for %(name)s") % {"name": "Åsa &quot;&lt;b&gt;&quot; &amp; Co"} in html
    # and the row carries its employee, status, Swedish cell labels, and two links to the employee
    link = f'href="{_detail(tenant, person)}"'
    assert f'<tr data-member="{person.pk}" data-status="waiting">' in html and html.count(link) == 2
    assert f'data-label="{sv("Days locked")}">1</td>' in html
    assert sv("%(reported)s of %(scheduled)s") % {"reported": "20:00", "scheduled": "168:00"} in html
    with translation.override("sv"):
        assert ngettext("%(n)s short day", "%(n)s short days", 1) % {"n": 1} in html  # Tuesday: 4 h of 8
    assert '<li class="att-absence">Sjuk <span class="muted">8:00</span></li>' in html
    assert f'<span class="badge att-waiting">{sv("Waiting for attestation")}</span>' in html


def test_malformed_period_shows_the_current_one(tenant, week, attestant):
    html = login_client(attestant).get(_url("attest_queue", tenant) + "?period=nonsense").content.decode()
    assert 'data-period="2026-11"' in html


def test_reject_from_the_page_needs_a_comment_and_emails(
    tenant, week, attestant, employee, django_capture_on_commit_callbacks
):
    client = login_client(attestant)
    before = state(tenant)
    response = client.post(
        _detail(tenant, week), {"action": "reject", "dates": [MON.isoformat()], "comment": ""}
    )
    assert response.status_code == 422
    assert sv("Write a comment so the employee knows what to correct.") in response.content.decode()
    assert state(tenant) == before
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            _detail(tenant, week),
            {"action": "reject", "dates": [MON.isoformat()], "comment": "Saknar projekt"},
        )
    assert response.status_code == 302
    assert statuses(week) == {TUE: "locked"}
    assert [m.to for m in mail.outbox] == [[employee.email]]
    html = client.get(_detail(tenant, week)).content.decode()
    assert "Saknar projekt" in html


def test_attesting_own_time_from_the_page_is_refused(tenant, owner, today):
    boss = MembershipFactory(tenant=tenant, licence=Licence.STANDARD)
    worker = MembershipFactory(tenant=tenant, licence=Licence.STANDARD, approver=boss)
    report(boss, [MON], status="locked")
    with tenant_scope(tenant.pk):
        boss.approver = worker
        boss.save()
    response = login_client(boss.user).get(_detail(tenant, boss))
    assert response.status_code == 403
    with tenant_scope(tenant.pk):
        assert DayLock.objects.get(membership=boss).status == "locked"


def test_bulk_confirm_page_lists_who_and_attests(tenant, week, attestant):
    client = login_client(attestant)
    html = client.get(_url("attest_bulk", tenant) + "?period=2026-11").content.decode()
    assert "Erik Anställd: 2" in html
    response = client.post(_url("attest_bulk", tenant) + "?period=2026-11", follow=True)
    assert statuses(week) == {MON: "attested", TUE: "attested"}
    assert response.status_code == 200


def test_substitute_sees_delegated_people_and_attests_on_behalf(tenant, week, attestant, owner):
    sub = MembershipFactory(tenant=tenant, user=UserFactory(name="Sune Ersättare"), licence=Licence.STANDARD)
    login_client(attestant).post(
        _url("attest_delegations", tenant),
        {"substitute": sub.pk, "start_date": "2026-11-20", "end_date": "2026-11-27"},
    )
    client = login_client(sub.user)
    html = client.get(_url("attest_queue", tenant) + "?period=2026-11").content.decode()
    assert "Erik Anställd" in html and "Åsa Attest" in html
    client.post(_detail(tenant, week), {"action": "attest", "dates": [MON.isoformat()]})
    with tenant_scope(tenant.pk):
        assert (
            DayLock.objects.get(membership=week, date=MON).attested_on_behalf_of_id
            == member(tenant, attestant).pk
        )
    assert THU  # the employee's Thursday stays unreported
