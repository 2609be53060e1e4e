"""Vouchers (issue 10 item 6): proposals saved as drafts, gap-free numbers per series and fiscal
year, balance refused otherwise, posted vouchers immutable (services and database), reversal, never
booked twice, settings and fiscal years, permissions (TOTAL, FULL partner) and other tenants."""

import datetime as dt

import pytest
from django.db import IntegrityError, transaction
from django.db.utils import DatabaseError

from verksam.audit.models import AuditEvent
from verksam.bookkeeping import selectors, services
from verksam.bookkeeping.dto import BookingKind, RowOut
from verksam.bookkeeping.models import FiscalYear, Voucher, VoucherRow
from verksam.core.errors import Conflict, DomainError, Forbidden, NotFound
from verksam.tenancy.scope import tenant_scope

from .helpers import DAY, ROWS, actor_of, booking, posted_vouchers


@pytest.fixture
def book(tenant, owner):
    with tenant_scope(tenant.pk):
        yield actor_of(owner, tenant)


def test_an_outlay_proposal_is_a_draft_in_the_outlay_series_with_the_bas_rows(book):
    draft = services.voucher_propose(actor=book, booking=booking())
    assert (draft.series, draft.number, draft.status) == ("U", None, "draft")
    assert [(r.account, r.amount_ore) for r in draft.rows] == [
        ("5611", 10000),
        ("2641", 2500),
        ("2820", -12500),
    ]
    assert (
        draft.source is not None
        and draft.source.app == "expenses"
        and draft.receipt_ref == "expenses.receipt:1"
    )
    year = FiscalYear.objects.get()
    assert (year.start, year.end) == (
        dt.date(2026, 1, 1),
        dt.date(2026, 12, 31),
    )  # the calendar year by default


def test_a_card_purchase_uses_the_card_series_and_the_settlement_account(book):
    services.account_settings_update(actor=book, card_settlement_account="1680", card_series="KORT")
    draft = services.voucher_propose(actor=book, booking=booking(kind=BookingKind.CARD))
    assert draft.series == "KORT"
    assert draft.rows[-1] == RowOut("1680", credit_ore=12500)


def test_posting_numbers_each_series_gap_free_per_fiscal_year(book):
    def post(n, kind=BookingKind.OUTLAY, day=DAY):
        draft = services.voucher_propose(actor=book, booking=booking(n, kind=kind, day=day))
        return services.voucher_post(actor=book, voucher_id=draft.id)

    drafts_left = services.voucher_propose(actor=book, booking=booking(99))
    numbers = [post(1).number, post(2).number, post(3, BookingKind.CARD).number, post(4).number]
    assert numbers == [1, 2, 1, 3]
    assert post(5, day=dt.date(2027, 1, 4)).number == 1  # a new fiscal year starts at 1
    assert Voucher.objects.get(pk=drafts_left.id).number is None


def test_a_failed_post_gives_its_number_back(book):
    first = services.voucher_propose(actor=book, booking=booking(1))
    second = services.voucher_propose(actor=book, booking=booking(2))
    with pytest.raises(RuntimeError), transaction.atomic():
        services.voucher_post(actor=book, voucher_id=first.id)
        raise RuntimeError("crash after numbering")
    assert services.voucher_post(actor=book, voucher_id=second.id).number == 1
    assert services.voucher_post(actor=book, voucher_id=first.id).number == 2


@pytest.mark.parametrize(
    ("rows", "code"),
    [
        ((RowOut("5611", debit_ore=100), RowOut("2820", credit_ore=99)), "voucher_unbalanced"),
        ((RowOut("5611", debit_ore=100),), "voucher_rows"),
        ((RowOut("5611", debit_ore=100, credit_ore=100), RowOut("2820", credit_ore=0)), "voucher_row_amount"),
        ((RowOut("5611", debit_ore=-100), RowOut("2820", credit_ore=-100)), "voucher_row_amount"),
        ((RowOut("56x1", debit_ore=100), RowOut("2820", credit_ore=100)), "invalid_account"),
        ((RowOut("5611", debit_ore=100, vat_rate=18), RowOut("2820", credit_ore=100)), "vat_rate"),
    ],
)
def test_a_voucher_that_does_not_balance_or_has_bad_rows_is_refused_and_nothing_is_written(book, rows, code):
    with pytest.raises(DomainError) as exc:
        services.voucher_create(actor=book, date=DAY, text="Manuell", rows=rows)
    assert exc.value.code == code
    assert not Voucher.objects.exists() and not VoucherRow.objects.exists()


