"""Representation meals: input VAT deductible on at most 300 kr excl. VAT per person and occasion
(mervärdesskattelagen 13 kap. 24–25 §§; Skatteverket), participants and purpose required, the rest of
the VAT a cost (booked on 6072); the rule pure and hypothesis-tested to the öre, then the service,
the API, the page and the booking."""

import datetime as dt
from fractions import Fraction

import pytest
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from verksam.core.errors import DomainError
from verksam.expenses import services
from verksam.expenses.models import Expense, ExpenseType
from verksam.expenses.vat import MAX_PARTICIPANTS, representation_deductible_vat
from verksam.tenancy.scope import tenant_scope

from .conftest import actor

# --- the rule ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("vat", "participants", "deductible"),
    [
        ({12: 8400}, 2, {12: 7200}),  # 700 kr excl. VAT for two at 12 %: 2 × 36 kr
        ({12: 6000}, 2, {12: 6000}),  # 500 kr for two: under 600 kr, all of it
        ({12: 7200}, 2, {12: 7200}),  # exactly 300 kr a person: all of it
        ({25: 25000}, 1, {25: 7500}),  # 1 000 kr of wine for one: 75 kr
        ({25: 7500}, 1, {25: 7500}),
        ({25: 7501}, 1, {25: 7500}),
        # food 500 kr (60 kr VAT) and drinks 300 kr (75 kr VAT) for two: 600/800 of each
        ({12: 6000, 25: 7500}, 2, {12: 4500, 25: 5625}),
        ({12: 0, 25: 0, 6: 0}, 3, {12: 0, 25: 0, 6: 0}),
        ({6: 1800}, 1, {6: 1800}),
    ],
)
def test_the_deductible_vat(vat, participants, deductible):
    assert representation_deductible_vat(vat, participants) == deductible


def test_at_least_one_participant():
    with pytest.raises(ValueError):
        representation_deductible_vat({12: 100}, 0)


vats = st.fixed_dictionaries({25: st.integers(0, 10**9), 12: st.integers(0, 10**9), 6: st.integers(0, 10**9)})


@given(vat=vats, n=st.integers(1, MAX_PARTICIPANTS))
def test_never_more_than_the_vat_nor_than_the_cap_allows(vat, n):
    got = representation_deductible_vat(vat, n)
    assert all(0 <= got[r] <= vat[r] for r in vat)
    base = sum(Fraction(v * 100, r) for r, v in vat.items())
    cap = 30000 * n
    if base <= cap:
        assert got == vat
    else:
        # the deducted VAT belongs to a base of 300 kr a person, up to each rate's half-öre rounding
        used = sum(Fraction(got[r] * 100, r) for r in vat)
        assert used <= cap + sum(Fraction(50, r) for r in vat)
        assert used >= cap - sum(Fraction(50, r) for r in vat)


@given(rate=st.sampled_from([25, 12, 6]), vat=st.integers(0, 10**10), n=st.integers(1, MAX_PARTICIPANTS))
def test_one_rate_gives_exactly_300_kr_times_the_rate_a_person(rate, vat, n):
    got = representation_deductible_vat({rate: vat}, n)[rate]
    assert got == min(vat, 300 * rate * n)  # 300 kr = 30 000 öre; × rate % = 300 × rate öre


@given(vat=vats, n=st.integers(1, MAX_PARTICIPANTS - 1))
def test_one_more_participant_never_deducts_less(vat, n):
    one, more = representation_deductible_vat(vat, n), representation_deductible_vat(vat, n + 1)
    assert all(more[r] >= one[r] for r in vat)


# --- the service -------------------------------------------------------------------------------


@pytest.fixture
def types(tenant, defaults):
    with tenant_scope(tenant.pk):
        return {t.name: t for t in ExpenseType.objects.all()}


def _expense(me, kind, **kw):
    values = {
        "expense_type": kind,
        "purchase_date": dt.date(2026, 12, 1),
        "amount_ore": 78400,
        "vat_12_ore": 8400,
        "description": "Lunch",
    }
    values.update(kw)
    return services.expense_create(actor=me, **values)


