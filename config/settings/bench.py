"""The production settings for `make bench` (bench/over_http.py), also on SQLite.

`config.settings.prod` refuses SQLite (its row-level security is the tenant backstop in production),
but issue 13 measures the embedded SQLite default under the production server configuration too:
gunicorn, DEBUG off, WhiteNoise, JSON logs, the same middleware. Only the database differs from prod.
Never used to serve anything but the benchmark on loopback.
"""

import os

_url = os.environ.get("BENCH_DATABASE_URL") or os.environ["DATABASE_URL"]
if not _url.startswith("postgres"):
    # Passes prod's PostgreSQL check; the database is replaced right below.
    os.environ["DATABASE_URL"] = "postgresql://bench@127.0.0.1:1/bench"

from .base import database_from_url  # noqa: E402
from .prod import *  # noqa: E402, F403

DATABASES = {"default": database_from_url(_url)}
