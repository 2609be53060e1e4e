"""The pages: Mina kortköp with a photo, a statement line completed and submitted, the approver,
Företagskort with import and templates, the firm's tab (period, book, SIE); refusals; query counts."""

import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from verksam.cards.models import Card, CardPurchase, PurchaseStatus, Source
from verksam.tenancy.scope import tenant_scope

from .conftest import jpeg_with_gps

pytestmark = pytest.mark.django_db


def url(name, tenant, *args):
    return reverse(f"web:{name}", args=[tenant.slug, *args])


def photo():
    f = io.BytesIO(jpeg_with_gps((120, 90)))
    f.name = "kvitto.jpg"
    return f


def csv_file(text):
    f = io.BytesIO(text.encode())
    f.name = "kort.csv"
    return f


@pytest.fixture
def card(tenant, holder):
    with tenant_scope(tenant.pk):
        return Card.objects.create(tenant=tenant, holder=holder, last_four="4321", name="Visa")


def test_holder_photographs_approver_attests_firm_books(
    tenant, card, employee, attestant, partner_full, as_user, today
):
    me = as_user(employee)
    page = me.get(url("cards_mine", tenant)).content.decode()
    assert 'capture="environment"' in page
    form = {
        "card": card.pk,
        "purchase_date": "2026-11-30",
        "merchant": "Clas Ohlson",
        "amount": "125,00",
        "vat_25": "25,00",
        "account": "5460",
        "receipt_file": photo(),
        "submit": "1",
    }
    r = me.post(url("cards_mine", tenant), form)
    assert r.status_code == 302, r.content.decode()[:2000]
    with tenant_scope(tenant.pk):
        purchase = CardPurchase.objects.get()
        assert (purchase.status, purchase.amount_ore, purchase.vat_25_ore) == (
            PurchaseStatus.SUBMITTED,
            12500,
            2500,
        )
    boss = as_user(attestant)
    assert f'data-id="{purchase.pk}"' in boss.get(url("cards_queue", tenant)).content.decode()
    assert boss.post(url("cards_decide", tenant, purchase.pk, "attest")).status_code == 302
    firm = as_user(partner_full)
    tab = firm.get(url("portal_customer_tab", tenant, "card_purchases"))
    assert tab.status_code == 302 and tab.url == url("cards_portal", tenant)
    # on 2 December the tab shows November's purchase without a period being chosen
    assert f'data-id="{purchase.pk}"' in firm.get(tab.url).content.decode()
    page = firm.get(url("cards_portal", tenant) + "?start=2026-11-01&end=2026-11-30").content.decode()
    assert f'data-id="{purchase.pk}"' in page and 'data-testid="tab-card_purchases"' in page
    r = firm.post(
        url("card_purchase_book", tenant, purchase.pk),
        {"back": "portal", "period": "start=2026-11-01&end=2026-11-30"},
    )
    assert r.status_code == 302
    with tenant_scope(tenant.pk):
        purchase.refresh_from_db()
        assert purchase.status == PurchaseStatus.BOOKED and purchase.voucher_id
    page = firm.get(url("cards_portal", tenant) + "?start=2026-11-01&end=2026-11-30").content.decode()
    assert 'data-testid="sie-form"' in page
    sie = firm.post(url("bookkeeping_sie", tenant), {"voucher": purchase.voucher_id})
    body = b"".join(sie.streaming_content).decode("cp437")
    assert sie.status_code == 200 and "#TRANS 2641" in body and "#VER K 1" in body.replace('"', "")


def test_bad_purchase_is_rerendered_in_swedish_and_nothing_written(tenant, card, employee, as_user, today):
    me = as_user(employee)
    form = {
        "card": card.pk,
        "purchase_date": "2026-11-30",
        "merchant": "X",
        "amount": "10,00",
        "vat_25": "20,00",
    }
    r = me.post(url("cards_mine", tenant), form)
    assert r.status_code == 422
    with tenant_scope(tenant.pk):
        assert not CardPurchase.objects.exists()


def test_statement_import_page_reports_rows_and_duplicates(tenant, card, owner, employee, as_user, today):
    admin = as_user(owner)
    text = "Kort;Datum;Belopp;Handlare;Referens\n4321;2026-11-28;249,00;ICA;R1\n"
    r = admin.post(url("card_statement_upload", tenant), {"file": csv_file(text)})
    assert r.status_code == 200 and 'data-testid="import-result"' in r.content.decode()
    r = admin.post(url("card_statement_upload", tenant), {"file": csv_file(text)})
    assert r.status_code == 200
    with tenant_scope(tenant.pk):
        assert CardPurchase.objects.filter(source=Source.IMPORTED).count() == 1
    r = admin.post(url("card_statement_upload", tenant), {"file": csv_file("Kort;Datum;Pris;Handlare\n")})
    assert r.status_code == 422 and "Pris" in r.content.decode()
    me = as_user(employee)
    page = me.get(url("cards_mine", tenant)).content.decode()
    assert 'data-testid="missing-badge"' in page and 'data-testid="receipt-missing"' in page
    assert admin.get(url("card_statement_template", tenant, "xlsx")).content[:2] == b"PK"
    assert admin.get(url("card_statement_template", tenant, "pdf")).status_code == 404


@pytest.mark.parametrize("role", ["stranger", "partner_limited", "employee"])
def test_refusals(role, tenant, card, request, as_user):
    client = as_user(request.getfixturevalue(role))
    admin = client.get(url("cards_admin", tenant))
    book = client.post(url("card_purchase_book", tenant, 1))
    portal = client.get(url("cards_portal", tenant))
    expected = {"stranger": (404, 404, 404), "partner_limited": (403, 403, 200), "employee": (403, 403, 403)}
    assert (admin.status_code, book.status_code, portal.status_code) == expected[role]


def test_other_holders_purchase_is_404(tenant, card, attestant, as_user, today):
    with tenant_scope(tenant.pk):
        p = CardPurchase.objects.create(
            tenant=tenant, card=card, purchase_date="2026-11-30", amount_ore=100, merchant="X"
        )
    assert as_user(attestant).get(url("card_purchase_edit", tenant, p.pk)).status_code == 404


def test_lists_have_constant_queries(tenant, card, employee, owner, as_user, today):
    me, admin = as_user(employee), as_user(owner)

    def count(client, name):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url(name, tenant)).status_code == 200
        return len(ctx.captured_queries)

    def add(n):
        with tenant_scope(tenant.pk):
            for i in range(n):
                CardPurchase.objects.create(
                    tenant=tenant,
                    card=card,
                    source=Source.IMPORTED,
                    purchase_date="2026-11-30",
                    amount_ore=100 + i,
                    merchant="X",
                    fingerprint=f"fp{n}-{i}",
                )

    add(1)
    before = (count(me, "cards_mine"), count(admin, "cards_admin"), count(admin, "cards_portal"))
    add(6)
    assert (count(me, "cards_mine"), count(admin, "cards_admin"), count(admin, "cards_portal")) == before
