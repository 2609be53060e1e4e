"""A fixed-shape ORM query compiled once per process (issue 13: the hot path's ORM compilation).

Django compiles a queryset to SQL on every call (~0.3–1 ms CPU each: filters resolved, joins set up,
the select list and converters worked out). The few reads on every API call have the same shape each
time, only their values change. `FixedQuery` compiles such a query once per thread and database with
sentinel values, remembers where each value lands in the parameter list, and from then on sends the
same SQL with the call's values — model instances built exactly as the ORM's `ModelIterable` does
(select_related, annotations, the backend's converters).

Rules for a query built here (`build`): every value that varies between calls is an argument of
`build` (its sentinel given in `sentinels`); nothing may come from context (no tenant-scoped
manager's implicit filter, no `timezone.now()` inside): the tenant's filter must be an explicit
argument so that it is in the WHERE clause of every call. The first real call of each thread
compiles the query the ordinary way too and checks that the cached SQL and parameters are identical;
if they are not, that query is never cached (always compiled by the ORM).

A query may also read through a tenant-scoped manager (`scope=`, tenancy.scope.FIXED_SCOPE): it is
then compiled once per size of the scope in force, inside a scope of sentinel tenant ids, and each
call puts the ids of the scope it runs in into their places, so the tenant's filter is in the WHERE
clause of every call exactly as the ORM would write it (the first call of each size checks that).
`FixedStatement` is the same for a statement assembled from querysets (`build` answers SQL and
parameters), and `FixedValues` for a `values_list()` queryset (rows as tuples, the backend's
converters applied).

An argument named in `ids=` is a list of ids filtered with the `in_ids` lookup (core.db.InIds), whose
SQL is the same whatever the number of ids: its sentinel is a list of one negative id; on SQLite it is
one parameter (JSON text) like any other; on PostgreSQL the lookup writes the ids into the SQL as
integer literals, so the cached text holds the sentinel's `(-7…, -7…)` and each call puts its own
list there (`core.db.ids_value`: only `int()`s, joined by ', '); a list of one id is a parameter
there, compiled apart.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from contextlib import AbstractContextManager, nullcontext
from typing import Any, Generic, Protocol, TypeVar

from django.db import connections
from django.db.models import Model, QuerySet
from django.db.models.query import get_related_populators

from verksam.core.db import ids_value, send_together

M = TypeVar("M", bound=Model)


def same(value: Any, connection: Any) -> Any:
    return value


def date_value(value: Any, connection: Any) -> Any:
    """A date compared with a DateField, as the backend sends it."""
    return connection.ops.adapt_datefield_value(value)


def uuid_value(value: Any, connection: Any) -> Any:
    """A UUID compared with a UUIDField, as the backend sends it."""
    return value if connection.features.has_native_uuid_field else value.hex


def datetime_value(value: Any, connection: Any) -> Any:
    """A datetime compared with a DateTimeField, as the backend sends it."""
    return connection.ops.adapt_datetimefield_value(value)


class ScopeHook(Protocol):
    """How a query of a tenant-scoped manager is compiled with sentinel tenant ids (tenancy.scope)."""

    def current(self) -> tuple[int, ...]: ...

    def compiling(self, ids: tuple[int, ...]) -> AbstractContextManager[Any]: ...


# sentinel tenant ids of a scope being compiled (never a real id: ids are positive)
SCOPE_SENTINEL = -7_300_000_000


def _scope_sentinels(size: int) -> dict[str, int]:
    return {f"\x00scope{i}": SCOPE_SENTINEL - i for i in range(size)}


def _positions(params: list[Any], adapted: dict[str, Any]) -> dict[str, list[int]] | None:
    positions: dict[str, list[int]] = {}
    for name, value in adapted.items():
        where = [i for i, p in enumerate(params) if type(p) is type(value) and p == value]
        if not where:
            return None
        positions[name] = where
    return positions


def _put(params: list[Any], positions: dict[str, list[int]], values: dict[str, Any]) -> list[Any]:
    params = list(params)
    for name, where in positions.items():
        for i in where:
            params[i] = values[name]
    return params


class _Compiled:
    def __init__(self, queryset: QuerySet, positions: dict[str, list[int]]):
        compiler = queryset.query.get_compiler(using=queryset.db)
        self.sql, params = compiler.as_sql()
        self.params = list(params)
        self.positions = positions
        self.compiler = compiler
        klass_info = compiler.klass_info
        assert klass_info is not None
        select = compiler.select
        self.model = klass_info["model"]
        fields = klass_info["select_fields"]
        self.start, self.end = fields[0], fields[-1] + 1
        self.init_list = [f[0].target.attname for f in select[self.start : self.end]]
        self.populators = get_related_populators(klass_info, select, queryset.db)  # type: ignore[call-arg]
        self.annotations = dict(compiler.annotation_col_map or {})
        self.db = queryset.db
        # what `compiler.results_iter` works out on every call (issue 13: ~0.1 ms a query, the
        # select's ~20 columns each asked for its backend's and its field's converters)
        columns = [s[0] for s in select[0 : compiler.col_count]]
        self.converters = compiler.get_converters(columns)
        self.columns = columns
        self.composite = compiler.has_composite_fields(columns)

    def params_for(self, values: dict[str, Any]) -> list[Any]:
        return _put(self.params, self.positions, values)

    def rows(self, sql: str, params: list[Any]) -> list[Model]:
        connection = connections[self.db]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            found = cursor.fetchall()
        return self.objects(found)

    def send(self, sql: str, params: list[Any]) -> Callable[[], list[Model]]:
        """Execute without reading the rows: inside a pipeline (core.db.pipeline) the statement is only
        queued. The answer reads the rows (and closes the cursor), once the pipeline has ended."""
        together = send_together(sql, params, using=self.db)
        if together is not None:
            return lambda: self.objects(together())
        cursor = connections[self.db].cursor()
        try:
            cursor.execute(sql, params)
        except BaseException:
            cursor.close()
            raise

        def read() -> list[Model]:
            try:
                found = cursor.fetchall()
            finally:
                cursor.close()
            return self.objects(found)

        return read

    def objects(self, found: list[tuple]) -> list[Model]:
        objs = []
        converters = self.converters
        rows = self.compiler.apply_converters(found, converters) if converters else found
        if self.composite:
            rows = self.compiler.composite_fields_to_tuples(rows, self.columns)
        for row in rows:
            obj = self.model.from_db(self.db, self.init_list, row[self.start : self.end])
            for populator in self.populators:
                populator.populate(row, obj)
            for name, col in self.annotations.items():
                setattr(obj, name, row[col])
            objs.append(obj)
        return objs


class _Fixed:
    """What FixedQuery, FixedStatement and FixedValues share: sentinels, the cache per thread, database
    and scope size, the first call's check against the ORM."""

    def __init__(
        self,
        build: Callable[..., Any],
        *,
        sentinels: dict[str, Any],
        adapt: Mapping[str, Callable[[Any, Any], Any]] | None = None,
        scope: ScopeHook | None = None,
        using: str = "default",
        ids: tuple[str, ...] = (),
    ):
        self.build = build
        self.sentinels = sentinels
        self.adapt = {**dict.fromkeys(ids, ids_value), **(adapt or {})}
        self.ids = ids
        self.scope = scope
        self.using = using
        self._local = threading.local()

    def _adapted(self, values: dict[str, Any], connection: Any) -> dict[str, Any]:
        return {name: self.adapt.get(name, same)(value, connection) for name, value in values.items()}

    def _sql(self, built: Any) -> tuple[str, list[Any]]:
        sql, params = built.query.get_compiler(using=built.db).as_sql()
        return sql, list(params)

    def _make(self, built: Any, sql: str, params: list[Any], positions: dict[str, list[int]]) -> Any:
        raise NotImplementedError

    @staticmethod
    def _text(compiled: Any, call: dict[str, Any]) -> str:
        """The compiled SQL with the call's id lists in place of the sentinels' (PostgreSQL's `in_ids`)."""
        sql = compiled.sql
        for name, marker in compiled.slots.items():
            sql = sql.replace(marker, f"IN ({call[name]})")
        return sql  # type: ignore[no-any-return]

    def _compiled(self, values: dict[str, Any]) -> tuple[Any, dict[str, Any]]:
        """The compiled form for this call (False: not cacheable) and the call's backend values."""
        connection = connections[self.using]
        ids = self.scope.current() if self.scope is not None else ()
        call = self._adapted(values, connection)
        scope_sentinels = _scope_sentinels(len(ids))
        call.update(zip(scope_sentinels, ids, strict=True))
        cache = self._local.__dict__.setdefault("by_vendor", {})
        key: tuple = (
            (self.using, connection.vendor, len(ids))
            if self.scope is not None
            else (self.using, connection.vendor)
        )
        sentinels = self.sentinels
        slotted: tuple[str, ...] = ()  # the id lists written into the SQL as literals
        if self.ids:
            if connection.vendor == "postgresql":
                # one id stays a parameter (as core.db.in_ids: the same statement for everyone),
                # several are literals: two forms, compiled apart, several with a two-id sentinel
                slotted = tuple(name for name in self.ids if not isinstance(call[name], int))
                sentinels = {
                    **sentinels,
                    **{name: [*sentinels[name], min(sentinels[name]) - 1] for name in slotted},
                }
            key = (*key, slotted)
        compiled = cache.get(key)
        if compiled is None:
            compiled = False
            compiling = (
                self.scope.compiling(tuple(scope_sentinels.values()))
                if self.scope is not None
                else nullcontext()
            )
            with compiling:
                built = self.build(**sentinels)
                sql, params = self._sql(built)
            adapted = {**self._adapted(sentinels, connection), **scope_sentinels}
            # id lists written into the SQL (in_ids on PostgreSQL): found in the text, not the parameters
            slots = {name: f"IN ({adapted.pop(name)})" for name in slotted}
            positions = _positions(params, adapted)
            if positions is not None and all(sql.count(marker) == 1 for marker in slots.values()):
                made = self._make(built, sql, params, positions)
                made.slots = slots
                # the first call checks the cached SQL against the ORM's own compilation of it
                real_sql, real_params = self._sql(self.build(**values))
                if real_sql == self._text(made, call) and real_params == _put(params, positions, call):
                    compiled = made
            cache[key] = compiled
        return compiled, call


