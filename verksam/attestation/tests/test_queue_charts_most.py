"""The approver queue's per-employee charts of a large team draw the employees who stand out most
(web/attestation/charts.py, MOST): a chart 320 units wide cannot show 200 employees' bars, and every
employee stays in the queue's table."""

import datetime as dt

import pytest
from django.urls import reverse

from verksam.tenancy.scope import tenant_scope
from verksam.tenancy.tests.fixtures import login_client
from verksam.web.attestation import charts

from .helpers import codes, member, report, team


@pytest.fixture
def people(tenant, attestant, today):
    """Three employees of the attestant: two reported every day, one only three days."""
    a = member(tenant, attestant)
    kit = codes(tenant)
    first, second, behind = team(tenant, a, 3, "m")
    every_day = [dt.date(2026, 11, d) for d in range(2, 20) if dt.date(2026, 11, d).weekday() < 5]
    for m in (first, second):
        report(m, every_day, kit=kit)
    report(behind, every_day[:3], kit=kit)
    with tenant_scope(tenant.pk):
        return {m.pk: m.user.name or m.user.email for m in (first, second, behind)}, behind.pk


def _chart(html: str, testid: str) -> tuple[str, list[str]]:
    figure = html.split(f'data-testid="{testid}"')[1].split("</figure>")[0]
    title = figure.split("<strong>")[1].split("</strong>")[0]
    names = [row.split("</th>")[0] for row in figure.split('<th scope="row">')[1:]]
    return title, names


def _queue(tenant, attestant) -> str:
    url = reverse("web:attest_queue", args=[tenant.slug]) + "?period=2026-11"
    return login_client(attestant).get(url).content.decode()


def test_a_team_over_the_limit_draws_those_with_the_largest_difference_first(
    tenant, attestant, people, monkeypatch
):
    names, behind = people
    monkeypatch.setattr(charts, "MOST", 2)
    html = _queue(tenant, attestant)
    assert html.count('<tr data-member="') == 3  # the table keeps everyone
    title, drawn = _chart(html, "chart-per-employee")
    assert title == "Rapporterat mot schemalagt: de 2 med störst skillnad"
    assert len(drawn) == 2 and drawn[0] == names[behind]
    assert html.split('data-testid="chart-per-employee"')[1].split("</figure>")[0].count("<rect") == 4
    title, drawn = _chart(html, "chart-balances")
    assert title == "Flex och tidbank, attesterat: de 2 med störst saldon"
    assert len(drawn) == 2


def test_a_team_within_the_limit_draws_everyone_by_the_queue_s_order(tenant, attestant, people):
    names, _behind = people
    html = _queue(tenant, attestant)
    title, drawn = _chart(html, "chart-per-employee")
    assert title == "Rapporterat mot schemalagt, per anställd"
    assert sorted(drawn) == sorted(names.values())
    assert _chart(html, "chart-balances")[0] == "Flex och tidbank per anställd, attesterat"
