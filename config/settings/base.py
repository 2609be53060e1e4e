"""Settings shared by every environment. Twelve-factor: everything that differs between
deployments comes from the environment (see .env.example)."""

from pathlib import Path

import environ

from config.env import read_env

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
read_env()

# The development default; config.settings.prod refuses to start with it.
DEV_SECRET_KEY = "dev-only-insecure-key-change-me-0123456789abcdefghijklmnop"
SECRET_KEY = env("SECRET_KEY", default=DEV_SECRET_KEY)
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
CSRF_FAILURE_VIEW = "verksam.web.error_pages.csrf_failure"  # the site's own Swedish page (issue 12)
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.forms",
    "django_htmx",
    "template_partials",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "ninja",
    "verksam.core",
    "verksam.accounts",
    "verksam.tenancy",
    "verksam.audit",
    "verksam.mail",
    "verksam.jobs",
    "verksam.billing",
    "verksam.projects",
    "verksam.timecodes",
    "verksam.schedules",
    "verksam.timereporting",
    "verksam.expenses",
    "verksam.cards",
    "verksam.attestation",
    "verksam.payroll",
    "verksam.bookkeeping",
    "verksam.documents",
    "verksam.messaging",
    "verksam.partners",
    "verksam.integrations.accounting",
    "verksam.demo",
    "verksam.api",
    "verksam.web",
]

# verksam.api.fastpath.X runs Django's (or the package's) X, except for a token-authenticated JSON API
# call, which has no session, messages, htmx or HTML (issue 13; the module explains). CSRF stays
# Django's own: it costs a token call next to nothing (ninja's views are csrf_exempt).
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "verksam.api.errors.JsonErrorMiddleware",
    "verksam.api.fastpath.SessionMiddleware",
    "verksam.web.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",  # as named: `check --deploy` looks for it
    "verksam.api.fastpath.AuthenticationMiddleware",
    "verksam.api.fastpath.MessageMiddleware",
    "verksam.web.middleware.RefuseNulMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "verksam.api.fastpath.HtmxMiddleware",
    "verksam.api.fastpath.CSPMiddleware",
    "verksam.api.idempotency.IdempotencyMiddleware",
    "verksam.api.tenant.ScopeMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "csp.context_processors.nonce",
                "verksam.web.context_processors.shell",
            ],
        },
    },
]

# Database: SQLite is the embedded default, PostgreSQL in production (DATABASE_URL).
DATABASE_URL = env("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")


def database_from_url(url: str) -> dict:
    config = environ.Env.db_url_config(url)
    if config["ENGINE"] == "django.db.backends.sqlite3":
        # WAL lets the web server and the task worker read while one writes; IMMEDIATE takes the
        # write lock at BEGIN so concurrent writers queue instead of failing with "database is locked".
        config["OPTIONS"] = {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        }
    # Keep connections between requests (issue 13): opening one costs a round trip and the scope
    # setup on PostgreSQL, and on SQLite closing the last connection checkpoints the WAL (~10 ms per
    # request). SQLite's in-memory test databases are not affected (Django keeps them open anyway).
    config.setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
    config["CONN_HEALTH_CHECKS"] = True
    if config["ENGINE"] == "django.db.backends.postgresql" and env.bool("DATABASE_SERVER_SIDE_BINDING", True):
        # Parameters bound by the server, and psycopg prepares a statement the connection has sent
        # `prepare_threshold` times (issue 13): the API's few statement shapes are parsed and planned
        # once per connection instead of on every call (~1/3 of PostgreSQL's CPU per create). The
        # row-level security policies read the session's settings at each execution, so a prepared
        # plan still sees only the scope in force (tenancy/tests/test_prepared_rls.py). Behind a
        # pooler in transaction mode (PgBouncer < 1.21) prepared statements do not survive a
        # connection switch: set DATABASE_SERVER_SIDE_BINDING=false there (docs/deploy.md).
        config.setdefault("OPTIONS", {})["server_side_binding"] = True
        config["OPTIONS"]["prepare_threshold"] = env.int("DATABASE_PREPARE_THRESHOLD", 5)
    return config