class FixedQuery(_Fixed, Generic[M]):
    """`build(**values)` → a queryset of model instances whose shape does not depend on the values.

    `sentinels`: one value per argument of `build`, never a real one, and whose backend form (after
    `adapt`) occurs nowhere else in the parameters; `adapt`: per argument, how the backend sends the
    value (default: as it is); `scope`: the queryset reads through a tenant-scoped manager."""

    def __init__(
        self,
        build: Callable[..., QuerySet[M]],
        *,
        sentinels: dict[str, Any],
        adapt: Mapping[str, Callable[[Any, Any], Any]] | None = None,
        scope: ScopeHook | None = None,
        using: str = "default",
        ids: tuple[str, ...] = (),
    ):
        super().__init__(build, sentinels=sentinels, adapt=adapt, scope=scope, using=using, ids=ids)

    def _make(self, built: Any, sql: str, params: list[Any], positions: dict[str, list[int]]) -> Any:
        return _Compiled(built, positions)

    def all(self, **values: Any) -> list[M]:
        compiled, call = self._compiled(values)
        if not compiled:
            return list(self.build(**values))
        return compiled.rows(self._text(compiled, call), compiled.params_for(call))  # type: ignore[no-any-return]

    def first(self, **values: Any) -> M | None:
        found = self.all(**values)
        return found[0] if found else None

    def send_first(self, **values: Any) -> Callable[[], M | None]:
        """`first`, sent now and read later: a function that answers the first instance or None. For
        queries sent together in one round trip (core.db.pipeline): send each, leave the pipeline,
        then read each. A query not cached (its first call may be) is read at once."""
        compiled, call = self._compiled(values)
        if not compiled:
            found = list(self.build(**values))
            return lambda: found[0] if found else None
        read = compiled.send(self._text(compiled, call), compiled.params_for(call))

        def first() -> M | None:
            rows = read()
            return rows[0] if rows else None  # type: ignore[return-value]

        return first


