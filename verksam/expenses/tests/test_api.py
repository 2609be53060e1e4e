"""The expenses API: the employee's round trip, the approver, receipts, and refusals (other tenant
404, no permission 403 with nothing changed, constant query counts, oversized uploads)."""

import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from verksam.expenses.models import Expense, ExpenseType, Receipt, Status, Trip
from verksam.tenancy.scope import tenant_scope

from .conftest import jpeg_with_gps

pytestmark = pytest.mark.django_db


def base(t):
    return f"/api/v1/tenants/{t.pk}"


def upload(client, t, data=None, name="kvitto.jpg"):
    f = io.BytesIO(data if data is not None else jpeg_with_gps((60, 40)))
    f.name = name
    return client.post(f"{base(t)}/receipts", {"file": f})


def new_expense(client, t, type_id, receipt_id, day="2026-12-01", **kw):
    body = {"expense_type_id": type_id, "purchase_date": day, "amount_ore": 12500, "vat_25_ore": 2500}
    body.update(kw)
    if receipt_id:
        body["receipt_id"] = receipt_id
    return client.post(f"{base(t)}/expenses", body, content_type="application/json")


@pytest.fixture
def drivmedel(tenant, defaults):
    with tenant_scope(tenant.pk):
        return ExpenseType.objects.get(name="Drivmedel").pk


def test_employee_uploads_registers_submits_and_approver_attests(
    tenant, drivmedel, employee, attestant, as_api, today
):
    me, boss = as_api(employee), as_api(attestant)
    r = upload(me, tenant)
    assert r.status_code == 201, r.content
    receipt_id = r.json()["id"]
    r = new_expense(me, tenant, drivmedel, receipt_id)
    assert r.status_code == 201, r.content
    expense_id = r.json()["id"]
    assert r.json()["registered_on"] == "2026-12-02"
    assert me.post(f"{base(tenant)}/claims/expenses/{expense_id}/submit").json()["status"] == "submitted"
    queue = boss.get(f"{base(tenant)}/claims/queue").json()
    assert [e["id"] for e in queue[0]["expenses"]] == [expense_id]
    assert boss.get(f"{base(tenant)}/receipts/{receipt_id}/thumbnail").status_code == 200
    r = boss.post(f"{base(tenant)}/claims/expenses/{expense_id}/attest")
    assert r.json()["status"] == "attested"
    r = me.patch(
        f"{base(tenant)}/expenses/{expense_id}", {"description": "x"}, content_type="application/json"
    )
    assert r.status_code == 409 and r.json()["code"] == "not_editable"


def test_trips_and_per_diems(tenant, defaults, employee, as_api, today):
    me = as_api(employee)
    body = {"date": "2026-12-01", "origin": "Kontoret", "destination": "Uppsala", "purpose": "Möte", "km": 70}
    r = me.post(f"{base(tenant)}/trips", body, content_type="application/json")
    assert r.status_code == 201 and r.json()["tax_free_ore"] == 17500
    r = me.post(f"{base(tenant)}/trips", {**body, "km": 5000}, content_type="application/json")
    assert r.status_code == 400 and r.json()["code"] == "too_many_km"
    assert "2000 km" in r.json()["message"] or "2 000" in r.json()["message"]
    r = me.post(f"{base(tenant)}/trips", {**body, "km": 0}, content_type="application/json")
    assert r.status_code == 400
    pd = {
        "departure": "2026-11-23T07:00:00+01:00",
        "return_at": "2026-11-24T20:00:00+01:00",
        "destination": "Umeå",
        "purpose": "Montage",
        "nights_without_lodging": 1,
        "free_meals": {"2026-11-23": "b"},
    }
    r = me.post(f"{base(tenant)}/per-diems", pd, content_type="application/json")
    assert r.status_code == 201, r.content
    assert r.json()["tax_free_ore"] == 30000 * 2 + 15000 - 6000


@pytest.mark.parametrize(
    ("data", "code", "status"),
    [
        (b"hello, I am text\n" * 20, "file_type_not_allowed", 400),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 64, "broken_image", 400),
    ],
)
def test_bad_receipts_are_refused(tenant, employee, as_api, data, code, status):
    r = upload(as_api(employee), tenant, data)
    assert (r.status_code, r.json()["code"]) == (status, code)
    with tenant_scope(tenant.pk):
        assert not Receipt.objects.exists()


def test_a_50_mb_photo_is_refused_before_its_body_is_read(tenant, employee, as_api):
    """The request says 50 MB; the body is a stream that fails if read: 413 from the length alone."""
    client = as_api(employee)

    class Body(io.RawIOBase):
        read_bytes = 0

        def read(self, n=-1):
            Body.read_bytes += 1
            raise AssertionError("the body was read")

    response = client.generic(
        "POST",
        f"{base(tenant)}/receipts",
        b"",
        CONTENT_TYPE="multipart/form-data; boundary=xyz",
        CONTENT_LENGTH=str(50 * 1024 * 1024),
        **{"wsgi.input": Body()},
    )
    assert response.status_code == 413, response.content
    assert Body.read_bytes == 0


