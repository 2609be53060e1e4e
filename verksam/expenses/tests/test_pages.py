"""The pages: Mina utlägg with a photo, bad input re-rendered with 422, the 50 MB refusal, Mina
resor, the approver's tab, settings; other tenant 404, permissions, constant query counts."""

import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from verksam.expenses.models import Expense, ExpenseType, Receipt, Status, Trip
from verksam.tenancy.scope import tenant_scope

from .conftest import jpeg_with_gps

pytestmark = pytest.mark.django_db


def url(name, tenant, *args):
    return reverse(f"web:{name}", args=[tenant.slug, *args])


def photo(name="kvitto.jpg", data=None):
    f = io.BytesIO(data if data is not None else jpeg_with_gps((120, 90)))
    f.name = name
    return f


def _form(type_id, **kw):
    data = {"expense_type": type_id, "purchase_date": "2026-12-01", "amount": "125,00", "vat_25": "25,00"}
    data.update(kw)
    return data


@pytest.fixture
def type_id(tenant, defaults):
    with tenant_scope(tenant.pk):
        return ExpenseType.objects.get(name="Drivmedel").pk


def test_employee_saves_and_submits_an_outlay_with_a_photo(
    tenant, type_id, employee, attestant, as_user, today
):
    me = as_user(employee)
    r = me.post(url("expenses_mine", tenant), _form(type_id, receipt_file=photo(), submit="1"))
    assert r.status_code == 302
    with tenant_scope(tenant.pk):
        expense = Expense.objects.get()
        assert (expense.status, expense.amount_ore, expense.vat_25_ore) == (Status.SUBMITTED, 12500, 2500)
        receipt_id = expense.receipt_id
    page = me.get(url("expenses_mine", tenant)).content.decode()
    assert url("receipt_thumbnail", tenant, receipt_id) in page
    assert 'capture="environment"' in page and 'accept="image/*,application/pdf"' in page
    boss = as_user(attestant)
    queue = boss.get(url("claims_queue", tenant)).content.decode()
    assert f'data-id="{expense.pk}"' in queue
    assert boss.get(url("receipt_thumbnail", tenant, receipt_id)).status_code == 200
    r = boss.post(url("claim_decide", tenant, "expense", expense.pk, "attest"))
    assert r.status_code == 302
    with tenant_scope(tenant.pk):
        assert Expense.objects.get().status == Status.ATTESTED


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({"purchase_date": "2026-12-03"}, "framtiden"),
        ({"vat_25": "200,00"}, "större än beloppet"),
        ({"vat_25": "", "vat_6": "20,00"}, "passar inte"),
        ({"amount": "12,3,4"}, "belopp"),
        ({"receipt_file": photo(data=b"plain text pretending\n" * 5)}, "Den här filtypen"),
    ],
)
def test_bad_input_re_renders_with_a_swedish_message_and_writes_nothing(
    tenant, type_id, employee, as_user, today, extra, message
):
    r = as_user(employee).post(url("expenses_mine", tenant), _form(type_id, **extra))
    assert r.status_code == 422
    assert message in r.content.decode()
    with tenant_scope(tenant.pk):
        assert not Expense.objects.exists() and not Receipt.objects.exists()


def test_a_50_mb_photo_is_refused_from_the_request_length(tenant, type_id, employee, as_user):
    class Body(io.RawIOBase):
        def read(self, n=-1):
            raise AssertionError("the body was read")

    r = as_user(employee).generic(
        "POST",
        url("expenses_mine", tenant),
        b"",
        CONTENT_TYPE="multipart/form-data; boundary=xyz",
        CONTENT_LENGTH=str(50 * 1024 * 1024),
        **{"wsgi.input": Body()},
    )
    assert r.status_code == 413
    assert "större än" in r.content.decode()