class _Statement:
    def __init__(self, sql: str, params: list[Any], positions: dict[str, list[int]], compiler: Any = None):
        self.sql = sql
        self.params = params
        self.positions = positions
        self.compiler = compiler


class FixedStatement(_Fixed):
    """`build(**values)` → `(sql, params)` of a statement assembled from querysets (subqueries of one
    SELECT), whose shape does not depend on the values: `sql_params(**values)` answers the same
    without compiling the querysets again."""

    def _sql(self, built: Any) -> tuple[str, list[Any]]:
        sql, params = built
        return sql, list(params)

    def _make(self, built: Any, sql: str, params: list[Any], positions: dict[str, list[int]]) -> Any:
        return _Statement(sql, params, positions)

    def sql_params(self, **values: Any) -> tuple[str, list[Any]]:
        compiled, call = self._compiled(values)
        if not compiled:
            return self._sql(self.build(**values))
        return self._text(compiled, call), _put(compiled.params, compiled.positions, call)

    def sql_params_replacing(
        self, replace: Mapping[str, tuple[str, list[Any]]], **values: Any
    ) -> tuple[str, list[Any]] | None:
        """`sql_params`, with every placeholder of each value named in `replace` written as that SQL
        expression (with its own parameters) instead: a value the database knows and the caller does
        not yet (issue 13: the member's id, read in the same round trip). None when the statement is
        not cached (its shape is not fixed)."""
        from verksam.core.db import replace_placeholders

        compiled, call = self._compiled(values)
        if not compiled:
            return None
        at = {i: replace[name] for name in replace for i in compiled.positions[name]}
        return replace_placeholders(
            self._text(compiled, call), _put(compiled.params, compiled.positions, call), at
        )


class FixedValues(_Fixed):
    """`build(**values)` → a `values_list()` queryset whose shape does not depend on the values:
    `rows(**values)` answers its rows as tuples, the backend's converters applied, as the ORM would."""

    def _make(self, built: Any, sql: str, params: list[Any], positions: dict[str, list[int]]) -> Any:
        compiler = built.query.get_compiler(using=built.db)
        compiler.as_sql()  # sets up the select list and its converters
        return _Statement(sql, params, positions, compiler)

    def rows(self, **values: Any) -> list[tuple]:
        compiled, call = self._compiled(values)
        if not compiled:
            return [tuple(row) for row in self.build(**values)]
        with connections[self.using].cursor() as cursor:
            cursor.execute(self._text(compiled, call), _put(compiled.params, compiled.positions, call))
            found = cursor.fetchall()
        return [tuple(row) for row in compiled.compiler.results_iter(results=[found])]
