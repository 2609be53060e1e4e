"""The cards API end to end: card (admin) → holder's purchase with receipt → statement import
(duplicates on re-import, all-or-nothing) → matching → submit → attest → book; refusals."""

import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from verksam.cards.models import Card, CardPurchase, PurchaseStatus, Source, StatementImport
from verksam.tenancy.scope import tenant_scope

from .conftest import jpeg_with_gps

pytestmark = pytest.mark.django_db


def base(t):
    return f"/api/v1/tenants/{t.pk}"


def post_json(client, url, body=None):
    return client.post(url, body or {}, content_type="application/json")


def upload(client, t, data: bytes, name: str):
    f = io.BytesIO(data)
    f.name = name
    return client.post(f"{base(t)}/card-statements", {"file": f})


def receipt(client, t):
    f = io.BytesIO(jpeg_with_gps((60, 40)))
    f.name = "kvitto.jpg"
    r = client.post(f"{base(t)}/receipts", {"file": f})
    assert r.status_code == 201, r.content
    return r.json()["id"]


STATEMENT = (
    "Kort;Datum;Belopp;Handlare;Referens\n"
    "4321;2026-11-28;249,00;ICA MAXI SOLNA;R1\n"
    "4321;2026-11-29;1 000,00;SJ AB;R2\n"
)


@pytest.fixture
def card(tenant, owner, holder, as_api):
    r = post_json(
        as_api(owner), f"{base(tenant)}/cards", {"holder_id": holder.pk, "last_four": "4321", "name": "Visa"}
    )
    assert r.status_code == 201, r.content
    return r.json()


def test_full_round_trip(tenant, owner, employee, attestant, card, as_api, today):
    me, boss, admin = as_api(employee), as_api(attestant), as_api(owner)
    rid = receipt(me, tenant)
    r = post_json(
        me,
        f"{base(tenant)}/card-purchases",
        {
            "card_id": card["id"],
            "purchase_date": "2026-11-27",
            "amount_ore": 24900,
            "vat_12_ore": 2668,
            "merchant": "ICA Maxi",
            "account": "5460",
            "receipt_id": rid,
        },
    )
    assert r.status_code == 201, r.content
    entered = r.json()["id"]
    r = upload(admin, tenant, STATEMENT.encode(), "nov.csv")
    assert r.status_code == 201, r.content
    assert r.json() == {
        "statement_id": r.json()["statement_id"],
        "imported": 2,
        "duplicate_rows": [],
        "matched": 1,
    }
    # re-import: both lines reported as duplicates, nothing added
    r = upload(admin, tenant, STATEMENT.encode(), "nov-igen.csv")
    assert r.status_code == 201 and r.json()["imported"] == 0 and r.json()["duplicate_rows"] == [2, 3]
    mine = me.get(f"{base(tenant)}/card-purchases").json()["items"]
    assert {p["merchant"]: (p["source"], p["receipt_missing"]) for p in mine} == {
        "ICA MAXI SOLNA": ("imported", False),
        "SJ AB": ("imported", True),
    }
    line = next(p for p in mine if p["merchant"] == "ICA MAXI SOLNA")
    assert line["receipt_id"] == rid and line["vat_12_ore"] == 2668 and line["account"] == "5460"
    with tenant_scope(tenant.pk):
        assert CardPurchase.objects.get(pk=entered).status == PurchaseStatus.MERGED
    cards = me.get(f"{base(tenant)}/cards").json()
    assert cards[0]["receipts_missing"] == 1
    assert post_json(me, f"{base(tenant)}/card-purchases/{line['id']}/submit").json()["status"] == "submitted"
    assert [p["id"] for p in boss.get(f"{base(tenant)}/card-purchases-queue").json()] == [line["id"]]
    assert (
        post_json(boss, f"{base(tenant)}/card-purchases/{line['id']}/attest").json()["status"] == "attested"
    )
    r = post_json(admin, f"{base(tenant)}/card-purchases/{line['id']}/book")
    assert r.status_code == 200, r.content
    assert r.json()["status"] == "posted" and r.json()["voucher_label"].startswith("K")
    r = post_json(admin, f"{base(tenant)}/card-purchases/{line['id']}/book")
    assert r.status_code == 409 and r.json()["code"] == "already_booked"
    attested = admin.get(f"{base(tenant)}/card-purchases-attested?start=2026-11-01&end=2026-11-30").json()
    assert [p["status"] for p in attested] == ["booked"]


