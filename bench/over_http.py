# ruff: noqa: E501  (the table's rows read best on one line each)
"""`make bench`, the figures that count: Verksam over real HTTP beside the bare Django floor (issue 13).

For SQLite and PostgreSQL (as the application role without BYPASSRLS) in turn:
1. a scratch database gets the migrations, the demo data (`seed_demo`) and a 200-employee bench
   company (bench/http_setup.py);
2. gunicorn serves it with the production configuration (config.wsgi, gunicorn.conf.py, 2 sync
   workers, DEBUG off, WhiteNoise, JSON access log; `config.settings.prod` on PostgreSQL and
   `config.settings.bench` — prod with the SQLite database — on SQLite);
3. `wrk` drives it on loopback, 1 and 8 concurrent clients: create one time entry (a fresh
   client_uuid per request, bench/wrk/post_entry.lua; n clients are n people of the company, each
   with their own token, since one person's writes wait for each other on the employee's lock by
   design — n clients of one person are shown too, not a target) and list one week, each right after
   ../shared/bench/floor/run.sh measured the floor with the same tool, clients and duration; in
   `--rounds` rounds (3), whose median is reported, with the median of the rounds' ratios;
4. the batch endpoint (500 entries per request) and the pages (week, approver queue, Översikt) for
   the demo's largest company and the bench company.

It prints req/s, p50 and p99 of each call beside the floor and the ratio Verksam/floor. A figure
counts only when every answer did the work: a run with non-2xx answers, or a batch that refused
items, is marked INVALID and fails the targets (each create run is probed first and says why). The machine
may be shared: only the ratios of one run are comparable; re-take absolute figures on a quiet machine.

    python -m bench.over_http [--db sqlite|postgres|both] [--duration 5] [--clients 1,8] [--rounds 3]
                              [--json out.json]
"""

import argparse
import datetime as dt
import json
import math
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WRK_DIR = ROOT / "bench" / "wrk"
FLOOR = Path(os.environ.get("BENCH_FLOOR_DIR", ROOT.parent.parent / "shared" / "bench" / "floor"))
ADMIN_URL = os.environ.get("PG_ADMIN_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
PER_DAY = 4  # entries a day the create bench writes (a phone's day: a few entries)
BATCH_PER_DAY = 8  # a batch is a phone's offline days: eight one-hour entries a day
# Created entries go on days the demo never touches, on the bench's open-ended project
# (bench/http_setup.py): from the first date anything may be written on (core.bounds) onwards, and
# never into the demo's months, where the employee's days are locked or attested.
FIRST_DAY = dt.date(2000, 1, 3)
LAST_DAY = dt.date(2025, 12, 31)
BATCH = 500
TARGET_RATIO = 0.5
TARGET_BATCH = 2000
TARGET_PAGE_MS = 50.0


def _floor_dir() -> Path:
    for candidate in (FLOOR, ROOT.parent / "shared" / "bench" / "floor", Path("/work/shared/bench/floor")):
        if (candidate / "run.sh").is_file():
            return candidate
    return FLOOR


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _redis_answers() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=1) as s:
            s.sendall(b"PING\r\n")
            return s.recv(16).startswith(b"+PONG")
    except OSError:
        return False


def _ms(text: str) -> float:
    match = re.match(r"([\d.]+)(us|ms|s|m)$", text.strip())
    if not match:
        return float("nan")
    value, unit = float(match[1]), match[2]
    return value * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}[unit]


def wrk(url: str, script: str, args: list[str], clients: int, duration: int) -> dict:
    """One wrk run: requests/s, p50 and p99 in ms, non-2xx answers and the number of requests."""
    cmd = ["wrk", "-t1", f"-c{clients}", f"-d{duration}s", "--latency", "-s", str(WRK_DIR / script), url]
    out = subprocess.run([*cmd, "--", *args], capture_output=True, text=True, timeout=duration + 60).stdout
    rps = re.search(r"Requests/sec:\s+([\d.]+)", out)
    p50 = re.search(r"^\s+50%\s+(\S+)", out, re.M)
    p99 = re.search(r"^\s+99%\s+(\S+)", out, re.M)
    total = re.search(r"(\d+) requests in", out)
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    refused = re.search(r"^refused batches: (\d+)", out, re.M)  # post_entry.lua, batch only
    return {
        "rps": float(rps[1]) if rps else 0.0,
        "p50": _ms(p50[1]) if p50 else float("nan"),
        "p99": _ms(p99[1]) if p99 else float("nan"),
        "requests": int(total[1]) if total else 0,
        "non2xx": int(non2xx[1]) if non2xx else 0,
        "refused": int(refused[1]) if refused else 0,
    }


