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


ERRORS_SCRIPT = """
import django
django.setup()
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import clear_url_caches, path
import config.urls

def broken(request):
    raise RuntimeError("a bug in a page")

def refused(request):
    raise PermissionDenied

# two pages of the test only, under the settings of `make run` (no such page in the app)
config.urls.urlpatterns += [path("broken/", broken), path("refused/", refused)]
clear_url_caches()
client = Client(HTTP_HOST="127.0.0.1:8000", raise_request_exception=False)
for url in ("/broken/", "/refused/"):
    response = client.get(url, HTTP_ACCEPT_LANGUAGE="sv")
    print("=====", response.status_code)
    print(response.content.decode())
form = Client(HTTP_HOST="127.0.0.1:8000", enforce_csrf_checks=True)
response = form.post("/accounts/login/", {"email": "a@b.se"}, HTTP_ACCEPT_LANGUAGE="sv")
print("=====", response.status_code)
print(response.content.decode())
"""


def test_make_run_shows_the_swedish_500_403_and_refused_form_pages():
    environment = {
        k: v for k, v in os.environ.items() if k not in {"DJANGO_SETTINGS_MODULE", "DEBUG", "DATABASE_URL"}
    } | {"DJANGO_SETTINGS_MODULE": "config.settings.dev", "DATABASE_URL": "sqlite://:memory:"}
    done = subprocess.run(
        [sys.executable, "-c", ERRORS_SCRIPT],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    broken, refused, form = (part.partition("\n") for part in done.stdout.split("===== ")[1:])
    assert broken[0] == "500" and "Något gick fel" in broken[2]
    assert refused[0] == "403" and "Du har inte behörighet till den här sidan" in refused[2]
    assert form[0] == "403" and "Formuläret kunde inte skickas" in form[2]
    for page in (broken[2], refused[2], form[2]):
        assert "Traceback" not in page and "DEBUG" not in page and "a bug in a page" not in page
        assert 'lang="sv"' in page
