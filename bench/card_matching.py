"""Card receipt matching for `make bench` (issue 10's performance section): 5,000 imported card
statement lines against 5,000 receipts entered by the holders (31 cards), ~90 % of them true
pairs (dates shifted 0–2 days, merchants spelt differently), the rest without a partner.

Measured: the pure matcher (`cards.matching.match`), and `cards.importing.match_apply` on the
database — wall time and SQL query count (two reads and the bulk updates, whatever the number)."""

import datetime as dt
import random
import time

N = 5_000
MERCHANTS = [
    ("ICA MAXI SOLNA", "ICA Maxi Solna AB"),
    ("CIRCLE K KISTA", "Circle K"),
    ("SJ AB", "SJ"),
    ("CLAS OHLSON 123", "Clas Ohlson"),
    ("ESPRESSO HOUSE", "Espresso House Sverige AB"),
    ("SCANDIC HOTELS", "Scandic Hotels"),
    ("BAUHAUS BARKARBY", "Bauhaus"),
    ("TAXI STOCKHOLM", "Taxi Stockholm 15 00 00"),
]


def build(tenant) -> int:
    from verksam.cards.models import Card, CardPurchase, Source
    from verksam.expenses.models import Receipt
    from verksam.tenancy.models import Membership

    rng = random.Random(10)
    members = list(Membership.objects.filter(tenant=tenant))
    cards = Card.objects.bulk_create(
        [Card(tenant=tenant, holder=m, last_four=f"{1000 + i}") for i, m in enumerate(members)]
    )
    receipts = Receipt.objects.bulk_create(
        [
            Receipt(
                tenant=tenant,
                membership_id=cards[i % len(cards)].holder_id,
                file=f"receipts/{tenant.pk}/bench{i}",
                content_type="image/jpeg",
                size=1,
                sha256="0" * 64,
            )
            for i in range(N)
        ],
        batch_size=2000,
    )
    lines, entered = [], []
    start = dt.date(2026, 9, 1)
    for i in range(N):
        card = cards[i % len(cards)]
        day = start + dt.timedelta(days=rng.randrange(60))
        amount = rng.randrange(100, 500_000)
        bank_name, receipt_name = MERCHANTS[rng.randrange(len(MERCHANTS))]
        lines.append(
            CardPurchase(
                tenant=tenant,
                card=card,
                source=Source.IMPORTED,
                purchase_date=day,
                amount_ore=amount,
                merchant=bank_name,
                statement_reference=f"R{i}",
                fingerprint=f"bench{i}",
            )
        )
        paired = i < N * 9 // 10
        entered.append(
            CardPurchase(
                tenant=tenant,
                card=card,
                source=Source.ENTERED,
                purchase_date=day - dt.timedelta(days=rng.randrange(3)) if paired else day,
                amount_ore=amount if paired else amount + 1,
                merchant=receipt_name,
                account="5460",
                receipt=receipts[i],
            )
        )
    CardPurchase.objects.bulk_create(lines, batch_size=2000)
    CardPurchase.objects.bulk_create(entered, batch_size=2000)
    return len(cards)


def run(tenant, owner) -> None:
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    from verksam.cards import importing, matching
    from verksam.cards.models import CardPurchase, Source
    from verksam.tenancy.scope import tenant_scope

    with tenant_scope(tenant.pk):
        n_cards = build(tenant)
        lines, entered = importing._candidates()
        txns = [importing._item(p) for p in lines]
        rcpts = [importing._item(p) for p in entered]
        print(f"Card matching, {len(txns)} statement lines × {len(rcpts)} receipts on {n_cards} cards:")
        start = time.perf_counter()
        result = matching.match(txns, rcpts)
        pure = time.perf_counter() - start
        print(
            f"  {'matching.match (pure)':<45} {pure:6.2f} s  matched {len(result.matched)}, "
            f"ambiguous {len(result.ambiguous)}, unmatched {len(result.unmatched)}"
        )
        with transaction.atomic(), CaptureQueriesContext(connection) as ctx:
            start = time.perf_counter()
            matched = importing.match_apply(tenant_id=tenant.pk)
            seconds = time.perf_counter() - start
        left = CardPurchase.objects.filter(source=Source.IMPORTED, receipt__isnull=True).count()
        print(
            f"  {'match_apply (database, written)':<45} {seconds:6.2f} s  "
            f"{len(ctx.captured_queries)} queries, "
            f"{matched} matched, {left} left 'Kvitto saknas'"
        )
