"""Attested outlays to the books (issue 10 item 6 wiring): the proposal from the expense type's
account and the VAT per rate, posted with the receipt reference, booked once, unattested refused,
who may book."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from verksam.attestation import expenses as claims
from verksam.bookkeeping import outlays
from verksam.bookkeeping.models import Voucher
from verksam.bookkeeping.proposals import vat_of_gross
from verksam.core.errors import Conflict, Forbidden, NotFound
from verksam.expenses import services as expense_services
from verksam.expenses.defaults import expenses_install_defaults
from verksam.expenses.models import ExpenseType
from verksam.expenses.tests.conftest import jpeg_with_gps
from verksam.tenancy.scope import tenant_scope

from .helpers import actor_of

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    }


def submitted(tenant, employee, *, amount=50000, vat_25=10000, vat_12=0, kind="Drivmedel"):
    expenses_install_defaults(tenant_id=tenant.pk)
    with tenant_scope(tenant.pk):
        me = actor_of(employee, tenant)
        receipt = expense_services.receipt_upload(
            actor=me, upload=SimpleUploadedFile("k.jpg", jpeg_with_gps((40, 30)))
        )
        expense = expense_services.expense_create(
            actor=me,
            expense_type=ExpenseType.objects.get(name=kind),
            purchase_date=timezone.localdate(),
            amount_ore=amount,
            vat_25_ore=vat_25,
            vat_12_ore=vat_12,
            description="Diesel",
            receipt=receipt,
        )
        expense_services.item_submit(actor=me, item=expense)
        return expense


def attested(tenant, employee, attestant, **kw):
    expense = submitted(tenant, employee, **kw)
    with tenant_scope(tenant.pk):
        claims.claim_attest(actor=actor_of(attestant, tenant), item=expense)
        expense.refresh_from_db()
    return expense


def test_an_attested_outlay_is_posted_with_cost_vat_and_liability(tenant, employee, attestant, owner):
    expense = attested(tenant, employee, attestant, amount=61200, vat_25=10000, vat_12=1200)
    with tenant_scope(tenant.pk):
        assert [e.pk for e in outlays.outlays_to_book()] == [expense.pk]
        voucher = outlays.outlay_book(actor=actor_of(owner, tenant), expense_id=expense.pk)
        assert (voucher.series, voucher.number, voucher.status) == ("U", 1, "posted")
        rows = [(r.account, r.debit_ore, r.credit_ore) for r in voucher.rows]
        assert ("2641", 11200, 0) in rows and ("2820", 0, 61200) in rows
        assert sum(d for _a, d, _c in rows) == sum(c for _a, _d, c in rows) == 61200
        assert {a for a, _d, _c in rows} == {"5611", "2641", "2820"}
        assert voucher.receipt_ref == f"expenses.receipt:{expense.receipt_id}"
        assert voucher.source.object_id == str(expense.pk)
        assert outlays.outlays_to_book() == []


def test_an_expense_is_booked_once(tenant, employee, attestant, owner):
    expense = attested(tenant, employee, attestant)
    with tenant_scope(tenant.pk):
        book = actor_of(owner, tenant)
        outlays.outlay_book(actor=book, expense_id=expense.pk)
        with pytest.raises(Conflict) as exc:
            outlays.outlay_book(actor=book, expense_id=expense.pk)
        assert exc.value.code == "already_booked" and "U1" in str(exc.value)
        assert Voucher.objects.count() == 1


def test_an_unattested_expense_is_refused_and_nothing_written(tenant, employee, owner):
    expense = submitted(tenant, employee)
    with tenant_scope(tenant.pk):
        with pytest.raises(Conflict) as exc:
            outlays.outlay_book(actor=actor_of(owner, tenant), expense_id=expense.pk)
        assert exc.value.code == "not_attested" and not Voucher.objects.exists()
        assert outlays.outlays_to_book() == []


def test_who_may_book(tenant, other_tenant, employee, attestant, owner, stranger, partner_limited):
    expense = attested(tenant, employee, attestant)
    with tenant_scope(tenant.pk):
        for user in (employee, attestant, partner_limited):
            with pytest.raises(Forbidden):
                outlays.outlay_book(actor=actor_of(user, tenant), expense_id=expense.pk)
    with tenant_scope(other_tenant.pk), pytest.raises(NotFound):
        outlays.outlay_book(actor=actor_of(stranger, other_tenant), expense_id=expense.pk)


@given(
    vat=st.integers(min_value=1, max_value=10_000_000),
    rate=st.sampled_from([25, 12, 6]),
)
def test_the_gross_keeps_the_entered_vat(vat, rate):
    gross = outlays._gross_for_vat(vat, rate)
    assert vat_of_gross(gross, rate) == vat


def _page(tenant):
    from django.urls import reverse

    return reverse("web:bookkeeping_outlays", args=[tenant.slug])


def test_the_to_book_page_books_and_refuses_twice(
    tenant, employee, attestant, owner, django_assert_num_queries
):
    from django.urls import reverse

    from verksam.tenancy.tests.fixtures import login_client

    expense = attested(tenant, employee, attestant)
    client = login_client(owner)
    html = client.get(_page(tenant)).content.decode()
    assert f'data-expense="{expense.pk}"' in html
    book = reverse("web:bookkeeping_outlay_book", args=[tenant.slug, expense.pk])
    response = client.post(book)
    assert response.status_code == 302
    with tenant_scope(tenant.pk):
        voucher = Voucher.objects.get()
    assert response["Location"].endswith(f"/vouchers/{voucher.pk}/")
    assert voucher.receipt_ref == f"expenses.receipt:{expense.receipt_id}"
    again = client.post(book)
    assert again.status_code == 422 and "redan bokfört" in again.content.decode()
    assert 'data-testid="nothing-to-book"' in client.get(_page(tenant)).content.decode()
    assert (
        client.post(reverse("web:bookkeeping_outlay_book", args=[tenant.slug, 99999999])).status_code == 404
    )


def test_the_to_book_page_leads_to_the_card_purchases_to_book(tenant, owner):
    # the company's bookkeeper books attested card purchases on the page the firm's tab uses;
    # without this link it could only be reached by typing its address (found by the e2e journey)
    from django.urls import reverse

    from verksam.tenancy.tests.fixtures import login_client

    html = login_client(owner).get(_page(tenant)).content.decode()
    assert f'href="{reverse("web:cards_portal", args=[tenant.slug])}"' in html
    assert "Inköp företagskort" in html


def test_the_page_has_a_constant_number_of_queries(tenant, employee, attestant, owner):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from verksam.tenancy.tests.fixtures import login_client

    client = login_client(owner)
    attested(tenant, employee, attestant)
    with CaptureQueriesContext(connection) as one:
        assert client.get(_page(tenant)).status_code == 200
    for _ in range(4):
        attested(tenant, employee, attestant)
    with CaptureQueriesContext(connection) as five:
        assert client.get(_page(tenant)).content.decode().count("data-expense=") == 5
    assert len(one.captured_queries) == len(five.captured_queries)


def test_the_api_lists_and_books_once(tenant, employee, attestant, owner):
    from verksam.tenancy.tests.fixtures import api_client

    expense = attested(tenant, employee, attestant)
    unattested = submitted(tenant, employee)
    api = api_client(owner)
    base = f"/api/v1/tenants/{tenant.pk}"
    listed = api.get(f"{base}/outlays-to-book").json()
    assert [row["expense_id"] for row in listed] == [expense.pk]
    made = api.post(f"{base}/outlays/{expense.pk}/book")
    assert made.status_code == 201, made.content
    body = made.json()
    assert body["status"] == "posted" and body["receipt_ref"] == f"expenses.receipt:{expense.receipt_id}"
    again = api.post(f"{base}/outlays/{expense.pk}/book")
    assert again.status_code == 409 and again.json()["code"] == "already_booked"
    refused = api.post(f"{base}/outlays/{unattested.pk}/book")
    assert refused.status_code == 409 and refused.json()["code"] == "not_attested"


def test_another_tenant_and_a_partner_without_grant_are_refused(
    tenant, employee, attestant, stranger, partner_firm, partner_limited
):
    from django.urls import reverse

    from verksam.tenancy.tests.fixtures import api_client, login_client

    expense = attested(tenant, employee, attestant)
    book = reverse("web:bookkeeping_outlay_book", args=[tenant.slug, expense.pk])
    for user in (stranger, partner_limited):
        client = login_client(user)
        assert client.get(_page(tenant)).status_code in (403, 404)
        assert client.post(book).status_code in (403, 404)
        api = api_client(user)
        assert api.get(f"/api/v1/tenants/{tenant.pk}/outlays-to-book").status_code in (403, 404)
        assert api.post(f"/api/v1/tenants/{tenant.pk}/outlays/{expense.pk}/book").status_code in (403, 404)
    with tenant_scope(tenant.pk):
        assert not Voucher.objects.exists()
