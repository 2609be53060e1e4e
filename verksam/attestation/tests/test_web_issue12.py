"""Issue 12 on the attestation pages and Översikt: the queue's filters and charts, one employee's
month grouped by week with start and end times, confirmations that say what happens, the same
status words as the employee's, messages as sentences, and the period being closed on Översikt."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from verksam.tenancy.scope import tenant_scope
from verksam.tenancy.tests.fixtures import login_client
from verksam.tenancy.tests.helpers import count_queries
from verksam.timereporting.models import DayRejection
from verksam.timereporting.tests.factories import TimeEntryFactory

from .helpers import MON, STOCKHOLM, THU, TUE, WED, codes, lock, member, report, team


def _url(name, tenant, *args):
    return reverse(f"web:{name}", args=[tenant.slug, *args])


def _members_listed(html: str) -> set[str]:
    return {part.split('"')[0] for part in html.split('data-member="')[1:]}


@pytest.fixture
def three(tenant, attestant, employee, today):
    """Three people of the attestant: one with locked days, one with a rejected day, one missing days."""
    a = member(tenant, attestant)
    kit = codes(tenant)
    locked, rejected, missing = team(tenant, a, 3, "f")
    every_day = [dt.date(2026, 11, d) for d in range(2, 20) if dt.date(2026, 11, d).weekday() < 5]
    report(locked, every_day, kit=kit, status="locked")
    report(rejected, every_day, kit=kit)
    with tenant_scope(tenant.pk):
        DayRejection.objects.create(tenant=tenant, membership=rejected, date=MON, comment="Fel kod")
    report(missing, every_day[:3], kit=kit)
    report(member(tenant, employee), every_day, kit=kit, status="attested")
    return locked, rejected, missing


@pytest.mark.parametrize(
    ("chosen", "who"), [("missing", {"missing"}), ("locked", {"locked"}), ("rejected", {"rejected"})]
)
def test_the_queue_filters_missing_locked_and_rejected(tenant, attestant, three, chosen, who):
    people = dict(zip(("locked", "rejected", "missing"), three, strict=True))
    html = login_client(attestant).get(_url("attest_queue", tenant) + f"?period=2026-11&filter={chosen}")
    listed = _members_listed(html.content.decode())
    assert listed == {str(people[name].pk) for name in who}


def test_an_unknown_filter_shows_everyone_and_the_counts_are_on_the_buttons(tenant, attestant, three):
    html = (
        login_client(attestant)
        .get(_url("attest_queue", tenant) + "?period=2026-11&filter=allt")
        .content.decode()
    )
    assert len(_members_listed(html)) == 4
    assert "Avvisade (1)" in html and "Låsta (1)" in html


def test_the_queue_has_charts_with_the_numbers_behind_them(tenant, attestant, three):
    html = login_client(attestant).get(_url("attest_queue", tenant) + "?period=2026-11").content.decode()
    for chart in ("chart-per-employee", "chart-team-weeks", "chart-balances"):
        figure = html.split(f'data-testid="{chart}"')[1].split("</figure>")[0]
        assert "<svg" in figure and "<details" in figure and "<table>" in figure


def test_the_month_is_grouped_by_week_with_start_and_end_times(tenant, attestant, employee, today):
    m = member(tenant, employee)
    kit = codes(tenant)
    TimeEntryFactory(membership=m, date=TUE, project=kit["project"], time_code=kit["normal"],
                     start_time=dt.time(7), end_time=dt.time(16), break_minutes=60, minutes=480)  # fmt: skip
    html = (
        login_client(attestant)
        .get(_url("attest_employee", tenant, m.pk) + "?period=2026-11")
        .content.decode()
    )
    weeks = [part.split('"')[0] for part in html.split('data-week="')[1:]]
    assert weeks == ["44", "45", "46", "47", "48", "49"]
    assert 'data-testid="entry-times">07:00–16:00<' in html
    # the actions come before the days, and say what reject and reopen do
    assert html.index('data-testid="att-actions"') < html.index('data-testid="attest-days"')
    reject = html.split('data-testid="reject"')[1].split(">")[0]
    assert "data-confirm=" in reject and "kommentar" in reject


def test_a_rejected_day_reads_avvisad_for_the_approver_as_for_the_employee(
    tenant, attestant, employee, today
):
    m = member(tenant, employee)
    report(m, [MON])
    with tenant_scope(tenant.pk):
        DayRejection.objects.create(tenant=tenant, membership=m, date=MON, comment="Fel kod")
    approver = (
        login_client(attestant)
        .get(_url("attest_employee", tenant, m.pk) + "?period=2026-11")
        .content.decode()
    )
    mine = login_client(employee).get(_url("time_day", tenant, MON.isoformat())).content.decode()
    row = approver.split(f'data-date="{MON.isoformat()}"')[1].split("</tr>")[0]
    assert ">Avvisad<" in row
    assert 'data-testid="day-status">Avvisad<' in mine


def test_attesting_says_it_as_a_sentence(tenant, attestant, employee, today):
    m = member(tenant, employee)
    report(m, [MON, TUE, WED], status="locked")
    response = login_client(attestant).post(
        _url("attest_employee", tenant, m.pk) + "?period=2026-11",
        {"action": "attest", "dates": [d.isoformat() for d in (MON, TUE, WED)]},
        follow=True,
    )
    assert [str(x) for x in response.context["messages"]] == ["3 dagar attesterade."]


def test_the_queue_with_filters_and_charts_keeps_a_constant_number_of_queries(tenant, attestant, today):
    a = member(tenant, attestant)
    kit = codes(tenant)
    client = login_client(attestant)
    url = _url("attest_queue", tenant) + "?period=2026-11&filter=locked"

    def add(n, prefix):
        for p in team(tenant, a, n, prefix):
            report(p, [MON, TUE], status="locked", kit=kit)
            with tenant_scope(tenant.pk):
                DayRejection.objects.create(tenant=tenant, membership=p, date=THU, comment="Saknas")

    add(2, "s")
    small, _ = count_queries(lambda: client.get(url))
    add(28, "l")
    large, response = count_queries(lambda: client.get(url))
    assert response.content.decode().count("data-member=") == 30
    assert small == large


# --- Översikt: the period being closed -------------------------------------------------------------


def test_oversikt_counts_the_missing_days_of_the_period_being_closed(tenant, employee, attestant):
    # given an employee who reported two days of November, one locked, and it is now 3 December:
    # November is the period being closed (not closed yet)
    m = member(tenant, employee)
    report(m, [dt.date(2026, 11, 2), dt.date(2026, 11, 3)])
    lock(m, [dt.date(2026, 11, 2)])
    with time_machine.travel(dt.datetime(2026, 12, 3, 9, tzinfo=STOCKHOLM), tick=False):
        mine = login_client(employee).get(_url("dashboard", tenant)).content.decode()
        approver = login_client(attestant).get(_url("dashboard", tenant)).content.decode()
    closing = mine.split('data-testid="dash-closing"')[1].split("</p>")[0]
    # November has 21 weekdays (no röd dag); two are reported, one of them is not locked
    assert "19 dagar saknas" in closing and "1 dag är inte låst" in closing
    assert 'data-testid="dash-closing-missing"' in approver


def test_oversikt_forgets_the_previous_period_once_it_is_closed(tenant, employee, owner):
    from verksam.attestation import services
    from verksam.tenancy.access import resolve

    with tenant_scope(tenant.pk):
        services.period_close(actor=resolve(owner, tenant), period_key="2026-11")
    with time_machine.travel(dt.datetime(2026, 12, 3, 9, tzinfo=STOCKHOLM), tick=False):
        mine = login_client(employee).get(_url("dashboard", tenant)).content.decode()
    assert 'data-testid="dash-closing"' not in mine


def test_oversikt_charts_keep_a_constant_number_of_queries(tenant, employee):
    m = member(tenant, employee)
    client = login_client(employee)
    url = _url("dashboard", tenant)
    with time_machine.travel(dt.datetime(2026, 11, 20, 9, tzinfo=STOCKHOLM), tick=False):
        report(m, [dt.date(2026, 11, 2)], status="attested")
        small, first = count_queries(lambda: client.get(url))
        report(
            m,
            [dt.date(2026, 10, d) for d in range(1, 31)] + [dt.date(2026, 11, d) for d in range(3, 20)],
            status="attested",
        )
        large, second = count_queries(lambda: client.get(url))
    assert small == large
    html = second.content.decode()
    assert 'data-testid="chart-hours"' in html and 'data-testid="chart-balance"' in html


def test_the_chart_geometry_is_written_with_decimal_points_whatever_the_language(tenant, employee):
    m = member(tenant, employee)
    with time_machine.travel(dt.datetime(2026, 11, 20, 9, tzinfo=STOCKHOLM), tick=False):
        report(m, [dt.date(2026, 11, 16), dt.date(2026, 11, 17)], minutes=450)
        html = login_client(employee).get(_url("dashboard", tenant)).content.decode()
    svg = html.split('data-testid="chart-hours"')[1].split("</svg>")[0]
    rects = [part.split(">")[0] for part in svg.split("<rect ")[1:]]
    assert len(rects) == 16  # eight weeks, reported beside scheduled
    assert all("," not in r for r in rects)
    assert any('height="0.5"' not in r and "bar-first" in r for r in rects)  # week 47 has 15:00


def test_the_api_queue_filters_like_the_page(tenant, attestant, three):
    from verksam.tenancy.tests.fixtures import api_client

    _locked, rejected, _missing = three
    client = api_client(attestant)
    base = f"/api/v1/tenants/{tenant.pk}/attestation/queue?period=2026-11"
    rows = client.get(base + "&filter=rejected").json()["rows"]
    assert [r["member_id"] for r in rows] == [rejected.pk] and rows[0]["days_rejected"] == 1
    assert client.get(base + "&filter=bogus").status_code == 422