def test_a_manual_voucher_goes_in_the_manual_series(book):
    draft = services.voucher_create(actor=book, date=DAY, text="Manuell", rows=ROWS)
    assert draft.series == "V"


def test_a_posted_voucher_is_refused_by_the_services(book):
    posted = services.voucher_post(
        actor=book, voucher_id=services.voucher_propose(actor=book, booking=booking()).id
    )
    with pytest.raises(Conflict):
        services.voucher_post(actor=book, voucher_id=posted.id)
    with pytest.raises(Conflict):
        services.voucher_delete(actor=book, voucher_id=posted.id)
    assert Voucher.objects.get(pk=posted.id).number == 1


def test_a_posted_voucher_is_refused_by_the_database(book):
    posted = services.voucher_post(
        actor=book, voucher_id=services.voucher_propose(actor=book, booking=booking()).id
    )
    for change in (
        lambda: Voucher.objects.filter(pk=posted.id).update(text="ändrad"),
        lambda: Voucher.objects.filter(pk=posted.id).update(number=7),
        lambda: VoucherRow.objects.filter(voucher_id=posted.id, account="5611").update(debit_ore=1),
        lambda: VoucherRow.objects.create(
            tenant_id=book.tenant_id, voucher_id=posted.id, account="1930", debit_ore=1
        ),
    ):
        with pytest.raises((IntegrityError, DatabaseError)), transaction.atomic():
            change()
    voucher = selectors.voucher_get(voucher_id=posted.id)
    assert voucher is not None and voucher.text == "Utlägg 1"
    assert [r.debit_ore for r in voucher.rows.all()] == [10000, 2500, 0]


def test_a_draft_may_be_deleted(book):
    draft = services.voucher_propose(actor=book, booking=booking())
    services.voucher_delete(actor=book, voucher_id=draft.id)
    assert not Voucher.objects.exists()


def test_reversal_is_a_new_posted_voucher_in_the_same_series_cancelling_the_rows(book):
    posted = services.voucher_post(
        actor=book, voucher_id=services.voucher_propose(actor=book, booking=booking()).id
    )
    reversal = services.voucher_reverse(actor=book, voucher_id=posted.id, date=dt.date(2026, 3, 5))
    assert (reversal.series, reversal.number, reversal.status) == ("U", 2, "posted")
    assert [r.amount_ore for r in reversal.rows] == [-10000, -2500, 12500]
    assert reversal.text.startswith("Reversal of U1") or reversal.text.startswith("Rättelse")
    with pytest.raises(Conflict):
        services.voucher_reverse(actor=book, voucher_id=posted.id)
    with pytest.raises(Conflict):
        services.voucher_reverse(actor=book, voucher_id=reversal.id)
    # the source may now be booked again
    again = services.voucher_propose(actor=book, booking=booking())
    assert again.id not in (posted.id, reversal.id) and again.status == "draft"


def test_a_draft_is_not_reversed(book):
    draft = services.voucher_propose(actor=book, booking=booking())
    with pytest.raises(Conflict):
        services.voucher_reverse(actor=book, voucher_id=draft.id)


def test_a_source_is_never_booked_twice(book):
    first = services.voucher_propose(actor=book, booking=booking())
    assert services.voucher_propose(actor=book, booking=booking()).id == first.id
    services.voucher_post(actor=book, voucher_id=first.id)
    assert services.voucher_propose(actor=book, booking=booking()).id == first.id
    assert Voucher.objects.count() == 1


def test_settings_refuse_bad_accounts_and_series(book):
    with pytest.raises(DomainError):
        services.account_settings_update(actor=book, input_vat_account="26")
    with pytest.raises(DomainError):
        services.account_settings_update(actor=book, outlay_series="")
    settings = services.account_settings_update(
        actor=book, outlay_liability_account="2822", outlay_series="ut"
    )
    assert (settings.outlay_liability_account, settings.outlay_series) == ("2822", "UT")
    assert services.voucher_propose(actor=book, booking=booking()).rows[-1].account == "2822"


def test_cost_accounts_start_from_bas_and_are_editable(book):
    assert selectors.cost_account_for("fuel") == "5611"
    services.cost_account_save(actor=book, key="fuel", name="Drivmedel", account="5612")
    services.cost_account_save(actor=book, key="parking", name="Parkering", account="5820")
    assert (selectors.cost_account_for("fuel"), selectors.cost_account_for("parking")) == ("5612", "5820")
    assert selectors.cost_account_for("lodging") == "5831"
    with pytest.raises(DomainError):
        services.cost_account_save(actor=book, key="x", name="X", account="abc")


