"""PostgreSQL's timestamps are read by psycopg's C loader with Django's semantics (core/pgtypes.py)."""

import datetime
from datetime import datetime as at

import pytest
from django.db import connection

from verksam.audit.models import AuditEvent
from verksam.core import pgtypes
from verksam.tenancy.scope import tenant_scope
from verksam.tenancy.tests.factories import TenantFactory


@pytest.fixture
def postgres(db):
    if connection.vendor != "postgresql":
        pytest.skip("the timestamptz loader is PostgreSQL's")
    connection.ensure_connection()


def _loader():
    import psycopg
    from psycopg.pq import Format

    return connection.connection.adapters.get_loader(psycopg.postgres.types["timestamptz"].oid, Format.TEXT)


def test_the_connection_loads_timestamptz_with_the_c_loader(postgres):
    loader = _loader()
    assert loader.__name__ == "UtcTimestamptzLoader"
    # Django's create_cursor compares this with its own timezone: equal, so nothing per cursor
    assert loader.timezone is connection.timezone is datetime.UTC


@pytest.mark.parametrize(
    "text, expected",
    [
        ("2026-12-03 10:28:38.789858+00", at(2026, 12, 3, 10, 28, 38, 789858, tzinfo=datetime.UTC)),
        ("2026-06-30 23:59:59+02", at(2026, 6, 30, 21, 59, 59, tzinfo=datetime.UTC)),
        ("1901-02-03 04:05:06.000007+00", at(1901, 2, 3, 4, 5, 6, 7, tzinfo=datetime.UTC)),
        ("9999-12-31 23:59:59.999999+00", at(9999, 12, 31, 23, 59, 59, 999999, tzinfo=datetime.UTC)),
    ],
)
def test_values_are_the_same_aware_utc_datetimes_as_djangos_loader(postgres, text, expected):
    with connection.cursor() as cursor:
        cursor.execute("SELECT %s::timestamptz, NULL::timestamptz", [text])
        value, null = cursor.fetchone()
    assert value == expected
    assert value.tzinfo is datetime.UTC
    assert null is None


def test_a_model_round_trips_its_timestamps(postgres):
    tenant = TenantFactory()
    with tenant_scope(tenant.pk):
        event = AuditEvent.objects.create(tenant=tenant, action="test.pgtypes", target_id="1")
        again = AuditEvent.objects.get(pk=event.pk)
    assert again.created_at == event.created_at
    assert again.created_at.tzinfo is datetime.UTC


def test_another_time_zone_keeps_djangos_loader(postgres):
    class Other:
        vendor = "postgresql"
        timezone = datetime.timezone(datetime.timedelta(hours=1))

    assert pgtypes.use_c_timestamptz_loader(None, Other()) is False
