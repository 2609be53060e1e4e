"""Reads of cards and card purchases; every list is a constant number of queries."""

import datetime as dt

from django.db.models import Count, Q, QuerySet

from verksam.tenancy.models import Membership

from .models import Card, CardPurchase, PurchaseStatus, Source, StatementImport

VISIBLE = (PurchaseStatus.OPEN, PurchaseStatus.SUBMITTED, PurchaseStatus.ATTESTED, PurchaseStatus.BOOKED)


def cards() -> QuerySet[Card]:
    return Card.objects.select_related("holder__user")


def card_get(card_id: int | None) -> Card | None:
    return cards().filter(pk=card_id).first() if card_id else None


def own_cards(*, membership_id: int) -> QuerySet[Card]:
    return cards().filter(holder_id=membership_id, active=True)


def purchases() -> QuerySet[CardPurchase]:
    return CardPurchase.objects.select_related("card__holder__user", "receipt")


def purchase_get(purchase_id: int | None) -> CardPurchase | None:
    return purchases().filter(pk=purchase_id).first() if purchase_id else None


def own_purchases(*, membership_id: int) -> QuerySet[CardPurchase]:
    """The holder's purchases: statement lines and entered ones not (yet) merged into a line."""
    return purchases().filter(card__holder_id=membership_id, status__in=VISIBLE)


def receipt_missing_count(*, membership_id: int) -> int:
    """The badge on the holder's page: statement lines still without a receipt."""
    return CardPurchase.objects.filter(
        card__holder_id=membership_id,
        source=Source.IMPORTED,
        receipt__isnull=True,
        status=PurchaseStatus.OPEN,
    ).count()


def submitted_for(*, membership_ids) -> list[CardPurchase]:
    """The approver queue's card section: submitted purchases of the given holders (one query)."""
    return list(purchases().filter(status=PurchaseStatus.SUBMITTED, card__holder_id__in=list(membership_ids)))


def attested_in_period(*, start: dt.date, end: dt.date) -> QuerySet[CardPurchase]:
    """The accounting firm's tab: attested (and booked) purchases dated in the period."""
    return purchases().filter(
        status__in=(PurchaseStatus.ATTESTED, PurchaseStatus.BOOKED), purchase_date__range=(start, end)
    )


def statement_imports() -> QuerySet[StatementImport]:
    return StatementImport.objects.all()


def holders() -> QuerySet[Membership]:
    return Membership.objects.select_related("user").order_by("user__name", "pk")


def card_counts() -> dict[int, int]:
    rows = CardPurchase.objects.values("card_id").annotate(
        missing=Count(
            "pk", filter=Q(source=Source.IMPORTED, receipt__isnull=True, status=PurchaseStatus.OPEN)
        )
    )
    return {r["card_id"]: r["missing"] for r in rows}