def test_fiscal_years_never_overlap_and_a_date_outside_them_is_refused(book):
    services.fiscal_year_create(actor=book, start=dt.date(2025, 7, 1), end=dt.date(2026, 6, 30))
    with pytest.raises(Conflict):
        services.fiscal_year_create(actor=book, start=dt.date(2026, 1, 1))
    with pytest.raises(DomainError):
        services.fiscal_year_create(actor=book, start=dt.date(2027, 1, 1), end=dt.date(2028, 12, 31))
    with pytest.raises(DomainError):
        services.fiscal_year_create(actor=book, start=dt.date(2027, 1, 1), end=dt.date(2026, 12, 31))
    draft = services.voucher_propose(actor=book, booking=booking())
    assert FiscalYear.objects.get(pk=draft.fiscal_year_id).start == dt.date(2025, 7, 1)
    # 2026-08-01 lies in no year and its calendar year would overlap the broken one
    with pytest.raises(DomainError) as exc:
        services.voucher_propose(actor=book, booking=booking(2, day=dt.date(2026, 8, 1)))
    assert exc.value.code == "no_fiscal_year"


def test_every_write_is_audited(book):
    draft = services.voucher_propose(actor=book, booking=booking())
    services.voucher_post(actor=book, voucher_id=draft.id)
    services.voucher_reverse(actor=book, voucher_id=draft.id)
    actions = list(
        AuditEvent.objects.filter(action__startswith="bookkeeping.").values_list("action", flat=True)
    )
    assert {"bookkeeping.voucher_propose", "bookkeeping.voucher_post", "bookkeeping.voucher_reverse"} <= set(
        actions
    )


@pytest.mark.parametrize("role", ["employee", "attestant", "partner_limited"])
def test_who_may_not_book_changes_nothing(request, tenant, owner, role):
    draft_id = None
    with tenant_scope(tenant.pk):
        draft_id = services.voucher_propose(actor=actor_of(owner, tenant), booking=booking()).id
        actor = actor_of(request.getfixturevalue(role), tenant)
        for call in (
            lambda: services.voucher_propose(actor=actor, booking=booking(2)),
            lambda: services.voucher_post(actor=actor, voucher_id=draft_id),
            lambda: services.voucher_delete(actor=actor, voucher_id=draft_id),
            lambda: services.account_settings_update(actor=actor, bank_account="1920"),
            lambda: services.fiscal_year_create(actor=actor, start=dt.date(2030, 1, 1)),
        ):
            with pytest.raises(Forbidden):
                call()
        assert Voucher.objects.get().status == "draft"


def test_a_full_partner_books_under_the_grant(tenant, partner_full):
    ids = posted_vouchers(partner_full, tenant, 2)
    with tenant_scope(tenant.pk):
        assert list(
            Voucher.objects.filter(pk__in=ids).values_list("number", flat=True).order_by("number")
        ) == [1, 2]
        event = AuditEvent.objects.filter(action="bookkeeping.voucher_post").first()
        assert event is not None and event.partner_tenant_id is not None


def test_another_tenants_voucher_is_not_found(tenant, owner, other_tenant):
    from verksam.tenancy.models import Licence
    from verksam.tenancy.tests.factories import MembershipFactory, UserFactory

    ids = posted_vouchers(owner, tenant, 1)
    other_owner = UserFactory()
    MembershipFactory(tenant=other_tenant, user=other_owner, licence=Licence.TOTAL)
    with tenant_scope(other_tenant.pk):
        actor = actor_of(other_owner, other_tenant)
        assert selectors.voucher_get(voucher_id=ids[0]) is None
        with pytest.raises(NotFound):
            services.voucher_reverse(actor=actor, voucher_id=ids[0])
        with pytest.raises(NotFound):
            services.voucher_post(actor=actor, voucher_id=ids[0])
        assert not selectors.export_selection(voucher_ids=ids).exists()


@pytest.mark.parametrize("day", [dt.date(1, 1, 1), dt.date(1999, 12, 31), dt.date(9999, 12, 31)])
def test_a_voucher_date_outside_the_business_calendar_is_refused(book, day):
    with pytest.raises(DomainError) as exc:
        services.voucher_create(actor=book, date=day, text="Manuell", rows=ROWS)
    assert exc.value.code == "date_out_of_range"
    assert not Voucher.objects.exists() and not FiscalYear.objects.exists()