@pytest.mark.django_db
def test_the_default_representation_types_are_flagged(types):
    assert {n for n, t in types.items() if t.representation} == {
        "Representation, extern",
        "Representation, intern",
    }


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("extra", "code"),
    [
        ({}, "participants_required"),
        ({"participants": 0, "representation_note": "Kund AB, offert"}, "invalid_participants"),
        ({"participants": -3, "representation_note": "Kund AB, offert"}, "invalid_participants"),
        ({"participants": 10**9, "representation_note": "Kund AB, offert"}, "invalid_participants"),
        ({"participants": 2}, "representation_note_required"),
        ({"participants": 2, "representation_note": "   "}, "representation_note_required"),
        ({"participants": 2, "representation_note": "x", "vat_12_ore": 90000}, "vat_exceeds_amount"),
    ],
)
def test_a_representation_without_its_participants_is_refused(scoped, types, employee, today, extra, code):
    me = actor(scoped, employee)
    with pytest.raises(DomainError) as exc:
        _expense(me, types["Representation, extern"], **extra)
    assert exc.value.code == code
    assert not Expense.objects.exists()


@pytest.mark.django_db
def test_a_representation_keeps_its_participants_and_another_type_needs_none(scoped, types, employee, today):
    me = actor(scoped, employee)
    lunch = _expense(
        me,
        types["Representation, extern"],
        participants=2,
        representation_note="  Anna Ek, Kund AB; offert  ",
    )
    assert (lunch.participants, lunch.representation_note) == (2, "Anna Ek, Kund AB; offert")
    fuel = _expense(me, types["Drivmedel"], amount_ore=12500, vat_12_ore=0, vat_25_ore=2500)
    assert fuel.participants is None
    with pytest.raises(DomainError):
        _expense(me, types["Drivmedel"], amount_ore=12500, vat_12_ore=0, vat_25_ore=2500, participants=0)


# --- the API -----------------------------------------------------------------------------------


def base(t):
    return f"/api/v1/tenants/{t.pk}"


def _body(type_id, **kw):
    body = {
        "expense_type_id": type_id,
        "purchase_date": "2026-12-01",
        "amount_ore": 78400,
        "vat_12_ore": 8400,
        "participants": 2,
        "representation_note": "Anna Ek, Kund AB; offert",
    }
    body.update(kw)
    return body


@pytest.mark.django_db
def test_api_registers_a_representation_with_its_deductible_vat(tenant, types, employee, as_api, today):
    me = as_api(employee)
    kind = types["Representation, extern"].pk
    r = me.post(f"{base(tenant)}/expenses", _body(kind), content_type="application/json")
    assert r.status_code == 201, r.content
    assert (r.json()["participants"], r.json()["deductible_vat_ore"]) == (2, 7200)
    expense_id = r.json()["id"]
    r = me.patch(
        f"{base(tenant)}/expenses/{expense_id}", {"participants": 3}, content_type="application/json"
    )
    assert r.json()["deductible_vat_ore"] == 8400  # 700 kr for three: under 900 kr
    types_out = me.get(f"{base(tenant)}/expense-types").json()
    assert {t["name"] for t in types_out if t["representation"]} == {
        "Representation, extern",
        "Representation, intern",
    }


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("extra", "code"),
    [
        ({"participants": None}, "participants_required"),
        ({"participants": 0}, "invalid_participants"),
        ({"participants": -1}, "invalid_participants"),
        ({"participants": 10**9}, "invalid_participants"),
        ({"participants": 10**30}, "invalid_participants"),
        ({"participants": "٣"}, None),
        ({"participants": "3"}, None),
        ({"participants": 2.5}, None),
        ({"participants": True}, None),
        ({"representation_note": ""}, "representation_note_required"),
        ({"vat_12_ore": 90000}, "vat_exceeds_amount"),
    ],
)
def test_api_refuses_bad_participants_with_4xx_in_swedish(
    tenant, types, employee, as_api, today, extra, code
):
    kind = types["Representation, intern"].pk
    r = as_api(employee).post(
        f"{base(tenant)}/expenses", _body(kind, **extra), content_type="application/json"
    )
    assert 400 <= r.status_code < 500, r.content
    if code:
        assert r.json()["code"] == code
    if code == "participants_required":
        assert "antal deltagare" in r.json()["message"]
    with tenant_scope(tenant.pk):
        assert not Expense.objects.exists()


