"""Test settings: fast hashing, in-memory e-mail, tasks run at once unless a test says otherwise."""

from .base import *  # noqa: F403
from .base import DATABASE_URL, database_from_url, env

# An empty TEST_DATABASE_URL (as `make test-sqlite` passes) means "use DATABASE_URL".
DATABASES = {"default": database_from_url(env("TEST_DATABASE_URL", default="") or DATABASE_URL)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["TEST"] = {"NAME": None}  # in-memory
elif env("PG_TEST_DB_NAME", default=""):
    # Lets several test runs share one PostgreSQL server without dropping each other's database.
    DATABASES["default"]["TEST"] = {"NAME": env("PG_TEST_DB_NAME")}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Tasks run at once in tests; the "db" alias is the production backend for tests of the worker.
TASKS = {
    "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"},
    "db": {"BACKEND": "django_tasks_db.DatabaseBackend"},
}
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
SECRET_KEY = "test-secret-key-not-for-production-0123456789abcdefghijklmnopqrstuvwxyz"
ALLOWED_HOSTS = ["*"]
