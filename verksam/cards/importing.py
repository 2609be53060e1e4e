"""Card statement import (all rows or none, duplicates reported and skipped) and applying the
matcher (matching.py) to the stored purchases; the daily "Kvitto saknas" reminder."""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from verksam.audit.services import record
from verksam.core.errors import DomainError, NotFound
from verksam.mail.services import mail_send
from verksam.tenancy.access import Actor
from verksam.tenancy.permissions import Perm

from . import matching, statement
from .models import Card, CardPurchase, PurchaseStatus, Source, StatementImport

# bulk_update writes CASE WHEN per field: small batches keep each statement cheap (bench/card_matching.py)
BATCH = 100
MATCHABLE = (PurchaseStatus.OPEN, PurchaseStatus.SUBMITTED, PurchaseStatus.ATTESTED)


@dataclass(frozen=True)
class ImportResult:
    statement_id: int
    imported: int
    duplicates: tuple[int, ...]  # row numbers already imported before (or twice in this file)
    matched: int


def _error(errors: list[str] | tuple[str, ...]) -> DomainError:
    return DomainError(
        _("The statement was not imported; nothing was saved."),
        code="statement_invalid",
        extra={"errors": list(errors)},
    )


@transaction.atomic
def statement_import(*, actor: Actor, data: bytes, file_name: str = "") -> ImportResult:
    """Import a card statement (CSV or .xlsx): every row valid, every card known, or nothing."""
    actor.require(Perm.BOOKKEEPING)
    parsed = statement.parse(data, file_name=file_name)
    if parsed.errors:
        raise _error(parsed.errors)
    cards: dict[str, list[Card]] = defaultdict(list)
    for card in Card.objects.filter(active=True):
        cards[card.last_four].append(card)
    errors, resolved = [], []
    for line in parsed.lines:
        found = cards.get(line.last_four, [])
        if len(found) != 1:
            errors.append(
                _("Row %(row)s: no active card ends in %(digits)s.")
                if not found
                else _("Row %(row)s: more than one active card ends in %(digits)s.")
            )
            errors[-1] = errors[-1] % {"row": line.row, "digits": line.last_four}
            continue
        resolved.append(
            (line, found[0], statement.fingerprint(tenant_id=actor.tenant_id, card_id=found[0].pk, line=line))
        )
    if errors:
        raise _error(errors)
    existing = set(
        CardPurchase.objects.filter(fingerprint__in=[f for _l, _c, f in resolved]).values_list(
            "fingerprint", flat=True
        )
    )
    batch = StatementImport(
        tenant_id=actor.tenant_id, file_name=file_name[:200], rows=len(resolved), imported_by=actor.user
    )
    batch.save()
    new, duplicates, seen = [], [], set()
    for line, card, fp in resolved:
        if fp in existing or fp in seen:
            duplicates.append(line.row)
            continue
        seen.add(fp)
        new.append(
            CardPurchase(
                tenant_id=actor.tenant_id,
                card=card,
                source=Source.IMPORTED,
                purchase_date=line.date,
                amount_ore=line.amount_ore,
                merchant=line.merchant,
                statement_reference=line.reference,
                fingerprint=fp,
                statement=batch,
            )
        )
    CardPurchase.objects.bulk_create(new, batch_size=BATCH)
    batch.imported, batch.duplicates = len(new), len(duplicates)
    batch.save(update_fields=["imported", "duplicates"])
    record(
        actor=actor,
        action="card_statement.import",
        target=batch,
        data={
            "file": file_name[:200],
            "rows": len(resolved),
            "imported": len(new),
            "duplicates": duplicates[:1000],
        },
    )
    matched = match_apply(tenant_id=actor.tenant_id)
    return ImportResult(batch.pk, len(new), tuple(duplicates), matched)


def _item(p: CardPurchase) -> matching.Item:
    return matching.Item(p.pk, p.tenant_id, p.card_id, p.purchase_date, p.amount_ore, p.merchant)


def _candidates(*, lock: bool = False) -> tuple[list[CardPurchase], list[CardPurchase]]:
    """Imported lines still without a receipt, and entered purchases with a receipt not yet matched
    (two queries)."""
    lines_qs = CardPurchase.objects.filter(
        source=Source.IMPORTED, receipt__isnull=True, status=PurchaseStatus.OPEN
    )
    # match_apply locks the lines, read before the receipts: two matches at once (a holder saving a
    # receipt, an import, the daily job) take turns, and the second sees the first one's merges.
    lines = list(lines_qs.select_for_update() if lock else lines_qs)
    entered = list(
        CardPurchase.objects.filter(source=Source.ENTERED, receipt__isnull=False, status__in=MATCHABLE)
    )
    return lines, entered


def _merge(line: CardPurchase, entered: CardPurchase) -> None:
    for name in (
        "vat_25_ore",
        "vat_12_ore",
        "vat_6_ore",
        "account",
        "description",
        "receipt_id",
        "status",
        "attested_at",
        "attested_by_id",
    ):
        setattr(line, name, getattr(entered, name))
    line.matched_from_id = entered.pk
    entered.status = PurchaseStatus.MERGED


COPIED = (
    "vat_25_ore",
    "vat_12_ore",
    "vat_6_ore",
    "account",
    "description",
    "receipt_id",
    "status",
    "attested_at",
    "attested_by_id",
)


