"""Writes of expenses: expense types, receipts, expenses and the allowance rates. Trips and per
diems are written by mileage.py and perdiem.py; the attestation state of every claim (submit,
withdraw, delete, attest, reject, reopen) is claims.py's, re-exported here for the employee's side."""

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from verksam.audit.services import record
from verksam.core.errors import DomainError, NotFound
from verksam.tenancy.access import Actor
from verksam.tenancy.models import Membership
from verksam.tenancy.permissions import Perm

from .claims import check_editable as check_editable
from .claims import check_owner as check_owner
from .claims import draft_create, draft_update, own_membership, validated_save
from .claims import item_delete as item_delete
from .claims import item_submit as item_submit
from .claims import item_withdraw as item_withdraw
from .models import AllowanceRate, Expense, ExpenseType, RateKind, Receipt
from .receipts import receipt_process
from .vat import check_participants, check_representation, check_vat

EXPENSE_FIELDS = (
    "expense_type",
    "purchase_date",
    "amount_ore",
    "vat_25_ore",
    "vat_12_ore",
    "vat_6_ore",
    "project",
    "description",
    "receipt",
    "participants",
    "representation_note",
)


# --- expense types -----------------------------------------------------------------------------


def _type_fields(expense_type: ExpenseType) -> dict:
    return {
        "name": expense_type.name,
        "account": expense_type.account,
        "paxml_code": expense_type.paxml_code,
        "payroll_code": expense_type.payroll_code,
        "active": expense_type.active,
        "representation": expense_type.representation,
    }


def check_account(account: str) -> None:
    if not (len(account) == 4 and account.isascii() and account.isdigit()):
        raise DomainError(
            _("A BAS account is four digits."), code="invalid_account", extra={"field": "account"}
        )


@transaction.atomic
def expense_type_create(
    *,
    actor: Actor,
    name: str,
    account: str,
    paxml_code: str = "UTLÄGG",
    payroll_code: str = "",
    active=True,
    representation=False,
) -> ExpenseType:
    """Add an expense type with its BAS cost account and pay code (SETTINGS_MANAGE)."""
    actor.require(Perm.SETTINGS_MANAGE)
    check_account(account)
    expense_type = ExpenseType(
        tenant_id=actor.tenant_id,
        name=name.strip(),
        account=account,
        paxml_code=paxml_code.strip() or "UTLÄGG",
        payroll_code=payroll_code.strip(),
        active=active,
        representation=bool(representation),
    )
    validated_save(expense_type)
    record(actor=actor, action="expense_type.create", target=expense_type, data=_type_fields(expense_type))
    return expense_type


@transaction.atomic
def expense_type_update(*, actor: Actor, expense_type: ExpenseType, **changes: Any) -> ExpenseType:
    """Change an expense type; claims already made keep their type (SETTINGS_MANAGE)."""
    actor.require(Perm.SETTINGS_MANAGE)
    if expense_type.tenant_id != actor.tenant_id:
        raise NotFound(_("The expense type does not exist."))
    before = _type_fields(expense_type)
    for name in ("name", "account", "paxml_code", "payroll_code", "active", "representation"):
        if name in changes and changes[name] is not None:
            value = changes[name]
            setattr(expense_type, name, value.strip() if isinstance(value, str) else value)
    check_account(expense_type.account)
    validated_save(expense_type)
    record(
        actor=actor,
        action="expense_type.update",
        target=expense_type,
        data={"before": before, "after": _type_fields(expense_type)},
    )
    return expense_type


# --- receipts ----------------------------------------------------------------------------------


@transaction.atomic
def receipt_upload(*, actor: Actor, upload, name: str = "") -> Receipt:
    """Store a receipt photo or PDF of the actor's own: sniffed, size-limited, EXIF removed."""
    membership = own_membership(actor)
    processed = receipt_process(upload, name or getattr(upload, "name", "") or "")
    receipt = Receipt(
        tenant_id=actor.tenant_id,
        membership=membership,
        content_type=processed.content_type,
        size=len(processed.content),
        sha256=processed.sha256,
        original_name=(name or getattr(upload, "name", "") or "")[:200],
        uploaded_by=actor.user,
    )
    # Files before the row: a rollback leaves an unreferenced file, never a row without its file.
    receipt.file.save("receipt", ContentFile(processed.content), save=False)
    if processed.thumbnail is not None:
        receipt.thumbnail.save("thumb", ContentFile(processed.thumbnail), save=False)
    try:
        receipt.full_clean()
        receipt.save()
    except Exception:
        default_storage.delete(receipt.file.name or "")
        if receipt.thumbnail:
            default_storage.delete(receipt.thumbnail.name or "")
        raise
    record(
        actor=actor,
        action="receipt.upload",
        target=receipt,
        data={"content_type": receipt.content_type, "size": receipt.size, "sha256": receipt.sha256},
    )
    return receipt


