"""Database helpers shared by the services."""

import datetime as dt
import functools
import json
import sqlite3
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from operator import attrgetter
from typing import Any, TypeVar

from django.core.exceptions import EmptyResultSet
from django.db import DEFAULT_DB_ALIAS, IntegrityError, connections, models, router, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import (
    Aggregate,
    BigIntegerField,
    BooleanField,
    DateField,
    Expression,
    F,
    TextField,
    Value,
)
from django.db.models.base import ModelState
from django.db.models.fields import AutoFieldMixin
from django.db.models.signals import post_init, pre_init

from .errors import Conflict

M = TypeVar("M", bound=models.Model)
T = TypeVar("T")


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


# --- many rows in one INSERT (issue 13: the time-entry batch) -----------------------------------------

_SAME_TYPES = {
    "IntegerField": int,
    "PositiveIntegerField": int,
    "PositiveSmallIntegerField": int,
    "PositiveBigIntegerField": int,
    "SmallIntegerField": int,
    "BigIntegerField": int,
    "ForeignKey": int,
    "BooleanField": bool,
    "CharField": str,
    "TextField": str,
}


def _column_converter(field: models.Field, connection: BaseDatabaseWrapper) -> Callable[[list], list]:
    """The column values of one field's Python values, as `field.get_db_prep_save` gives them,
    without its generic path where the type is plain: ints of an integer column and strs of a text
    column as they are, dates, times, aware datetimes and UUIDs through the backend's own adapter. Any other
    type or field takes `get_db_prep_save` itself (`test_db.py` compares the two)."""
    ops = connection.ops
    kind = field.get_internal_type()

    def slow(value: Any) -> Any:
        return field.get_db_prep_save(value, connection)

    def exact(kind_type: type, adapt: Callable[[Any], Any] | None) -> Callable[[list], list]:
        def convert(values: list) -> list:
            if adapt is None and all(type(v) is kind_type or v is None for v in values):
                return values
            return [
                None if v is None else adapt(v) if adapt and type(v) is kind_type else slow(v) for v in values
            ]

        return convert

    if kind in _SAME_TYPES:
        return exact(_SAME_TYPES[kind], None)
    if kind == "DateField":
        return exact(dt.date, ops.adapt_datefield_value)
    if kind == "TimeField":
        return exact(dt.time, ops.adapt_timefield_value)
    if kind == "DateTimeField":
        adapt = ops.adapt_datetimefield_value
        # a naive datetime is made aware first by the field (with a warning): left to it
        return lambda values: [
            None if v is None else adapt(v) if type(v) is dt.datetime and v.tzinfo else slow(v)
            for v in values
        ]
    if kind == "UUIDField":
        if connection.features.has_native_uuid_field:
            return exact(uuid.UUID, None)
        return exact(uuid.UUID, lambda value: value.hex)
    return lambda values: [slow(v) for v in values]


def _max_params(connection: BaseDatabaseWrapper) -> int:
    if connection.vendor == "sqlite":
        # Django assumes SQLite's old compile-time default of 999; the library says what it allows
        # (32,766 since SQLite 3.32), so 500 time entries fit one statement instead of thirteen.
        connection.ensure_connection()
        raw = connection.connection
        if hasattr(raw, "getlimit"):
            return int(raw.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER))
    return int(connection.features.max_query_params or 999)


# element types whose text form (str) is PostgreSQL's input form and needs no quotes in an array
_UNQUOTED = {int, uuid.UUID, dt.date}


def _array_literal(values: list) -> str:
    """PostgreSQL's text form of a one-dimensional array of these values: NULL for None, ints, UUIDs
    and dates as they print, anything else as its text, quoted (backslash and double quote escaped)."""
    if all(type(v) in _UNQUOTED for v in values):
        return "{" + ",".join(map(str, values)) + "}"
    parts = []
    for v in values:
        if v is None:
            parts.append("NULL")
        elif type(v) in _UNQUOTED:
            parts.append(str(v))
        else:
            parts.append('"' + str(v).replace("\\", "\\\\").replace('"', '\\"') + '"')
    return "{" + ",".join(parts) + "}"


