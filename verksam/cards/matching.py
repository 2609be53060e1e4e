"""Receipt ↔ transaction matching (issue 10 item 5), pure: no queries, no Django.

A receipt (a purchase the holder entered with a photo) belongs to an imported statement line when
both are on the same card of the same tenant, the amounts are equal to the öre, the dates lie at
most `DAY_WINDOW` days apart (a card settles a day or three after the purchase) and the merchants
are alike after normalisation (`merchant_similarity` ≥ `MIN_SIMILARITY`). A pair is matched only
when it is each side's single candidate; anything else is left for the holder to pick
(`ambiguous`), and a line without any candidate is "Kvitto saknas" (`unmatched`)."""

import datetime as dt
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from difflib import SequenceMatcher

DAY_WINDOW = 3
MIN_SIMILARITY = 0.6
# legal-form and payment-noise words that say nothing about who the merchant is
_NOISE = {"ab", "hb", "kb", "aktiebolag", "sweden", "sverige", "se", "www", "com", "pos", "kortkop", "kop"}


@dataclass(frozen=True)
class Item:
    id: int
    tenant_id: int
    card_id: int
    date: dt.date
    amount_ore: int
    merchant: str


@dataclass(frozen=True)
class MatchResult:
    matched: tuple[tuple[int, int], ...]  # (transaction id, receipt id)
    ambiguous: tuple[tuple[int, tuple[int, ...]], ...]  # transaction id, its candidate receipt ids
    unmatched: tuple[int, ...]  # transaction ids without any candidate


def normalise_merchant(name: str) -> str:
    text = unicodedata.normalize("NFKD", name.casefold())
    text = "".join(c for c in text if not unicodedata.combining(c))
    words = [w for w in re.split(r"[^a-z0-9]+", text) if w and w not in _NOISE and not w.isdigit()]
    return " ".join(words)


def merchant_similarity(a: str, b: str) -> float:
    """1.0 for the same merchant after normalisation; containment ("ica" in "ica maxi") counts high."""
    na, nb = normalise_merchant(a), normalise_merchant(b)
    if not na or not nb:
        return 0.0
    if na == nb:
        return 1.0
    ca, cb = na.replace(" ", ""), nb.replace(" ", "")
    if ca in cb or cb in ca:
        return 0.9
    return SequenceMatcher(None, ca, cb).ratio()


def _fits(txn: Item, rcpt: Item) -> bool:
    return (
        abs((txn.date - rcpt.date).days) <= DAY_WINDOW
        and merchant_similarity(txn.merchant, rcpt.merchant) >= MIN_SIMILARITY
    )


def match(transactions: list[Item], receipts: list[Item]) -> MatchResult:
    """Match in O(n) buckets: candidates are looked for only among receipts of the same tenant,
    card and amount, so the cost is linear in the inputs for realistic data."""
    buckets: dict[tuple[int, int, int], list[Item]] = defaultdict(list)
    for rcpt in receipts:
        buckets[(rcpt.tenant_id, rcpt.card_id, rcpt.amount_ore)].append(rcpt)
    candidates: dict[int, list[int]] = {}
    txn_count_per_receipt: dict[int, int] = defaultdict(int)
    for txn in transactions:
        found = [r.id for r in buckets.get((txn.tenant_id, txn.card_id, txn.amount_ore), ()) if _fits(txn, r)]
        candidates[txn.id] = found
        for rid in found:
            txn_count_per_receipt[rid] += 1
    matched, ambiguous, unmatched = [], [], []
    for txn in transactions:
        found = candidates[txn.id]
        if not found:
            unmatched.append(txn.id)
        elif len(found) == 1 and txn_count_per_receipt[found[0]] == 1:
            matched.append((txn.id, found[0]))
        else:
            ambiguous.append((txn.id, tuple(found)))
    return MatchResult(tuple(matched), tuple(ambiguous), tuple(unmatched))
