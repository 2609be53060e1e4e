"""Writes of company cards and card purchases (issue 10 item 5): cards (SETTINGS_MANAGE), purchases
entered by the holder with a receipt (EXPENSES_OWN and holding the card), the card purchase's claim
kind (submit / attest / reject through the one claim mechanism of expenses.claims, the holder's
approver deciding as for outlays), and the holder picking the receipt of an ambiguous match.
Statement import and matching are importing.py's; booking is booking.py's."""

from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from verksam.audit.services import record
from verksam.core.errors import Conflict, DomainError, NotFound
from verksam.core.tasks import enqueue_on_commit
from verksam.expenses import claims
from verksam.expenses.models import Receipt
from verksam.expenses.services import check_account, check_purchase_date, check_receipt_and_vat
from verksam.tenancy.access import Actor
from verksam.tenancy.models import Membership
from verksam.tenancy.permissions import Perm

from .models import Card, CardPurchase, PurchaseStatus, Source
from .tasks import card_match

PURCHASE_FIELDS = (
    "purchase_date",
    "amount_ore",
    "vat_25_ore",
    "vat_12_ore",
    "vat_6_ore",
    "merchant",
    "account",
    "description",
    "receipt",
)


def _save(obj: Any) -> None:
    try:
        with transaction.atomic():
            obj.full_clean()
            obj.save()
    except IntegrityError as exc:
        raise Conflict(_("The change conflicts with another one. Try again."), code="conflict") from exc


def _match_after_commit(purchase: CardPurchase) -> None:
    """A receipt entered after its statement line was imported is matched as soon as it is saved,
    not at the daily job: the holder sees the bank's line with its receipt when the page returns."""
    if purchase.source == Source.ENTERED and purchase.receipt_id is not None:
        enqueue_on_commit(card_match, tenant_id=purchase.tenant_id)


# --- cards ---------------------------------------------------------------------------------------


def _check_card(card: Card) -> None:
    if not (len(card.last_four) == 4 and card.last_four.isascii() and card.last_four.isdigit()):
        raise DomainError(
            _("Enter the card's last four digits only, never the whole card number."),
            code="invalid_last_four",
            extra={"field": "last_four"},
        )
    if card.holder.tenant_id != card.tenant_id:
        raise NotFound(_("The user does not exist."), extra={"field": "holder"})


def _card_data(card: Card) -> dict:
    return {"holder": card.holder_id, "last_four": card.last_four, "name": card.name, "active": card.active}


@transaction.atomic
def card_create(
    *, actor: Actor, holder: Membership, last_four: str, name: str = "", active: bool = True
) -> Card:
    actor.require(Perm.SETTINGS_MANAGE)
    card = Card(
        tenant_id=actor.tenant_id,
        holder=holder,
        last_four=(last_four or "").strip(),
        name=name,
        active=active,
    )
    _check_card(card)
    _save(card)
    record(actor=actor, action="card.create", target=card, data=_card_data(card))
    return card


@transaction.atomic
def card_update(*, actor: Actor, card: Card, **changes: Any) -> Card:
    actor.require(Perm.SETTINGS_MANAGE)
    card = Card.objects.select_for_update().get(pk=card.pk)
    before = _card_data(card)
    for name in ("holder", "last_four", "name", "active"):
        if name in changes:
            setattr(card, name, changes[name].strip() if name == "last_four" else changes[name])
    if card.holder_id != before["holder"] and CardPurchase.objects.filter(card=card).exists():
        raise Conflict(
            _("The card has purchases; add a new card for the new holder instead."), code="card_in_use"
        )
    _check_card(card)
    _save(card)
    record(actor=actor, action="card.update", target=card, data={"before": before, "after": _card_data(card)})
    return card


# --- purchases entered by the holder -------------------------------------------------------------


def _own_card(actor: Actor, card: Card) -> Membership:
    actor.require(Perm.EXPENSES_OWN)
    membership = actor.membership
    if membership is None or card.tenant_id != actor.tenant_id or card.holder_id != membership.pk:
        raise NotFound(_("The card does not exist."), extra={"field": "card"})
    return membership


