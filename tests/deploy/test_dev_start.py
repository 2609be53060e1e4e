"""`make run` (config.settings.dev) shows a new user the site's own Swedish error pages, not the
framework's debug page, and still serves the stylesheets (issue 12 item 3)."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

SCRIPT = """
import django
django.setup()
from django.conf import settings
from django.test import Client
client = Client(HTTP_HOST="127.0.0.1:8000")
missing = client.get("/no-such-page/", HTTP_ACCEPT_LANGUAGE="sv")
css = client.get("/static/css/verksam.css")
print(settings.DEBUG, missing.status_code, css.status_code)
print(missing.content.decode())
"""


def _run(**env: str) -> tuple[str, str]:
    environment = {
        k: v for k, v in os.environ.items() if k not in {"DJANGO_SETTINGS_MODULE", "DEBUG", "DATABASE_URL"}
    }
    environment |= {
        "DJANGO_SETTINGS_MODULE": "config.settings.dev",
        "DATABASE_URL": "sqlite://:memory:",
    } | env
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT], cwd=ROOT, env=environment, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    first, _, page = done.stdout.partition("\n")
    return first, page


def test_make_run_shows_the_swedish_404_page_and_serves_static_files():
    first, page = _run()
    assert first == "False 404 200"
    assert "Sidan kunde inte hittas" in page
    assert "Traceback" not in page and "DEBUG = True" not in page


def test_the_debug_page_is_there_when_asked_for():
    first, page = _run(DEBUG="true")
    assert first.startswith("True 404")
    assert "DEBUG = True" in page