# --- expenses ----------------------------------------------------------------------------------


def check_purchase_date(day: dt.date | None) -> None:
    """A date of purchase (an outlay's, a card purchase's): not in the future nor over three years back."""
    today = timezone.localdate()
    if day is None or day > today:
        raise DomainError(
            _("The date of purchase cannot be in the future."),
            code="date_in_future",
            extra={"field": "purchase_date"},
        )
    if day < today - dt.timedelta(days=3 * 366):
        raise DomainError(
            _("The date of purchase is too far back."), code="date_too_old", extra={"field": "purchase_date"}
        )


def check_receipt_and_vat(item: Any, membership: Membership) -> None:
    """An outlay's or a card purchase's receipt is the owner's own, its VAT per rate fits the amount."""
    if item.receipt is not None and item.receipt.membership_id != membership.pk:
        raise NotFound(_("The receipt does not exist."), extra={"field": "receipt"})
    check_vat(item.amount_ore or 0, {25: item.vat_25_ore, 12: item.vat_12_ore, 6: item.vat_6_ore})


def _check_expense(expense: Expense, membership: Membership) -> None:
    check_purchase_date(expense.purchase_date)
    if expense.expense_type_id is None or not expense.expense_type.active:
        raise DomainError(_("Choose an expense type."), code="invalid_type", extra={"field": "expense_type"})
    check_receipt_and_vat(expense, membership)
    expense.representation_note = (expense.representation_note or "").strip()
    check_participants(expense.participants)
    if expense.expense_type.representation:
        check_representation(expense.participants, expense.representation_note)


def _expense_data(expense: Expense) -> dict:
    data = {
        name: getattr(expense, f"{name}_id" if name in ("expense_type", "project", "receipt") else name)
        for name in EXPENSE_FIELDS
    }
    data["purchase_date"] = expense.purchase_date.isoformat()
    return data


def expense_create(*, actor: Actor, **fields: Any) -> Expense:
    """Register an outlay of the actor's own; the registration date is today's (set here)."""
    values = {name: fields[name] for name in EXPENSE_FIELDS if name in fields}
    return draft_create(actor=actor, model=Expense, fields=values, check=_check_expense, data=_expense_data)


def expense_update(*, actor: Actor, expense: Expense, **changes: Any) -> Expense:
    """Change an outlay still in draft (submitted and attested ones are locked)."""
    changes = {name: changes[name] for name in EXPENSE_FIELDS if name in changes}
    return draft_update(actor=actor, item=expense, changes=changes, check=_check_expense, data=_expense_data)


def raise_validation(exc: ValidationError) -> None:
    fields = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
    field, messages = next(iter(fields.items()))
    raise DomainError(messages[0], code="invalid", extra={"field": field})


# --- rates (TOTAL only) ------------------------------------------------------------------------


@transaction.atomic
def allowance_rate_save(
    *,
    actor: Actor,
    kind: str,
    valid_from: dt.date,
    tax_free_ore: int,
    paid_ore: int,
    source: str = "",
    rate: AllowanceRate | None = None,
) -> AllowanceRate:
    """Add or change a dated allowance rate (EXPENSE_RATES_MANAGE: the company's TOTAL users); claims
    already saved keep the amounts they were computed with."""

    actor.require(Perm.EXPENSE_RATES_MANAGE)
    if kind not in RateKind.values:
        raise DomainError(_("Unknown kind of rate."), code="invalid_kind", extra={"field": "kind"})
    if tax_free_ore < 0 or paid_ore < 0:
        raise DomainError(_("A rate cannot be negative."), code="invalid_rate", extra={"field": "tax_free"})
    if rate is not None and rate.tenant_id != actor.tenant_id:
        raise NotFound(_("The rate does not exist."))
    row = rate or AllowanceRate(tenant_id=actor.tenant_id)
    before = {"tax_free_ore": row.tax_free_ore, "paid_ore": row.paid_ore} if rate else None
    row.kind, row.valid_from, row.tax_free_ore, row.paid_ore = kind, valid_from, tax_free_ore, paid_ore
    row.source, row.updated_at = source.strip()[:300], timezone.now()
    try:
        row.full_clean()
    except ValidationError as exc:
        raise_validation(exc)
    validated_save(row)
    record(
        actor=actor,
        action="allowance_rate.save",
        target=row,
        data={
            "before": before,
            "kind": kind,
            "valid_from": valid_from.isoformat(),
            "tax_free_ore": tax_free_ore,
            "paid_ore": paid_ore,
        },
    )
    return row
