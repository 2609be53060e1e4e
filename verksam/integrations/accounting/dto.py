"""What is pushed to an accounting system: a balanced voucher with its receipts. Plain frozen
dataclasses so the bookkeeping app (or anything else) can hand a voucher over without this package
importing its models."""

from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True)
class VoucherRowToPush:
    account: int  # BAS account number, 1000–9999
    debit_ore: int = 0
    credit_ore: int = 0
    text: str = ""


@dataclass(frozen=True)
class AttachmentToPush:
    file_name: str
    content_type: str  # image/jpeg, image/png or application/pdf
    data: bytes = field(repr=False)


@dataclass(frozen=True)
class VoucherToPush:
    """`idempotency_key` is stable per local voucher (e.g. "voucher:<id>"): the same key is never
    booked twice remotely."""

    idempotency_key: str
    series: str
    date: date
    text: str
    rows: tuple[VoucherRowToPush, ...]
    attachments: tuple[AttachmentToPush, ...] = ()

    @property
    def debit_ore(self) -> int:
        return sum(r.debit_ore for r in self.rows)

    @property
    def credit_ore(self) -> int:
        return sum(r.credit_ore for r in self.rows)


@dataclass(frozen=True)
class RemoteVoucher:
    """A voucher as the provider knows it: its id there ("A-12/2026" style for Fortnox, a UUID for
    Visma) and the files linked to it."""

    remote_id: str
    attachment_names: tuple[str, ...] = ()
