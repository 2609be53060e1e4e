"""Production, chosen with DJANGO_SETTINGS_MODULE=config.settings.prod (the one way: docs/deploy.md).

Every secret and host comes from the environment. A setting that would quietly fall back to its
development default (DEBUG on, the development secret key, no hosts, SQLite, a per-process cache,
e-mail printed to the console, links to localhost, the fake payment provider) refuses to start with
a message saying what to set, instead of serving.
"""

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import CACHES, DATABASES, DEV_SECRET_KEY, EMAIL_CONFIG, MIDDLEWARE, SITE_URL, env

REQUIRED = [
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "DATABASE_URL",
    "CACHE_URL",
    "EMAIL_URL",
    "SITE_URL",
    "PAYMENT_PROVIDER_URL",
    "PAYMENT_PROVIDER_API_KEY",
]
SHARED_CACHES = {
    "django.core.cache.backends.redis.RedisCache",
    "django.core.cache.backends.db.DatabaseCache",
}
DEVELOPMENT_MAIL = {
    "django.core.mail.backends.console.EmailBackend",
    "django.core.mail.backends.locmem.EmailBackend",
    "django.core.mail.backends.dummy.EmailBackend",
    "django.core.mail.backends.filebased.EmailBackend",
}


def refuse(message: str) -> None:
    raise ImproperlyConfigured(
        f"Verksam refuses to start with production settings: {message} (See docs/deploy.md.)"
    )


missing = [name for name in REQUIRED if not os.environ.get(name, "").strip()]
if missing:
    refuse(f"set {', '.join(missing)} in the environment file.")
if env.bool("DEBUG", default=False):
    refuse("DEBUG is on. Remove DEBUG or set DEBUG=false; DEBUG shows internals to every visitor.")
DEBUG = False

SECRET_KEY = env("SECRET_KEY")
if (
    SECRET_KEY == DEV_SECRET_KEY
    or SECRET_KEY.startswith(("django-insecure", "change-me", "dev-only"))
    or len(SECRET_KEY) < 50
    or len(set(SECRET_KEY)) < 5
):
    refuse(
        "SECRET_KEY is the development default or too weak. Set at least 50 random characters, e.g. "
        "the output of: python3 -c 'import secrets; print(secrets.token_urlsafe(50))'."
    )

ALLOWED_HOSTS = [host for host in env.list("ALLOWED_HOSTS") if host]
if not ALLOWED_HOSTS or "*" in ALLOWED_HOSTS:
    refuse("ALLOWED_HOSTS must name the site's host names (e.g. verksam.example.se), not be empty or '*'.")

if DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
    refuse("DATABASE_URL must point at PostgreSQL (its row-level security is the tenant backstop).")

# The login rate limits live in the cache, so every gunicorn worker, and every server, must share it.
if CACHES["default"]["BACKEND"] not in SHARED_CACHES:
    refuse("CACHE_URL must be Redis (redis://host:6379/1) or the database (dbcache://verksam_cache).")

if CACHES["default"]["BACKEND"] == "django.core.cache.backends.db.DatabaseCache":
    # Django's default of 300 entries would let a flood of failed logins cull the counts it guards.
    CACHES["default"].setdefault("OPTIONS", {}).setdefault("MAX_ENTRIES", 1_000_000)

if EMAIL_CONFIG["EMAIL_BACKEND"] in DEVELOPMENT_MAIL:
    refuse("EMAIL_URL must name a real mail server (e.g. smtp+tls://user:password@smtp.example.se:587).")

if not SITE_URL.startswith("https://"):
    refuse("SITE_URL must be the site's https:// address (it is used in the links of e-mails).")

if env("PAYMENT_PROVIDER_API_KEY") == "fake-key":
    refuse("PAYMENT_PROVIDER_API_KEY is the development fake's key; set the provider's real key.")

# Accounting systems (docs/integrations.md): the real providers, never the local fakes of base.py.
FORTNOX_AUTH_URL = env("FORTNOX_AUTH_URL", default="https://apps.fortnox.se")
FORTNOX_API_URL = env("FORTNOX_API_URL", default="https://api.fortnox.se")
VISMA_AUTH_URL = env("VISMA_AUTH_URL", default="https://identity.vismaonline.com")
VISMA_API_URL = env("VISMA_API_URL", default="https://eaccountingapi.vismaonline.com")
for _name in ("FORTNOX_AUTH_URL", "FORTNOX_API_URL", "VISMA_AUTH_URL", "VISMA_API_URL"):
    if not globals()[_name].startswith("https://"):
        refuse(f"{_name} must be the provider's https:// address, not a local fake.")

# Behind the reverse proxy of docs/deploy.md, which terminates HTTPS and sets X-Forwarded-Proto.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
# Health checks come over plain HTTP from the machine itself or a load balancer.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True

# Not served unless asked for; when it is, its login goes through the same rate limits.
ADMIN_ENABLED = env.bool("ADMIN_ENABLED", default=False)

# Static files from the application server itself, compressed and with hashed names (cached forever).
MIDDLEWARE = [*MIDDLEWARE]
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1,
    "whitenoise.middleware.WhiteNoiseMiddleware",
)
STORAGES = {
    "default": {
        "BACKEND": env("FILE_STORAGE_BACKEND", default="django.core.files.storage.FileSystemStorage")
    },
    "staticfiles": {"BACKEND": "verksam.core.staticstorage.ManifestStorage"},
}

# Structured logs: one JSON object per line on stderr (journald or the platform collects them).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "verksam.core.jsonlog.JsonFormatter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "json"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {
        # 4xx/5xx of requests; 5xx carry the traceback.
        "django.request": {"level": "WARNING", "propagate": True},
        "django.security": {"level": "WARNING", "propagate": True},
    },
}