def invalid(row: dict) -> str:
    """Why a figure does not count ("" when it does): it must come from answers that did the work —
    2xx only, and for the batch no refused item (a batch answers 200 with per-item refusals)."""
    reasons = []
    if row.get("non2xx"):
        reasons.append(f"{row['non2xx']} non-2xx")
    if row.get("refused"):
        reasons.append(f"{row['refused']} batches with refused items")
    return ", ".join(reasons)


def floor(db: str, clients: int, duration: int, tmp: Path) -> dict[str, dict]:
    """../shared/bench/floor/run.sh: `{"post": {...}, "get": {...}}` (empty when it cannot run)."""
    run = _floor_dir() / "run.sh"
    if not run.is_file():
        return {}
    env = {
        **os.environ,
        "CONNS": str(clients),
        "DUR": f"{duration}s",
        "FLOOR_PORT": str(_free_port()),
        "FLOOR_SQLITE": str(tmp / "floor.sqlite3"),
        "FLOOR_DB": db,
        "TMPDIR": os.environ.get("TMPDIR", "/tmp"),
    }
    if db == "postgres":
        env["FLOOR_PGPORT"] = "5432"
    result = subprocess.run(["bash", str(run)], capture_output=True, text=True, env=env, timeout=600)
    figures = {}
    for line in result.stdout.splitlines():
        if line.startswith("{"):
            row = json.loads(line)
            figures[row["floor"]] = {
                "rps": float(row["rps"] or 0),
                "p50": _ms(row["p50"]),
                "p99": _ms(row["p99"]),
                "non2xx": int(row.get("non2xx") or 0),
            }
    return figures


def _ensure_floor_database() -> None:
    import psycopg

    with psycopg.connect(ADMIN_URL, autocommit=True, connect_timeout=3) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = 'floor'").fetchone():
            conn.execute("CREATE DATABASE floor")


