"""Matching on the database: an ambiguous line is left for the holder, who picks; the daily job
reminds the holder of lines without a receipt (once a day); VAT split exactly (hypothesis)."""

import io

import pytest
from django.core.management import call_command
from hypothesis import given, settings
from hypothesis import strategies as st

from verksam.cards.booking import gross_parts
from verksam.cards.models import Card, CardPurchase, PurchaseStatus, Source
from verksam.expenses.vat import vat_fits, vat_of
from verksam.mail.models import OutgoingMail
from verksam.tenancy.scope import tenant_scope

from .conftest import jpeg_with_gps

pytestmark = pytest.mark.django_db


def base(t):
    return f"/api/v1/tenants/{t.pk}"


@pytest.fixture
def card(tenant, holder):
    with tenant_scope(tenant.pk):
        return Card.objects.create(tenant=tenant, holder=holder, last_four="4321")


def _receipt(client, t):
    f = io.BytesIO(jpeg_with_gps((40, 30)))
    f.name = "k.jpg"
    return client.post(f"{base(t)}/receipts", {"file": f}).json()["id"]


def test_ambiguous_line_is_picked_by_the_holder(tenant, owner, employee, card, as_api, today):
    me, admin = as_api(employee), as_api(owner)
    ids = []
    for day in ("2026-11-27", "2026-11-28"):
        body = {
            "card_id": card.pk,
            "purchase_date": day,
            "amount_ore": 5000,
            "merchant": "ICA",
            "account": "5460",
            "receipt_id": _receipt(me, tenant),
        }
        ids.append(
            me.post(f"{base(tenant)}/card-purchases", body, content_type="application/json").json()["id"]
        )
    f = io.BytesIO(b"Kort;Datum;Belopp;Handlare\n4321;2026-11-28;50,00;ICA NACKA\n")
    f.name = "s.csv"
    assert admin.post(f"{base(tenant)}/card-statements", {"file": f}).json()["matched"] == 0
    with tenant_scope(tenant.pk):
        line = CardPurchase.objects.get(source=Source.IMPORTED)
    cands = me.get(f"{base(tenant)}/card-purchases/{line.pk}/candidates").json()
    assert sorted(c["id"] for c in cands) == sorted(ids)
    r = me.post(
        f"{base(tenant)}/card-purchases/{line.pk}/match",
        {"purchase_id": ids[1]},
        content_type="application/json",
    )
    assert r.status_code == 200 and r.json()["receipt_id"] is not None
    with tenant_scope(tenant.pk):
        assert CardPurchase.objects.get(pk=ids[1]).status == PurchaseStatus.MERGED
        assert CardPurchase.objects.get(pk=ids[0]).status == PurchaseStatus.OPEN
    # the other one no longer fits a line that has its receipt
    r = me.post(
        f"{base(tenant)}/card-purchases/{line.pk}/match",
        {"purchase_id": ids[0]},
        content_type="application/json",
    )
    assert r.status_code == 400 and r.json()["code"] == "not_a_candidate"


def test_daily_job_reminds_the_holder_once_a_day(tenant, employee, card, today):
    with tenant_scope(tenant.pk):
        CardPurchase.objects.create(
            tenant=tenant,
            card=card,
            source=Source.IMPORTED,
            purchase_date="2026-11-20",
            amount_ore=12300,
            merchant="SJ",
            fingerprint="a",
        )
    call_command("card_receipt_reminders", stdout=io.StringIO())
    call_command("card_receipt_reminders", stdout=io.StringIO())  # the same day: no second mail
    with tenant_scope(tenant.pk):
        mails = list(OutgoingMail.objects.filter(kind="card_receipt_missing"))
    assert [m.to for m in mails] == [employee.email]
    assert "SJ" in mails[0].body and "123.00" in mails[0].body


@settings(max_examples=300, deadline=None)
@given(st.integers(0, 10**7), st.integers(0, 10**7), st.integers(0, 10**7), st.integers(0, 10**7))
def test_gross_parts_reproduce_the_entered_vat_exactly(g25, g12, g6, g0):
    # a receipt's VAT per rate as the shop computed it from its gross parts
    amount = g25 + g12 + g6 + g0
    if amount == 0:
        return
    vat = {25: vat_of(g25, 25), 12: vat_of(g12, 12), 6: vat_of(g6, 6)}
    assert vat_fits(amount, vat)
    parts = gross_parts(amount_ore=amount, vat_by_rate=vat, account="5460")
    assert sum(p.gross_ore for p in parts) == amount
    for rate, entered in vat.items():
        assert sum(vat_of(p.gross_ore, rate) for p in parts if p.vat_rate == rate) == entered
    assert all(p.gross_ore > 0 for p in parts)


def test_a_receipt_entered_after_the_statement_is_matched_at_once(
    tenant, owner, employee, card, as_api, today, django_capture_on_commit_callbacks
):
    # given a statement line without a receipt
    me, admin = as_api(employee), as_api(owner)
    f = io.BytesIO(b"Kort;Datum;Belopp;Handlare\n4321;2026-11-28;50,00;ICA NACKA\n")
    f.name = "s.csv"
    assert admin.post(f"{base(tenant)}/card-statements", {"file": f}).json()["imported"] == 1
    # when the holder enters the purchase with its receipt photo
    body = {
        "card_id": card.pk,
        "purchase_date": "2026-11-28",
        "amount_ore": 5000,
        "merchant": "ICA",
        "account": "5460",
        "receipt_id": _receipt(me, tenant),
    }
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        entered = me.post(f"{base(tenant)}/card-purchases", body, content_type="application/json").json()[
            "id"
        ]
    assert len(callbacks) == 1  # the match runs after the commit (a task)
    # then the line has the receipt now, not after the daily job, and the entered one is merged into it
    with tenant_scope(tenant.pk):
        line = CardPurchase.objects.get(source=Source.IMPORTED)
        assert line.receipt_id == body["receipt_id"] and line.matched_from_id == entered
        assert line.account == "5460"
        assert CardPurchase.objects.get(pk=entered).status == PurchaseStatus.MERGED
