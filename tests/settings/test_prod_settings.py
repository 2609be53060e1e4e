"""Production settings cannot silently fall back to development (issue 7, item 9).

Each case starts a fresh Python process, as a server would, because settings are read once."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SETUP = "import django; django.setup(); from django.conf import settings; print(settings.SETTINGS_MODULE)"


def prod_env(tmp_path: Path, **overrides: str) -> dict[str, str]:
    """A valid production environment, isolated from the developer's own .env and variables."""
    empty = tmp_path / "empty.env"
    empty.write_text("")
    keep = {"PATH", "HOME", "LANG", "LC_ALL", "PYTHONPATH", "VIRTUAL_ENV", "TMPDIR"}
    env = {k: v for k, v in os.environ.items() if k in keep}
    env.update(
        VERKSAM_ENV_FILE=str(empty),
        DJANGO_SETTINGS_MODULE="config.settings.prod",
        SECRET_KEY=secrets.token_urlsafe(60),
        ALLOWED_HOSTS="verksam.example.se",
        DATABASE_URL="postgresql://verksam_app:secret@127.0.0.1:5432/verksam",
        CACHE_URL="redis://127.0.0.1:6379/1",
        EMAIL_URL="smtp+tls://user:password@smtp.example.se:587",
        SITE_URL="https://verksam.example.se",
        PAYMENT_PROVIDER_URL="https://pay.example.se",
        PAYMENT_PROVIDER_API_KEY="live-key-0123456789",
    )
    env.update(overrides)
    return {k: v for k, v in env.items() if v is not None}


def run(env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def test_prod_settings_pass_check_deploy_without_warnings(tmp_path):
    # given the production settings with a valid environment / when Django's deployment check runs
    result = run(prod_env(tmp_path), "manage.py", "check", "--deploy", "--fail-level", "WARNING")
    # then it reports no issue at all
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"DEBUG": "true"}, "DEBUG is on"),
        ({"SECRET_KEY": "dev-only-insecure-key-change-me-0123456789abcdefghijklmnop"}, "SECRET_KEY is the"),
        ({"SECRET_KEY": "short-but-random-Xy7"}, "SECRET_KEY is the development default or too weak"),
        ({"SECRET_KEY": None}, "set SECRET_KEY in the environment"),
        ({"ALLOWED_HOSTS": ""}, "set ALLOWED_HOSTS"),
        ({"ALLOWED_HOSTS": "*"}, "ALLOWED_HOSTS must name the site's host names"),
        ({"DATABASE_URL": None}, "set DATABASE_URL"),
        ({"DATABASE_URL": "sqlite:////tmp/verksam.sqlite3"}, "DATABASE_URL must point at PostgreSQL"),
        ({"CACHE_URL": "locmemcache://"}, "CACHE_URL must be Redis"),
        ({"EMAIL_URL": "consolemail://"}, "EMAIL_URL must name a real mail server"),
        ({"SITE_URL": "http://127.0.0.1:8000"}, "SITE_URL must be the site's https:// address"),
        ({"PAYMENT_PROVIDER_API_KEY": "fake-key"}, "PAYMENT_PROVIDER_API_KEY is the development fake"),
    ],
)
def test_a_production_start_with_a_development_setting_refuses_with_a_clear_message(
    tmp_path, overrides, message
):
    result = run(prod_env(tmp_path, **overrides), "-c", SETUP)
    assert result.returncode != 0
    assert "ImproperlyConfigured: Verksam refuses to start with production settings" in result.stderr
    assert message in result.stderr


def test_the_wsgi_server_does_not_fall_back_to_development(tmp_path):
    # given a server started on config.wsgi with no settings module and no secrets
    env = prod_env(tmp_path, DJANGO_SETTINGS_MODULE=None, SECRET_KEY=None)
    # when the application is loaded / then it refuses instead of serving development settings
    result = run(env, "-c", "import config.wsgi")
    assert result.returncode != 0
    assert "set SECRET_KEY" in result.stderr


def test_the_settings_module_is_chosen_in_the_environment_file(tmp_path):
    # given DJANGO_SETTINGS_MODULE written only in the environment file (the documented one way)
    env = prod_env(tmp_path)
    env_file = tmp_path / "verksam.env"
    env_file.write_text("".join(f"{k}={env.pop(k)}\n" for k in ["DJANGO_SETTINGS_MODULE", "SECRET_KEY"]))
    env["VERKSAM_ENV_FILE"] = str(env_file)
    # when manage.py starts / then production settings are used
    result = run(
        env,
        "manage.py",
        "shell",
        "--no-imports",
        "-c",
        "from django.conf import settings; print(settings.SETTINGS_MODULE)",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == "config.settings.prod"


def test_production_serves_no_admin_site_unless_enabled(tmp_path):
    probe = (
        "import django; django.setup(); from django.urls import resolve; resolve('/admin/'); print('served')"
    )
    assert run(prod_env(tmp_path), "-c", probe).returncode != 0
    assert run(prod_env(tmp_path, ADMIN_ENABLED="true"), "-c", probe).stdout.strip() == "served"


def test_development_start_is_unchanged(tmp_path):
    # `make run`: manage.py without any environment chooses development and SQLite, with DEBUG off
    # (the site's own Swedish error pages, issue 12 item 3; `DEBUG=true make run` for the debug page)
    env = prod_env(tmp_path)
    for name in list(env):
        if name not in {"PATH", "HOME", "VERKSAM_ENV_FILE", "LANG", "LC_ALL", "VIRTUAL_ENV"}:
            env.pop(name)
    probe = (
        "from django.conf import settings; "
        "print(settings.SETTINGS_MODULE, settings.DEBUG, settings.DATABASES['default']['ENGINE'])"
    )
    result = run(env, "manage.py", "shell", "--no-imports", "-c", probe)
    assert result.stdout.split() == ["config.settings.dev", "False", "django.db.backends.sqlite3"], (
        result.stderr
    )