class Server:
    """A scratch database with the demo data, served by gunicorn with the production configuration."""

    def __init__(self, db: str, tmp: Path):
        self.db, self.tmp = db, tmp
        self.port = _free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.pg_name = f"verksam_bench_{os.getpid()}"
        self.process: subprocess.Popen | None = None
        self.redis_db = 12 if _redis_answers() else None
        env_file = tmp / "verksam.env"
        env_file.write_text("")
        if db == "sqlite":
            database_url = f"sqlite:///{tmp / 'bench.sqlite3'}"
            settings = "config.settings.bench"
        else:
            url = subprocess.run(
                [sys.executable, "tools/pg_setup.py"], cwd=ROOT, capture_output=True, text=True
            ).stdout.strip()
            database_url = url.rsplit("/", 1)[0] + "/" + self.pg_name
            settings = "config.settings.prod"
        self.env = {
            "PATH": os.environ["PATH"],
            "HOME": os.environ.get("HOME", "/tmp"),
            "VERKSAM_ENV_FILE": str(env_file),
            "DJANGO_SETTINGS_MODULE": settings,
            "SECRET_KEY": secrets.token_urlsafe(60),
            "ALLOWED_HOSTS": "127.0.0.1",
            "DATABASE_URL": database_url,
            "CACHE_URL": f"redis://127.0.0.1:6379/{self.redis_db}"
            if self.redis_db is not None
            else "dbcache://verksam_cache",
            "EMAIL_URL": "smtp://127.0.0.1:25",
            "SITE_URL": "https://127.0.0.1",
            "PAYMENT_PROVIDER_URL": "https://payments.invalid",
            "PAYMENT_PROVIDER_API_KEY": "bench-key-not-the-fake",
            "STATIC_ROOT": str(tmp.parent / "static"),
            "MEDIA_ROOT": str(tmp / "media"),
            "GUNICORN_BIND": f"127.0.0.1:{self.port}",
            "WEB_CONCURRENCY": "2",
            # gunicorn.conf.py recycles a worker after ~2000 requests; a bench run sends more, and a
            # worker start in the middle of a measurement is not what a steady production server sees.
            "GUNICORN_MAX_REQUESTS": "0",
            "LOG_LEVEL": "WARNING",
        }

    def manage(self, *args: str) -> str:
        result = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=900,
        )
        if result.returncode:
            raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
        return result.stdout

    def prepare(self) -> dict:
        if self.db == "postgres":
            import psycopg
            from psycopg import sql

            with psycopg.connect(ADMIN_URL, autocommit=True, connect_timeout=3) as conn:
                conn.execute(
                    sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(self.pg_name))
                )
                conn.execute(
                    sql.SQL("CREATE DATABASE {} OWNER verksam_app").format(sql.Identifier(self.pg_name))
                )
        self.manage("migrate", "--noinput")
        if self.redis_db is None:
            self.manage("createcachetable")
        else:
            subprocess.run(["redis-cli", "-n", str(self.redis_db), "FLUSHDB"], capture_output=True)
        if not (Path(self.env["STATIC_ROOT"]) / "staticfiles.json").is_file():
            self.manage("collectstatic", "--noinput")
        self.manage("seed_demo")
        out = self.manage("shell", "--no-imports", "-c", "from bench.http_setup import main; main()")
        self.analyze()
        return json.loads(out.strip().splitlines()[-1])

    def analyze(self) -> None:
        """Give PostgreSQL's planner the statistics a production server keeps: its autovacuum
        analyzes a table after bulk writes, but this machine's server runs with autovacuum off, so
        a scratch database loaded and written by the bench was never analyzed. Without statistics
        every estimate is 1 row and the pages' reads went through the one-column `tenant_id` index,
        filtering all of the tenant's rows (10,229 for one week of one worker after the create and
        batch runs: backend CPU per Översikt 10 ms against 4.6 ms analyzed, h/pgpages2)."""
        if self.db != "postgres":
            return
        import psycopg

        with psycopg.connect(self.env["DATABASE_URL"], autocommit=True, connect_timeout=3) as conn:
            tables = [
                row[0]
                for row in conn.execute(
                    "SELECT quote_ident(tablename) FROM pg_tables WHERE schemaname = 'public'"
                    " AND tableowner = current_user"
                )
            ]
            conn.execute("ANALYZE " + ", ".join(tables))

    def start(self) -> None:
        gunicorn = str(Path(sys.executable).with_name("gunicorn"))
        log = (self.tmp / "gunicorn.log").open("w")
        self.process = subprocess.Popen(
            [gunicorn, "config.wsgi"], cwd=ROOT, env=self.env, stdout=log, stderr=log, start_new_session=True
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(self.base + "/healthz", timeout=2) as answer:
                    if answer.status == 200:
                        return
            except (urllib.error.URLError, ConnectionError, OSError):
                time.sleep(0.2)
        raise RuntimeError("gunicorn did not answer /healthz; see " + str(self.tmp / "gunicorn.log"))

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        if self.db == "postgres":
            import psycopg
            from psycopg import sql

            with psycopg.connect(ADMIN_URL, autocommit=True, connect_timeout=3) as conn:
                conn.execute(
                    sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(self.pg_name))
                )

    def status(self, path: str, headers: dict[str, str], body: bytes | None = None) -> int:
        return self.answer(path, headers, body)[0]

    def answer(self, path: str, headers: dict[str, str], body: bytes | None = None) -> tuple[int, bytes]:
        request = urllib.request.Request(
            self.base + path, data=body, headers={"X-Forwarded-Proto": "https", **headers}
        )
        try:
            with urllib.request.urlopen(request, timeout=30) as answer:
                return answer.status, answer.read()
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read()