def test_statement_with_unknown_card_or_column_is_refused_whole(tenant, owner, card, as_api, today):
    admin = as_api(owner)
    bad = (
        "Kort;Datum;Belopp;Handlare\n4321;2026-11-28;10,00;ICA\n9999;2026-11-28;10,00;ICA\n"
        "4321;2026-13-01;5;ICA\n"
    )
    r = upload(admin, tenant, bad.encode(), "x.csv")
    assert r.status_code == 400 and r.json()["code"] == "statement_invalid"
    errors = r.json()["extra"]["errors"]
    assert len(errors) == 1 and errors[0].startswith(("Row 4:", "Rad 4:"))  # the bad date row only
    r = upload(admin, tenant, bad.replace("4321;2026-13-01;5;ICA\n", "").encode(), "x.csv")
    assert r.status_code == 400 and "9999" in r.json()["extra"]["errors"][0]
    r = upload(admin, tenant, b"Kort;Datum;Summa;Handlare\n", "x.csv")
    assert r.status_code == 400 and "Summa" in r.json()["extra"]["errors"][0]
    with tenant_scope(tenant.pk):
        assert not CardPurchase.objects.exists() and not StatementImport.objects.exists()


def test_templates_download(tenant, owner, as_api):
    admin = as_api(owner)
    r = admin.get(f"{base(tenant)}/card-statements/template.csv")
    assert r.status_code == 200 and r.content.decode("utf-8-sig").startswith(
        "Kort;Datum;Belopp;Handlare;Referens"
    )
    r = admin.get(f"{base(tenant)}/card-statements/template.xlsx")
    assert r.status_code == 200 and r.content[:2] == b"PK"


def test_full_card_number_is_refused(tenant, owner, holder, as_api):
    r = post_json(as_api(owner), f"{base(tenant)}/cards", {"holder_id": holder.pk, "last_four": "12x4"})
    assert r.status_code == 400 and r.json()["code"] == "invalid_last_four"
    r = post_json(
        as_api(owner), f"{base(tenant)}/cards", {"holder_id": holder.pk, "last_four": "4111111111111111"}
    )
    assert r.status_code == 422
    with tenant_scope(tenant.pk):
        assert not Card.objects.exists()


@pytest.mark.parametrize("role", ["stranger", "partner_limited", "partner_full", "attestant"])
def test_refusals(role, tenant, card, as_api, request, today):
    user = request.getfixturevalue(role)
    client = as_api(user)
    cards = client.get(f"{base(tenant)}/cards")
    imp = upload(client, tenant, STATEMENT.encode(), "x.csv")
    create = post_json(client, f"{base(tenant)}/cards", {"holder_id": card["holder_id"], "last_four": "1111"})
    expected = {
        "stranger": (404, 404, 404),
        "partner_limited": (403, 403, 403),
        "partner_full": (200, 201, 201),
        "attestant": (200, 403, 403),
    }[role]
    assert (cards.status_code, imp.status_code, create.status_code) == expected
    if role == "attestant":
        assert cards.json() == []  # not a holder, not an administrator: no cards of anyone


def test_another_holder_cannot_use_the_card(tenant, attestant, card, as_api, today):
    r = post_json(
        as_api(attestant),
        f"{base(tenant)}/card-purchases",
        {
            "card_id": card["id"],
            "purchase_date": "2026-11-27",
            "amount_ore": 100,
            "merchant": "X",
        },
    )
    assert r.status_code == 404


def test_purchase_list_has_constant_queries(tenant, employee, card, as_api, today):
    me = as_api(employee)

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert me.get(f"{base(tenant)}/card-purchases").status_code == 200
        return len(ctx.captured_queries)

    post_json(
        me,
        f"{base(tenant)}/card-purchases",
        {"card_id": card["id"], "purchase_date": "2026-11-27", "amount_ore": 100, "merchant": "A"},
    )
    one = count()
    for i in range(5):
        post_json(
            me,
            f"{base(tenant)}/card-purchases",
            {"card_id": card["id"], "purchase_date": "2026-11-27", "amount_ore": 100 + i, "merchant": "B"},
        )
    assert count() == one
    with tenant_scope(tenant.pk):
        assert CardPurchase.objects.filter(source=Source.ENTERED).count() == 6
