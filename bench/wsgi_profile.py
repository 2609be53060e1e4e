# ruff: noqa: E501
"""CPU time and statements per request, in process, through the production WSGI stack (issue 13).

The over-HTTP bench (bench/over_http.py) gives what users get, but on a shared machine its wall-clock
figures swing with the other load. This calls `config.wsgi.application` directly — every middleware,
the production settings (`config.settings.bench` on SQLite, `prod` on PostgreSQL), the demo data and
the 200-employee company of bench/http_setup.py — and reports per call the CPU time of this process
(`time.process_time`, far less disturbed by other load than wall time), the wall time, and the number
of SQL statements the connection executed (every one, including BEGIN/COMMIT and set_config, which
CaptureQueriesContext in a test shows differently). Optionally a cProfile of the calls.

    python -m bench.wsgi_profile prepare --db sqlite              # once: a scratch database (~1 min)
    python -m bench.wsgi_profile run --db sqlite -n 200            # every call, CPU ms and statements
    python -m bench.wsgi_profile run --db postgres --calls create --profile 30
    python -m bench.wsgi_profile run --db sqlite --calls create --sql  # the statements of one call

The scratch databases live in $BENCH_WSGI_DIR (default /tmp/verksam-wsgi-$USER); on PostgreSQL the
database is `verksam_wsgi_<suffix>` (--suffix, default the user name), owned by the application role
without BYPASSRLS, so row-level security applies as in production.
"""

import argparse
import cProfile
import datetime as dt
import io
import json
import os
import pstats
import statistics
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CALLS = ["create", "list", "batch", "page_home", "page_week", "page_queue", "page_home_big", "page_week_big", "page_queue_big"]  # fmt: skip


def _dir(db: str) -> Path:
    base = Path(os.environ.get("BENCH_WSGI_DIR", f"/tmp/verksam-wsgi-{os.environ.get('USER', 'x')}"))
    path = base / db
    path.mkdir(parents=True, exist_ok=True)
    return path


def _server(db: str, suffix: str):
    from bench.over_http import Server

    server = Server(db, _dir(db))
    server.pg_name = f"verksam_wsgi_{suffix}"
    if db == "postgres":
        server.env["DATABASE_URL"] = server.env["DATABASE_URL"].rsplit("/", 1)[0] + "/" + server.pg_name
    return server


def prepare(db: str, suffix: str) -> None:
    server = _server(db, suffix)
    if db == "sqlite":
        for f in _dir(db).glob("bench.sqlite3*"):
            f.unlink()
    began = time.monotonic()
    data = server.prepare()
    (_dir(db) / "data.json").write_text(json.dumps({"env": server.env, "data": data}, indent=1))
    print(f"prepared {db} in {time.monotonic() - began:.0f} s: {_dir(db) / 'data.json'}")


class Counter:
    """Counts every statement the connection executes (an execute_wrapper sees them all)."""

    def __init__(self):
        self.n = 0
        self.sql: list[str] = []
        self.keep = False

    def __call__(self, execute, sql, params, many, context):
        self.n += 1
        if self.keep:
            self.sql.append(sql if params is None else f"{sql}  -- {params!r}"[:400])
        return execute(sql, params, many, context)


def _environ(method: str, path: str, query: str = "", body: bytes = b"", headers: dict | None = None) -> dict:
    environ = {
        "REQUEST_METHOD": method,
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8000",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "HTTP_HOST": "127.0.0.1",
        "HTTP_X_FORWARDED_PROTO": "https",
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(body),
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": False,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
        "CONTENT_LENGTH": str(len(body)),
    }
    if body:
        environ["CONTENT_TYPE"] = "application/json"
    for name, value in (headers or {}).items():
        environ["HTTP_" + name.upper().replace("-", "_")] = value
    return environ


