"""The per-request SELECT 1 runs only after a pause or an error (verksam.core.dbhealth, issue 13)."""

import pytest
from django.db import connections

from verksam.core import dbhealth


@pytest.fixture
def checks(db, monkeypatch):
    """Count the health checks of the default connection, as at the start of a request."""
    connection = connections["default"]
    connection.ensure_connection()
    assert connection.health_check_enabled  # CONN_HEALTH_CHECKS stays on (config/settings/base.py)
    calls: list[int] = []
    monkeypatch.setattr(connection, "is_usable", lambda: calls.append(1) or True)
    monkeypatch.setattr(connection, "errors_occurred", False)

    def next_request() -> int:
        before = len(calls)
        connection.health_check_done = False  # what Django's close_old_connections does first
        dbhealth.skip_check_when_fresh()
        connection.close_if_health_check_failed()
        return len(calls) - before

    return next_request


def test_a_connection_a_clean_request_just_used_is_not_checked(checks):
    dbhealth.vouch_after_request()
    assert checks() == 0


def test_after_a_pause_the_connection_is_checked(checks, settings):
    dbhealth.vouch_after_request()
    settings.DATABASE_HEALTH_CHECK_AFTER = 0
    assert checks() == 1


def test_after_a_database_error_the_connection_is_checked(checks, monkeypatch):
    connection = connections["default"]
    monkeypatch.setattr(connection, "errors_occurred", True)
    dbhealth.vouch_after_request()
    assert checks() == 1


def test_a_connection_never_vouched_for_is_checked(checks, monkeypatch):
    connection = connections["default"]
    monkeypatch.setattr(connection, dbhealth._VOUCHED_AT, None, raising=False)
    assert checks() == 1
