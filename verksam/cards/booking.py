"""Booking an attested card purchase (issue 10 item 6, DOMAIN.md: card → debit cost + 2641, credit
the card-settlement account or 1930): a voucher proposal through bookkeeping's services, posted,
and — when the company is connected — pushed to Fortnox/Visma with its receipt image."""

from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from verksam.audit.services import record
from verksam.bookkeeping import services as bookkeeping
from verksam.bookkeeping.dto import BookingIn, BookingKind, GrossPart, SourceRef, VoucherOut
from verksam.core.errors import Conflict, DomainError
from verksam.expenses.vat import min_gross, vat_of
from verksam.integrations.accounting import selectors as accounting_selectors
from verksam.integrations.accounting import services as accounting
from verksam.integrations.accounting.dto import AttachmentToPush, VoucherRowToPush, VoucherToPush
from verksam.tenancy.access import Actor
from verksam.tenancy.permissions import Perm

from .models import CardPurchase, PurchaseStatus

SOURCE_APP = "cards.cardpurchase"


def gross_parts(*, amount_ore: int, vat_by_rate: dict[int, int], account: str) -> tuple[GrossPart, ...]:
    """Split the amount into a gross part per VAT rate whose VAT (half up) is exactly the VAT the
    holder entered; what is left is the 0 % part. The voucher's VAT then equals the receipt's."""
    parts: dict[int, int] = {}
    for rate, vat in vat_by_rate.items():
        if vat <= 0:
            continue
        natural = int((Decimal(vat) * (100 + rate) / rate).quantize(Decimal(1), rounding=ROUND_HALF_UP))
        parts[rate] = natural if vat_of(natural, rate) == vat else min_gross(vat, rate)
    if sum(parts.values()) > amount_ore:
        parts = {rate: min_gross(vat_by_rate[rate], rate) for rate in parts}
    rest = amount_ore - sum(parts.values())
    out = [GrossPart(rate, gross, account) for rate, gross in sorted(parts.items(), reverse=True)]
    if rest > 0:
        out.append(GrossPart(0, rest, account))
    return tuple(out)


def booking_for(purchase: CardPurchase) -> BookingIn:
    card = purchase.card
    return BookingIn(
        date=purchase.purchase_date,
        text=f"{purchase.merchant} (kort •••• {card.last_four})"[:200],
        parts=gross_parts(
            amount_ore=purchase.amount_ore,
            vat_by_rate={25: purchase.vat_25_ore, 12: purchase.vat_12_ore, 6: purchase.vat_6_ore},
            account=purchase.account,
        ),
        cost_account=purchase.account,
        kind=BookingKind.CARD,
        source=SourceRef(SOURCE_APP, str(purchase.pk), purchase.merchant[:100]),
        receipt_ref=f"expenses.receipt:{purchase.receipt_id}" if purchase.receipt_id else "",
    )


def _to_push(voucher: VoucherOut, purchase: CardPurchase) -> VoucherToPush:
    attachments: tuple[AttachmentToPush, ...] = ()
    receipt = purchase.receipt
    if receipt is not None:
        with receipt.file.open("rb") as f:
            data = f.read()
        ext = {"image/jpeg": "jpg", "image/png": "png", "application/pdf": "pdf"}.get(
            receipt.content_type, "bin"
        )
        attachments = (AttachmentToPush(f"kvitto-{purchase.pk}.{ext}", receipt.content_type, data),)
    return VoucherToPush(
        idempotency_key=f"voucher:{voucher.id}",
        series=voucher.series,
        date=voucher.date,
        text=voucher.text,
        rows=tuple(VoucherRowToPush(int(r.account), r.debit_ore, r.credit_ore, r.text) for r in voucher.rows),
        attachments=attachments,
    )


@transaction.atomic
def purchase_book(*, actor: Actor, purchase: CardPurchase, push: bool = True) -> VoucherOut:
    """Propose and post the voucher of an attested card purchase (never twice: bookkeeping returns
    the standing voucher of the same source) and queue its push when the company is connected."""
    actor.require(Perm.BOOKKEEPING)
    purchase = (
        CardPurchase.objects.select_for_update(of=("self",))
        .select_related("card", "receipt")
        .get(pk=purchase.pk)
    )
    if purchase.status == PurchaseStatus.BOOKED:
        raise Conflict(_("The card purchase is already booked."), code="already_booked")
    if purchase.status != PurchaseStatus.ATTESTED:
        raise DomainError(_("Only an attested card purchase can be booked."), code="not_attested")
    voucher = bookkeeping.voucher_propose(actor=actor, booking=booking_for(purchase))
    if voucher.status != "posted":
        voucher = bookkeeping.voucher_post(actor=actor, voucher_id=voucher.id)
    purchase.status, purchase.voucher_id = PurchaseStatus.BOOKED, voucher.id
    purchase.save(update_fields=["status", "voucher_id"])
    pushed = False
    if push and actor.has(Perm.ACCOUNTING_SYSTEM) and accounting_selectors.connection_active() is not None:
        accounting.push_enqueue(actor=actor, voucher=_to_push(voucher, purchase))
        pushed = True
    record(
        actor=actor,
        action="card_purchase.book",
        target=purchase,
        data={"voucher": voucher.id, "pushed": pushed},
    )
    return voucher
