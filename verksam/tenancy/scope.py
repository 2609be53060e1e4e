"""The active tenant scope (DESIGN.md rules 4, 5, 10).

The scope is a ContextVar holding the tenant ids the current request, task or command may see.
`ScopedManager` reads it and raises when there is none (fail closed). On PostgreSQL the same ids
are copied into the session setting `app.tenant_ids`, which the row-level security policies read.
"""

import functools
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.db import connection
from django.db.backends.signals import connection_created
from django.db.models import BigIntegerField, Func, TextField


class NoScopeError(RuntimeError):
    """A tenant-owned table was queried outside a tenant scope."""


_scope: ContextVar[tuple[int, ...] | None] = ContextVar("verksam_tenant_scope", default=None)
# The user whose own access rows (Membership, PartnerGrant) may be read across tenants, to find out
# which tenants they may enter before any tenant scope exists.
_user: ContextVar[int | None] = ContextVar("verksam_user_scope", default=None)


def current_tenant_ids() -> tuple[int, ...]:
    ids = _scope.get()
    if ids is None:
        raise NoScopeError("No tenant scope is active; enter tenant_scope() or use Model.all_tenants.")
    return ids


def has_scope() -> bool:
    return _scope.get() is not None


# True while a request transaction's end has cleared the session's scope already (`cleared`)
_cleared: ContextVar[bool] = ContextVar("verksam_scope_cleared", default=False)


def is_local(conn=connection) -> bool:
    """Whether the scope is set transaction-local (`set_config(..., true)`) on this connection: inside
    the API's request transaction (core.db.RequestTransaction), whose end undoes it without a
    statement. Elsewhere it is set for the session, and every scope resets it when it ends."""
    tx = getattr(conn, "verksam_request_transaction", None)
    return tx is not None and tx.scope_is_local


def _apply_to_database(conn=connection) -> None:
    if conn.vendor != "postgresql" or _cleared.get():
        return
    ids = _scope.get()
    user_id = _user.get()
    local = "true" if is_local(conn) else "false"
    with conn.cursor() as cursor:
        cursor.execute(
            f"SELECT set_config('app.tenant_ids', %s, {local}), set_config('app.user_id', %s, {local})",
            [",".join(str(i) for i in ids or ()), str(user_id or "")],
        )


@contextmanager
def cleared() -> Iterator[None]:
    """The database session holds no scope already: the request transaction that set it
    transaction-local has ended (a COMMIT or ROLLBACK undoes `set_config(..., true)`), so scopes that
    end inside this block reset only their ContextVars, without a statement."""
    token = _cleared.set(True)
    try:
        yield
    finally:
        _cleared.reset(token)


@contextmanager
def tenant_scope(*tenant_ids: int) -> Iterator[tuple[int, ...]]:
    """See and write only rows of `tenant_ids` until the block ends."""
    with _tenant_scope(tenant_ids, applied=False) as ids:
        yield ids


class SwitchToRowTenant(Func):
    """In the select list of the query that reads a user's own access row (under their user scope),
    switch the PostgreSQL session to that row's tenant in the same statement: `set_config` in the
    select list runs only for a row that passed the WHERE clause and the row-level security policy,
    which the database evaluates before the select list. Issue 13: one round trip less on every API
    call (the switch was a separate statement). The argument: the row's tenant column."""

    template = (
        "set_config('app.tenant_ids', (%(expressions)s)::text, false) || set_config('app.user_id', '', false)"
    )
    output_field = TextField()


class SwitchToRowTenantLocal(SwitchToRowTenant):
    """`SwitchToRowTenant` transaction-local, inside the request transaction (`is_local`)."""

    template = (
        "set_config('app.tenant_ids', (%(expressions)s)::text, true) || set_config('app.user_id', '', true)"
    )


class SwitchToUser(Func):
    """In the select list of the query that finds an API token's user (outside any scope), switch the
    PostgreSQL session to that user's scope — their own access rows, no tenant — in the same
    statement, as `user_scope` would with a separate one (issue 13: one round trip less on every
    token API call). Only for a row that passed the query's WHERE clause. The argument: the user id
    column. The caller then enters `tenant_scope_after_user(..., applied=True)`, or calls
    `reapply()` if it does not (so the session never keeps a user scope the code does not hold)."""

    template = (
        "set_config('app.user_id', (%(expressions)s)::text, false) || set_config('app.tenant_ids', '', false)"
    )
    output_field = TextField()


class SwitchToUserLocal(SwitchToUser):
    """`SwitchToUser` transaction-local, inside the request transaction (`is_local`)."""

    template = (
        "set_config('app.user_id', (%(expressions)s)::text, true) || set_config('app.tenant_ids', '', true)"
    )


