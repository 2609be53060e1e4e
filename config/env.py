"""The environment file, read by every entry point before a settings module is chosen.

`manage.py`, `config.wsgi` and `config.asgi` call `read_env()` first, so `DJANGO_SETTINGS_MODULE`
written in the file is honoured like every other setting (it used to be read only by the settings
module itself, too late to choose it). Variables already in the process environment win.
The file is `.env` beside manage.py, or the path in `VERKSAM_ENV_FILE`.
"""

import os
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def read_env() -> None:
    explicit = os.environ.get("VERKSAM_ENV_FILE", "")
    path = Path(explicit) if explicit else BASE_DIR / ".env"
    if path.is_file():
        environ.Env.read_env(path, overwrite=False)
    elif explicit:
        raise ImproperlyConfigured(f"VERKSAM_ENV_FILE names {path}, which does not exist.")
