"""The web's session store: Django's database sessions, the session's row read with SQL compiled once
per process (issue 13, core.fixedquery).

Every page of a logged-in user reads its session first; Django's `db` store builds and compiles that
`Session.objects.get(session_key=…, expire_date__gt=now)` on each request (~1 ms CPU, the only ORM
compilation left on some pages). Here the same read — the same row, the same expiry condition, the
same handling of a missing or expired session — goes through a `FixedQuery`. Everything else (saving,
cycling keys, clearing expired rows) is Django's own. `SESSION_ENGINE` names this module.
"""

import datetime as dt
import logging

from django.contrib.sessions.backends.db import SessionStore as DbSessionStore
from django.contrib.sessions.models import Session
from django.core.exceptions import SuspiciousOperation
from django.db.models import QuerySet
from django.utils import timezone

from verksam.core.fixedquery import FixedQuery, datetime_value


def _session_row(session_key: str, now: dt.datetime) -> QuerySet[Session]:
    return Session.objects.filter(session_key=session_key, expire_date__gt=now).order_by()[:1]


_SESSION = FixedQuery(
    _session_row,
    sentinels={
        "session_key": "\x00verksam-session-sentinel",
        "now": dt.datetime(1, 2, 3, 4, 5, 6, 7, tzinfo=dt.UTC),
    },
    adapt={"now": datetime_value},
)


class SessionStore(DbSessionStore):
    """Django's database session store; `_get_session_from_db` reads through `_SESSION`."""

    def _get_session_from_db(self):  # type: ignore[no-untyped-def]
        try:
            session = _SESSION.first(session_key=self.session_key, now=timezone.now())
        except SuspiciousOperation as e:  # as Django's store does
            logger = logging.getLogger(f"django.security.{e.__class__.__name__}")
            logger.warning(str(e))
            session = None
        if session is None:
            self._session_key = None
        return session