def _probe_create(server: Server, data: dict, day: dt.date, batch: bool = False) -> None:
    """One create (or a batch of two) on `day` before wrk runs, so a bench whose every answer is a
    refusal says why at once instead of printing the speed of an error page."""

    def entry() -> dict:
        return {"client_uuid": str(uuid.uuid4()), "date": day.isoformat(), "kind": "work",
                "project_id": data["project_id"], "minutes": 60}  # fmt: skip

    body = {"entries": [entry(), entry()]} if batch else entry()
    path = f"/api/v1/tenants/{data['tenant_id']}/time-entries" + ("/batch" if batch else "")
    headers = {"Authorization": f"Bearer {data['token']}", "Content-Type": "application/json"}
    status, text = server.answer(path, headers, json.dumps(body).encode())
    ok = status == 200 and b'"refused": 0' in text if batch else status == 201
    if not ok:
        print(f"   {'batch' if batch else 'create'} probe on {day} answered HTTP {status}: {text[:300]!r}")


def _median(values: list[float]) -> float:
    values = sorted(v for v in values if not math.isnan(v))
    if not values:
        return float("nan")
    middle = len(values) // 2
    return values[middle] if len(values) % 2 else (values[middle - 1] + values[middle]) / 2


def _rounds(runs: list[tuple[dict, dict | None]]) -> tuple[dict, dict | None]:
    """Verksam's and the floor's figures of one call over the rounds: the median of each (req/s,
    p50, p99), every round's answers counted (one non-2xx makes the figure INVALID), and `ratio`,
    the median of the rounds' own ratios with their range (`ratios`): each round's two runs were
    taken seconds apart, so each ratio compares like with like even when the machine's speed moved
    between rounds."""
    mine = [m for m, _f in runs]
    theirs = [f for _m, f in runs if f and f.get("rps")]
    combined = {key: _median([m[key] for m in mine]) for key in ("rps", "p50", "p99")}
    for key in ("requests", "non2xx", "refused"):
        combined[key] = sum(m[key] for m in mine)
    ratios = [m["rps"] / f["rps"] for m, f in runs if f and f.get("rps")]
    combined["ratios"] = ratios
    combined["ratio"] = _median(ratios) if ratios else float("nan")
    floor_figures = (
        {key: _median([f[key] for f in theirs]) for key in ("rps", "p50", "p99")} if theirs else None
    )
    return combined, floor_figures


