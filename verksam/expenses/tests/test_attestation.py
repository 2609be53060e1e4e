"""Submit, attest, reject, reopen; immutability; closed periods; who may act (issue 10 item 3)."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from verksam.attestation import expenses as claims
from verksam.attestation.models import PeriodClose
from verksam.core.errors import Conflict, DomainError, Forbidden
from verksam.expenses import selectors, services
from verksam.expenses.mileage import trip_create
from verksam.expenses.models import Expense, ExpenseType, Status

from .conftest import actor, jpeg_with_gps

pytestmark = pytest.mark.django_db


@pytest.fixture
def expense(defaults, scoped, employee, today):
    me = actor(scoped, employee)
    receipt = services.receipt_upload(actor=me, upload=SimpleUploadedFile("k.jpg", jpeg_with_gps((40, 30))))
    return services.expense_create(
        actor=me,
        expense_type=ExpenseType.objects.get(name="Drivmedel"),
        purchase_date=today,
        amount_ore=50000,
        vat_25_ore=10000,
        description="Diesel",
        receipt=receipt,
    )


def test_the_whole_round(scoped, expense, employee, attestant, owner, today):
    me, approver, boss = actor(scoped, employee), actor(scoped, attestant), actor(scoped, owner)
    assert expense.registered_on == today
    services.item_submit(actor=me, item=expense)
    with pytest.raises(Conflict):
        services.expense_update(actor=me, expense=expense, amount_ore=40000, vat_25_ore=0)
    claims.claim_reject(actor=approver, item=expense, comment="Fel belopp")
    expense.refresh_from_db()
    assert (expense.status, expense.rejection_comment) == (Status.DRAFT, "Fel belopp")
    services.expense_update(actor=me, expense=expense, amount_ore=40000, vat_25_ore=8000)
    services.item_submit(actor=me, item=expense)
    claims.claim_attest(actor=approver, item=expense)
    expense.refresh_from_db()
    assert expense.status == Status.ATTESTED and expense.attested_by == attestant
    for call in (
        lambda: services.expense_update(actor=me, expense=expense, description="x"),
        lambda: services.item_withdraw(actor=me, item=expense),
        lambda: services.item_delete(actor=me, item=expense),
    ):
        with pytest.raises(Conflict):
            call()
    with pytest.raises(Forbidden):
        claims.claim_reopen(actor=approver, item=expense, reason="x")  # STANDARD has no TIME_REOPEN
    with pytest.raises(DomainError):
        claims.claim_reopen(actor=boss, item=expense, reason=" ")
    claims.claim_reopen(actor=boss, item=expense, reason="Fel konto")
    expense.refresh_from_db()
    assert expense.status == Status.DRAFT


def test_an_expense_is_submitted_only_with_its_receipt(defaults, scoped, employee, today):
    me = actor(scoped, employee)
    e = services.expense_create(
        actor=me, expense_type=ExpenseType.objects.first(), purchase_date=today, amount_ore=1000
    )
    with pytest.raises(DomainError) as exc:
        services.item_submit(actor=me, item=e)
    assert exc.value.code == "receipt_missing"


def test_future_date_and_bad_vat_are_refused_and_nothing_written(defaults, scoped, employee, today):
    me = actor(scoped, employee)
    kind = ExpenseType.objects.first()
    for kw in (
        {"purchase_date": today + dt.timedelta(days=1), "amount_ore": 1000},
        {"purchase_date": today, "amount_ore": 1000, "vat_25_ore": 1001},
        {"purchase_date": today, "amount_ore": 1000, "vat_6_ore": 300},
        {"purchase_date": today, "amount_ore": 0},
    ):
        with pytest.raises(DomainError):
            services.expense_create(actor=me, expense_type=kind, **kw)
    assert not Expense.objects.exists()


def test_nobody_attests_their_own_or_someone_elses_employee(
    scoped, expense, employee, attestant, owner, tenant
):
    from verksam.tenancy.models import Licence
    from verksam.tenancy.tests.factories import MembershipFactory, UserFactory

    services.item_submit(actor=actor(scoped, employee), item=expense)
    other = MembershipFactory(tenant=tenant, user=UserFactory(email="x@s.se"), licence=Licence.STANDARD).user
    with pytest.raises(Forbidden):
        claims.claim_attest(actor=actor(scoped, other), item=expense)
    with pytest.raises(Forbidden):
        claims.claim_attest(actor=actor(scoped, employee), item=expense)
    expense.refresh_from_db()
    assert expense.status == Status.SUBMITTED


def test_a_closed_period_guards_its_claims(scoped, expense, employee, attestant, owner, today):
    services.item_submit(actor=actor(scoped, employee), item=expense)
    PeriodClose.objects.create(
        tenant=scoped, period_key="2026-12", start=dt.date(2026, 12, 1), end=dt.date(2026, 12, 31)
    )
    with pytest.raises(Conflict) as exc:
        claims.claim_attest(actor=actor(scoped, attestant), item=expense)
    assert exc.value.code == "period_closed"
    with pytest.raises(Conflict):
        services.item_withdraw(actor=actor(scoped, employee), item=expense)
    expense.refresh_from_db()
    assert expense.status == Status.SUBMITTED


def test_queue_and_pay_lines_by_registration_date(
    scoped, expense, employee, attestant, today, django_assert_num_queries
):
    me, approver = actor(scoped, employee), actor(scoped, attestant)
    trip = trip_create(
        actor=me, date=today, origin="A", destination="B", purpose="Möte", km=42, vehicle="own"
    )
    services.item_submit(actor=me, item=expense)
    services.item_submit(actor=me, item=trip)
    rows = claims.claim_queue(actor=approver)
    assert [(r.membership.user, len(r.expenses), len(r.trips)) for r in rows] == [(employee, 1, 1)]
    claims.claim_attest(actor=approver, item=expense)
    claims.claim_attest(actor=approver, item=trip)
    with django_assert_num_queries(3):
        lines = selectors.pay_lines_for_period(
            tenant=scoped, start=dt.date(2026, 12, 1), end=dt.date(2026, 12, 31), member_ids=None
        )
    (member_id,) = lines
    codes = [(line.paxml_code, line.amount_ore) for line in lines[member_id]]
    assert codes == [("UTLÄGG", 50000), ("MILPRI_FRI", 10500)]
    assert (
        selectors.pay_lines_for_period(tenant=scoped, start=dt.date(2026, 11, 1), end=dt.date(2026, 11, 30))
        == {}
    )
