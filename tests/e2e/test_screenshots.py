"""Screenshot tests: the look of the main pages does not drift (issue 12 "Done when").

Each page is photographed at 375 × 812 and 1366 × 900 (the whole page) and compared with its
reviewed baseline in tests/e2e/screenshots/<page>-<phone|desktop>.png (at most MAX_HEIGHT px of
the page's top). A page fails when more than
TOLERANCE of its pixels differ visibly (a channel off by more than PIXEL_THRESHOLD), or when its size
changed; the new picture and a diff are then written next to the test's tmp dir and named in the
failure.

Deterministic pages: the demo data is seeded with the clock stopped at DEMO_NOW (the demo's dates are
relative to "today"), the browser's clock is stopped at the same moment, animations and the text
caret are off, and toasts are hidden.

Refresh the baselines after a deliberate change of the look, then look at every changed PNG before
committing it (git diff --stat tests/e2e/screenshots/; the file viewer shows PNGs):

    UPDATE_SCREENSHOTS=1 DATABASE_URL=sqlite:///$PWD/db.sqlite3 TEST_DATABASE_URL= \\
        .venv/bin/pytest -q -p no:cacheprovider tests/e2e/test_screenshots.py

The baselines are made with Debian's Chromium on Linux (fonts differ between systems).
"""

import datetime as dt
import io
import os
import zoneinfo
from importlib import import_module
from pathlib import Path

import pytest
import time_machine
from django.apps import apps as django_apps
from django.core.management import call_command
from PIL import Image, ImageChops

from .pages import ACCOUNTANT, OWNER, PASSWORD, WORKER

pytestmark = [pytest.mark.e2e]

BASELINES = Path(__file__).parent / "screenshots"
DEMO_NOW = dt.datetime(2026, 11, 18, 10, 0, tzinfo=zoneinfo.ZoneInfo("Europe/Stockholm"))  # a Wednesday
VIEWPORTS = {"phone": {"width": 375, "height": 812}, "desktop": {"width": 1366, "height": 900}}
TOLERANCE = 0.005  # share of the pixels that may differ
PIXEL_THRESHOLD = 24  # 0–255: smaller differences (anti-aliasing) do not count
MAX_HEIGHT = 2400  # the top of a long page is enough, and keeps the PNGs small
UPDATE = os.environ.get("UPDATE_SCREENSHOTS") == "1"

# toasts hidden, no transitions or animations, no caret; a bar stuck to the screen's bottom (the day
# form's "Spara") drawn where it stands in the page: a whole-page picture is taller than the screen,
# and the bar would be drawn over the field at the first screen's bottom edge
STEADY = """
.toasts { display: none !important; }
.sticky-save { position: static !important; }
*, *::before, *::after { transition: none !important; animation: none !important; }
* { caret-color: transparent !important; }
"""

STEADY_SCRIPT = (
    "addEventListener('DOMContentLoaded', () => { const s = document.createElement('style');"
    f" s.textContent = {STEADY!r}; document.head.append(s); }});"
)


def _pages() -> dict[str, tuple[str, str]]:
    from verksam.projects.models import Project
    from verksam.tenancy.models import Membership, Tenant
    from verksam.tenancy.scope import tenant_scope

    bygg = Tenant.objects.get(slug="byggmastarna")
    byra = Tenant.objects.get(slug="revisionsbyran")
    with tenant_scope(bygg.pk):
        hanna = Membership.objects.get(user__email=WORKER).pk
        project = Project.objects.order_by("pk").first().pk
    t = "/t/byggmastarna/"
    return {
        "login": ("", "/accounts/login/"),
        "not-found": (OWNER, t + "no-such-page/"),
        "styleguide": (OWNER, "/styleguide/"),
        "profile": (OWNER, "/accounts/me/"),
        "users": (OWNER, t + "users/"),
        "user-edit": (OWNER, f"{t}users/{hanna}/"),
        "user-invite": (OWNER, t + "users/invite/"),
        "partners": (OWNER, t + "partners/"),
        "projects": (OWNER, t + "projects/"),
        "project": (OWNER, f"{t}projects/{project}/"),
        "audit-log": (OWNER, t + "audit/"),
        "pricing": (OWNER, t + "pricing/"),
        "balances": (OWNER, t + "balances/"),
        # the time pages (issue 12): Hanna's week and today's day form as a LIGHT worker sees them,
        # the approver queue and Översikt as the owner sees them; their dates come from DEMO_NOW
        "overview": (OWNER, t),
        "week": (WORKER, t + "time/"),
        "day": (WORKER, f"{t}time/day/{DEMO_NOW.date().isoformat()}/"),
        "attestation": (OWNER, t + "attestation/"),
        "time-settings": (OWNER, t + "settings/time/"),
        "schedules": (OWNER, t + "settings/schedules/"),
        "member-schedule": (OWNER, f"{t}schedules/{hanna}/"),
        "documents": (OWNER, f"{t}documents/{byra.pk}/"),
        "messages": (OWNER, f"{t}messages/{byra.pk}/"),
        "portal": (ACCOUNTANT, "/t/revisionsbyran/portal/"),
    }