def bench_db(db: str, clients: list[int], duration: int, tmp: Path, rounds: int = 1) -> list[dict]:
    rows: list[dict] = []
    server = Server(db, tmp)
    print(f"== {db}: preparing the demo data and the 200-employee company…", flush=True)
    began = time.monotonic()
    try:
        data = server.prepare()
        server.start()
        print(f"   ready in {time.monotonic() - began:.0f} s (gunicorn on {server.base})", flush=True)
        api = f"{server.base}/api/v1/tenants/{data['tenant_id']}/time-entries"
        auth = f"Authorization: Bearer {data['token']}"
        week = f"{api}?from={data['week_from']}&to={data['week_to']}"
        next_day = FIRST_DAY
        for n in clients:
            # Rounds of floor, then Verksam, one after the other: this machine's speed swings by up
            # to 2x within a minute, so one floor run beside one Verksam run can put the ratio
            # anywhere; the ratio reported is the median of the rounds' own ratios (`_rounds`).
            creates, lists = [], []
            for _round in range(rounds):
                floor_figures = floor(db, n, duration, tmp)
                _probe_create(server, data, next_day)
                next_day += dt.timedelta(days=1)
                # n clients are n people's phones (one person's creates are serialised by design)
                people = ",".join(data["tokens"][:n])
                created = wrk(
                    api,
                    "post_entry.lua",
                    [people, str(data["project_id"]), next_day.isoformat(), str(PER_DAY)],
                    n,
                    duration,
                )
                next_day += dt.timedelta(days=math.ceil(created["requests"] / PER_DAY) + 1)
                listed = wrk(week, "get.lua", [auth], n, duration)
                creates.append((created, floor_figures.get("post")))
                lists.append((listed, floor_figures.get("get")))
            created, create_floor = _rounds(creates)
            listed, list_floor = _rounds(lists)
            calls = [
                ("create one time entry", created, create_floor, "api"),
                (f"list one week ({data['week_entries']} entries)", listed, list_floor, "api"),
            ]
            if n > 1:
                # Shown, not a target: n clients of ONE person, whose writes wait for each other on
                # the employee's lock (timereporting.rules.lock_membership): no phone sends that.
                alone = wrk(
                    api,
                    "post_entry.lua",
                    [data["token"], str(data["project_id"]), next_day.isoformat(), str(PER_DAY)],
                    n,
                    duration,
                )
                next_day += dt.timedelta(days=math.ceil(alone["requests"] / PER_DAY) + 1)
                calls.append(("create, all for one person", alone, create_floor, "info"))
            for call, mine, theirs, kind in calls:
                rows.append({"db": db, "kind": kind, "call": call, "clients": n, **mine, "floor": theirs})
        # the batch endpoint: 500 entries in one request, 1 client
        batch_url = f"{api}/batch"
        probe = server.status(
            batch_url.removeprefix(server.base),
            {"Authorization": f"Bearer {data['token']}", "Content-Type": "application/json"},
            b'{"entries": []}',
        )
        if probe in (404, 405):
            print("   batch endpoint: not there (skipped)")
        else:
            _probe_create(server, data, next_day, batch=True)
            next_day += dt.timedelta(days=1)
            batch = wrk(
                batch_url,
                "post_entry.lua",
                [
                    data["token"],
                    str(data["project_id"]),
                    next_day.isoformat(),
                    str(BATCH_PER_DAY),
                    str(BATCH),
                ],
                1,
                duration,
            )
            next_day += dt.timedelta(days=math.ceil(batch["requests"] * BATCH / BATCH_PER_DAY) + 1)
            rows.append(
                {"db": db, "kind": "batch", "call": f"batch of {BATCH} entries", "clients": 1, **batch,
                 "entries_per_s": batch["rps"] * BATCH, "floor": None}
            )  # fmt: skip
        server.analyze()  # the runs above wrote ~10,000 entries: what autovacuum would analyze
        pages = [
            ("Översikt", data["slug"], "", data["owner_session"], "demo"),
            ("week page", data["slug"], f"time/?week={data['week_key']}", data["employee_session"], "demo"),
            ("approver queue", data["slug"], "attestation/", data["owner_session"], "demo"),
            ("Översikt", data["big_slug"], "", data["big_boss_session"], "200 employees"),
            ("week page", data["big_slug"], f"time/?week={data['big_week_key']}", data["big_worker_session"], "200 employees"),
            ("approver queue", data["big_slug"], f"attestation/?period={data['big_period']}", data["big_boss_session"], "200 employees"),
        ]  # fmt: skip
        for name, slug, rest, session, company in pages:
            status = server.status(f"/t/{slug}/{rest}", {"Cookie": f"sessionid={session}"})
            if status != 200:
                print(f"   {name} ({company}) answered HTTP {status}, not 200")
            figures = wrk(
                f"{server.base}/t/{slug}/{rest}",
                "get.lua",
                [f"Cookie: sessionid={session}"],
                1,
                max(2, duration // 2),
            )
            rows.append({"db": db, "kind": "page", "call": f"{name} ({company})", "clients": 1, **figures, "floor": None})  # fmt: skip
    finally:
        server.stop()
    return rows


def _range(ratios: list[float]) -> str:
    """The rounds' ratios as `  (0.41-0.52)` beside their median; nothing for one round."""
    return f"  ({min(ratios):.2f}-{max(ratios):.2f})" if len(ratios) > 1 else ""


def report(rows: list[dict]) -> bool:
    """Print the table; True when every target of issue 13 is met."""
    ok = True
    print()
    print("== Verksam over HTTP (gunicorn, 2 sync workers, production settings, wrk) beside the Django floor")
    print("   (create and list: the median of the rounds, each a floor run and a Verksam run in turn;")
    print("    ratio = the median of the rounds' ratios, their range in brackets)")
    head = f"{'db':<9}{'call':<34}{'cl':>3}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}   {'floor':>7}{'p50':>7}{'p99':>7}{'ratio':>7}"
    print(head)
    for r in rows:
        if r["kind"] not in ("api", "info"):
            continue
        f = r["floor"] or {}
        ratio = r.get("ratio", r["rps"] / f["rps"] if f.get("rps") else float("nan"))
        spread = r.get("ratios") or []
        flag = "" if ratio >= TARGET_RATIO else "  < 0.5"
        errors = f"  INVALID: {invalid(r)}, the figure does not count" if invalid(r) else ""
        if r["kind"] == "info":
            flag = "  (shown, not a target)"
        elif not ratio >= TARGET_RATIO or errors:
            ok = False
        print(
            f"{r['db']:<9}{r['call']:<34}{r['clients']:>3}{r['rps']:>9.1f}{r['p50']:>9.1f}{r['p99']:>9.1f}   "
            f"{f.get('rps', float('nan')):>7.1f}{f.get('p50', float('nan')):>7.1f}{f.get('p99', float('nan')):>7.1f}"
            f"{ratio:>7.2f}{_range(spread)}{flag}{errors}"
        )
    for r in rows:
        if r["kind"] == "batch":
            flag = "" if r["entries_per_s"] >= TARGET_BATCH else f"  < {TARGET_BATCH}"
            errors = f"  INVALID: {invalid(r)}, the figure does not count" if invalid(r) else ""
            ok = ok and not flag and not errors
            print(
                f"{r['db']:<9}{r['call']:<34}{r['clients']:>3}{r['rps']:>9.1f}{r['p50']:>9.1f}{r['p99']:>9.1f}"
                f"   = {r['entries_per_s']:.0f} entries/s{flag}{errors}"
            )
    print()
    print("== Pages over HTTP (1 client, session login)")
    for r in rows:
        if r["kind"] == "page":
            flag = "" if r["p50"] <= TARGET_PAGE_MS else f"  > {TARGET_PAGE_MS:.0f} ms"
            errors = f"  INVALID: {invalid(r)}" if invalid(r) else ""
            ok = ok and not flag and not errors
            print(
                f"{r['db']:<9}{r['call']:<34}{r['rps']:>9.1f} req/s  p50 {r['p50']:6.1f} ms  p99 {r['p99']:6.1f} ms{flag}{errors}"
            )
    return ok


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--duration", type=int, default=int(os.environ.get("BENCH_DURATION", 5)))
    parser.add_argument("--clients", default="1,8")
    parser.add_argument(
        "--rounds",
        type=int,
        default=int(os.environ.get("BENCH_ROUNDS", 3)),
        help="floor and Verksam runs of create and list, in turn; the ratio is the median of theirs",
    )
    parser.add_argument("--json", help="also write the figures to this file")
    options = parser.parse_args(argv)
    if shutil.which("wrk") is None:
        print("wrk is missing: apt-get install -y wrk (make bench installs it)", file=sys.stderr)
        return 2
    clients = [int(c) for c in options.clients.split(",")]
    dbs = ["sqlite", "postgres"] if options.db == "both" else [options.db]
    rows: list[dict] = []
    with tempfile.TemporaryDirectory(prefix="verksam-bench-") as root:
        for db in dbs:
            if db == "postgres":
                if subprocess.run(
                    [sys.executable, "tools/pg_setup.py"], cwd=ROOT, capture_output=True
                ).returncode:
                    print("== PostgreSQL not reachable on localhost: skipped")
                    continue
                _ensure_floor_database()
            tmp = Path(root) / db
            tmp.mkdir()
            rows += bench_db(db, clients, options.duration, tmp, max(1, options.rounds))
    ok = report(rows)
    if options.json:
        Path(options.json).write_text(json.dumps(rows, indent=1, default=str))
    print("\nEvery target met." if ok else "\nSome targets are not met (marked above).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
