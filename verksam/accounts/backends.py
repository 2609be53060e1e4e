from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.db.models import QuerySet

from verksam.core.fixedquery import FixedQuery

from .models import User

# Expressions the session's user query also selects while `selecting_also` is active: the web's tenant
# pages switch the PostgreSQL session to the user's own scope in that query (issue 13), as the API's
# token query does (accounts.services.user_for_token). accounts does not import tenancy: the caller
# names the expression.
_also_select: ContextVar[dict[str, Any] | None] = ContextVar("verksam_session_user_also", default=None)
_SESSION_USER_QUERIES: dict[tuple, FixedQuery[User]] = {}


@contextmanager
def selecting_also(expressions: dict[str, Any]) -> Iterator[None]:
    """While the block runs, the session's user query (`EmailBackend.get_user`) also selects these
    expressions, for the user's row only; their values are set as attributes of the user returned."""
    token = _also_select.set(expressions)
    try:
        yield
    finally:
        _also_select.reset(token)


def _user_query(also_select: dict[str, Any]) -> FixedQuery[User]:
    """The session's user by id, compiled once per process for each `also_select` (core.fixedquery)."""
    key = tuple((name, repr(expr)) for name, expr in also_select.items())
    query = _SESSION_USER_QUERIES.get(key)
    if query is None:

        def build(user_id: int) -> QuerySet[User]:
            return User.objects.filter(pk=user_id).annotate(**also_select).order_by()[:1]

        query = _SESSION_USER_QUERIES.setdefault(
            key, FixedQuery(build, sentinels={"user_id": -7_000_000_003})
        )
    return query


class EmailBackend(ModelBackend):
    """Log in with e-mail (case-insensitive) and password."""

    def authenticate(self, request, username=None, password=None, email=None, **kwargs):
        email = (email or username or "").strip().lower()
        return super().authenticate(request, username=email, password=password, **kwargs)

    def get_user(self, user_id):
        also_select = _also_select.get()
        if not also_select:
            return super().get_user(user_id)
        try:
            pk = int(user_id)
        except (TypeError, ValueError):
            return None
        user = _user_query(also_select).first(user_id=pk)
        # is_active is checked as ModelBackend does (after the read: the caller undoes a switch
        # made for a user refused here)
        return user if user is not None and self.user_can_authenticate(user) else None
