import os
import secrets
import sqlite3
import subprocess
import sys
from pathlib import Path

from django.conf import settings
from django.db import connections

from config.settings.base import database_from_url

ROOT = Path(__file__).resolve().parents[2]


def test_prod_settings_pass_check_deploy_without_warnings():
    # Given the production settings with their environment set
    # (the browser tests' DJANGO_ALLOW_ASYNC_UNSAFE must not leak into a deployment check)
    inherited = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {
        **inherited,
        "DJANGO_SETTINGS_MODULE": "config.settings.prod",
        "SECRET_KEY": secrets.token_urlsafe(60),
        "ALLOWED_HOSTS": "verksam.example.se",
    }
    # When Django's deployment check runs
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    # Then it reports no issue at all
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_sqlite_runs_in_wal_mode_with_immediate_transactions(tmp_path):
    config = database_from_url(f"sqlite:///{tmp_path / 'wal.sqlite3'}")
    assert config["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    conn = sqlite3.connect(tmp_path / "wal.sqlite3")
    conn.executescript(config["OPTIONS"]["init_command"])
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_swedish_default_stockholm_time_and_argon2():
    assert settings.LANGUAGE_CODE == "sv"
    assert ("en", "English") in settings.LANGUAGES
    assert settings.TIME_ZONE == "Europe/Stockholm" and settings.USE_TZ
    from config.settings import base

    assert base.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")


def test_database_comes_from_environment():
    assert connections["default"].settings_dict["ENGINE"] in {
        "django.db.backends.sqlite3",
        "django.db.backends.postgresql",
    }