DATABASES = {"default": database_from_url(DATABASE_URL)}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["verksam.accounts.backends.EmailBackend"]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "accounts:login"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Login rate limits (verksam/accounts/ratelimit.py explains each; docs/deploy.md for production).
# Failures of one account from one client before that client waits; the wait doubles per further
# failure from LOGIN_BACKOFF_BASE_SECONDS up to LOGIN_BACKOFF_MAX_SECONDS. The same for the account
# from clients it has never logged in from, so a guesser spread over many addresses is slowed too.
LOGIN_MAX_FAILURES = env.int("LOGIN_MAX_FAILURES", default=5)
LOGIN_ACCOUNT_MAX_FAILURES = env.int("LOGIN_ACCOUNT_MAX_FAILURES", default=10)
LOGIN_BACKOFF_BASE_SECONDS = env.int("LOGIN_BACKOFF_BASE_SECONDS", default=60)
LOGIN_BACKOFF_MAX_SECONDS = env.int("LOGIN_BACKOFF_MAX_SECONDS", default=900)
# Failures are forgotten after this long without a new one.
LOGIN_FAILURE_WINDOW_SECONDS = env.int("LOGIN_FAILURE_WINDOW_SECONDS", default=3600)
# Password spraying: failures from one client address over any accounts within the window.
LOGIN_CLIENT_MAX_FAILURES = env.int("LOGIN_CLIENT_MAX_FAILURES", default=30)
# How long a client (browser cookie or address) stays known to an account after a login.
LOGIN_KNOWN_CLIENT_DAYS = env.int("LOGIN_KNOWN_CLIENT_DAYS", default=60)
# Password-reset requests (accounts/ratelimit.password_reset_allowed): per e-mail address (beyond it
# no mail goes out, the page answers as always) and per client address (429), each forgotten this
# long after its last request.
PASSWORD_RESET_PER_EMAIL = env.int("PASSWORD_RESET_PER_EMAIL", default=3)
PASSWORD_RESET_PER_CLIENT = env.int("PASSWORD_RESET_PER_CLIENT", default=20)
PASSWORD_RESET_WINDOW_SECONDS = env.int("PASSWORD_RESET_WINDOW_SECONDS", default=3600)
# The client address: REMOTE_ADDR when 0; behind N reverse proxies that each append to
# X-Forwarded-For, the N-th address from the right (the one the outermost proxy saw).
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
# Django's admin site (/admin/); config.settings.prod turns it off unless ADMIN_ENABLED=true.
ADMIN_ENABLED = env.bool("ADMIN_ENABLED", default=True)
# How long an invitation link works (hours); the mail and the page say until when. A resend gives
# a new link with a new expiry and stops the old one.
INVITATION_VALID_HOURS = env.int("INVITATION_VALID_HOURS", default=7 * 24)
# "Skicka ny inbjudan": new links per invitation in 24 hours (tenancy.services._count_resend)
INVITATION_RESENDS_PER_DAY = env.int("INVITATION_RESENDS_PER_DAY", default=3)

