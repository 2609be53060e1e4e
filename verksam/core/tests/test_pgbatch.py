"""Several statements in one write (core.db.pipeline, core.pgbatch; issue 13): the same rows as a cursor,
the transaction's BEGIN in the same write, psycopg's prepared-statement cache kept right across
rollbacks, errors raised as Django's, and the order of the statements kept."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import DatabaseError, connection, transaction
from django.test.utils import CaptureQueriesContext

from verksam.core import db as core_db
from verksam.core.pgbatch import send_batch


@pytest.fixture
def postgres(db):
    if connection.vendor != "postgresql":
        pytest.skip("the batch is PostgreSQL's (elsewhere core.db.pipeline is a plain block)")


ROW_SQL = "SELECT %s::int, %s::text, %s::date, %s::timestamptz, %s::numeric, %s::text IS NULL, %s::bool"
ROW_PARAMS = [
    7,
    'Åsa\'s "quoted"; text',
    dt.date(2026, 12, 3),
    dt.datetime(2026, 12, 3, 8, 30, tzinfo=dt.UTC),
    Decimal("12.50"),
    None,
    True,
]


def _by_cursor(sql, params):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def test_the_rows_are_those_a_cursor_reads(postgres):
    connection.ensure_connection()
    rows = send_batch(connection, [(ROW_SQL, ROW_PARAMS), ("SELECT 1 WHERE false", [])], begin=False)
    assert rows == [_by_cursor(ROW_SQL, ROW_PARAMS), []]


def test_a_statement_is_prepared_once_through_psycopg_s_cache(postgres):
    connection.ensure_connection()
    sql = "SELECT %s::int + 1 AS batch_probe"
    for value in (1, 2, 3):
        assert send_batch(connection, [(sql, [value])], begin=False) == [[(value + 1,)]]
    names = _prepared_like("batch_probe")
    assert len(names) == 1, names
    assert names[0] in connection.connection._prepared._names.values()


def _prepared_like(text):
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM pg_prepared_statements WHERE statement LIKE %s", [f"%{text}%"])
        return [row[0].encode() for row in cursor.fetchall()]


def test_after_a_rollback_deallocates_them_the_statement_is_prepared_again(postgres):
    """psycopg deallocates every prepared statement at a rollback (a savepoint's included): the
    batch's statements go through psycopg's cache, which forgets them then too."""
    connection.ensure_connection()
    sql = "SELECT %s::int * 2 AS batch_again"
    assert send_batch(connection, [(sql, [2])], begin=False) == [[(4,)]]
    with pytest.raises(DatabaseError), transaction.atomic():
        _by_cursor("SELECT 1/0", [])
    _by_cursor("SELECT 1", [])  # psycopg's maintenance (DEALLOCATE ALL) runs with the next statement
    assert send_batch(connection, [(sql, [3])], begin=False) == [[(6,)]]


@pytest.mark.django_db(transaction=True)
def test_the_begin_goes_in_the_same_write_and_opens_the_transaction():
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's")
    from psycopg.pq import TransactionStatus

    with transaction.atomic():
        pg = connection.connection
        assert pg.info.transaction_status == TransactionStatus.IDLE  # psycopg has not begun yet
        rows = send_batch(
            connection, [("SELECT set_config('verksam.batch_probe', %s, true)", ["inside"])], begin=True
        )
        assert rows == [[("inside",)]]
        assert pg.info.transaction_status == TransactionStatus.INTRANS
        assert not pg.autocommit
        # transaction-local: still set for the transaction's next statement...
        assert _by_cursor("SELECT current_setting('verksam.batch_probe', true)", []) == [("inside",)]
    # ...and gone once it committed
    assert _by_cursor("SELECT current_setting('verksam.batch_probe', true)", []) in ([("",)], [(None,)])


def test_an_error_is_django_s_and_the_later_statements_are_skipped(postgres):
    connection.ensure_connection()
    with pytest.raises(DatabaseError, match="division by zero"), transaction.atomic():
        send_batch(
            connection,
            [("SELECT 1/%s", [0]), ("SELECT set_config('verksam.batch_skipped', 'ran', false)", [])],
            begin=False,
        )
    assert _by_cursor("SELECT current_setting('verksam.batch_skipped', true)", []) in ([("",)], [(None,)])


def test_the_wrappers_and_the_query_log_see_each_statement(postgres):
    seen = []

    def wrapper(execute, sql, params, many, context):
        seen.append(sql)
        return execute(sql, params, many, context)

    with (
        CaptureQueriesContext(connection) as log,
        connection.execute_wrapper(wrapper),
        core_db.pipeline(),
    ):
        first = core_db.send_together("SELECT %s::int", [1])
        second = core_db.send_together("SELECT %s::text", ["två"])
    assert first() == [(1,)] and second() == [("två",)]
    assert seen == ["SELECT %s::int", "SELECT %s::text"]
    assert [q["sql"] for q in log.captured_queries] == ["SELECT %s::int", "SELECT %s::text"]


def test_another_statement_inside_the_block_runs_after_those_sent_before_it(postgres):
    with transaction.atomic():
        with core_db.pipeline():
            switched = core_db.send_together("SELECT set_config('verksam.batch_order', %s, true)", ["first"])
            # executed at once: the statement sent before it goes first
            seen = _by_cursor("SELECT current_setting('verksam.batch_order', true)", [])
            later = core_db.send_together("SELECT current_setting('verksam.batch_order', true)", [])
        assert switched() == [("first",)]
        assert seen == [("first",)]
        assert later() == [("first",)]


def test_a_statement_is_read_only_after_the_block(postgres):
    with core_db.pipeline():
        read = core_db.send_together("SELECT 1", [])
        with pytest.raises(RuntimeError):
            read()
    assert read() == [(1,)]


def test_an_error_inside_the_block_sends_nothing(postgres):
    with pytest.raises(ValueError), core_db.pipeline():
        core_db.send_together("SELECT set_config('verksam.batch_unsent', 'sent', false)", [])
        raise ValueError("the caller failed")
    assert _by_cursor("SELECT current_setting('verksam.batch_unsent', true)", []) in ([("",)], [(None,)])


def test_outside_postgresql_or_a_block_nothing_is_queued(db, monkeypatch):
    assert core_db.send_together("SELECT 1", []) is None
    monkeypatch.setattr(core_db, "_has_pipeline", lambda: False)
    with core_db.pipeline():
        assert core_db.send_together("SELECT 1", []) is None