def test_future_date_and_vat_are_refused_with_swedish_messages(tenant, drivmedel, employee, as_api, today):
    me = as_api(employee)
    r = new_expense(me, tenant, drivmedel, None, day="2026-12-03")
    assert r.status_code == 400 and r.json()["code"] == "date_in_future"
    r = new_expense(me, tenant, drivmedel, None, vat_25_ore=20000)
    assert r.json()["code"] == "vat_exceeds_amount"
    r = new_expense(me, tenant, drivmedel, None, vat_25_ore=0, vat_6_ore=2000)
    assert r.json()["code"] == "vat_does_not_fit"
    with tenant_scope(tenant.pk):
        assert not Expense.objects.exists()


@pytest.fixture
def submitted(tenant, drivmedel, employee, as_api, today):
    me = as_api(employee)
    receipt_id = upload(me, tenant).json()["id"]
    expense_id = new_expense(me, tenant, drivmedel, receipt_id).json()["id"]
    me.post(f"{base(tenant)}/claims/expenses/{expense_id}/submit")
    return expense_id, receipt_id


def _state(tenant):
    with tenant_scope(tenant.pk):
        return list(Expense.objects.values_list("pk", "status", "amount_ore", "attested_at"))


@pytest.mark.parametrize("role", ["stranger", "partner_limited", "partner_full", "owner", "attestant"])
def test_who_sees_and_attests_someone_elses_expense(request, tenant, submitted, role, as_api):
    expense_id, receipt_id = submitted
    user = request.getfixturevalue(role)
    client = as_api(user)
    before = _state(tenant)
    detail = client.get(f"{base(tenant)}/expenses/{expense_id}").status_code
    photo = client.get(f"{base(tenant)}/receipts/{receipt_id}/file").status_code
    edit = client.patch(
        f"{base(tenant)}/expenses/{expense_id}", {"description": "x"}, content_type="application/json"
    ).status_code
    attest = client.post(f"{base(tenant)}/claims/expenses/{expense_id}/attest").status_code
    expected = {
        "stranger": (404, 404, 404, 404),  # another tenant: as if missing
        "partner_limited": (200, 200, 403, 403),  # receipts and expenses, read only
        "partner_full": (200, 200, 403, 200),
        "owner": (200, 200, 404, 200),
        "attestant": (200, 200, 404, 200),
    }[role]
    assert (detail, photo, edit, attest) == expected
    if attest != 200:
        assert _state(tenant) == before


def test_another_tenants_user_gets_404_everywhere(tenant, other_tenant, submitted, stranger, as_api):
    client = as_api(stranger)
    expense_id, receipt_id = submitted
    for path in (
        f"{base(tenant)}/expenses",
        f"{base(tenant)}/trips",
        f"{base(tenant)}/per-diems",
        f"{base(tenant)}/expense-types",
        f"{base(tenant)}/allowance-rates",
        f"{base(tenant)}/claims/queue",
        f"{base(tenant)}/receipts/{receipt_id}/thumbnail",
    ):
        assert client.get(path).status_code == 404, path
    # in their own company the ids of this one are missing too
    assert client.get(f"{base(other_tenant)}/expenses/{expense_id}").status_code == 404
    assert client.get(f"{base(other_tenant)}/receipts/{receipt_id}/file").status_code == 404


def test_rates_are_edited_by_total_only(tenant, defaults, owner, partner_full, attestant, as_api):
    body = {"kind": "mileage_own", "valid_from": "2027-01-01", "tax_free_ore": 2500, "paid_ore": 3000}
    for user in (partner_full, attestant):
        assert (
            as_api(user)
            .post(f"{base(tenant)}/allowance-rates", body, content_type="application/json")
            .status_code
            == 403
        )
    r = as_api(owner).post(f"{base(tenant)}/allowance-rates", body, content_type="application/json")
    assert r.status_code == 201


def test_expense_types_settings(tenant, defaults, owner, employee, as_api):
    body = {"name": "Parkering", "account": "5800", "payroll_code": "731"}
    assert (
        as_api(employee)
        .post(f"{base(tenant)}/expense-types", body, content_type="application/json")
        .status_code
        == 403
    )
    r = as_api(owner).post(f"{base(tenant)}/expense-types", body, content_type="application/json")
    assert r.status_code == 201
    r = as_api(owner).patch(
        f"{base(tenant)}/expense-types/{r.json()['id']}", {"account": "58x0"}, content_type="application/json"
    )
    assert r.status_code == 400 and r.json()["code"] == "invalid_account"


def _count(client, path) -> int:
    client.get(path)  # warm: the token's first use of the day is written once
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(path).status_code == 200
    return len(ctx)


def test_lists_and_queue_take_a_constant_number_of_queries(
    tenant, defaults, employee, attestant, as_api, today
):
    from verksam.expenses.mileage import trip_create
    from verksam.tenancy.access import resolve

    me = as_api(employee)
    boss = as_api(attestant)
    counts = []
    for n in (2, 30):
        with tenant_scope(tenant.pk):
            actor_ = resolve(employee, tenant)
            for _ in range(n - (2 if n == 30 else 0)):
                t = trip_create(
                    actor=actor_, date=today, origin="A", destination="B", purpose="p", km=1, vehicle="own"
                )
                t.status = Status.SUBMITTED
                t.save()
            assert Trip.objects.count() == n
        counts.append(
            (_count(me, f"{base(tenant)}/trips?page_size=100"), _count(boss, f"{base(tenant)}/claims/queue"))
        )
    assert counts[0] == counts[1]
