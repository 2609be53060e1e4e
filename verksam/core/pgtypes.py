"""Timestamps read from PostgreSQL by psycopg's C loader (issue 13).

Django registers its own loader for `timestamptz` (`psycopg_any.register_tzloader`): a Python subclass
of psycopg's pure-Python loader, which parses each value in Python (~4.3 µs a value on this project's
bench machine) and then sets `tzinfo` to Django's database timezone. psycopg's C loader (psycopg[binary])
does the same parse in C (~0.4 µs) and answers the session's time zone as a tzinfo — `timezone.utc`
itself when the session's `TimeZone` is UTC, which Django sets for `USE_TZ` without a database
`TIME_ZONE`. A create of one time entry reads ~15 such values, a week's list and the approver queue
hundreds.

So, for a connection whose Django timezone is UTC and whose session says UTC, the connection's
`timestamptz` loader is replaced by `UtcTimestamptzLoader`: its `load` is the C loader's own bound
method (psycopg calls it per value, with no Python frame between) and it has the `timezone` attribute
Django's `create_cursor` compares with its own (equal, so Django registers nothing per cursor). The
values are the same: aware datetimes in `datetime.timezone.utc` (test_pgtypes.py). Any other
configuration keeps Django's loader.
"""

import datetime

from django.db.backends.signals import connection_created

TIMESTAMPTZ = "timestamptz"


def _c_loader():
    import psycopg
    from psycopg.pq import Format

    # the default map's loader: the C class when psycopg's C extension is installed
    return psycopg.adapters.get_loader(psycopg.postgres.types[TIMESTAMPTZ].oid, Format.TEXT)


def _loader_class():
    from psycopg.adapt import Loader

    base = _c_loader()

    class UtcTimestamptzLoader(Loader):
        """psycopg's own `timestamptz` loader, with Django's `timezone` attribute (UTC)."""

        timezone = datetime.UTC

        def __init__(self, oid, context=None):
            super().__init__(oid, context)
            self.load = base(oid, context).load  # type: ignore[method-assign]

        def load(self, data):  # pragma: no cover - replaced per instance in __init__
            raise AssertionError("replaced by the C loader's load")

    return UtcTimestamptzLoader


_LOADER: list = []


def use_c_timestamptz_loader(sender, connection, **kwargs) -> bool:  # noqa: ARG001
    """`connection_created`: on PostgreSQL with UTC on both sides, load `timestamptz` in C."""
    if connection.vendor != "postgresql" or connection.timezone is not datetime.UTC:
        return False
    raw = connection.connection
    if raw.info.parameter_status("TimeZone") != "UTC":
        return False
    if not _LOADER:
        _LOADER.append(_loader_class())
    raw.adapters.register_loader(TIMESTAMPTZ, _LOADER[0])
    return True


def connect() -> None:
    connection_created.connect(use_c_timestamptz_loader, dispatch_uid="verksam_c_timestamptz_loader")
