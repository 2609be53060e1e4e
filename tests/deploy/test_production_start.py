"""The production start of docs/deploy.md, for real (issue 7, item 14).

gunicorn serves config.wsgi with config.settings.prod against a scratch PostgreSQL database (and
Redis for the cache when it answers, else the database cache), behind a simulated reverse proxy
(X-Forwarded-Proto/-For). A person logs in through the web form and a phone through the API token
endpoint and reports time; health, readiness, static files, the admin site, the shared rate limits
and the JSON logs are checked on the way. PostgreSQL only: skipped when no server answers.
"""

import datetime as dt
import json
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path
from zoneinfo import ZoneInfo

import httpx
import psycopg
import pytest
from django.conf import settings
from psycopg import sql

ROOT = Path(__file__).resolve().parents[2]
ADMIN_URL = os.environ.get("PG_ADMIN_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
ROLE, ROLE_PASSWORD = "verksam_app", "verksam_app"  # as tools/pg_setup.py creates it

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        "postgresql" not in settings.DATABASES["default"]["ENGINE"],
        reason="the production set-up is PostgreSQL",
    ),
]


def _admin():
    try:
        return psycopg.connect(ADMIN_URL, autocommit=True, connect_timeout=3)
    except psycopg.OperationalError:
        pytest.skip("PostgreSQL is not reachable on localhost")


def _redis_db() -> int | None:
    """A Redis database number to use for the cache, or None when no Redis answers."""
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=1) as s:
            s.sendall(b"PING\r\n")
            if s.recv(16).startswith(b"+PONG"):
                return 9
    except OSError:
        pass
    return None


