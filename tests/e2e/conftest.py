"""Browser tests: Playwright on Debian's Chromium against Django's live_server (DESIGN.md "Tests").

No browser can be downloaded here, so the system Chromium is launched with the flag set that is
known to work in containers. The live server runs in a thread of the test process; Playwright's
sync API runs an event loop in that process too, so Django's async-safety guard is switched off
for the test run only.
"""

import os
import re
import threading
import time

import pytest

from verksam.integrations.accounting.fake_common import serve
from verksam.integrations.fortnox.fake.app import FakeFortnox
from verksam.projects.tests.factories import ProjectFactory, ProjectMemberFactory
from verksam.tenancy.models import Membership
from verksam.tenancy.scope import tenant_scope
from verksam.timecodes.tests.factories import TimeCodeFactory

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"
PASSWORD = "secret-password-1"  # the password of every factory user (verksam/tenancy/tests/factories.py)
PHONE = {
    "viewport": {"width": 375, "height": 740},
    "is_mobile": True,
    "has_touch": True,
    "device_scale_factor": 2,
}


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    # Swedish is the default language; say so explicitly so the browser's locale cannot change it.
    return {**browser_context_args, "locale": "sv-SE"}


REQUEST_THREAD = "(process_request_thread)"  # the live server's thread per request (daemon, untracked)


def _requests_in_flight() -> bool:
    return any(t.name.endswith(REQUEST_THREAD) and t.is_alive() for t in threading.enumerate())


@pytest.fixture(autouse=True)
def _live_server_idle_before_flush(request):
    """After a browser test, wait until the live server has answered every request the page sent
    before the database is flushed for the next test. The live server shares the test's SQLite
    connection; a late request (a polling badge, a page still loading) running beside the flush
    could undo part of it, and the next test met the previous one's rows (UNIQUE constraint failed
    at its set-up). Teardown order: the page closes first, then this, then the flush."""
    if "live_server" not in request.fixturenames:
        yield
        return
    request.getfixturevalue("transactional_db")
    yield
    quiet_since, deadline = None, time.monotonic() + 10
    while time.monotonic() < deadline:
        if _requests_in_flight():
            quiet_since = None
        elif quiet_since is None:
            quiet_since = time.monotonic()
        elif time.monotonic() - quiet_since >= 0.1:
            return
        time.sleep(0.02)


@pytest.fixture
def another_page(browser):
    """`another_page()`: a page of its own in the browser for a second person in the same test,
    closed when the test ends — before the live server is waited for and the database flushed. A
    page left open (`browser.new_page()`) kept polling (the message thread, every few seconds) into
    the flush and the next tests: a teardown failed with "no such savepoint" on SQLite."""
    pages = []

    def make():
        made = browser.new_page()
        pages.append(made)
        return made

    yield make
    for each in pages:
        each.close()


@pytest.fixture
def phone(browser, browser_context_args):
    """A page in a phone's browser: 375 px wide, touch, a 2× screen."""
    context = browser.new_context(**{**browser_context_args, **PHONE})
    yield context.new_page()
    context.close()


def assigned_project(tenant, user, number: str = "P1"):
    """The company's default time code "NT Normaltid" and a project "Villa Ek" that `user` is assigned
    to (a LIGHT employee may report only on such); returns the project and the user's membership."""
    TimeCodeFactory(tenant=tenant, code="NT", name="Normaltid", is_default=True)
    project = ProjectFactory(tenant=tenant, number=number, name="Villa Ek")
    with tenant_scope(tenant.pk):
        membership = Membership.objects.get(user=user)
    ProjectMemberFactory(tenant=tenant, project=project, membership=membership)
    return project, membership


def login(page, live_server, email: str, password: str = PASSWORD) -> None:
    """Log in through the real form at /accounts/login/ and wait until the form has been left."""
    page.goto(f"{live_server.url}/accounts/login/")
    page.locator("#id_email").fill(email)
    page.locator("#id_password").fill(password)
    page.locator("form button[type=submit]").click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


def tenant_url(live_server, slug: str, path: str = "") -> str:
    return f"{live_server.url}/t/{slug}/{path}"


def url_pattern(live_server, slug: str, path: str = "") -> re.Pattern:
    return re.compile(re.escape(tenant_url(live_server, slug, path)) + r"(\?.*)?$")


@pytest.fixture
def fortnox_server(settings, live_server):
    """The Fortnox fake on a free loopback port (as `manage.py fake_fortnox` serves it in
    development), with the settings pointing OAuth and the API at it: `(fake, its URL)`."""
    fake = FakeFortnox()
    server, _thread = serve(fake)
    url = f"http://127.0.0.1:{server.server_port}"
    settings.FORTNOX_AUTH_URL = settings.FORTNOX_API_URL = url
    settings.FORTNOX_CLIENT_ID, settings.FORTNOX_CLIENT_SECRET = fake.client_id, fake.client_secret
    settings.SITE_URL = live_server.url
    try:
        yield fake, url
    finally:
        server.shutdown()
        server.server_close()
