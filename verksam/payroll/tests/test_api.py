"""The payroll basis API (issue 9 item 8): the basis as JSON, missing days, the choice, the dry run
with its test export, the PDFs; partners under their grant; other tenants and firms refused."""

import datetime as dt

import pytest
import time_machine

from verksam.audit.models import AuditEvent
from verksam.payroll.models import PayrollSelection
from verksam.payroll.paxml import validation_errors
from verksam.tenancy.models import Licence
from verksam.tenancy.scope import tenant_scope
from verksam.tenancy.tests.factories import MembershipFactory, UserFactory
from verksam.tenancy.tests.fixtures import api_client

from .db import absence_range, attest, days, kit, person, work

D = dt.date
KEY = "2026-11"


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(dt.datetime(2026, 12, 3, 12, tzinfo=dt.UTC), tick=False):
        yield


@pytest.fixture
def company(tenant, owner):
    codes = kit(tenant)
    done = person(tenant, 1, name="Klara Klar")
    late = person(tenant, 2, name="Sven Sen")
    november = days(D(2026, 11, 1), D(2026, 11, 30))
    work(done, [d for d in november if d.day < 23], codes)
    absence_range(done, codes["vab"], D(2026, 11, 23), D(2026, 11, 30), percent=50, child="201501012387")
    work(done, [d for d in november if d.day >= 23], codes, 240)
    work(done, [D(2026, 11, 10)], codes["overtime"], 90)
    work(late, november, codes)
    attest(done, november)
    attest(late, november[:-1])
    with tenant_scope(tenant.pk):
        PayrollSelection.objects.create(tenant=tenant, period_key=KEY, member_ids=[done.pk, late.pk])
    return {"done": done, "late": late}


def base(tenant):
    return f"/api/v1/tenants/{tenant.pk}/payroll/periods/{KEY}"


def test_basis_as_json(tenant, owner, company):
    answer = api_client(owner).get(base(tenant) + "/basis?target=paxml")
    assert answer.status_code == 200
    body = answer.json()
    assert body["period"] == {"key": KEY, "start": "2026-11-01", "end": "2026-11-30"}
    assert body["preliminary"] is True and body["target"] == "paxml"
    assert [(m["name"], m["date"], m["status"]) for m in body["missing"]] == [
        ("Sven Sen", "2026-11-30", "open")
    ]
    klara = next(e for e in body["employees"] if e["name"] == "Klara Klar")
    assert klara["member_id"] == company["done"].pk and klara["salary_form"] == "monthly"
    ot = next(t for t in klara["time"] if t["paxml_code"] == "ÖT1")
    assert (ot["date"], ot["minutes"], ot["hours"]) == ("2026-11-10", 90, "1.50")
    vab = next(t for t in klara["time"] if t["paxml_code"] == "VAB")
    assert (vab["date_from"], vab["date_to"], vab["extent_percent"], vab["child_personnummer"]) == (
        "2026-11-23",
        "2026-11-30",
        "50",
        "201501012387",
    )
    assert vab["date"] is None and vab["minutes"] is None
    assert len(klara["schedule"]) == 30 and klara["pay_lines"] == []
    assert klara["balances"][0]["paxml_code"] == "FLX"


def test_missing_and_selection(tenant, owner, company):
    client = api_client(owner)
    assert [m["date"] for m in client.get(base(tenant) + "/missing").json()] == ["2026-11-30"]
    current = client.get(base(tenant) + "/selection").json()
    assert sorted(current["member_ids"]) == sorted([company["done"].pk, company["late"].pk])
    put = client.put(
        base(tenant) + "/selection", {"member_ids": [company["done"].pk]}, content_type="application/json"
    )
    assert put.status_code == 200 and put.json()["member_ids"] == [company["done"].pk]
    assert client.get(base(tenant) + "/basis").json()["preliminary"] is False
    with tenant_scope(tenant.pk):
        assert AuditEvent.objects.filter(action="payroll.selection_set").count() == 1


def test_selection_refuses_bad_input_and_writes_nothing(tenant, owner, other_tenant, company):
    with tenant_scope(other_tenant.pk):
        foreign = MembershipFactory(tenant=other_tenant, user=UserFactory())
    client = api_client(owner)
    for body in ({"member_ids": [foreign.pk]}, {"member_ids": []}, {"member_ids": ["1"]}, {}):
        answer = client.put(base(tenant) + "/selection", body, content_type="application/json")
        assert answer.status_code in (400, 422), body
        assert answer.json()["code"] in {"unknown_member", "no_members", "invalid"}
    bad = client.put(
        f"/api/v1/tenants/{tenant.pk}/payroll/periods/2026-13/selection",
        {"member_ids": [company["done"].pk]},
        content_type="application/json",
    )
    assert bad.status_code == 400 and bad.json()["code"] == "invalid_period"
    with tenant_scope(tenant.pk):
        assert PayrollSelection.objects.get(period_key=KEY).member_ids == sorted(
            [company["done"].pk, company["late"].pk]
        )
        assert not AuditEvent.objects.filter(action="payroll.selection_set").exists()


def test_dry_run_and_test_export(tenant, owner, company):
    client = api_client(owner)
    run = client.get(base(tenant) + "/dry-run?target=hogia").json()
    assert run["target"] == "hogia" and run["preliminary"] is True and run["missing_days"] == 1
    assert run["passes"] is True  # the checks pass; the file waits for the last attestation
    assert {c["employment_number"] for c in run["comparisons"]} == {"1001", "1002"}
    export = client.post(
        base(tenant) + "/dry-run/export",
        {"target": "paxml", "employment_number": "1001"},
        content_type="application/json",
    )
    assert export.status_code == 200 and validation_errors(export.content) == []
    for body in (
        {"target": "paxml", "employment_number": "9999"},
        {"target": "nope", "employment_number": "1"},
    ):
        refused = client.post(base(tenant) + "/dry-run/export", body, content_type="application/json")
        assert refused.status_code in (400, 422), body


@pytest.mark.parametrize("role", ["partner_full", "partner_limited"])
def test_partner_reads_and_prints_under_the_grant(request, tenant, partner_firm, company, role):
    user = request.getfixturevalue(role)
    client = api_client(user)
    assert client.get(base(tenant) + "/basis").status_code == 200
    pdf = base(tenant) + "/pdf"
    one = client.post(pdf, {"member_id": company["done"].pk}, content_type="application/json")
    assert one.status_code == 200 and one.content.startswith(b"%PDF")
    assert client.post(pdf, {"member_id": 999999}, content_type="application/json").status_code == 404
    with tenant_scope(tenant.pk):
        event = AuditEvent.objects.get(action="payroll.basis_print")
    assert event.user == user and event.partner_tenant_id == partner_firm.pk


def test_another_tenant_and_a_partner_without_grant_get_404(tenant, stranger, partner_firm, company):
    no_grant = UserFactory()
    MembershipFactory(tenant=partner_firm, user=no_grant, licence=Licence.TOTAL)
    for user in (stranger, no_grant):
        client = api_client(user)
        for path in ("/basis", "/missing", "/selection", "/dry-run"):
            assert client.get(base(tenant) + path).status_code == 404, (user, path)
        assert client.post(base(tenant) + "/pdf", {}, content_type="application/json").status_code == 404


def test_employee_without_payroll_view_is_forbidden(tenant, employee, company):
    answer = api_client(employee).get(base(tenant) + "/basis")
    assert answer.status_code == 403 and answer.json()["code"] == "forbidden"