def _check_purchase(purchase: CardPurchase, membership: Membership) -> None:
    if not purchase.card.active:
        raise DomainError(_("The card is not active."), code="card_inactive", extra={"field": "card"})
    check_purchase_date(purchase.purchase_date)
    if not (purchase.merchant or "").strip():
        raise DomainError(_("Enter the merchant."), code="invalid_merchant", extra={"field": "merchant"})
    if purchase.account:
        check_account(purchase.account)
    check_receipt_and_vat(purchase, membership)


def _data(purchase: CardPurchase) -> dict:
    data = {n: getattr(purchase, "receipt_id" if n == "receipt" else n) for n in PURCHASE_FIELDS}
    data["purchase_date"] = purchase.purchase_date.isoformat()
    data["card"] = purchase.card_id
    return data


@transaction.atomic
def purchase_create(*, actor: Actor, card: Card, **fields: Any) -> CardPurchase:
    """A purchase the holder made on their card, with its receipt photo (matched to its statement
    line after the commit when the line is there, else when the statement is imported)."""
    membership = _own_card(actor, card)
    purchase = CardPurchase(tenant_id=actor.tenant_id, card=card, source=Source.ENTERED)
    for name in PURCHASE_FIELDS:
        if name in fields:
            setattr(purchase, name, fields[name])
    _check_purchase(purchase, membership)
    _save(purchase)
    record(actor=actor, action="card_purchase.create", target=purchase, data=_data(purchase))
    _match_after_commit(purchase)
    return purchase


def _screen(purchase: CardPurchase, changes: dict[str, Any]) -> None:
    """On an imported statement line the card, date, amount and merchant are the bank's."""
    allowed: tuple[str, ...] = PURCHASE_FIELDS
    if purchase.source == Source.IMPORTED:
        allowed = ("vat_25_ore", "vat_12_ore", "vat_6_ore", "account", "description", "receipt")
    refused = sorted(set(changes) - set(allowed))
    if refused:
        raise DomainError(
            _("These fields come from the card statement and cannot be changed: %(fields)s")
            % {"fields": ", ".join(refused)},
            code="read_only",
            extra={"field": refused[0]},
        )


@transaction.atomic
def purchase_update(*, actor: Actor, purchase: CardPurchase, **changes: Any) -> CardPurchase:
    """Change an open purchase. On an imported statement line the holder adds the receipt, VAT,
    account and description; the card, date, amount and merchant are the bank's."""
    purchase = claims.draft_update(
        actor=actor, item=purchase, changes=changes, check=_check_purchase, data=_data, screen=_screen
    )
    _match_after_commit(purchase)
    return purchase


def _ready_to_submit(purchase: CardPurchase) -> None:
    if not purchase.account:
        raise DomainError(_("Choose the cost account."), code="account_missing", extra={"field": "account"})


# A card purchase is a claim like an outlay (verksam.expenses.claims): submitted by the holder,
# attested or rejected by the holder's approver. It is booked rather than paid through payroll, so
# no closed payroll period freezes it, nor is it withdrawn or reopened; booking ends it.
claims.register(
    CardPurchase,
    claims.ClaimKind(
        audit="card_purchase",
        owner="card__holder",
        draft=PurchaseStatus.OPEN,
        period_guarded=False,
        actions=("submit", "attest", "reject"),
        receipt_required=True,
        submit_check=_ready_to_submit,
        screened=False,
        refusals={
            "not_found": claims.Refusal(
                NotFound, "not_found", gettext_lazy("The card purchase does not exist.")
            ),
            "not_owner": claims.Refusal(
                NotFound, "not_found", gettext_lazy("The card does not exist."), "card"
            ),
            "not_draft": claims.Refusal(
                Conflict, "not_open", gettext_lazy("The card purchase is already submitted.")
            ),
            "locked": claims.Refusal(
                Conflict,
                "not_editable",
                gettext_lazy("A submitted, attested or booked card purchase cannot be changed."),
            ),
            "not_submitted": claims.Refusal(
                Conflict,
                "not_submitted",
                gettext_lazy("Only a submitted card purchase can be attested or rejected."),
            ),
            "receipt_missing": claims.Refusal(
                DomainError,
                "receipt_missing",
                gettext_lazy("Receipt missing: add the receipt photo first."),
                "receipt",
            ),
            "comment_required": claims.Refusal(
                DomainError, "comment_required", gettext_lazy("Write why the claim is rejected."), "comment"
            ),
        },
    ),
)


def receipt_of(purchase: CardPurchase) -> Receipt | None:
    return purchase.receipt
