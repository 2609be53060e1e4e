"""Reads of expenses: the employee's own claims, one claim, and the attested claims of a period as
payroll pay lines (`pay_lines_for_period`, by registration date; DOMAIN.md "utlägg"). Every list
runs a constant number of queries."""

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal

from django.db.models import QuerySet

from verksam.payroll.dto import PayLine

from .models import AllowanceRate, Expense, ExpenseType, PerDiem, Receipt, Status, Trip, Vehicle
from .rates import VEHICLE_CODES

ITEM_MODELS = {"expense": Expense, "trip": Trip, "perdiem": PerDiem}


def expense_types(*, active_only: bool = False) -> QuerySet[ExpenseType]:
    qs = ExpenseType.objects.all()
    return qs.filter(active=True) if active_only else qs


def expense_type_get(type_id: int | None) -> ExpenseType | None:
    return ExpenseType.objects.filter(pk=type_id).first() if type_id else None


def own_expenses(*, membership_id: int) -> QuerySet[Expense]:
    return Expense.objects.filter(membership_id=membership_id).select_related(
        "expense_type", "receipt", "project"
    )


def own_trips(*, membership_id: int) -> QuerySet[Trip]:
    return Trip.objects.filter(membership_id=membership_id).select_related("project")


def own_per_diems(*, membership_id: int) -> QuerySet[PerDiem]:
    return PerDiem.objects.filter(membership_id=membership_id)


def item_get(kind: str, item_id: int | None):
    """The claim of `kind` ("expense", "trip", "perdiem") with that id in the current tenant, or None."""
    model = ITEM_MODELS.get(kind)
    if model is None or not item_id:
        return None
    qs = model.objects.select_related("membership__user")
    if model is Expense:
        qs = qs.select_related("expense_type", "receipt", "project")
    return qs.filter(pk=item_id).first()


def receipt_get(receipt_id: int | None) -> Receipt | None:
    return Receipt.objects.select_related("membership").filter(pk=receipt_id).first() if receipt_id else None


def expense_for_receipt(receipt_id: int) -> Expense | None:
    return Expense.objects.filter(receipt_id=receipt_id).first()


def allowance_rates() -> QuerySet[AllowanceRate]:
    return AllowanceRate.objects.all()


def allowance_rate_get(rate_id: int | None) -> AllowanceRate | None:
    return AllowanceRate.objects.filter(pk=rate_id).first() if rate_id else None


def submitted_items(*, membership_ids: Iterable[int], statuses=(Status.SUBMITTED,)) -> dict[str, list]:
    """The claims of these employees in these states, by kind: three queries whatever their number."""
    ids = list(membership_ids)
    return {
        "expense": list(
            Expense.objects.filter(membership_id__in=ids, status__in=statuses)
            .select_related("expense_type", "receipt", "membership__user")
            .order_by("membership_id", "purchase_date", "pk")
        ),
        "trip": list(
            Trip.objects.filter(membership_id__in=ids, status__in=statuses)
            .select_related("membership__user")
            .order_by("membership_id", "date", "pk")
        ),
        "perdiem": list(
            PerDiem.objects.filter(membership_id__in=ids, status__in=statuses)
            .select_related("membership__user")
            .order_by("membership_id", "departure", "pk")
        ),
    }


def _expense_line(expense: Expense) -> PayLine:
    kind = expense.expense_type
    return PayLine(
        paxml_code=kind.paxml_code or "UTLÄGG",
        payroll_code=kind.payroll_code,
        date=expense.registered_on,
        quantity=Decimal(1),
        amount_ore=expense.amount_ore,
        text=(expense.description or kind.name)[:100],
        name=kind.name,
    )


def _allowance_lines(item, day: dt.date, lines: list[dict], name: str, text: str) -> list[PayLine]:
    return [
        PayLine(
            paxml_code=line["code"],
            date=day,
            quantity=Decimal(line["quantity"]),
            amount_ore=line["amount_ore"],
            text=text[:100],
            name=name,
        )
        for line in lines
        if line["amount_ore"]
    ]


def pay_lines_for_period(
    *, tenant, start: dt.date, end: dt.date, member_ids: Iterable[int] | None = None
) -> dict[int, list[PayLine]]:
    """`{membership_id: [PayLine…]}` of the attested expenses, trips and per diems whose
    REGISTRATION date lies in start..end (DOMAIN.md: an outlay goes into the payroll file of the
    period it was registered in, once attested). Three queries. Runs in the caller's tenant scope;
    `tenant` guards against being called in another's."""
    tenant_id = getattr(tenant, "pk", tenant)
    base = {"tenant_id": tenant_id, "status": Status.ATTESTED, "registered_on__range": (start, end)}
    if member_ids is not None:
        base["membership_id__in"] = list(member_ids)
    out: dict[int, list[PayLine]] = defaultdict(list)
    for expense in (
        Expense.objects.filter(**base).select_related("expense_type").order_by("registered_on", "pk")
    ):
        out[expense.membership_id].append(_expense_line(expense))
    for trip in Trip.objects.filter(**base).order_by("registered_on", "pk"):
        out[trip.membership_id].extend(_trip_lines(trip))
    for pd in PerDiem.objects.filter(**base).order_by("registered_on", "pk"):
        text = f"{pd.destination} {pd.departure:%Y-%m-%d}"
        out[pd.membership_id].extend(
            _allowance_lines(pd, pd.registered_on, pd.breakdown.get("lines", []), "Traktamente", text)
        )
    return dict(out)


def _trip_lines(trip: Trip) -> list[PayLine]:
    free_code, taxable_code = VEHICLE_CODES[Vehicle(trip.vehicle)]
    text = f"{trip.date:%Y-%m-%d} {trip.origin}–{trip.destination}"
    lines = [{"code": free_code, "quantity": trip.km, "amount_ore": trip.tax_free_ore}]
    if trip.taxable_ore:
        lines.append({"code": taxable_code, "quantity": trip.km, "amount_ore": trip.taxable_ore})
    return _allowance_lines(trip, trip.registered_on, lines, "Milersättning", text)