def _link(pairs: list[tuple[int, int]], tenant_id: int) -> None:
    """Set each line's `matched_from` in one UPDATE … FROM (VALUES …) per 1,000 pairs: an ORM
    bulk_update builds a CASE WHEN per row and field, 30 s of Python for 4,500 rows
    (bench/card_matching.py). Row-level security and the tenant filter still apply."""
    table = CardPurchase._meta.db_table
    with connection.cursor() as cursor:
        for i in range(0, len(pairs), 1000):
            chunk = pairs[i : i + 1000]
            values = ", ".join(["(%s, %s)"] * len(chunk))
            cursor.execute(
                f"UPDATE {table} SET matched_from_id = v.column2 FROM (VALUES {values}) AS v "  # noqa: S608
                f"WHERE {table}.id = v.column1 AND {table}.tenant_id = %s",
                [n for pair in chunk for n in pair] + [tenant_id],
            )


@transaction.atomic
def match_apply(*, tenant_id: int) -> int:
    """Match the tenant's open statement lines with the receipts entered on the same card and write
    the unique matches: two reads, one UPDATE per 1,000 matches, two more UPDATEs. Ambiguous lines
    wait for the holder's pick."""
    lines, entered = _candidates(lock=True)
    lines = [p for p in lines if p.tenant_id == tenant_id]
    entered = [p for p in entered if p.tenant_id == tenant_id]
    result = matching.match([_item(p) for p in lines], [_item(p) for p in entered])
    if not result.matched:
        return 0
    _link(list(result.matched), tenant_id)
    line_ids = [line_id for line_id, _e in result.matched]
    source = CardPurchase.objects.filter(pk=OuterRef("matched_from_id"))
    CardPurchase.objects.filter(pk__in=line_ids).update(
        **{name: Subquery(source.values(name)[:1]) for name in COPIED}
    )
    # last: the lines copied the entered purchases' status above
    CardPurchase.objects.filter(pk__in=[e for _l, e in result.matched]).update(status=PurchaseStatus.MERGED)
    return len(line_ids)


def match_candidates(*, line: CardPurchase) -> list[CardPurchase]:
    """The receipts the holder may pick for an ambiguous statement line."""
    if line.source != Source.IMPORTED or line.receipt_id is not None:
        return []
    window = matching.DAY_WINDOW
    found = CardPurchase.objects.filter(
        source=Source.ENTERED,
        receipt__isnull=False,
        status__in=MATCHABLE,
        card_id=line.card_id,
        amount_ore=line.amount_ore,
        purchase_date__range=(
            line.purchase_date - dt.timedelta(days=window),
            line.purchase_date + dt.timedelta(days=window),
        ),
    ).select_related("receipt")
    return [
        p for p in found if matching.merchant_similarity(p.merchant, line.merchant) >= matching.MIN_SIMILARITY
    ]


@transaction.atomic
def match_pick(*, actor: Actor, line: CardPurchase, entered: CardPurchase) -> CardPurchase:
    """The card holder picks which of their receipts belongs to an ambiguous statement line."""
    actor.require(Perm.EXPENSES_OWN)
    line = CardPurchase.objects.select_for_update().select_related("card").get(pk=line.pk)
    membership = actor.membership
    if membership is None or line.card.holder_id != membership.pk:
        raise NotFound(_("The card purchase does not exist."))
    allowed = {p.pk for p in match_candidates(line=line)}
    if entered.pk not in allowed:
        raise DomainError(
            _("This receipt cannot belong to the statement line (other card, amount, date or merchant)."),
            code="not_a_candidate",
            extra={"field": "purchase"},
        )
    entered = CardPurchase.objects.select_for_update().get(pk=entered.pk)
    _merge(line, entered)
    entered.save(update_fields=["status"])
    line.save()
    record(actor=actor, action="card_purchase.match", target=line, data={"entered": entered.pk})
    return line


def receipt_missing_reminders(*, tenant_id: int) -> int:
    """Mail each holder whose statement lines still lack a receipt (once a day at most per line
    batch: `reminded_at` is set); returns the number of mails queued."""
    lines = list(
        CardPurchase.objects.filter(source=Source.IMPORTED, receipt__isnull=True, status=PurchaseStatus.OPEN)
        .filter(Q(reminded_at__isnull=True) | Q(reminded_at__lt=timezone.now() - dt.timedelta(days=1)))
        .select_related("card__holder__user")
    )
    per_holder: dict[int, list[CardPurchase]] = defaultdict(list)
    for line in lines:
        per_holder[line.card.holder_id].append(line)
    sent = 0
    for purchases in per_holder.values():
        user = purchases[0].card.holder.user
        body = _("These card purchases still lack a receipt. Photograph the receipts in Verksam:") + "\n\n"
        body += "\n".join(
            f"{p.purchase_date:%Y-%m-%d}  {p.merchant}  {p.amount_ore / 100:.2f} kr ({p.card.last_four})"
            for p in purchases
        )
        mail_send(
            tenant_id=tenant_id,
            to=user.email,
            subject=_("Receipt missing for card purchases"),
            body=body,
            kind="card_receipt_missing",
        )
        sent += 1
    CardPurchase.objects.filter(pk__in=[p.pk for p in lines]).update(reminded_at=timezone.now())
    return sent
