"""Two (or more) variants of the code measured in one process, interleaved (issue 13).

On a shared machine whose speed swings by 2x within a minute, a "before" run and an "after" run a
minute apart cannot show a 3 % change. This runs the variants in turn in one process, in blocks
(A B, then B A, ...), through the production WSGI stack of `bench.wsgi_profile` (its prepared
database), and reports per variant the thread's CPU and the wall time per call, and on PostgreSQL the
database backend's CPU per call (its /proc/<pid>/stat around each block).

A variant module defines `modes = {"name": switch, ...}`: each `switch()` puts the process into that
variant (monkeypatching, re-registering, setting a flag) and is called at the start of every block.
It is imported after Django is set up.

    python -m bench.wsgi_profile prepare --db postgres            # once
    python -m bench.interleaved --db postgres --modes /tmp/variants.py --calls create,list -n 1200
"""

import argparse
import datetime as dt
import importlib.util
import json
import os
import statistics
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def schedule(names: list[str], blocks: int) -> Iterator[str]:
    """The order of the blocks: each variant once per pass, every other pass reversed, so that
    neither is always first after the other (a drift in the machine's speed favours neither)."""
    for block in range(blocks):
        yield from (names if block % 2 == 0 else list(reversed(names)))


def _backend_cpu(pid: int | None) -> float:
    if pid is None:
        return 0.0
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _load_modes(path: str) -> dict[str, Callable[[], None]]:
    spec = importlib.util.spec_from_file_location("bench_variants", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return dict(module.modes)


def run(options) -> int:
    from bench import wsgi_profile as wp

    saved = json.loads((wp._dir(options.db) / "data.json").read_text())
    os.environ.update(saved["env"])
    sys.path.insert(0, str(ROOT))
    from django.db import connection

    from config.wsgi import application
    from verksam.core.warmup import prepare_worker

    prepare_worker()
    modes = _load_modes(options.modes)
    state = wp._dir(options.db) / "next_day"
    first = dt.date.fromisoformat(state.read_text()) if state.exists() else dt.date(2000, 1, 3)
    calls = wp.Calls(saved["data"], first)

    def one(factory) -> None:
        out: list[str] = []
        result = application(factory(), lambda code, headers, exc_info=None: out.append(code))
        body = b"".join(result)
        if hasattr(result, "close"):
            result.close()
        if not out[0].startswith(("2", "3")):
            raise RuntimeError(f"HTTP {out[0]}: {body[:300]!r}")

    try:
        for name in options.calls.split(","):
            factory = getattr(calls, name)
            one(factory)
            pid = None
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("SELECT pg_backend_pid()")
                    pid = cursor.fetchone()[0]
            cpu: dict[str, list[float]] = {m: [] for m in modes}
            wall: dict[str, list[float]] = {m: [] for m in modes}
            backend = dict.fromkeys(modes, 0.0)
            for switch in modes.values():  # warm each variant
                switch()
                for _ in range(options.warm):
                    one(factory)
            for mode in schedule(list(modes), max(1, options.n // options.block)):
                modes[mode]()
                b0 = _backend_cpu(pid)
                for _ in range(options.block):
                    c0, w0 = time.thread_time(), time.perf_counter()
                    one(factory)
                    cpu[mode].append((time.thread_time() - c0) * 1000)
                    wall[mode].append((time.perf_counter() - w0) * 1000)
                backend[mode] += _backend_cpu(pid) - b0
            base = None
            for mode in modes:
                p50 = statistics.median(cpu[mode])
                base = base or p50
                db = f"  database CPU/call {backend[mode] / len(cpu[mode]) * 1000:.3f}" if pid else ""
                print(
                    f"{name:<14} {mode:<10} n={len(cpu[mode])}  CPU p50 {p50:.3f} ms ({p50 / base:.3f})"
                    f"  wall p50 {statistics.median(wall[mode]):.3f} ms{db}"
                )
    finally:
        state.write_text((calls.day + dt.timedelta(days=calls.n // 4 + 1)).isoformat())
    return 0


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="postgres")
    parser.add_argument("--modes", required=True, help="a Python file defining `modes`")
    parser.add_argument("--calls", default="create", help="comma-separated, as bench.wsgi_profile's")
    parser.add_argument("-n", type=int, default=1200, help="calls per variant")
    parser.add_argument("--block", type=int, default=20, help="calls per block")
    parser.add_argument("--warm", type=int, default=30)
    return run(parser.parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
