"""Attested outlays (expenses) to the books (issue 10 item 6): the expenses still to book, and booking
one — a proposal from its expense type's cost account and its VAT per rate (outlay: cost + 2641 /
2820), posted at once, carrying the receipt reference. An expense has one standing voucher: the
expense row is locked while it is booked and a second attempt is refused (409 `already_booked`);
an expense that is not attested is refused (409 `not_attested`)."""

import datetime as dt

from django.db import transaction
from django.db.models import CharField, Count, Exists, OuterRef
from django.db.models.functions import Cast
from django.utils.translation import gettext as _

from verksam.core.errors import Conflict, NotFound
from verksam.expenses.models import Expense, Status
from verksam.expenses.vat import expense_deductible_vat
from verksam.tenancy.access import Actor
from verksam.tenancy.permissions import Perm

from . import selectors, services
from .dto import BookingIn, BookingKind, GrossPart, SourceRef, VoucherOut
from .models import Voucher
from .proposals import vat_of_gross

SOURCE_APP = "expenses.expense"
RECEIPT_REF = "expenses.receipt:{}"


def _gross_for_vat(vat_ore: int, rate: int) -> int:
    """The gross at `rate` whose VAT (rounded half up) is exactly `vat_ore`: the entered VAT stands."""
    guess = round(vat_ore * (100 + rate) / rate)
    for gross in (guess, guess - 1, guess + 1, guess - 2, guess + 2):
        if vat_of_gross(gross, rate) == vat_ore:
            return gross
    return guess


def expense_booking(expense: Expense) -> BookingIn:
    """The booking of an attested expense: one part per VAT rate entered, the rest without VAT."""
    parts = []
    rest = expense.amount_ore
    # Representation meals: only the VAT on 300 kr excl. VAT a person is deductible (expenses.vat).
    deductible = expense_deductible_vat(expense)
    for rate, vat in ((25, expense.vat_25_ore), (12, expense.vat_12_ore), (6, expense.vat_6_ore)):
        if vat:
            gross = min(_gross_for_vat(vat, rate), rest)
            capped = deductible[rate] if deductible[rate] < vat else None
            parts.append(GrossPart(rate, gross, deductible_vat_ore=capped))
            rest -= gross
    if rest > 0:
        parts.append(GrossPart(0, rest))
    kind = expense.expense_type
    who = expense.membership.user.name
    text = f"Utlägg {who}: {expense.description or kind.name}"[:200]
    return BookingIn(
        date=expense.purchase_date,
        text=text,
        parts=tuple(parts),
        cost_account=kind.account,
        kind=BookingKind.OUTLAY,
        source=SourceRef(SOURCE_APP, str(expense.pk), f"{kind.name} {expense.purchase_date:%Y-%m-%d}"[:200]),
        receipt_ref=RECEIPT_REF.format(expense.receipt_id) if expense.receipt_id else "",
    )


def booked_expense_ids(expense_ids: list[int] | None = None) -> dict[int, int]:
    """`{expense id: voucher id}` of the expenses with a standing voucher (one query)."""
    qs = Voucher.objects.filter(source_app=SOURCE_APP, reversed_by__isnull=True, reverses__isnull=True)
    if expense_ids is not None:
        qs = qs.filter(source_id__in=[str(i) for i in expense_ids])
    return {int(sid): pk for sid, pk in qs.values_list("source_id", "pk")}


def outlays_to_book(*, start: dt.date | None = None, end: dt.date | None = None) -> list[Expense]:
    """Attested expenses without a standing voucher, registered in start..end when given (two queries)."""
    qs = Expense.objects.filter(status=Status.ATTESTED).select_related("expense_type", "membership__user")
    if start is not None and end is not None:
        qs = qs.filter(registered_on__range=(start, end))
    rows = list(qs.order_by("registered_on", "pk"))
    booked = booked_expense_ids([e.pk for e in rows])
    return [e for e in rows if e.pk not in booked]


def unbooked_counts(customer_ids: list[int], firm_id: int, user_id: int) -> dict[int, int]:
    """The accounting firm's badge "Utlägg ej bokförda" (settings.PARTNER_BADGE_COUNTERS): {customer
    id: attested expenses without a standing voucher}, every customer in one query, in partners' scope
    of the firm and these customers (what `outlays_to_book` lists, counted per company)."""
    standing = Voucher.objects.filter(
        tenant_id=OuterRef("tenant_id"),
        source_app=SOURCE_APP,
        source_id=Cast(OuterRef("pk"), CharField()),
        reversed_by__isnull=True,
        reverses__isnull=True,
    )
    rows = (
        Expense.objects.filter(tenant_id__in=customer_ids, status=Status.ATTESTED)
        .exclude(Exists(standing))
        .values("tenant_id")
        .annotate(n=Count("pk"))
        .values_list("tenant_id", "n")
    )
    return dict(rows)


@transaction.atomic
def outlay_book(*, actor: Actor, expense_id: int, post: bool = True) -> VoucherOut:
    """Book an attested expense: its proposal saved and (by default) posted. Refused when the expense
    is not attested or already has a voucher; nothing is written then."""
    actor.require(Perm.BOOKKEEPING)
    expense = (
        Expense.objects.select_for_update(of=("self",))
        .select_related("expense_type", "membership__user")
        .filter(pk=expense_id)
        .first()
    )
    if expense is None:
        raise NotFound(_("Unknown expense."), code="not_found")
    if expense.status != Status.ATTESTED:
        raise Conflict(_("Only an attested expense can be booked."), code="not_attested")
    booking = expense_booking(expense)
    assert booking.source is not None
    existing = selectors.voucher_for_source(source=booking.source)
    if existing is not None:
        raise Conflict(
            _("The expense is already booked (voucher %(voucher)s).")
            % {"voucher": f"{existing.series}{existing.number or ''}"},
            code="already_booked",
        )
    voucher = services.voucher_propose(actor=actor, booking=booking)
    return services.voucher_post(actor=actor, voucher_id=voucher.id) if post else voucher


def period_claims(*, start: dt.date, end: dt.date) -> dict:
    """The attested claims REGISTERED in start..end for the firm's tab "Privata utlägg": expenses with
    the id of their standing voucher (None: not booked), trips and per diems (four queries)."""
    from verksam.expenses.models import PerDiem, Trip

    base = {"status": Status.ATTESTED, "registered_on__range": (start, end)}
    expenses = list(
        Expense.objects.filter(**base)
        .select_related("expense_type", "membership__user")
        .order_by("registered_on", "pk")
    )
    booked = booked_expense_ids([e.pk for e in expenses])
    return {
        "expenses": [(e, booked.get(e.pk)) for e in expenses],
        "trips": list(Trip.objects.filter(**base).select_related("membership__user").order_by("date", "pk")),
        "per_diems": list(
            PerDiem.objects.filter(**base).select_related("membership__user").order_by("departure", "pk")
        ),
    }
