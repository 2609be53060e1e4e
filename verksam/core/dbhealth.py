"""The database health check only where a dead connection is likely (issue 13).

`CONN_HEALTH_CHECKS = True` makes Django send `SELECT 1` before the first query of every request that
reuses a connection: one more round trip on every API call (on PostgreSQL ~1 of 17 for a create).
A connection that a request finished with, without a database error, a moment ago is almost surely
alive; the check matters after a pause, when a server restart, a failover or an idle-timeout
(PgBouncer, a firewall) may have closed it unseen. So a connection vouched for by a request that ended
cleanly less than `DATABASE_HEALTH_CHECK_AFTER` seconds ago (default 5) skips the check; after a
longer pause the check runs as before. A connection that had an error is never vouched for (Django
closes or re-checks it at the request's end), and one that outlived CONN_MAX_AGE is closed as before.
What is given up: if the server drops connections within those seconds of a good request, that next
request fails once and Django reconnects after it — as with CONN_HEALTH_CHECKS off.
"""

import time

from django.conf import settings
from django.core.signals import request_finished, request_started
from django.db import connections

_VOUCHED_AT = "_verksam_vouched_at"


def _window() -> float:
    return float(getattr(settings, "DATABASE_HEALTH_CHECK_AFTER", 5))


def vouch_after_request(**kwargs) -> None:
    """After Django's own end-of-request handling: remember when each still-open clean connection
    was last good."""
    now = time.monotonic()
    for conn in connections.all(initialized_only=True):
        if (
            conn.connection is not None
            and not conn.errors_occurred
            and getattr(conn, "health_check_enabled", False)
        ):
            setattr(conn, _VOUCHED_AT, now)
        else:
            setattr(conn, _VOUCHED_AT, None)


def skip_check_when_fresh(**kwargs) -> None:
    """After Django's start-of-request handling (which asks for a new check): a connection vouched
    for within the window needs none."""
    window = _window()
    now = time.monotonic()
    for conn in connections.all(initialized_only=True):
        vouched = getattr(conn, _VOUCHED_AT, None)
        if conn.connection is not None and vouched is not None and now - vouched < window:
            setattr(conn, "health_check_done", True)  # noqa: B010  # not in the type stubs


def connect() -> None:
    # Connected after django.db's close_old_connections (imported earlier), so these run after it.
    request_finished.connect(vouch_after_request, dispatch_uid="verksam_db_vouch")
    request_started.connect(skip_check_when_fresh, dispatch_uid="verksam_db_skip_check")