LANGUAGE_CODE = "sv"
LANGUAGES = [("sv", "Svenska"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Stockholm"
USE_I18N = True
USE_TZ = True

# Form widgets render through the project's templates, so templates/django/forms/ can say "Välj …"
# instead of Django's "---------" in every select (issue 12 item 2).
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = env("STATIC_ROOT", default=str(BASE_DIR / "staticfiles"))
MEDIA_ROOT = env("MEDIA_ROOT", default=str(BASE_DIR / "media"))
STORAGES = {
    "default": {
        "BACKEND": env("FILE_STORAGE_BACKEND", default="django.core.files.storage.FileSystemStorage")
    },
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
# Never wait forever for a mail server: a stuck connection would hold a task worker (issue 7 item 11).
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=30)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Verksam <noreply@verksam.local>")

CACHES = {"default": env.cache_url("CACHE_URL", default="locmemcache://")}

# Called as `f(tenant_id=...)` by `tenancy.services.tenant_create`, in its transaction, to give a
# new company the defaults of the apps above tenancy (issue 7 item 13: a read never installs them).
# Settings, not imports: tenancy sits below these apps (DESIGN.md import direction).
TENANT_INITIALIZERS = [
    "verksam.timecodes.services.timecodes_install_defaults",
    "verksam.schedules.services.schedules_install_defaults",
    "verksam.expenses.defaults.expenses_install_defaults",
]
# Called with (membership=, valid_from=) when a user joins a company (the owner at creation, an
# invited person on accepting): a new member gets the company's default work schedule.
MEMBERSHIP_INITIALIZERS = ["verksam.schedules.services.work_schedule_install_default"]
# The port through which time reporting refuses writes in a closed deviation period (issue 8 item 8):
# closing is attestation's, which sits above timereporting (DESIGN.md layers), so the check is named
# here rather than imported. Takes the days about to change; raises a DomainError when one is closed.
TIME_PERIOD_GUARD = "verksam.attestation.selectors.period_guard"
# Its read for one day as a queryset of the closed periods holding it, for a create of time to send
# within its one statement of checks (issue 13; the refusal is still worded by TIME_PERIOD_GUARD).
TIME_PERIOD_CLOSES = "verksam.attestation.selectors.period_closes_on"
# The same for expenses, mileage and per diem (issue 10 item 3): a claim registered in a closed period
# is not changed, attested, rejected or reopened until the period is reopened.
EXPENSE_PERIOD_GUARD = "verksam.attestation.expenses.expense_period_guard"
# Called with (period=PeriodClose) inside the transaction that reopens a closed deviation period: payroll
# (above attestation) tells the payroll administrators and the accounting firm when the period already
# has an exported payroll file, so its next file will be a correction file (issue 9 item 5).
PERIOD_REOPEN_LISTENERS = ["verksam.payroll.exports.mails.period_reopened"]
# The accounting firm's badges on Mina samarbeten (issue 11 item 1, issue 10 item 9): partners sits below
# the apps that own what a badge counts (cards: DESIGN.md layers), so each counter is named here rather
# than imported. Badge key -> a function (customer_ids, firm_id, user_id) -> {customer_id: n} that counts
# every customer in one query; partners calls it inside a scope of the firm and exactly those customers.
PARTNER_BADGE_COUNTERS = {
    "expenses": "verksam.bookkeeping.outlays.unbooked_counts",
    "card_purchases": "verksam.cards.badges.unbooked_counts",
}
# A receipt photo or PDF (issue 10 item 1): larger ones are refused from the request's length alone.
EXPENSES_MAX_RECEIPT_BYTES = env.int("EXPENSES_MAX_RECEIPT_BYTES", default=15 * 1024**2)
# The portal's documents (issue 11, docs/documents.md): storage quota per partner account (an
# accounting firm, over all its collaborations), the largest file, days in the bin before purging.
DOCUMENTS_QUOTA_BYTES = env.int("DOCUMENTS_QUOTA_BYTES", default=10 * 1024**3)
DOCUMENTS_MAX_FILE_BYTES = env.int("DOCUMENTS_MAX_FILE_BYTES", default=500 * 1024**2)
DOCUMENTS_BIN_DAYS = 30
# One upload request (the page sends one file per request; without JavaScript a form sends several).
DOCUMENTS_MAX_REQUEST_BYTES = env.int("DOCUMENTS_MAX_REQUEST_BYTES", default=1024**3)
MESSAGES_MAX_ATTACHMENT_BYTES = env.int("MESSAGES_MAX_ATTACHMENT_BYTES", default=25 * 1024**2)


TASKS = {"default": {"BACKEND": env("TASK_BACKEND", default="django_tasks_db.DatabaseBackend")}}
# Daily jobs run by `manage.py run_scheduler` (started by `make run`; cron in production, see
# docs/reminders.md): (local time "HH:MM", management command, options). Each must be idempotent.
SCHEDULE = [
    (env("REMINDERS_AT", default="07:30"), "send_time_reminders", {"enqueue": True}),
    ("03:15", "purge_idempotency_keys", {}),
    ("03:30", "purge_document_bin", {}),
    ("08:00", "card_receipt_reminders", {"enqueue": True}),
]

# Idempotency-Key on API POSTs (verksam/api/idempotency.py, docs/api.md): how long a key is kept and
# replayed, how long a retry waits for a first request still running before answering 409, and after
# how long a claim whose request died (a killed worker) may be taken over.
IDEMPOTENCY_KEY_TTL_SECONDS = env.int("IDEMPOTENCY_KEY_TTL_SECONDS", default=24 * 3600)
IDEMPOTENCY_WAIT_SECONDS = env.float("IDEMPOTENCY_WAIT_SECONDS", default=5.0)
IDEMPOTENCY_LOCK_SECONDS = env.int("IDEMPOTENCY_LOCK_SECONDS", default=120)

# Content-Security-Policy: no inline script or style; htmx is served from our own static files.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "form-action": ["'self'", *env.list("CSP_FORM_ACTION_EXTRA", default=[])],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

SESSION_COOKIE_HTTPONLY = True
# Django's database sessions, the session's row read with SQL compiled once (issue 13)
SESSION_ENGINE = "verksam.accounts.sessions"
X_FRAME_OPTIONS = "DENY"

# Payment provider for balance top-ups (port: verksam.billing.payments.PaymentProvider).
PAYMENT_PROVIDER_URL = env("PAYMENT_PROVIDER_URL", default="http://127.0.0.1:8765")
PAYMENT_PROVIDER_API_KEY = env("PAYMENT_PROVIDER_API_KEY", default="fake-key")

# Accounting systems (issue 10 item 8, docs/integrations.md). The defaults are the local fakes that
# `make run` starts (manage.py fake_fortnox / fake_visma); production sets the real hosts:
# Fortnox https://apps.fortnox.se + https://api.fortnox.se, Visma https://identity.vismaonline.com +
# https://eaccountingapi.vismaonline.com.
FORTNOX_AUTH_URL = env("FORTNOX_AUTH_URL", default="http://127.0.0.1:8766")
FORTNOX_API_URL = env("FORTNOX_API_URL", default="http://127.0.0.1:8766")
FORTNOX_CLIENT_ID = env("FORTNOX_CLIENT_ID", default="fake-fortnox-client")
FORTNOX_CLIENT_SECRET = env("FORTNOX_CLIENT_SECRET", default="fake-fortnox-secret")
VISMA_AUTH_URL = env("VISMA_AUTH_URL", default="http://127.0.0.1:8767")
VISMA_API_URL = env("VISMA_API_URL", default="http://127.0.0.1:8767")
VISMA_CLIENT_ID = env("VISMA_CLIENT_ID", default="fake-visma-client")
VISMA_CLIENT_SECRET = env("VISMA_CLIENT_SECRET", default="fake-visma-secret")
ACCOUNTING_TOKEN_KEY = env("ACCOUNTING_TOKEN_KEY", default="")  # Fernet key material; SECRET_KEY if empty
ACCOUNTING_HTTP_TIMEOUT = env.float("ACCOUNTING_HTTP_TIMEOUT", default=15.0)
ACCOUNTING_PUSH_MAX_ATTEMPTS = env.int("ACCOUNTING_PUSH_MAX_ATTEMPTS", default=5)
# a push that met 429/5xx/a timeout is queued again after BACKOFF × 2^(n-1) seconds (at most
# BACKOFF_MAX; half of it random jitter; never before Retry-After): 15–30 s, 30–60 s, 1–2 and 2–4 min
# between the five attempts
ACCOUNTING_PUSH_BACKOFF = env.float("ACCOUNTING_PUSH_BACKOFF", default=30.0)
ACCOUNTING_PUSH_BACKOFF_MAX = env.float("ACCOUNTING_PUSH_BACKOFF_MAX", default=900.0)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="WARNING")},
}