@pytest.mark.django_db
def test_api_another_tenant_and_another_employee_cannot_touch_the_participants(
    tenant, other_tenant, types, employee, attestant, stranger, owner, as_api, today
):
    kind = types["Representation, extern"].pk
    expense_id = (
        as_api(employee)
        .post(f"{base(tenant)}/expenses", _body(kind), content_type="application/json")
        .json()["id"]
    )
    body = {"participants": 50}
    for user in (stranger, attestant, owner):
        r = as_api(user).patch(f"{base(tenant)}/expenses/{expense_id}", body, content_type="application/json")
        assert r.status_code == 404, user
    assert as_api(stranger).get(f"{base(other_tenant)}/expenses/{expense_id}").status_code == 404
    # a type of this company cannot be flagged from another
    r = as_api(stranger).patch(
        f"{base(tenant)}/expense-types/{kind}", {"representation": False}, content_type="application/json"
    )
    assert r.status_code == 404
    with tenant_scope(tenant.pk):
        assert Expense.objects.get().participants == 2
        assert ExpenseType.objects.get(pk=kind).representation


@pytest.mark.django_db
def test_api_the_administrator_flags_a_type(tenant, types, owner, employee, as_api):
    kind = types["Övrigt"].pk
    url = f"{base(tenant)}/expense-types/{kind}"
    assert (
        as_api(employee).patch(url, {"representation": True}, content_type="application/json").status_code
        == 403
    )
    r = as_api(owner).patch(url, {"representation": True}, content_type="application/json")
    assert r.status_code == 200 and r.json()["representation"] is True
    r = as_api(owner).patch(url, {"representation": "yes"}, content_type="application/json")
    assert 400 <= r.status_code < 500


# --- the page ----------------------------------------------------------------------------------


def _form(type_id, **kw):
    data = {
        "expense_type": type_id,
        "purchase_date": "2026-12-01",
        "amount": "784,00",
        "vat_12": "84,00",
        "participants": "2",
        "representation_note": "Anna Ek, Kund AB; offert",
    }
    data.update(kw)
    return data


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({"participants": ""}, "antal deltagare"),
        ({"participants": "0"}, "minst 1"),
        ({"participants": "-2"}, "siffror"),
        ({"participants": "1000000000"}, "högst"),
        ({"participants": "٣"}, "siffror"),
        ({"participants": "²"}, "siffror"),
        ({"representation_note": ""}, "syfte"),
        ({"vat_12": "900,00"}, "större än beloppet"),
    ],
)
def test_the_page_refuses_bad_participants_in_swedish(
    tenant, types, employee, as_user, today, extra, message
):
    page = reverse("web:expenses_mine", args=[tenant.slug])
    r = as_user(employee).post(page, _form(types["Representation, extern"].pk, **extra))
    assert r.status_code == 422
    assert message in r.content.decode()
    with tenant_scope(tenant.pk):
        assert not Expense.objects.exists()


@pytest.mark.django_db
def test_the_page_saves_a_representation_and_shows_its_participants(tenant, types, employee, as_user, today):
    me = as_user(employee)
    page = reverse("web:expenses_mine", args=[tenant.slug])
    assert "Deltagare och syfte" in me.get(page).content.decode()
    assert me.post(page, _form(types["Representation, extern"].pk)).status_code == 302
    with tenant_scope(tenant.pk):
        expense = Expense.objects.get()
    assert expense.participants == 2
    html = me.get(page).content.decode()
    assert "Deltagare: 2" in html and "Kund AB; offert" in html
    edit = reverse("web:expense_edit", args=[tenant.slug, expense.pk])
    r = me.post(edit, _form(types["Representation, extern"].pk, participants="4"))
    assert r.status_code == 302
    with tenant_scope(tenant.pk):
        assert Expense.objects.get().participants == 4


@pytest.mark.django_db
def test_the_settings_page_flags_a_type(tenant, types, owner, as_user):
    kind = types["Övrigt"]
    edit = reverse("web:expense_type_edit", args=[tenant.slug, kind.pk])
    data = {"name": kind.name, "account": kind.account, "paxml_code": kind.paxml_code, "active": "on"}
    assert as_user(owner).post(edit, {**data, "representation": "on"}).status_code == 302
    with tenant_scope(tenant.pk):
        assert ExpenseType.objects.get(pk=kind.pk).representation
