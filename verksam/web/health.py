"""Health and readiness for the process supervisor, the reverse proxy and monitoring (docs/deploy.md).

`/healthz`: the process serves and its database answers (restart or alert when not).
`/readyz`: it can do its work: the database answers, the shared cache (rate limits) answers and
every migration is applied (send traffic only when ready, e.g. during a deploy).
Both answer JSON without details of the failure (those go to the log) and are never cached.
"""

import logging
import secrets

from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

logger = logging.getLogger(__name__)
_migrations_applied = False  # once true, stays true until the process restarts with new code


def _database() -> bool:
    try:
        with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception:
        logger.exception("health: database unreachable")
        return False


def _cache() -> bool:
    key, value = "healthz:" + secrets.token_hex(8), secrets.token_hex(8)
    try:
        cache.set(key, value, 10)
        ok = cache.get(key) == value
        cache.delete(key)
        return ok
    except Exception:
        logger.exception("health: cache unreachable")
        return False


def _migrations() -> bool:
    global _migrations_applied
    if not _migrations_applied:
        try:
            executor = MigrationExecutor(connections[DEFAULT_DB_ALIAS])
            plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
        except Exception:
            logger.exception("health: migrations could not be read")
            return False
        _migrations_applied = not plan
    return _migrations_applied


def _answer(checks: dict[str, bool]) -> JsonResponse:
    ok = all(checks.values())
    body = {
        "status": "ok" if ok else "unavailable",
        "checks": {k: "ok" if v else "error" for k, v in checks.items()},
    }
    return JsonResponse(body, status=200 if ok else 503)


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    return _answer({"database": _database()})


@never_cache
@require_GET
def readyz(request: HttpRequest) -> JsonResponse:
    database = _database()
    return _answer({"database": database, "cache": _cache(), "migrations": database and _migrations()})
