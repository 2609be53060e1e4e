"""Several statements to PostgreSQL in one write and one round trip (issue 13): `core.db.pipeline`.

libpq's pipeline mode, driven here rather than through psycopg's `Connection.pipeline()`: psycopg
begins a transaction inside its pipeline with a round trip of its own (BEGIN, then a sync), and sends
each statement in a write of its own, polling the socket around each. For the create of one time
entry (BEGIN, the token's query, the member's row) that was two round trips, six writes and ~12 polls
where one write and one round trip do: measured with two prepared SELECTs and a COMMIT, psycopg's
pipeline 780 µs wall / 530 µs of the client's CPU, this 540 µs / 240 µs (`docs/performance.md`).

Each statement is prepared as psycopg's cursor prepares it — through the connection's own cache of
prepared statements (`prepare_threshold`, `prepared_max`; emptied by psycopg at a rollback, which
deallocates them on the server), in the same write the first time — its parameters converted by
psycopg's adaptation (`PostgresQuery`: the connection's adapters, Django's included) and its rows
loaded by psycopg's `Transformer`, as a cursor would. The statements still run one after the other
on the server, each seeing what the ones before it did (a `set_config`, a row lock). An error of one
makes the server skip the rest; it is raised, converted as Django converts it, once every answer is
read.

Built on psycopg internals (`psycopg._queries.PostgresQuery`, the connection's `_prepared` manager,
`psycopg.generators`), mirroring psycopg's own `Cursor._maybe_prepare_gen`; psycopg is pinned in
requirements and `core/tests/test_pgbatch.py` exercises each of them.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Callable, Sequence
from typing import Any

from django.db.backends.base.base import BaseDatabaseWrapper


def send_batch(
    conn: BaseDatabaseWrapper,
    statements: Sequence[tuple[str, Sequence[Any]]],
    *,
    begin: bool,
    commit: bool = False,
) -> list[list[tuple]]:
    """Send `statements` (Django's SQL with `%s` parameters) in one write, preceded by BEGIN when
    `begin` and followed by COMMIT when `commit`, and answer each one's rows. Raises the first error,
    as Django's cursor would (after an error the server skips the rest, the COMMIT included)."""
    from psycopg import errors, generators, pq
    from psycopg._preparing import Prepare
    from psycopg._queries import PostgresQuery
    from psycopg.adapt import Transformer

    pg = conn.connection
    pgconn = pg.pgconn
    cache = pg._prepared
    transformer = Transformer(pg)
    began = time.monotonic()
    sent = []  # per statement: (query, prepare state, name, cache key)
    with conn.wrap_database_errors:
        for sql, params in statements:
            query = PostgresQuery(transformer)
            query.convert(sql, list(params))
            prep, name = cache.get(query, True)
            sent.append((query, prep, name, cache.maybe_add_to_cache(query, prep, name)))
        pgconn.enter_pipeline_mode()
        try:
            if begin:
                pgconn.send_query_params(b"BEGIN", None)
            for query, prep, name, _key in sent:
                if prep is Prepare.NO:  # prepared statements switched off (prepare_threshold None)
                    pgconn.send_query_params(
                        query.query, query.params, param_types=query.types, param_formats=query.formats
                    )
                    continue
                if prep is Prepare.SHOULD:
                    pgconn.send_prepare(name, query.query, param_types=query.types)
                pgconn.send_query_prepared(name, query.params, param_formats=query.formats)
            if commit:
                pgconn.send_query_params(b"COMMIT", None)
            pgconn.pipeline_sync()
            pg.wait(generators.send(pgconn))
            # BEGIN's answer, then per statement its PREPARE's (when new) and its own, then the sync
            expected = begin + sum(1 + (prep is Prepare.SHOULD) for _q, prep, _n, _k in sent) + commit + 1
            answers = [pg.wait(generators.fetch_many(pgconn)) for _ in range(expected)]
        finally:
            pgconn.exit_pipeline_mode()
        assert answers[-1][0].status == pq.ExecStatus.PIPELINE_SYNC, answers[-1]
        results = iter(answers)
        if begin:
            next(results)
        own = []
        for _query, prep, name, key in sent:
            if prep is Prepare.SHOULD:
                next(results)
            answer = next(results)
            if key is not None:
                cache.validate(key, prep, name, answer)
            own.append(answer)
        _log(conn, statements, began)
        failed = pq.ExecStatus.FATAL_ERROR
        error = next((r for answer in answers for r in answer if r.status == failed), None)
        if error is not None:
            raise errors.error_from_result(error, encoding=pg.info.encoding)
        pg.wait(cache.maintain_gen(pg))  # a statement pushed out of the cache is deallocated
    rows: list[list[tuple]] = []
    for (result,) in own:
        transformer.set_pgresult(result)
        rows.append(transformer.load_rows(0, result.ntuples, tuple))
    return rows


def _log(conn: BaseDatabaseWrapper, statements: Sequence[tuple[str, Sequence[Any]]], began: float) -> None:
    """What Django's debug cursor records per statement (connection.queries, CaptureQueriesContext)."""
    if not conn.queries_logged:
        return
    duration = f"{time.monotonic() - began:.3f}"
    for sql, _params in statements:
        conn.queries_log.append({"sql": sql, "time": duration})


def run_wrappers(conn: BaseDatabaseWrapper, sql: str, params: Sequence[Any]) -> None:
    """Let the connection's execute wrappers (`connection.execute_wrapper`) see the statement as Django's
    cursor would let them; the statement itself is sent with the batch."""
    if not conn.execute_wrappers:
        return
    executor: Callable[..., Any] = lambda *_args: None  # noqa: E731
    for wrapper in reversed(conn.execute_wrappers):
        executor = functools.partial(wrapper, executor)
    executor(sql, params, False, {"connection": conn, "cursor": None})
