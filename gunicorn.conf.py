"""gunicorn settings for the production start: `gunicorn config.wsgi` (docs/deploy.md, Procfile).

gunicorn reads this file from the working directory. Each value can be changed through the
environment without editing it.
"""

import multiprocessing
import os

# Where the reverse proxy reaches the app: loopback by default (never exposed directly); PORT for
# platforms that set it.
bind = os.environ.get("GUNICORN_BIND") or (
    f"0.0.0.0:{os.environ['PORT']}" if os.environ.get("PORT") else "127.0.0.1:8000"
)
# Sync workers, one request each: WEB_CONCURRENCY, default 2 x cores + 1 (gunicorn's own advice;
# 5 on a 2-core server). Each worker holds one database connection (CONN_MAX_AGE) and ~100 MB.
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
# A request taking longer is killed and logged; exports and imports run in the task worker.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 30))
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then so a slow leak never grows without bound.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", 2000))
max_requests_jitter = 200
# The proxy on the same machine sets X-Forwarded-*.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")

# Structured logs: access and error log as JSON lines on stderr, like Django's (verksam.core.jsonlog).
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "verksam.core.jsonlog.JsonFormatter"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "json", "stream": "ext://sys.stderr"}
    },
    "loggers": {
        "gunicorn.error": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "gunicorn.access": {"handlers": ["console"], "level": "INFO", "propagate": False},
    },
}


def post_worker_init(worker) -> None:
    """Load what Django loads lazily on a worker's first request — the URLconf (every view module,
    the API's routers and schemas) and the translation catalogs — before the worker takes requests
    (issue 13: each new worker's first request took ~1 s, the p99 of a short bench run), then freeze
    what it loaded out of the garbage collector's full collections (verksam.core.warmup)."""
    from verksam.core.warmup import prepare_worker

    prepare_worker()