EMAIL, PASSWORD = "olle@prodstart.example.com", "Prodstart-lösen-2026"
# A company with its owner, as the sign-up creates it.
SIGNUP = f"""
from verksam.accounts.models import User
from verksam.billing.services import tenant_signup
owner = User.objects.create_user({EMAIL!r}, {PASSWORD!r}, name="Olle Ägare")
tenant = tenant_signup(name="Prodstart AB", orgnr="5566778899", owner=owner, variant="pro", slug="prodstart")
from verksam.timecodes.services import timecodes_install_defaults
timecodes_install_defaults(tenant_id=tenant.pk)
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def scratch_database():
    if subprocess.run([sys.executable, "tools/pg_setup.py"], cwd=ROOT, capture_output=True).returncode:
        pytest.skip("PostgreSQL is not reachable on localhost")
    name = f"verksam_prodstart_{os.getpid()}"
    with _admin() as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))
        conn.execute(
            sql.SQL("CREATE DATABASE {} OWNER {}").format(sql.Identifier(name), sql.Identifier(ROLE))
        )
    yield f"postgresql://{ROLE}:{ROLE_PASSWORD}@127.0.0.1:5432/{name}"
    with _admin() as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


def _cookies(response: httpx.Response, jar: dict[str, str]) -> dict[str, str]:
    # The cookies are Secure (HTTPS behind the proxy): keep them by hand, as the browser would.
    for header in response.headers.get_list("set-cookie"):
        name, _, rest = header.partition("=")
        jar[name.strip()] = rest.split(";", 1)[0]
    return jar


def test_gunicorn_serves_production_settings_on_postgresql(scratch_database, tmp_path):
    empty_env_file = tmp_path / "verksam.env"
    empty_env_file.write_text("")
    redis_db = _redis_db()
    port = _free_port()
    env = {
        "PATH": os.environ["PATH"],
        "HOME": os.environ.get("HOME", "/tmp"),
        "VERKSAM_ENV_FILE": str(empty_env_file),
        "DJANGO_SETTINGS_MODULE": "config.settings.prod",
        "SECRET_KEY": secrets.token_urlsafe(60),
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": scratch_database,
        "CACHE_URL": f"redis://127.0.0.1:6379/{redis_db}"
        if redis_db is not None
        else "dbcache://verksam_cache",
        "EMAIL_URL": "smtp://127.0.0.1:25",
        "SITE_URL": "https://127.0.0.1",
        "PAYMENT_PROVIDER_URL": "https://payments.invalid",
        "PAYMENT_PROVIDER_API_KEY": "test-key-not-the-fake",
        "STATIC_ROOT": str(tmp_path / "static"),
        "MEDIA_ROOT": str(tmp_path / "media"),
        "TRUSTED_PROXY_COUNT": "1",
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "WEB_CONCURRENCY": "2",
    }
    python = sys.executable

    def manage(*args: str) -> None:
        result = subprocess.run(
            [python, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=180
        )
        assert result.returncode == 0, result.stdout + result.stderr

    # the deployment steps of docs/deploy.md
    manage("migrate", "--noinput")
    if redis_db is None:
        manage("createcachetable")
    manage("collectstatic", "--noinput")
    manage("shell", "--no-imports", "-c", SIGNUP)
    if redis_db is not None:
        subprocess.run(["redis-cli", "-n", str(redis_db), "FLUSHDB"], capture_output=True)

    gunicorn = str(Path(python).with_name("gunicorn"))
    log = (tmp_path / "gunicorn.log").open("w+")
    server = subprocess.Popen([gunicorn, "config.wsgi"], cwd=ROOT, env=env, stdout=log, stderr=log)
    base = f"http://127.0.0.1:{port}"
    # what the reverse proxy adds to every request
    proxy = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.10"}
    try:
        with httpx.Client(base_url=base, headers=proxy, timeout=10) as http:
            deadline = time.monotonic() + 20
            while True:
                try:
                    if http.get("/healthz").status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                assert server.poll() is None, log.seek(0) or log.read()
                assert time.monotonic() < deadline, "gunicorn did not answer /healthz"
                time.sleep(0.2)

            health = http.get("/healthz", headers={"X-Forwarded-Proto": ""})  # plain HTTP is not redirected
            assert health.status_code == 200
            assert health.json() == {"status": "ok", "checks": {"database": "ok"}}
            ready = http.get("/readyz")
            assert ready.json() == {
                "status": "ok",
                "checks": {"database": "ok", "cache": "ok", "migrations": "ok"},
            }

            # HTTPS is enforced and the admin site is not served
            assert http.get("/accounts/login/", headers={"X-Forwarded-Proto": ""}).status_code == 301
            assert http.get("/admin/").status_code == 404

            # static files come from gunicorn itself (WhiteNoise), compressed and with hashed names
            static = http.get("/static/js/htmx.min.js", headers={"Accept-Encoding": "gzip"})
            assert static.status_code == 200
            assert static.headers.get("content-encoding") == "gzip"

            # a person logs in through the web form (CSRF as a browser does it)
            jar: dict[str, str] = {}
            page = http.get("/accounts/login/")
            _cookies(page, jar)
            token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
            origin = {
                "Origin": f"https://127.0.0.1:{port}",
                "Referer": f"https://127.0.0.1:{port}/accounts/login/",
            }
            cookie = {"Cookie": "; ".join(f"{k}={v}" for k, v in jar.items())}
            login = http.post(
                "/accounts/login/",
                data={"email": EMAIL, "password": PASSWORD, "csrfmiddlewaretoken": token},
                headers={**origin, **cookie},
            )
            assert login.status_code == 302, login.text
            _cookies(login, jar)
            assert "sessionid" in jar
            cookie = {"Cookie": "; ".join(f"{k}={v}" for k, v in jar.items())}
            home = http.get("/", headers=cookie)
            while home.status_code == 302:
                home = http.get(home.headers["location"], headers=cookie)
            assert home.status_code == 200
            assert "Logga ut" in home.text, home.url

            # a phone exchanges the password for a token and reports time through the API
            answer = http.post(
                "/api/v1/auth/token",
                json={"email": EMAIL, "password": PASSWORD, "name": "phone"},
            )
            assert answer.status_code == 201, answer.text
            api = {"Authorization": f"Bearer {answer.json()['token']}"}
            tenant = next(
                t for t in http.get("/api/v1/tenants", headers=api).json() if t["slug"] == "prodstart"
            )
            project = http.post(f"/api/v1/tenants/{tenant['id']}/projects", json={"name": "Kök"}, headers=api)
            assert project.status_code == 201, project.text
            url = f"/api/v1/tenants/{tenant['id']}/time-entries"
            day = dt.datetime.now(ZoneInfo("Europe/Stockholm")).date() - dt.timedelta(days=1)
            body = {
                "client_uuid": str(uuid.uuid4()),
                "date": day.isoformat(),
                "kind": "work",
                "project_id": project.json()["id"],
                "minutes": 90,
            }
            created = http.post(url, json=body, headers=api)
            assert created.status_code == 201, created.text
            listed = http.get(url, params={"from": day.isoformat(), "to": day.isoformat()}, headers=api)
            assert created.json()["id"] in [e["id"] for e in listed.json()["items"]]

            # the login rate limits are shared by both workers (Redis or the database, not memory)
            wrong = {"email": "nobody@prodstart.example.com", "password": "wrong"}
            statuses = [http.post("/api/v1/auth/token", json=wrong).status_code for _ in range(8)]
            assert statuses[:5] == [401] * 5 and statuses[5:] == [429] * 3
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()

    # the entry is stored in PostgreSQL (read as the application role, inside the tenant's scope)
    with psycopg.connect(scratch_database) as conn:
        conn.execute("SELECT set_config('app.tenant_ids', %s, false)", [str(tenant["id"])])
        stored = conn.execute(
            "SELECT minutes FROM timereporting_timeentry WHERE id = %s", [created.json()["id"]]
        ).fetchone()
    assert stored == (90,)

    # gunicorn's and Django's logs are JSON lines; the access log has the request's fields
    log.seek(0)
    lines = [json.loads(line) for line in log.read().splitlines() if line.strip()]
    access = [e for e in lines if e["logger"] == "gunicorn.access"]
    assert any(e["path"] == "/api/v1/auth/token" and e["status"] == 201 for e in access)
    assert any(e.get("forwarded_for") == "203.0.113.10" for e in access)
