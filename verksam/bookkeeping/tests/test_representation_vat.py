"""Representation meals in the booking proposal (issue 10, BAS accounts): only the deductible VAT (on
300 kr excl. VAT a person, expenses.vat) is debited to 2641; the rest of the VAT is a cost on 6072
"Representation, ej avdragsgill"; the rows balance to the öre."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from verksam.attestation import expenses as claims
from verksam.bookkeeping import outlays
from verksam.bookkeeping.dto import Accounts, BookingIn, BookingKind, GrossPart, RowOut
from verksam.bookkeeping.proposals import ProposalError, propose, vat_of_gross
from verksam.expenses import services as expense_services
from verksam.expenses.defaults import expenses_install_defaults
from verksam.expenses.models import ExpenseType
from verksam.expenses.tests.conftest import jpeg_with_gps
from verksam.tenancy.scope import tenant_scope

from .helpers import actor_of


def _booking(parts, cost="6071"):
    return BookingIn(
        date=dt.date(2026, 3, 2), text="Lunch", parts=tuple(parts), cost_account=cost, kind=BookingKind.OUTLAY
    )


def test_the_non_deductible_vat_is_a_cost_on_6072():
    # 784 kr incl. 12 % for two: 84 kr VAT, 72 kr deductible (2 × 36 kr), 12 kr a cost
    proposal = propose(_booking([GrossPart(12, 78400, deductible_vat_ore=7200)]), Accounts())
    assert proposal.rows == (
        RowOut("6071", debit_ore=70000, vat_rate=12),
        RowOut("6072", debit_ore=1200, text="Ej avdragsgill moms"),
        RowOut("2641", debit_ore=7200),
        RowOut("2820", credit_ore=78400),
    )
    assert proposal.balance_ore == 0


def test_without_a_cap_nothing_changes_and_a_negative_cap_is_refused():
    assert propose(_booking([GrossPart(12, 78400)]), Accounts()).rows[1] == RowOut("2641", debit_ore=8400)
    same = propose(_booking([GrossPart(12, 78400, deductible_vat_ore=9000)]), Accounts())
    assert RowOut("2641", debit_ore=8400) in same.rows and len(same.rows) == 3
    with pytest.raises(ProposalError):
        propose(_booking([GrossPart(12, 78400, deductible_vat_ore=-1)]), Accounts())


@given(
    parts=st.lists(
        st.tuples(
            st.sampled_from([25, 12, 6, 0]),
            st.integers(1, 10**9),
            st.one_of(st.none(), st.integers(0, 10**8)),
        ),
        min_size=1,
        max_size=4,
    )
)
def test_the_rows_balance_and_2641_holds_only_the_deductible_vat(parts):
    booking = _booking([GrossPart(r, g, deductible_vat_ore=d) for r, g, d in parts])
    proposal = propose(booking, Accounts())
    assert proposal.balance_ore == 0
    expected = sum(vat_of_gross(g, r) if d is None else min(vat_of_gross(g, r), d) for r, g, d in parts)
    assert sum(row.debit_ore for row in proposal.rows if row.account == "2641") == expected
    total_vat = sum(vat_of_gross(g, r) for r, g, _d in parts)
    assert sum(row.debit_ore for row in proposal.rows if row.account == "6072") == total_vat - expected


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    }


@pytest.mark.django_db
def test_an_attested_representation_is_booked_with_the_capped_vat(tenant, employee, attestant, owner):
    """Lunch for two with wine: food 500 kr + 60 kr VAT (12 %), wine 300 kr + 75 kr VAT (25 %). The
    800 kr base is over 2 × 300 kr: 600/800 of each VAT is deductible, 45 + 56,25 kr; the rest,
    33,75 kr, is a cost on 6072."""
    expenses_install_defaults(tenant_id=tenant.pk)
    with tenant_scope(tenant.pk):
        me = actor_of(employee, tenant)
        receipt = expense_services.receipt_upload(
            actor=me, upload=SimpleUploadedFile("k.jpg", jpeg_with_gps((40, 30)))
        )
        expense = expense_services.expense_create(
            actor=me,
            expense_type=ExpenseType.objects.get(name="Representation, extern"),
            purchase_date=timezone.localdate(),
            amount_ore=93500,
            vat_25_ore=7500,
            vat_12_ore=6000,
            participants=2,
            representation_note="Anna Ek, Kund AB; offert",
            receipt=receipt,
        )
        expense_services.item_submit(actor=me, item=expense)
        claims.claim_attest(actor=actor_of(attestant, tenant), item=expense)
        voucher = outlays.outlay_book(actor=actor_of(owner, tenant), expense_id=expense.pk)
        rows = {(r.account, r.vat_rate): (r.debit_ore, r.credit_ore) for r in voucher.rows}
    assert rows[("2641", None)] == (4500 + 5625, 0)
    assert rows[("6072", None)] == (13500 - 10125, 0)
    assert rows[("6071", 25)] == (30000, 0) and rows[("6071", 12)] == (50000, 0)
    assert rows[("2820", None)] == (0, 93500)