def _login(page, base_url: str, email: str) -> None:
    page.goto(f"{base_url}/accounts/login/")
    page.locator("#id_email").fill(email)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("form button[type=submit]").click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


def differs(baseline: Path, actual: bytes, out: Path) -> str:
    """'' when `actual` matches the baseline within the tolerance, else what differs."""
    new = Image.open(io.BytesIO(actual)).convert("RGB")
    if not baseline.exists():
        new.save(out / baseline.name)
        return f"no baseline (new picture: {out / baseline.name})"
    old = Image.open(baseline).convert("RGB")
    if old.size != new.size:
        new.save(out / baseline.name)
        return f"size {old.size} → {new.size} (new picture: {out / baseline.name})"
    diff = ImageChops.difference(old, new)
    mask = diff.convert("L").point(lambda v: 255 if v > PIXEL_THRESHOLD else 0)
    changed = sum(1 for v in mask.getdata() if v) / (new.width * new.height)
    if changed <= TOLERANCE:
        return ""
    new.save(out / baseline.name)
    mask.save(out / f"diff-{baseline.name}")
    return f"{changed:.2%} of the pixels differ (new picture and diff in {out})"


@pytest.mark.django_db(transaction=True)
def test_the_main_pages_look_like_their_baselines(
    browser, browser_context_args, live_server, settings, tmp_path
):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    BASELINES.mkdir(exist_ok=True)
    failures = {}
    with time_machine.travel(DEMO_NOW, tick=False):
        # A transactional test before this one flushes the tables, and with them the licence prices a
        # data migration wrote: put them back so the pricing page looks the same in any test order.
        import_module("verksam.billing.migrations.0002_seed_licence_prices").seed(django_apps, None)
        call_command("seed_demo", stdout=io.StringIO())
        pages = _pages()
        by_user: dict[str, list[str]] = {}
        for name, (who, _path) in pages.items():
            by_user.setdefault(who, []).append(name)
        for vp_name, viewport in VIEWPORTS.items():
            for who, names in by_user.items():
                # bypass_csp: the site's Content-Security-Policy refuses inline <style>, STEADY's too
                ctx = browser.new_context(
                    **{**browser_context_args, "viewport": viewport},
                    timezone_id="Europe/Stockholm",
                    bypass_csp=True,
                )
                ctx.add_init_script(STEADY_SCRIPT)
                page = ctx.new_page()
                page.clock.set_fixed_time(DEMO_NOW)
                if who:
                    _login(page, live_server.url, who)
                for name in names:
                    page.goto(live_server.url + pages[name][1])
                    height = min(page.evaluate("document.documentElement.scrollHeight"), MAX_HEIGHT)
                    clip = {"x": 0, "y": 0, "width": viewport["width"], "height": height}
                    shot = page.screenshot(full_page=True, clip=clip, animations="disabled", caret="hide")
                    baseline = BASELINES / f"{name}-{vp_name}.png"
                    if UPDATE:
                        Image.open(io.BytesIO(shot)).convert("RGB").save(baseline, optimize=True)
                    elif problem := differs(baseline, shot, tmp_path):
                        failures[baseline.name] = problem
                ctx.close()
    assert failures == {}


def test_the_comparison_fails_beyond_the_tolerance_only(tmp_path):
    # a 100 × 100 white baseline; 40 changed pixels (0.4 %) pass, 60 (0.6 %) fail, a new size fails
    baseline = tmp_path / "page-phone.png"
    Image.new("RGB", (100, 100), "white").save(baseline)
    out = tmp_path / "out"
    out.mkdir()

    def shot(changed: int, size=(100, 100)) -> bytes:
        image = Image.new("RGB", size, "white")
        for i in range(changed):
            image.putpixel((i % 100, i // 100), (0, 0, 0))
        buffer = io.BytesIO()
        image.save(buffer, "PNG")
        return buffer.getvalue()

    assert differs(baseline, shot(40), out) == ""
    assert "0.60% of the pixels differ" in differs(baseline, shot(60), out)
    assert (out / "diff-page-phone.png").exists()
    assert "size" in differs(baseline, shot(0, (100, 101)), out)
