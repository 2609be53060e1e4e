import sqlite3

from django.conf import settings
from django.db import connections

from config.settings.base import database_from_url


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
