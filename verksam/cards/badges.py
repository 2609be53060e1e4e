"""The accounting firm's badge "Kortköp ej bokförda" on Mina samarbeten (issue 10 item 9), named in
settings.PARTNER_BADGE_COUNTERS: partners (a layer below cards) calls it without importing cards."""

from django.db.models import Count

from .models import CardPurchase, PurchaseStatus


def unbooked_counts(customer_ids: list[int], firm_id: int, user_id: int) -> dict[int, int]:
    """{customer id: attested card purchases not yet booked}, every customer in one query. Runs in
    partners' scope of the firm and these customers (DESIGN.md rules 6 and 10), so the scoped manager
    and PostgreSQL's row-level security see exactly them."""
    rows = (
        CardPurchase.objects.filter(tenant_id__in=customer_ids, status=PurchaseStatus.ATTESTED)
        .values("tenant_id")
        .annotate(n=Count("pk"))
        .values_list("tenant_id", "n")
    )
    return dict(rows)
