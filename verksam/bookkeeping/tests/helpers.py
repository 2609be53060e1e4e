"""Builders of the bookkeeping tests."""

import datetime as dt
import itertools

from verksam.bookkeeping import services
from verksam.bookkeeping.dto import BookingIn, BookingKind, GrossPart, RowOut, SourceRef
from verksam.tenancy.access import resolve
from verksam.tenancy.scope import tenant_scope

DAY = dt.date(2026, 3, 2)
_sources = itertools.count(1000)
ROWS = (
    RowOut("5611", debit_ore=10000, vat_rate=25),
    RowOut("2641", debit_ore=2500),
    RowOut("2820", credit_ore=12500),
)


def actor_of(user, tenant):
    actor = resolve(user, tenant)
    assert actor is not None
    return actor


def booking(n: int = 1, gross: int = 12500, kind=BookingKind.OUTLAY, day=DAY) -> BookingIn:
    return BookingIn(
        date=day,
        text=f"Utlägg {n}",
        parts=(GrossPart(25, gross),),
        cost_account="5611",
        kind=kind,
        source=SourceRef("expenses", str(n), f"Utlägg {n}"),
        receipt_ref=f"expenses.receipt:{n}",
    )


def posted_vouchers(user, tenant, count: int, *, day=DAY) -> list[int]:
    """`count` posted vouchers in `tenant`, their ids."""
    ids = []
    with tenant_scope(tenant.pk):
        actor = actor_of(user, tenant)
        for n in range(count):
            draft = services.voucher_propose(
                actor=actor, booking=booking(next(_sources), 100 * (n + 1), day=day)
            )
            ids.append(services.voucher_post(actor=actor, voucher_id=draft.id).id)
    return ids
