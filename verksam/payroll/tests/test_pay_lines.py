"""Attested expenses, trips and per diems in the payroll basis (issue 10 item 4): by REGISTRATION
date, with their pay codes, in every payroll file (XSD-valid), with a constant number of queries;
an outlay attested after the period's file was exported goes into the correction file."""

import datetime as dt

import pytest
import time_machine
from django.core.files.storage import default_storage
from django.db import connection
from django.test.utils import CaptureQueriesContext

from verksam.expenses.defaults import expenses_install_defaults
from verksam.expenses.models import Expense, ExpenseType, Status, Trip
from verksam.payroll import paxml, selectors, tlu
from verksam.payroll.dto import PayLine, Target
from verksam.payroll.exports import services
from verksam.payroll.files import make_file
from verksam.payroll.models import ExportKind, ExportStatus, PayrollExport
from verksam.tenancy.access import resolve
from verksam.tenancy.scope import tenant_scope
from verksam.timecodes.tests.factories import PayrollCodeFactory, TimeCodeFactory

from .db import attest, kit, period_start_day, person, work
from .test_pdf import text_of

pytestmark = pytest.mark.django_db
D = dt.date
PERIOD = "2027-01"  # 16 Dec 2026 – 15 Jan 2027


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    }


def _setup(tenant):
    period_start_day(tenant, 16)
    expenses_install_defaults(tenant_id=tenant.pk)
    with tenant_scope(tenant.pk):
        ExpenseType.objects.filter(name="Drivmedel").update(payroll_code="U10")


def outlay(m, registered_on, amount=50000, status=Status.ATTESTED, text="Diesel"):
    with tenant_scope(m.tenant_id):
        return Expense.objects.create(
            tenant_id=m.tenant_id,
            membership=m,
            registered_on=registered_on,
            status=status,
            expense_type=ExpenseType.objects.get(name="Drivmedel"),
            purchase_date=registered_on,
            amount_ore=amount,
            vat_25_ore=amount // 5,
            description=text,
        )


def trip(m, registered_on):
    with tenant_scope(m.tenant_id):
        return Trip.objects.create(
            tenant_id=m.tenant_id,
            membership=m,
            registered_on=registered_on,
            status=Status.ATTESTED,
            date=registered_on,
            origin="Umeå",
            destination="Skellefteå",
            purpose="Kundmöte",
            km=130,
            tax_free_ore=32500,
            taxable_ore=0,
        )


def basis(tenant, target=None, member_ids=None):
    with tenant_scope(tenant.pk):
        return selectors.basis_and_missing(
            tenant=tenant, period_key=PERIOD, target=target, member_ids=member_ids
        )


def test_attested_items_registered_in_the_period_are_pay_lines(tenant):
    _setup(tenant)
    m = person(tenant, 1, salary_form="hourly")
    outlay(m, D(2026, 12, 16), 50000)  # first day of the period
    trip(m, D(2027, 1, 15))  # last day
    outlay(m, D(2026, 12, 15), 11100)  # registered in the previous period
    outlay(m, D(2027, 1, 16), 22200)  # in the next one
    outlay(m, D(2027, 1, 2), 33300, status=Status.SUBMITTED)  # not attested yet
    result, missing = basis(tenant)
    assert missing == []
    (employee,) = result.employees
    assert [(p.paxml_code, p.payroll_code, p.date, p.amount_ore) for p in employee.pay_lines] == [
        ("UTLÄGG", "U10", D(2026, 12, 16), 50000),
        ("MILPRI_FRI", "", D(2027, 1, 15), 32500),
    ]


def _queries(tenant, n, offset):
    _setup(tenant)
    members = [person(tenant, offset + i, salary_form="hourly") for i in range(n)]
    for m in members:
        outlay(m, D(2027, 1, 3))
        trip(m, D(2027, 1, 4))
    with tenant_scope(tenant.pk), CaptureQueriesContext(connection) as ctx:
        result, _ = selectors.basis_and_missing(
            tenant=tenant, period_key=PERIOD, member_ids=[m.pk for m in members]
        )
    assert len(result.employees) == n and all(len(e.pay_lines) == 2 for e in result.employees)
    return len(ctx.captured_queries)


def test_query_count_does_not_grow_with_employees(tenant, other_tenant):
    assert _queries(tenant, 3, 100) == _queries(other_tenant, 30, 300)


