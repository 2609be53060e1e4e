"""/healthz and /readyz (docs/deploy.md): JSON for the supervisor, the proxy and monitoring."""

import json
import logging
from unittest import mock

from django.db.utils import OperationalError

from verksam.core.jsonlog import JsonFormatter
from verksam.web import health


def test_healthz_answers_when_the_database_does(db, client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"database": "ok"}}
    assert "no-cache" in response["Cache-Control"]


def test_healthz_is_503_when_the_database_is_unreachable(db, client):
    with mock.patch.object(health, "connections") as connections:
        connections.__getitem__.return_value.cursor.side_effect = OperationalError("connection refused")
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "checks": {"database": "error"}}
    assert "refused" not in response.content.decode()  # details go to the log only


def test_readyz_checks_database_cache_and_migrations(db, client, monkeypatch):
    assert client.get("/readyz").json() == {
        "status": "ok",
        "checks": {"database": "ok", "cache": "ok", "migrations": "ok"},
    }
    # an unapplied migration (a deploy that forgot `migrate`) makes it not ready
    monkeypatch.setattr(health, "_migrations_applied", False)
    with mock.patch.object(health.MigrationExecutor, "migration_plan", return_value=[("app", False)]):
        response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["migrations"] == "error"


def test_health_needs_no_login_and_only_get(db, client):
    assert client.post("/healthz").status_code == 405


def test_log_lines_are_json_with_the_request_and_extra_fields(rf):
    record = logging.LogRecord("django.request", logging.WARNING, __file__, 1, "Not Found: %s", ("/x",), None)
    record.request = rf.get("/x")
    record.status_code = 404
    line = json.loads(JsonFormatter().format(record))
    assert line["level"] == "WARNING" and line["message"] == "Not Found: /x"
    assert line["method"] == "GET" and line["path"] == "/x" and line["status_code"] == 404


def test_gunicorn_access_lines_become_fields():
    atoms = {"h": "127.0.0.1", "m": "POST", "U": "/api/v1/auth/token", "s": "201", "M": "12", "B": "-"}
    record = logging.LogRecord("gunicorn.access", logging.INFO, __file__, 1, "%(h)s", (atoms,), None)
    line = json.loads(JsonFormatter().format(record))
    assert line["path"] == "/api/v1/auth/token" and line["status"] == 201 and line["duration_ms"] == 12
    assert "bytes" not in line