class SessionUserId(Func):
    """The user of the PostgreSQL session's user scope (`app.user_id`, NULL without one), as the
    row-level security policies read it (tenancy.rls.USER_CLAUSE). For a query sent in the same round
    trip as the one that switches the session to that user (SwitchToUser; core.db.pipeline), which the
    server runs first: the user is not known to the client when both are sent (issue 13)."""

    template = "NULLIF(current_setting('app.user_id', true), '')::bigint"
    output_field = BigIntegerField()

    def __init__(self):
        super().__init__()


def reapply() -> None:
    """Set the database session to the scope this code holds (none: no rows) again."""
    _apply_to_database()


@contextmanager
def _tenant_scope(tenant_ids: Iterable[int], *, applied: bool) -> Iterator[tuple[int, ...]]:
    """`tenant_scope`; `applied`: the database session holds exactly this scope already (the query
    that found the tenant switched it, SwitchToRowTenant), so only the way out is applied."""
    ids = tuple(sorted({int(i) for i in tenant_ids}))
    token = _scope.set(ids)
    if not applied:
        _apply_to_database()
    try:
        yield ids
    finally:
        _scope.reset(token)
        _apply_to_database()


@contextmanager
def user_scope(user_id: int) -> Iterator[None]:
    """Let `user_id` read their own Membership and PartnerGrant rows in every tenant."""
    token = _user.set(int(user_id))
    _apply_to_database()
    try:
        yield
    finally:
        _user.reset(token)
        _apply_to_database()


@contextmanager
def tenant_scope_after_user(
    user_id: int, find_tenant: Callable[[], tuple[int | None, bool]], *, user_applied: bool = False
) -> Iterator[int | None]:
    """Find the tenant `user_id` may enter by reading their own access rows (as in `user_scope`), then
    hold that tenant's scope (as in `tenant_scope`) until the block ends; yields None, and holds no
    scope, when `find_tenant` finds none. On PostgreSQL the switch from the user's rows to the
    tenant's is one set_config, not two (issue 13: it is on every API call), and none at all when
    `find_tenant` answers `(tenant_id, True)`: its query switched the session already
    (SwitchToRowTenant). `user_applied`: the session holds this user's scope already (the token's
    query switched it, SwitchToUser), so the way in needs no statement at all."""
    user_token = _user.set(int(user_id))
    if not (user_applied and connection.vendor == "postgresql"):
        _apply_to_database()
    try:
        tenant_id, switched = find_tenant()
    except BaseException:
        _user.reset(user_token)
        _apply_to_database()
        raise
    _user.reset(user_token)
    if tenant_id is None:
        _apply_to_database()
        yield None
        return
    # applies the tenant and the closed user scope at once, unless the finding query did
    with _tenant_scope([tenant_id], applied=switched and connection.vendor == "postgresql"):
        yield tenant_id


@contextmanager
def dangerously_system_scope(reason: str) -> Iterator[tuple[int, ...]]:
    """Scope over every tenant, for commands and migrations that must see all; `reason` says why."""
    with tenant_scope(*all_tenant_ids()) as ids:
        yield ids


def tenant_task(func: Callable[..., Any]) -> Callable[..., Any]:
    """Run a background task's body inside the scope of its `tenant_id` keyword argument (rule 12)."""

    @functools.wraps(func)
    def wrapper(*args: Any, tenant_id: int, **kwargs: Any) -> Any:
        with tenant_scope(tenant_id):
            return func(*args, tenant_id=tenant_id, **kwargs)

    return wrapper


def all_tenant_ids() -> Iterable[int]:
    from .models import Tenant

    return Tenant.objects.values_list("pk", flat=True)


def _reapply(sender, connection, **kwargs) -> None:  # noqa: ARG001
    # A new connection (CONN_MAX_AGE, a reconnect) starts without the setting: copy the scope again.
    if _scope.get() is not None or _user.get() is not None:
        _apply_to_database(connection)


connection_created.connect(_reapply, dispatch_uid="verksam_tenancy_scope_reapply")


class _FixedScope:
    """How `core.fixedquery` compiles a query of a tenant-scoped manager once per scope size (issue
    13): the scope's ids are the values of each call, sentinel ids stand in for them while the query
    is compiled (only the ContextVar: nothing is sent to the database while compiling)."""

    def current(self) -> tuple[int, ...]:
        return current_tenant_ids()

    @contextmanager
    def compiling(self, ids: tuple[int, ...]) -> Iterator[None]:
        token = _scope.set(ids)
        try:
            yield
        finally:
            _scope.reset(token)


FIXED_SCOPE = _FixedScope()