@pytest.mark.parametrize("target", list(Target))
def test_pay_lines_are_in_every_payroll_file_valid_against_its_xsd(tenant, target):
    _setup(tenant)
    m = person(tenant, 1, salary_form="hourly")
    outlay(m, D(2027, 1, 5), 12345, text="Parkering")
    codes = kit(tenant)
    with tenant_scope(tenant.pk):
        worked = TimeCodeFactory(tenant=tenant, code="ARB", name="Arbetad tid", paxml_code="ARB")
        PayrollCodeFactory(tenant=tenant, system="visma", time_code=worked, code="010")
    work(m, [D(2027, 1, 5)], codes)  # Visma Lön's file needs a time row beside the outlays
    attest(m, [D(2027, 1, 5)])
    result, _ = basis(tenant, target=target)
    (employee,) = result.employees
    assert [p.amount_ore for p in employee.pay_lines] == [12345]
    made = make_file(result, target)
    if target is Target.VISMA:
        assert tlu.VALIDATOR.errors(made.content) == []
        assert b'OutlayCode="U10"' in made.content and b'SumOfPrivate="123.45"' in made.content
    else:
        assert paxml.VALIDATOR.errors(made.content) == []
        pays = [r.line for r in paxml.read_paxml(made.content) if isinstance(r.line, PayLine)]
        assert [(p.amount_ore, p.text) for p in pays] == [(12345, "Parkering")]


def _export(tenant, owner, ids, capture):
    with capture(execute=True), tenant_scope(tenant.pk):
        export = services.payroll_export_start(
            actor=resolve(owner, tenant), period_key=PERIOD, target="paxml", member_ids=ids
        )
    with tenant_scope(tenant.pk):
        return PayrollExport.objects.get(pk=export.pk)


def test_an_outlay_attested_after_the_export_goes_into_the_correction_file(
    tenant, owner, django_capture_on_commit_callbacks, time_machine
):
    time_machine.move_to(dt.datetime(2027, 1, 20, 12, 0, tzinfo=dt.UTC), tick=False)
    _setup(tenant)
    m = person(tenant, 1, salary_form="hourly")
    outlay(m, D(2027, 1, 5), 10000, text="Parkering")
    first = _export(tenant, owner, [m.pk], django_capture_on_commit_callbacks)
    assert first.kind == ExportKind.NORMAL and first.status == ExportStatus.DONE, first.problems
    late = outlay(m, D(2027, 1, 14), 5000, status=Status.SUBMITTED, text="Taxi")
    with tenant_scope(tenant.pk):
        Expense.objects.filter(pk=late.pk).update(status=Status.ATTESTED)  # attested after the export
    second = _export(tenant, owner, [m.pk], django_capture_on_commit_callbacks)
    assert second.kind == ExportKind.CORRECTION and second.status == ExportStatus.DONE, second.problems
    with tenant_scope(tenant.pk), default_storage.open(second.file.name, "rb") as f:
        content = f.read()
    assert paxml.VALIDATOR.errors(content) == []
    pays = [r.line for r in paxml.read_paxml(content) if isinstance(r.line, PayLine)]
    assert [(p.paxml_code, p.amount_ore, p.text) for p in pays] == [("UTLÄGG", 5000, "Taxi")]


def test_pay_lines_are_on_the_basis_page_and_in_the_pdf(tenant, owner):
    from django.urls import reverse

    from verksam.tenancy.tests.fixtures import login_client

    _setup(tenant)
    m = person(tenant, 1, salary_form="hourly")
    outlay(m, D(2027, 1, 5), 12345, text="Parkering")
    query = f"?period={PERIOD}&member={m.pk}"
    with time_machine.travel(dt.datetime(2027, 1, 20, 12, 0, tzinfo=dt.UTC), tick=False):
        client = login_client(owner)
        page = client.get(reverse("web:payroll_basis", args=[tenant.slug]) + f"?period={PERIOD}")
        assert page.status_code == 200, page
        html = page.content
        pdf = client.post(reverse("web:payroll_basis_pdf", args=[tenant.slug]) + query)
    assert b'data-testid="pay-lines"' in html and b'data-amount="12345"' in html and b"Parkering" in html
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    text = text_of(pdf.content)
    assert b"Parkering" in text and b"123,45" in text