class Calls:
    """The requests of the bench, as WSGI environ factories."""

    def __init__(self, data: dict, first_day: dt.date):
        self.d = data
        self.day = first_day
        self.n = 0
        self.api = f"/api/v1/tenants/{data['tenant_id']}/time-entries"
        self.auth = {"Authorization": f"Bearer {data['token']}"}

    def _entry(self) -> dict:
        day = self.day + dt.timedelta(days=self.n // 4)
        self.n += 1
        return {"client_uuid": str(uuid.uuid4()), "date": day.isoformat(), "kind": "work", "project_id": self.d["project_id"], "minutes": 60}  # fmt: skip

    def create(self):
        return _environ("POST", self.api, body=json.dumps(self._entry()).encode(), headers=self.auth)

    def batch(self):
        body = json.dumps({"entries": [self._entry() for _ in range(500)]}).encode()
        return _environ("POST", self.api + "/batch", body=body, headers=self.auth)

    def list(self):
        return _environ(
            "GET", self.api, f"from={self.d['week_from']}&to={self.d['week_to']}", headers=self.auth
        )

    def _page(self, slug, rest, session, query=""):
        return _environ("GET", f"/t/{slug}/{rest}", query, headers={"Cookie": f"sessionid={session}"})

    def page_home(self):
        return self._page(self.d["slug"], "", self.d["owner_session"])

    def page_week(self):
        return self._page(self.d["slug"], "time/", self.d["employee_session"], f"week={self.d['week_key']}")

    def page_queue(self):
        return self._page(self.d["slug"], "attestation/", self.d["owner_session"])

    def page_home_big(self):
        return self._page(self.d["big_slug"], "", self.d["big_boss_session"])

    def page_week_big(self):
        return self._page(
            self.d["big_slug"], "time/", self.d["big_worker_session"], f"week={self.d['big_week_key']}"
        )

    def page_queue_big(self):
        return self._page(
            self.d["big_slug"], "attestation/", self.d["big_boss_session"], f"period={self.d['big_period']}"
        )


def run(options) -> int:
    saved = json.loads((_dir(options.db) / "data.json").read_text())
    os.environ.update(saved["env"])
    sys.path.insert(0, str(ROOT))
    from django.db import connection

    from config.wsgi import application
    from verksam.core.warmup import prepare_worker

    prepare_worker()  # as gunicorn.conf.py's post_worker_init: warmed up, loaded objects frozen
    data = saved["data"]
    # created entries go on days nobody used yet: one day per 4 creates, 125 days per 500 of a batch
    state = _dir(options.db) / "next_day"
    first = dt.date.fromisoformat(state.read_text()) if state.exists() else dt.date(2000, 1, 3)
    calls = Calls(data, first)
    counter = Counter()
    wanted = options.calls.split(",") if options.calls else CALLS
    status_seen: dict[str, set] = {}
    rows = []
    with connection.execute_wrapper(counter):
        for name in wanted:
            factory = getattr(calls, name)
            body = b""

            def one(factory=factory):
                nonlocal body
                out = []
                result = application(factory(), lambda code, headers, exc_info=None: out.append(code))
                body = b"".join(result)
                if hasattr(result, "close"):
                    result.close()
                return int(out[0].split()[0])

            n = options.n if not name.startswith("batch") else max(3, options.n // 30)
            for _ in range(options.warm):
                one()
            cpu, wall, stmts = [], [], []
            prof = cProfile.Profile() if options.profile else None
            for _ in range(n):
                counter.n = 0
                counter.keep = options.sql
                counter.sql = []
                c0, w0 = time.process_time(), time.perf_counter()
                if prof:
                    prof.enable()
                status = one()
                if prof:
                    prof.disable()
                cpu.append((time.process_time() - c0) * 1000)
                wall.append((time.perf_counter() - w0) * 1000)
                stmts.append(counter.n)
                status_seen.setdefault(name, set()).add(status)
                if status >= 300 and len(status_seen[name]) == 1:
                    print(f"  {name}: HTTP {status}: {body[:300]!r}")
            if name == "batch" and b'"refused": 0' not in body.replace(b'"refused":0', b'"refused": 0'):
                print(f"  batch: items refused: {body[:200]!r}")
            rows.append(
                (
                    name,
                    n,
                    statistics.median(cpu),
                    min(cpu),
                    statistics.median(wall),
                    statistics.median(stmts),
                    sorted(status_seen[name]),
                )
            )
            if options.sql:
                print(f"-- {name}: {len(counter.sql)} statements")
                for s in counter.sql:
                    print("   ", s)
            if prof:
                if options.profile_dump:
                    prof.dump_stats(options.profile_dump)
                out = io.StringIO()
                pstats.Stats(prof, stream=out).sort_stats("cumulative").print_stats(options.profile)
                print(f"-- profile of {name} ({n} calls), cumulative")
                print(out.getvalue())
                out = io.StringIO()
                pstats.Stats(prof, stream=out).sort_stats("tottime").print_stats(options.profile)
                print(f"-- profile of {name} ({n} calls), own time")
                print(out.getvalue())
    state.write_text((calls.day + dt.timedelta(days=calls.n // 4 + 1)).isoformat())
    print(f"{options.db} {options.label}".strip())
    print(f"  {'call':<16}{'n':>5}{'CPU p50':>9}{'CPU min':>9}{'wall p50':>10}{'stmts':>7}  status")
    for name, n, cpu_p50, cpu_min, wall_p50, stmt, statuses in rows:
        print(f"  {name:<16}{n:>5}{cpu_p50:>9.2f}{cpu_min:>9.2f}{wall_p50:>10.2f}{stmt:>7.0f}  {statuses}")
    return 0


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("what", choices=["prepare", "run"])
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--suffix", default=os.environ.get("USER", "x"))
    parser.add_argument("--calls", default="", help=f"comma-separated, of {','.join(CALLS)}")
    parser.add_argument("-n", type=int, default=100)
    parser.add_argument("--warm", type=int, default=5)
    parser.add_argument("--profile", type=int, default=0, help="print this many lines of a cProfile")
    parser.add_argument("--profile-dump", default="", help="also write the cProfile's stats to this file")
    parser.add_argument("--sql", action="store_true", help="print the statements of the last call")
    parser.add_argument("--label", default="")
    options = parser.parse_args(argv)
    if options.what == "prepare":
        prepare(options.db, options.suffix)
        return 0
    return run(options)


if __name__ == "__main__":
    sys.exit(main())
