"""Database helpers shared by the services."""

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.db import IntegrityError, transaction

from .errors import Conflict


def is_unique_violation(exc: IntegrityError) -> bool:
    """A unique constraint refused the row (PostgreSQL SQLSTATE 23505, SQLite's "UNIQUE constraint")."""
    return getattr(exc.__cause__, "sqlstate", None) == "23505" or "UNIQUE constraint failed" in str(exc)


@contextmanager
def conflict_on_duplicate(message: str, *, code: str, extra: dict[str, Any] | None = None) -> Iterator[None]:
    """Run an insert in a savepoint; if a unique constraint refuses it, raise the same `Conflict` the
    service's own "already exists" check gives.

    A check-then-insert is not enough under concurrency: two requests both pass the check, and the
    loser hits the constraint. Without this it would answer 500 instead of 409 (issue 7 item 4)."""
    try:
        with transaction.atomic():
            yield
    except IntegrityError as exc:
        if not is_unique_violation(exc):
            raise
        raise Conflict(message, code=code, extra=extra) from exc