def _array_rows_sql(
    head: str, fields: list, columns: list[list], connection: BaseDatabaseWrapper, returning: str
) -> tuple[str, list[Any]]:
    """PostgreSQL: a column whose value is the same in every row as one parameter of its type, every
    other column as one array parameter in PostgreSQL's own text form, the rows read by `unnest`
    (`INSERT … SELECT %s::bigint, r.c1, … FROM unnest(%s::uuid[], …) AS r(c1, …)`). A batch of 500
    time entries varies in 3–5 of its 23 columns: far less text to write, send and parse than every
    value of every row (as JSON for `jsonb_to_recordset` before; psycopg's client-side binding of a
    Python list quotes it value by value). Every value is its column's adapted value already (a
    date, time, aware datetime or UUID as such, a JSON column's text as its encoder wrote it)."""
    select: list[str] = []
    scalars: list[Any] = []
    arrays: list[tuple[str, str]] = []
    names: list[str] = []
    for index, (field, column) in enumerate(zip(fields, columns, strict=True)):
        db_type = field.db_type(connection).split("(")[0]
        if field.get_internal_type() == "JSONField":
            column[:] = [None if v is None else (v.dumps or json.dumps)(v.obj) for v in column]
        first = column[0]
        kind = type(first)
        if (arrays or index < len(fields) - 1) and all(v == first and type(v) is kind for v in column):
            select.append(f"%s::{db_type}")
            scalars.append(first)
        else:
            name = f"c{index}"
            select.append(f"r.{name}")
            names.append(name)
            arrays.append((f"%s::{db_type}[]", _array_literal(column)))
    rows_of = f"unnest({', '.join(a for a, _ in arrays)}) AS r({', '.join(names)})"
    sql = f"{head}SELECT {', '.join(select)} FROM {rows_of}{returning}"
    return sql, [*scalars, *(literal for _, literal in arrays)]