def test_trips_page(tenant, defaults, employee, as_user, today):
    me = as_user(employee)
    body = {
        "form": "trip",
        "trip-date": "2026-12-01",
        "trip-origin": "A",
        "trip-destination": "B",
        "trip-purpose": "Möte",
        "trip-vehicle": "own",
    }
    r = me.post(url("trips_mine", tenant), {**body, "trip-km": "5000"})
    assert r.status_code == 422 and "2000 km" in r.content.decode()
    r = me.post(url("trips_mine", tenant), {**body, "trip-km": "12"})
    assert r.status_code == 302
    pd = {
        "form": "perdiem",
        "pd-departure": "2026-11-23T07:00",
        "pd-return_at": "2026-11-24T20:00",
        "pd-destination": "Umeå",
        "pd-purpose": "Montage",
        "pd-far_from_home": "on",
        "pd-nights_without_lodging": "0",
    }
    assert me.post(url("trips_mine", tenant), pd).status_code == 302
    page = me.get(url("trips_mine", tenant)).content.decode()
    assert "600,00" in page  # two whole days at 300 kr


@pytest.mark.parametrize(
    ("role", "own_page", "queue", "settings_page", "photo_status"),
    [
        ("employee", 200, 403, 403, 200),
        ("attestant", 200, 200, 403, 200),
        ("owner", 200, 200, 200, 200),
        ("partner_full", 403, 200, 200, 200),
        ("partner_limited", 403, 403, 403, 200),
        ("stranger", 404, 404, 404, 404),
    ],
)
def test_who_sees_which_page(
    request, tenant, type_id, employee, as_user, today, role, own_page, queue, settings_page, photo_status
):
    as_user(employee).post(url("expenses_mine", tenant), _form(type_id, receipt_file=photo()))
    with tenant_scope(tenant.pk):
        receipt_id = Receipt.objects.get().pk
    client = as_user(request.getfixturevalue(role))
    got = (
        client.get(url("expenses_mine", tenant)).status_code,
        client.get(url("claims_queue", tenant)).status_code,
        client.get(url("expense_settings", tenant)).status_code,
        client.get(url("receipt_file", tenant, receipt_id)).status_code,
    )
    assert got == (own_page, queue, settings_page, photo_status)


def test_another_employees_receipt_and_claims_are_404(tenant, type_id, employee, as_user, today):
    from verksam.tenancy.models import Licence
    from verksam.tenancy.tests.factories import MembershipFactory, UserFactory

    as_user(employee).post(url("expenses_mine", tenant), _form(type_id, receipt_file=photo()))
    colleague = MembershipFactory(tenant=tenant, user=UserFactory(email="k@s.se"), licence=Licence.LIGHT).user
    with tenant_scope(tenant.pk):
        expense = Expense.objects.get()
    client = as_user(colleague)
    assert client.get(url("receipt_file", tenant, expense.receipt_id)).status_code == 404
    assert client.get(url("expense_edit", tenant, expense.pk)).status_code == 404
    assert client.post(url("claim_own_action", tenant, "expense", expense.pk, "submit")).status_code == 404


def _count(client, path) -> int:
    client.get(path)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(path).status_code == 200
    return len(ctx)


def test_lists_and_queue_have_constant_query_counts(tenant, type_id, employee, attestant, as_user, today):
    from verksam.expenses import services
    from verksam.tenancy.access import resolve

    me, boss = as_user(employee), as_user(attestant)
    counts = []
    for n in (2, 30):
        with tenant_scope(tenant.pk):
            actor_ = resolve(employee, tenant)
            kind = ExpenseType.objects.get(pk=type_id)
            from django.core.files.uploadedfile import SimpleUploadedFile

            while Expense.objects.count() < n:
                receipt = services.receipt_upload(
                    actor=actor_, upload=SimpleUploadedFile("k.jpg", jpeg_with_gps((20, 20)))
                )
                e = services.expense_create(
                    actor=actor_, expense_type=kind, purchase_date=today, amount_ore=1000, receipt=receipt
                )
                services.item_submit(actor=actor_, item=e)
            assert not Trip.objects.exists()
        counts.append((_count(me, url("expenses_mine", tenant)), _count(boss, url("claims_queue", tenant))))
    assert counts[0] == counts[1]
