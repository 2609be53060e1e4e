"""The Löneunderlag pages (issue 9 items 1, 2, 4 and 7): who may open them, the preliminary badge with
its missing days, the remembered choice, the PDFs (audited, as the partner for a partner), the dry
run and its one-employee test export."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from verksam.audit.models import AuditEvent
from verksam.payroll.models import PayrollSelection
from verksam.payroll.paxml import validation_errors
from verksam.tenancy.models import Licence
from verksam.tenancy.scope import tenant_scope
from verksam.tenancy.tests.factories import MembershipFactory, UserFactory
from verksam.tenancy.tests.fixtures import login_client

from .db import attest, days, kit, person, work

D = dt.date
KEY = "2026-11"  # November 2026, calendar month
NOW = dt.datetime(2026, 12, 3, 12, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def company(tenant, owner, employee):
    """Two employees: one fully attested, one with two days waiting."""
    codes = kit(tenant)
    done = person(tenant, 1, name="Klara Klar")
    late = person(tenant, 2, name="Sven Sen")
    november = days(D(2026, 11, 1), D(2026, 11, 30))
    for m in (done, late):
        work(m, november, codes)
        work(m, [D(2026, 11, 10)], codes["overtime"], 90)
    attest(done, november)
    attest(late, november[:-2])
    return {"done": done, "late": late, "codes": codes}


def url(tenant, name="web:payroll_basis", **query):
    q = "&".join(f"{k}={v}" for k, v in {"period": KEY, **query}.items())
    return reverse(name, args=[tenant.slug]) + "?" + q


def choose(tenant, *members):
    with tenant_scope(tenant.pk):
        PayrollSelection.objects.create(tenant=tenant, period_key=KEY, member_ids=[m.pk for m in members])


def test_preliminary_with_the_missing_days_and_queue_links(tenant, owner, company):
    choose(tenant, company["done"], company["late"])
    page = login_client(owner).get(url(tenant))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-status="preliminary"' in html
    assert 'data-date="2026-11-27"' in html and 'data-date="2026-11-30"' in html
    late = company["late"].pk
    assert f"/t/{tenant.slug}/attestation/{late}/?period={KEY}" in html
    assert html.count('data-testid="employee"') == 2


def test_complete_when_only_attested_employees_are_chosen(tenant, owner, company):
    client = login_client(owner)
    response = client.post(
        reverse("web:payroll_selection", args=[tenant.slug]) + f"?period={KEY}",
        {"member": [company["done"].pk]},
    )
    assert response.status_code == 302
    html = client.get(url(tenant)).content.decode()
    assert 'data-status="complete"' in html and html.count('data-testid="employee"') == 1
    with tenant_scope(tenant.pk):
        assert PayrollSelection.objects.get(period_key=KEY).member_ids == [company["done"].pk]
        event = AuditEvent.objects.get(action="payroll.selection_set")
    assert event.user == owner and event.data["member_ids"] == [company["done"].pk]


def test_choice_of_another_tenants_employee_is_refused(tenant, owner, other_tenant, company):
    with tenant_scope(other_tenant.pk):
        foreign = MembershipFactory(tenant=other_tenant, user=UserFactory())
    client = login_client(owner)
    client.post(
        reverse("web:payroll_selection", args=[tenant.slug]) + f"?period={KEY}",
        {"member": [company["done"].pk, foreign.pk]},
    )
    with tenant_scope(tenant.pk):
        assert not PayrollSelection.objects.exists()
    client.post(reverse("web:payroll_selection", args=[tenant.slug]), {"member": ["²", "x"]})
    with tenant_scope(tenant.pk):
        assert not PayrollSelection.objects.exists()


@pytest.mark.parametrize("who", ["employee", "attestant"])
def test_without_payroll_view_is_forbidden(request, tenant, company, who):
    assert login_client(request.getfixturevalue(who)).get(url(tenant)).status_code == 403


def test_another_tenant_and_a_partner_without_grant_are_refused(tenant, stranger, partner_firm, company):
    no_grant = UserFactory()
    MembershipFactory(tenant=partner_firm, user=no_grant, licence=Licence.TOTAL)
    for user in (stranger, no_grant):
        client = login_client(user)
        for name in ("web:payroll_basis", "web:payroll_dryrun"):
            assert client.get(url(tenant, name)).status_code == 404, (user, name)
        for name in ("web:payroll_basis_pdf", "web:payroll_dryrun_export", "web:payroll_selection"):
            assert client.post(url(tenant, name), {"member": "1", "number": "1001"}).status_code == 404


@pytest.mark.parametrize("role", ["partner_full", "partner_limited"])
def test_partner_opens_the_tab_and_prints_audited_as_the_partner(
    request, tenant, partner_firm, company, role
):
    user = request.getfixturevalue(role)
    choose(tenant, company["done"])
    client = login_client(user)
    tab = client.get(reverse("web:portal_customer_tab", args=[tenant.slug, "payroll"]))
    assert tab.status_code == 302
    html = client.get(url(tenant)).content.decode()
    assert 'data-testid="tab-payroll"' in html and 'aria-current="page" data-testid="tab-payroll"' in html
    assert client.get(url(tenant, "web:payroll_basis_pdf")).status_code == 405  # a print is audited
    summary = client.post(url(tenant, "web:payroll_basis_pdf"))
    assert summary.status_code == 200 and summary.content.startswith(b"%PDF")
    one = client.post(url(tenant, "web:payroll_basis_pdf"), {"member": company["done"].pk})
    assert one.status_code == 200 and one["Content-Type"] == "application/pdf"
    assert client.post(url(tenant, "web:payroll_basis_pdf"), {"member": "999999"}).status_code == 404
    with tenant_scope(tenant.pk):
        events = list(AuditEvent.objects.filter(action="payroll.basis_print").order_by("pk"))
    assert [e.data["what"] for e in events] == ["summary", "employee"]
    assert all(e.user == user and e.partner_tenant_id == partner_firm.pk for e in events)


def test_dry_run_passes_and_the_test_export_validates(tenant, owner, company):
    choose(tenant, company["done"])
    work(company["done"], [D(2026, 11, 11)], company["codes"]["overtime"], 540)
    client = login_client(owner)
    html = client.get(url(tenant, "web:payroll_dryrun", target="paxml")).content.decode()
    assert 'data-passes="true"' in html
    # 10:30 of overtime where October had none: marked large
    assert 'data-large="true"' in html
    number = company["done"].employment_number
    export = client.post(url(tenant, "web:payroll_dryrun_export", target="paxml"), {"number": number})
    assert export.status_code == 200
    assert validation_errors(export.content) == []
    refused = client.post(url(tenant, "web:payroll_dryrun_export", target="paxml"), {"number": "nope"})
    assert refused.status_code == 422


def test_dry_run_lists_problems(tenant, owner, company):
    with tenant_scope(tenant.pk):
        m = company["late"]
        m.employment_number = ""
        m.save()
    choose(tenant, company["done"], company["late"])
    html = login_client(owner).get(url(tenant, "web:payroll_dryrun", target="kontek")).content.decode()
    assert 'data-passes="false"' in html and 'data-kind="missing_employment_number"' in html
    assert 'data-testid="dry-run-preliminary"' in html


def test_odd_parameters_never_fail(tenant, owner, company):
    client = login_client(owner)
    for query in ("?period=2026-13", "?period=x", "?period=%C2%B2", "?target=nope", ""):
        for name in ("web:payroll_basis", "web:payroll_dryrun"):
            assert client.get(reverse(name, args=[tenant.slug]) + query).status_code == 200
    assert client.post(url(tenant, "web:payroll_basis_pdf"), {"member": "²"}).status_code == 404