def insert_rows(objs: Sequence[models.Model], *, returning_pk: bool = True) -> None:
    """Insert new model instances as `QuerySet.bulk_create` does (every concrete column but an
    auto-increment key, the pk set on each object afterwards), in as few statements as the database
    takes: on PostgreSQL one `INSERT … SELECT … FROM unnest(<the varying columns as arrays>) RETURNING
    id` (`_array_rows_sql`), elsewhere multi-row VALUES up to the database's own parameter limit.

    For rows built and checked in Python whose values are their columns' types already: the ORM's
    insert compiler costs ~25 µs per value (12,000 values for 500 time entries, more than every rule
    of the batch together). No `save()`, `pre_save` or signals, as with bulk_create; fields with
    `auto_now` are refused, as are models with multi-table inheritance. Row-level security applies as
    to any INSERT (the tenant is a column of each row). The returned ids are matched to the objects
    in order, as bulk_create does."""
    if not objs:
        return
    model = type(objs[0])
    meta = model._meta
    if meta.parents:
        raise ValueError("insert_rows does not write multi-table inheritance")
    connection = connections[router.db_for_write(model)]
    pk = meta.pk
    auto_pk = isinstance(pk, AutoFieldMixin)
    fields = [f for f in meta.concrete_fields if not (auto_pk and f is pk) and not f.generated]
    if any(getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False) for f in fields):
        raise ValueError("insert_rows does not fill auto_now fields")
    converters = [(attrgetter(f.attname), _column_converter(f, connection)) for f in fields]
    qn = connection.ops.quote_name
    head = f"INSERT INTO {qn(meta.db_table)} ({', '.join(qn(str(f.column)) for f in fields)}) "
    returning = f" RETURNING {qn(str(pk.column))}" if returning_pk and auto_pk else ""
    as_arrays = connection.vendor == "postgresql"
    size = len(objs) if as_arrays else max(1, _max_params(connection) // len(fields))
    with connection.cursor() as cursor:
        for start in range(0, len(objs), size):
            chunk = objs[start : start + size]
            columns = [convert([get(obj) for obj in chunk]) for get, convert in converters]
            if as_arrays:
                sql, params = _array_rows_sql(head, fields, columns, connection, returning)
            else:
                placeholders = "(" + ", ".join(["%s"] * len(fields)) + ")"
                sql = f"{head}VALUES {', '.join([placeholders] * len(chunk))}{returning}"
                params = [value for row in zip(*columns, strict=True) for value in row]
            cursor.execute(sql, params)
            ids = cursor.fetchall() if returning else None
            for index, obj in enumerate(chunk):
                if ids is not None:
                    obj.pk = ids[index][0]
                obj._state.adding = False
                obj._state.db = connection.alias


_MISSING = object()
_INSTANCE_PLANS: dict[type, tuple[list[tuple], frozenset[str]]] = {}


def _instance_plan(model: type[models.Model]) -> tuple[list[tuple], frozenset[str]]:
    plan = _INSTANCE_PLANS.get(model)
    if plan is None:
        fields = model._meta.concrete_fields
        steps = [
            (
                f.name,
                f.attname,
                f.related_fields[0][1].attname if f.many_to_one else None,  # type: ignore[attr-defined]
                f._get_default,  # type: ignore[attr-defined]
                f,
            )
            for f in fields
        ]
        plan = (steps, frozenset(f.name for f in fields) | frozenset(f.attname for f in fields))
        _INSTANCE_PLANS[model] = plan
    return plan


def new_instance(model: type[M], values: dict[str, Any]) -> M:
    """`model(**values)`, built as the ORM builds the rows it reads (Model.__init__ with positional
    values, its loop done here when no pre_init/post_init receiver listens): every concrete field
    positionally, a foreign key given as its object (by the field's name) set with its id and kept
    as the cached related object, as the keyword path does, a field not given gets its default.
    For rows built in bulk: the keyword path's per-field look-ups and descriptors cost ~25 µs an
    instance (issue 13: 1,000 a batch of 500 time entries, with the audit rows)."""
    steps, known = _instance_plan(model)
    if not values.keys() <= known:
        raise TypeError(f"{model.__name__} has no field {sorted(values.keys() - known)}")
    row: dict[str, Any] = {}
    related: list[tuple[models.Field, Any]] = []
    for name, attname, target, default, field in steps:
        if target is not None:
            obj = values.get(name, _MISSING)
            if obj is not _MISSING:
                row[attname] = None if obj is None else getattr(obj, target)
                related.append((field, obj))
                continue
        value = values.get(attname, _MISSING)
        row[attname] = default() if value is _MISSING else value
    if pre_init.has_listeners(model) or post_init.has_listeners(model):
        instance = model(*row.values())
    else:
        # what Model.__init__ does with positional values when no init signal is listened to
        instance = model.__new__(model)
        instance._state = ModelState()
        instance.__dict__.update(row)
    for field, obj in related:
        field.set_cached_value(instance, obj)  # type: ignore[attr-defined]
    return instance


# `DayMinutes` packs a row's day and minutes as `day << MINUTES_BITS | minutes`
MINUTES_BITS = 11
MINUTES_MASK = (1 << MINUTES_BITS) - 1  # 2047


class DayMinutes(Aggregate):
    """The days and minutes of a group of rows as one text of integers joined by commas, each row's
    `index * 2048 + minutes`: `index` the row's day counted from `start` (0 for `start`), `minutes`
    its value of a column holding 0…2047 (a time entry's minutes are at most 1,440: a database
    constraint). `day_minutes` reads the text. GROUP_CONCAT on SQLite, string_agg on PostgreSQL.

    Why: a read of one row per entry (the approver queue: 200 employees × a month) spends ~1–3 µs per
    row in the database driver and the ORM's converters; one text per employee and code costs a
    split. It replaced a text of 'date key:minutes' items (`DayTexts`), whose 4,400 entries a month
    each cost the database two casts, an lpad and two concatenations, and Python two slices, a
    dictionary look-up of the day and an int(); here one multiplication and cast, and in Python an
    int(), a shift and a mask (issue 13; PostgreSQL, the queue's read of 200 employees × a month,
    median of 25: 10.9 → 9.2 ms). A day index needs no date: the queue counts days as bits of the
    period (`DayBits`, `day_bits`: bit i is the day of index i)."""

    output_field = TextField()
    contains_aggregate = True

    def __init__(self, date_column: str, minutes_column: str, start: dt.date):
        super().__init__(F(date_column), F(minutes_column), Value(start, output_field=DateField()))

    def as_sql(self, compiler, connection, **extra_context):  # type: ignore[override]
        (date, date_params), (minutes, minutes_params), (start, start_params) = (
            compiler.compile(expression) for expression in self.get_source_expressions()[:3]
        )
        params = [*date_params, *start_params, *minutes_params]
        if connection.vendor == "postgresql":
            packed = f"(({date} - CAST({start} AS date)) * {MINUTES_MASK + 1} + {minutes})::text"
            return f"STRING_AGG({packed}, ',')", params
        # SQLite stores a date as its ISO text; julianday() of two dates differs by whole days
        packed = f"CAST(julianday({date}) - julianday({start}) AS INTEGER) * {MINUTES_MASK + 1} + {minutes}"
        return f"GROUP_CONCAT({packed}, ',')", params


def day_minutes(text: str | None) -> list[tuple[int, int]]:
    """`[(index, minutes)]` of a `DayMinutes` text, one per row of the group (a day may come more than
    once); none for an empty group."""
    if not text:
        return []
    return [(value >> MINUTES_BITS, value & MINUTES_MASK) for value in map(int, text.split(","))]


class DayBits(Aggregate):
    """The dates of a group of rows as one integer: bit i set for the day `start` + i days, for a
    filter that keeps the rows from `start` to at most 62 days later (an approver queue's period);
    `day_bits` gives each day's bit. One integer per employee and state instead of a text of days to
    split and parse (issue 13: the approver queue's 6,200 day locks of a month).

    PostgreSQL: BIT_OR of `1 << (date - start)`. SQLite has no BIT_OR: it SUMs the bits, which is
    the same only while a group holds each day at most once (a day on two rows would carry into the
    next day's bit), so use it only where that is certain — grouped by employee, day locks are
    (DayLock's unique (membership, date)). SUM(DISTINCT …) would allow any group, but sorted every
    group's bits: a third more for the queue's 6,200 locks. A date is its ISO text on SQLite, and
    julianday() of two dates differs by whole days."""

    output_field = BigIntegerField()
    contains_aggregate = True

    def __init__(self, column: str, start: dt.date):
        super().__init__(F(column), Value(start, output_field=DateField()))

    def as_sql(self, compiler, connection, **extra_context):  # type: ignore[override]
        (date, date_params), (start, start_params) = (
            compiler.compile(expression) for expression in self.get_source_expressions()[:2]
        )
        params = [*date_params, *start_params]
        if connection.vendor == "postgresql":
            return f"BIT_OR(CAST(1 AS bigint) << ({date} - CAST({start} AS date)))", params
        return f"SUM(1 << CAST(julianday({date}) - julianday({start}) AS INTEGER))", params


def day_bits(days: Sequence[dt.date]) -> dict[dt.date, int]:
    """`{day: bit}` of consecutive `days` as `DayBits` sets them (its `start` the first of them)."""
    if len(days) > 62:
        raise ValueError("DayBits holds at most 62 days")
    return {day: 1 << i for i, day in enumerate(days)}


_AS_THEY_ARE = {"CharField", "TextField", "BooleanField"}
_INSERT_PLANS: dict[tuple[type[models.Model], str], tuple[list[models.Field], str, Any, bool, list]] = {}


def _insert_plan(
    model: type[models.Model], connection: BaseDatabaseWrapper
) -> tuple[list[models.Field], str, Any, bool, list]:
    """The fields of `model`'s INSERT, their quoted column list, an insert compiler, whether a field
    makes its own placeholder, and per field the Python type whose values are its column's values as
    they are (a str of a text column, a bool of a boolean one; None for any other field), made once
    per process and database (issue 13: building them was a good part of every create's
    `save_and_record` on PostgreSQL)."""
    key = (model, connection.alias)
    plan = _INSERT_PLANS.get(key)
    if plan is None:
        from django.db.models.sql.subqueries import InsertQuery

        meta = model._meta
        fields = [f for f in meta.local_concrete_fields if not f.generated and f is not meta.auto_field]
        compiler = InsertQuery(model).get_compiler(connection=connection)
        qn = connection.ops.quote_name
        special = any(getattr(f, "get_placeholder", None) is not None for f in fields)
        columns = ", ".join(qn(str(f.column)) for f in fields)
        # (not the integer columns: the backend may wrap their ints, e.g. psycopg's Int4 on PostgreSQL)
        plain = [
            _SAME_TYPES.get(f.get_internal_type()) if f.get_internal_type() in _AS_THEY_ARE else None
            for f in fields
        ]
        plan = _INSERT_PLANS.setdefault(key, (fields, columns, compiler, special, plain))
    return plan


def insert_values_sql(obj: models.Model, connection: BaseDatabaseWrapper) -> tuple[str, list[str], list[Any]]:
    """The pieces of the INSERT `obj.save()` would send for a new instance with an auto-increment
    key — the quoted column list, one placeholder per column and their parameters — through the ORM's
    own insert compiler (`pre_save`, e.g. `auto_now`, and each field's adaptation applied as there),
    for a caller that writes it as part of a larger statement (audit.services.save_and_record).

    The compiler is made once per model (`_insert_plan`); a row whose values are plain (no
    expression) and whose fields need no special placeholder gets `%s` for each, as the compiler's
    `field_as_sql` would give; anything else goes through a fresh compiler as before."""
    obj._prepare_related_fields_for_save(operation_name="save")  # type: ignore[attr-defined]  # as save()
    fields, columns, compiler, special, plain = _insert_plan(type(obj), connection)
    raw = [f.pre_save(obj, True) for f in fields]  # the compiler's pre_save_val for a new row
    if special or any(hasattr(v, "resolve_expression") for v in raw):
        from django.db.models.sql.subqueries import InsertQuery

        query = InsertQuery(type(obj))
        query.insert_values(fields, [obj])
        compiler = query.get_compiler(connection=connection)
        values = [compiler.prepare_value(f, v) for f, v in zip(fields, raw, strict=True)]
        placeholders, params = compiler.assemble_as_sql(fields, [values])
        return columns, list(placeholders[0]), list(params[0])
    # a plain value of a plain column as it is (what get_db_prep_save gives for it, ~3 µs a field)
    values = [
        v
        if v is None and kind is not None or type(v) is kind
        else f.get_db_prep_save(v, connection=connection)
        for f, v, kind in zip(fields, raw, plain, strict=True)
    ]
    if any(hasattr(v, "as_sql") for v in values):  # a field adapted its value into an expression
        placeholders, params = compiler.assemble_as_sql(fields, [values])
        return columns, list(placeholders[0]), list(params[0])
    return columns, ["%s"] * len(fields), values


class IdsIn(Expression):
    """`column IN (3, 5, 8)` with the ids written into the statement as integer literals (each one
    passed through `int()`, so nothing but digits reaches the SQL), for a filter on many ids.

    Why: PostgreSQL plans a statement psycopg has prepared (`prepare_threshold`) once, generically,
    and a generic plan tests `IN ($4, $5, …)` against every row one parameter after another: the
    approver queue's 200 employees made its reads of a month's entries and day locks 3–4 times
    slower than their first executions (issue 13). A list of constants is hashed in every plan. The
    same employees give the same text, so the statement is still prepared and its plan reused."""

    conditional = True
    output_field = BooleanField()

    def __init__(self, column: str, ids: Iterable[int]):
        super().__init__()
        self.lhs: Any = F(column)
        self.ids = tuple(sorted({int(i) for i in ids}))

    def get_source_expressions(self) -> list:
        return [self.lhs]

    def set_source_expressions(self, exprs: Sequence[Any]) -> None:
        (self.lhs,) = exprs

    def as_sql(self, compiler, connection, **extra_context):  # type: ignore[override]
        if not self.ids:
            raise EmptyResultSet
        sql, params = compiler.compile(self.lhs)
        return f"{sql} IN ({', '.join(map(str, self.ids))})", params


def in_ids(column: str, ids: Iterable[int]) -> models.Q | IdsIn:
    """A filter on `column` being one of `ids`: one id as a parameter (the statement is the same for
    everyone), several (a team, the approver queue) as literals (`IdsIn`)."""
    ids = list(ids)
    return IdsIn(column, ids) if len(ids) > 1 else models.Q(**{f"{column}__in": ids})


def replace_placeholders(
    sql: str, params: Sequence[Any], at: dict[int, tuple[str, list[Any]]]
) -> tuple[str, list[Any]]:
    """Write the `%s` placeholders numbered in `at` (0-based, in the order of `params`) as the given SQL
    expressions with their own parameters (Django's SQL: `%%` is a literal percent sign)."""
    parts: list[str] = []
    out: list[Any] = []
    index = start = i = 0
    while (i := sql.find("%", i)) != -1:
        following = sql[i + 1 : i + 2]
        if following == "%":
            i += 2
            continue
        if following != "s":
            raise ValueError(f"not a placeholder at {i}: {sql[i : i + 2]!r}")
        if index in at:
            expression, its_params = at[index]
            parts.append(sql[start:i] + expression)
            out.extend(its_params)
            start = i + 2
        else:
            out.append(params[index])
        index += 1
        i += 2
    if index != len(params):
        raise ValueError(f"{index} placeholders for {len(params)} parameters")
    parts.append(sql[start:])
    return "".join(parts), out


# --- one transaction for a whole API request (issue 13: the create of one time entry) ---------------

_REQUEST_TX_ATTR = "verksam_request_transaction"


class RequestTransaction:
    """One transaction around an API request, begun before its first statement (the token's query)
    and ended once its response exists (api.tenant.ScopeMiddleware): on PostgreSQL the request's own
    statements need no transaction of their own, the tenant scope is set transaction-local
    (`set_config(..., true)`, tenancy.scope) and so needs no statement to reset it, and the services'
    atomic blocks join it without a savepoint (`service_atomic`). Issue 13: BEGIN before the token's
    query instead of a BEGIN, SAVEPOINT-free service and an end-of-request reset; the create of one
    time entry 8 -> 7 round trips.

    Built on Django's atomic: inside another transaction (a test's) it is a savepoint, and the scope
    stays session-level with its reset, as without it (`scope_is_local` is False then)."""

    def __init__(self, using: str = DEFAULT_DB_ALIAS):
        self.using = using
        self.connection = connections[using]
        self.atomic = transaction.atomic(using=using)
        self.outermost = False
        self.depth = 0
        # (model label, pk) of the rows locked FOR UPDATE in this transaction by the request's own
        # reads (the member's row at the tenant's entry): a service's lock of the same row is held
        self.locked: set[tuple[str, int]] = set()
        # committed with the request's last statement (`execute_committing`)
        self.committed = False
        # reads sent ahead in an earlier round trip, by name: (what they were sent for, their reader);
        # the code that needs one takes it (`take_prefetched`) if it was sent for the same thing
        self.prefetched: dict[str, tuple[Any, Callable[[], Any]]] = {}

    def begin(self) -> "RequestTransaction":
        conn = self.connection
        if getattr(conn, _REQUEST_TX_ATTR, None) is not None:
            raise RuntimeError("a request transaction is open already")
        self.outermost = not conn.in_atomic_block
        self.atomic.__enter__()
        self.depth = len(conn.atomic_blocks)
        setattr(conn, _REQUEST_TX_ATTR, self)
        return self

    def end(self, *, commit: bool) -> None:
        """Commit (`commit`, unless a block inside it failed: Django's atomic then rolls back) or roll
        back. A rollback also undoes every set_config of the transaction (PostgreSQL)."""
        conn = self.connection
        setattr(conn, _REQUEST_TX_ATTR, None)
        if self.committed:
            conn.execute_wrappers.remove(_refuse_after_commit)
        if not commit:
            conn.set_rollback(True)
        self.atomic.__exit__(None, None, None)  # committed already: psycopg sends nothing

    def can_commit_with_next(self) -> bool:
        """The next statement may commit the request's transaction (`execute_committing`): it is
        PostgreSQL's own transaction (not a savepoint in a test's), every block inside it joined it
        without a savepoint, nothing failed and nothing waits for its commit (`on_commit`)."""
        conn = self.connection
        return (
            self.scope_is_local
            and not self.committed
            and _has_pipeline()
            and not conn.needs_rollback
            and not conn.run_on_commit
            and all(sid is None for sid in conn.savepoint_ids)
            and getattr(conn, _TOGETHER_ATTR, None) is None
        )

    def execute_committing(self, sql: str, params: Sequence[Any]) -> list[tuple]:
        """Execute the request's last statement and COMMIT in the same write (issue 13: the create of
        one time entry, its INSERT; one round trip less) and answer its rows. The statement's error
        is raised here, as without the COMMIT (which the server then skips), so the caller's handling
        of it is unchanged. Nothing may run on the connection after it in this request (a statement
        raises RuntimeError) — the response is built from what is in memory — and the transaction
        stays committed even if building the response fails: the client's retry with the same
        idempotency key (a time entry's client_uuid) gets the saved row back."""
        from psycopg.pq import TransactionStatus

        from .pgbatch import run_wrappers, send_batch

        if not self.can_commit_with_next():
            raise RuntimeError("the request's transaction cannot commit with this statement")
        conn = self.connection
        run_wrappers(conn, sql, params)
        conn.validate_no_broken_transaction()
        pg = conn.connection
        begin = pg.info.transaction_status == TransactionStatus.IDLE
        (rows,) = send_batch(conn, [(sql, params)], begin=begin, commit=True)
        self.committed = True
        conn.execute_wrappers.append(_refuse_after_commit)
        return rows

    @property
    def scope_is_local(self) -> bool:
        """The tenant scope may be set transaction-local: this is the connection's outermost block."""
        return self.outermost and self.connection.vendor == "postgresql"

    @property
    def is_innermost(self) -> bool:
        return self.connection.in_atomic_block and len(self.connection.atomic_blocks) == self.depth


def prefetch(name: str, key: Any, read: Callable[[], Any], using: str = DEFAULT_DB_ALIAS) -> None:
    """Keep a read sent ahead (in the request's first round trip, `pipeline`) for the code that will
    need it: `key` says what it was sent for. Inside the API's request transaction only."""
    tx = current_request_transaction(using)
    if tx is not None:
        tx.prefetched[name] = (key, read)


def take_prefetched(name: str, key: Any, using: str = DEFAULT_DB_ALIAS) -> Callable[[], Any] | None:
    """The reader of the read `prefetch` kept under `name` if it was sent for `key` (else None: read
    it yourself); taken once."""
    tx = current_request_transaction(using)
    kept = tx.prefetched.pop(name, None) if tx is not None else None
    return kept[1] if kept is not None and kept[0] == key else None


def _refuse_after_commit(execute, sql, params, many, context):
    raise RuntimeError(
        "the request's transaction committed with its last statement (RequestTransaction."
        f"execute_committing); nothing may follow it: {sql[:80]}"
    )


def request_transaction(using: str = DEFAULT_DB_ALIAS) -> RequestTransaction | None:
    """Begin the request transaction (PostgreSQL only; None on SQLite, whose writers are serialised by
    BEGIN IMMEDIATE and whose requests keep their own short transactions)."""
    if connections[using].vendor != "postgresql":
        return None
    return RequestTransaction(using).begin()


def current_request_transaction(using: str = DEFAULT_DB_ALIAS) -> RequestTransaction | None:
    return getattr(connections[using], _REQUEST_TX_ATTR, None)


def note_row_locked(obj: models.Model, using: str = DEFAULT_DB_ALIAS) -> None:
    """`obj`'s row was read FOR UPDATE inside the request transaction: it stays locked until it ends."""
    tx = current_request_transaction(using)
    if tx is None:
        raise RuntimeError("a row lock is noted only inside a request transaction")
    tx.locked.add((obj._meta.label, int(obj.pk)))


def holds_row_lock(obj: models.Model, using: str = DEFAULT_DB_ALIAS) -> bool:
    """Whether the open request transaction locked `obj`'s row already (`note_row_locked`)."""
    tx = current_request_transaction(using)
    return tx is not None and (obj._meta.label, int(obj.pk)) in tx.locked


@contextmanager
def pipeline(using: str = DEFAULT_DB_ALIAS) -> Iterator[None]:
    """Statements sent in this block (`send_together`; `FixedQuery.send_first`) go to the server in one
    write when it ends, and are read after it (PostgreSQL with libpq's pipeline mode; elsewhere the
    block is plain and each statement is answered at once). The server runs them one after the other,
    in order, each seeing what the ones before it did (a `set_config`, a row lock). A database error
    of any statement is raised when the block ends (the later ones are then skipped by the server),
    as Django's. Any other statement executed inside the block is sent after the ones sent before it.
    When psycopg would begin a transaction with the next statement (Django's atomic turned autocommit
    off), the BEGIN goes in the same write. Issue 13: the token's query and the member's row of the
    create of one time entry, with its BEGIN, in one round trip (core.pgbatch)."""
    conn = connections[using]
    if conn.vendor != "postgresql" or not _has_pipeline():
        yield  # each statement is answered before the next is sent: the same, one by one
        return
    if getattr(conn, _TOGETHER_ATTR, None) is not None:
        raise RuntimeError("a pipeline is open already")
    together = _Together(conn)
    setattr(conn, _TOGETHER_ATTR, together)
    try:
        with conn.execute_wrapper(together.before_another):
            yield
    finally:
        setattr(conn, _TOGETHER_ATTR, None)
    together.send()


@functools.cache
def _has_pipeline() -> bool:
    """libpq's pipeline mode needs libpq 14 or later (psycopg[binary] brings its own)."""
    import psycopg

    return psycopg.capabilities.has_pipeline()


_TOGETHER_ATTR = "verksam_together"


def send_together(
    sql: str, params: Sequence[Any], using: str = DEFAULT_DB_ALIAS
) -> Callable[[], list[tuple]] | None:
    """Inside `pipeline()` on PostgreSQL: queue the statement and answer a function that reads its rows
    once the block has ended. Elsewhere None: execute it yourself."""
    together = getattr(connections[using], _TOGETHER_ATTR, None)
    return None if together is None else together.add(sql, params)


class _Together:
    """The statements of one `pipeline()` block: sent when it ends, or before another statement."""

    def __init__(self, conn: BaseDatabaseWrapper):
        self.conn = conn
        self.pending: list[tuple[str, Sequence[Any]]] = []
        self.rows: list[list[tuple]] = []
        self.sending = False

    def add(self, sql: str, params: Sequence[Any]) -> Callable[[], list[tuple]]:
        index = len(self.rows) + len(self.pending)
        self.pending.append((sql, list(params)))

        def read() -> list[tuple]:
            if index >= len(self.rows):
                raise RuntimeError("a statement of a pipeline is read before the block has ended")
            return self.rows[index]

        return read

    def before_another(self, execute, sql, params, many, context):
        if not self.sending:
            self.send()
        return execute(sql, params, many, context)

    def send(self) -> None:
        from psycopg.pq import TransactionStatus

        from .pgbatch import run_wrappers, send_batch

        if not self.pending:
            return
        statements, self.pending = self.pending, []
        conn = self.conn
        self.sending = True
        try:
            conn.ensure_connection()
            for sql, params in statements:
                run_wrappers(conn, sql, params)
            conn.validate_no_broken_transaction()
            pg = conn.connection
            begin = not pg.autocommit and pg.info.transaction_status == TransactionStatus.IDLE
            self.rows.extend(send_batch(conn, statements, begin=begin))
        finally:
            self.sending = False


def service_atomic(func: Callable[..., T]) -> Callable[..., T]:
    """`transaction.atomic` for a service that the API may call inside its request transaction: there
    (directly inside it) the service joins it without a savepoint (issue 13: two round trips less);
    an error inside marks the whole request transaction for rollback, as the request fails anyway.
    Everywhere else: `transaction.atomic` as it is."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> T:
        tx = current_request_transaction()
        with transaction.atomic(savepoint=tx is None or not tx.is_innermost):
            return func(*args, **kwargs)

    return wrapper


def ids_value(ids: Iterable[int], connection: Any) -> Any:
    """How an `in_ids` lookup sends its ids (each through `int()`): on SQLite one parameter, the ids as
    JSON text; on PostgreSQL one id as a parameter (an int: the statement is the same for everyone, as
    `in_ids`), several as the text of the statement's literal list ('3, 5, 8', 'NULL' for none:
    `IN (NULL)` matches nothing), written into the SQL (see `InIds`)."""
    values = sorted({int(i) for i in ids})
    if connection.vendor == "postgresql":
        if len(values) == 1:
            return values[0]
        return ", ".join(map(str, values)) or "NULL"
    return json.dumps(values)


class InIds(models.Lookup):
    """`membership_id__in_ids=[3, 5, 8]`: the column is one of the ids, the statement's text the same
    whatever their number, so that a query of many ids (the approver queue's 200 employees) is compiled
    once per process (core.fixedquery's `ids=`; issue 13: Django compiled the queue's reads with their
    200 ids on every call, ~1 ms each).

    SQLite: `IN (SELECT value FROM json_each(%s))`, one parameter of JSON text; the plan stays a
    search of the (tenant, membership, date) index per id. PostgreSQL: the ids as integer literals
    (`IdsIn`'s reason: a prepared statement's generic plan of `= ANY($1)` probes the membership index
    once per id, 3.8–5.7 ms against 1.5–1.7 ms for a literal list, which is hashed — EXPLAIN ANALYZE
    on the bench's month of 200 employees); each id is passed through `int()`, so nothing but digits
    and ', ' reaches the SQL, and a fixed query puts the call's list into its cached text. One id
    stays a parameter there (as `in_ids`: one employee's pages send the same statement for everyone).
    An empty list matches nothing."""

    lookup_name = "in_ids"
    prepare_rhs = False
    can_use_none_as_rhs = False

    def get_prep_lookup(self) -> Any:
        return list(self.rhs)  # the ids as given; `ids_value` turns them into SQL

    def as_sql(self, compiler, connection):  # type: ignore[override]
        lhs, lhs_params = self.process_lhs(compiler, connection)
        value = ids_value(self.rhs, connection)
        if isinstance(value, int):  # one id on PostgreSQL
            return f"{lhs} IN (%s)", [*lhs_params, value]
        if connection.vendor == "postgresql":
            return f"{lhs} IN ({value})", list(lhs_params)
        return f"{lhs} IN (SELECT value FROM json_each(%s))", [*lhs_params, value]


models.ForeignKey.register_lookup(InIds)
models.IntegerField.register_lookup(InIds)
