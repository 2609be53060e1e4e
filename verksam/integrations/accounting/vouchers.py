"""A posted voucher of the books sent to the connected Fortnox or Visma eEkonomi (issue 10 item 8
wiring): the voucher's rows and, when it carries a receipt reference (`expenses.receipt:<id>`), the
receipt's bytes as its attachment. The idempotency key is `voucher:<id>`, so sending again never
books it twice remotely (a failed push is queued again: "Skicka igen")."""

from django.core.files.storage import default_storage
from django.db import transaction
from django.utils.translation import gettext as _

from verksam.bookkeeping import selectors as books
from verksam.bookkeeping.dto import VoucherOut
from verksam.core.errors import Conflict, NotFound
from verksam.expenses.selectors import receipt_get
from verksam.tenancy.access import Actor
from verksam.tenancy.permissions import Perm

from . import selectors, services
from .dto import AttachmentToPush, VoucherRowToPush, VoucherToPush
from .models import Push

RECEIPT_PREFIX = "expenses.receipt:"
# The series the voucher is booked in remotely. Our series (U, K, V) need not exist in the provider
# (Fortnox's default series are A–M, A "Redovisning"); the local label "U12" opens the remote text.
REMOTE_SERIES = "A"
PUSHABLE_TYPES = {"image/jpeg", "image/png", "application/pdf"}


def push_key(voucher_id: int) -> str:
    return f"voucher:{voucher_id}"


def _attachments(receipt_ref: str) -> tuple[AttachmentToPush, ...]:
    if not receipt_ref.startswith(RECEIPT_PREFIX):
        return ()
    receipt = receipt_get(int(receipt_ref.removeprefix(RECEIPT_PREFIX) or 0))
    if receipt is None or receipt.content_type not in PUSHABLE_TYPES:
        return ()
    with default_storage.open(str(receipt.file.name), "rb") as f:
        data = f.read()
    extension = {"image/jpeg": "jpg", "image/png": "png", "application/pdf": "pdf"}[receipt.content_type]
    return (AttachmentToPush(f"kvitto-{receipt.pk}.{extension}", receipt.content_type, data),)


def to_push(voucher: VoucherOut) -> VoucherToPush:
    return VoucherToPush(
        idempotency_key=push_key(voucher.id),
        series=REMOTE_SERIES,
        date=voucher.date,
        text=f"{voucher.label} {voucher.text}"[:200],
        rows=tuple(VoucherRowToPush(int(r.account), r.debit_ore, r.credit_ore, r.text) for r in voucher.rows),
        attachments=_attachments(voucher.receipt_ref),
    )


@transaction.atomic
def voucher_push(*, actor: Actor, voucher_id: int) -> Push:
    """Queue the posted voucher for the connected accounting system ("Skicka till Fortnox"); the
    same voucher gives back its push (a failed one queued again)."""
    actor.require(Perm.ACCOUNTING_SYSTEM)
    row = books.voucher_get(voucher_id=voucher_id)
    if row is None:
        raise NotFound(_("Unknown voucher."), code="not_found")
    voucher = books.voucher_out(row)
    if voucher.status != "posted":
        raise Conflict(_("Only a posted voucher can be sent."), code="not_posted")
    return services.push_enqueue(actor=actor, voucher=to_push(voucher))


def push_for_vouchers(voucher_ids: list[int]) -> dict[int, Push]:
    """`{voucher id: push}` of those sent (one query)."""
    found = selectors.push_by_key(keys=[push_key(i) for i in voucher_ids])
    return {i: found[push_key(i)] for i in voucher_ids if push_key(i) in found}
