"""Reads of accounting connections and pushes (scoped to the active tenant)."""

from django.utils.translation import gettext as _

from verksam.core.errors import NotFound

from .models import Connection, Push

RECENT_PUSHES = 50


def connection_active() -> Connection | None:
    return Connection.objects.filter(disconnected_at__isnull=True).first()


def push_list(*, limit: int = RECENT_PUSHES, offset: int = 0) -> list[Push]:
    return list(Push.objects.defer("payload").order_by("-created_at", "-pk")[offset : offset + limit])


def push_count() -> int:
    return Push.objects.count()


def push_get(*, push_id: int | None, for_update: bool = False) -> Push:
    qs = Push.objects.select_for_update() if for_update else Push.objects.all()
    push = qs.filter(pk=push_id).first() if push_id else None
    if push is None:
        raise NotFound(_("The push does not exist."))
    return push


def push_queryset():
    """Every push of the company, newest first (for paged lists)."""
    return Push.objects.defer("payload").order_by("-created_at", "-pk")


def push_by_key(*, keys: list[str]) -> dict[str, Push]:
    """The latest push per idempotency key (one query): for showing the status on a voucher."""
    found: dict[str, Push] = {}
    for push in Push.objects.defer("payload").filter(idempotency_key__in=keys).order_by("created_at", "pk"):
        found[push.idempotency_key] = push
    return found
