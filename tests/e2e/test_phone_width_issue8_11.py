"""At 375 px no page of issues 8 and 11 scrolls sideways (schedules, attestation with flex, on-behalf,
absence ranges, documents, messages, the portal), logged in as the demo's owner, a part-timer and an
accountant."""

import io

import pytest
from django.core.management import call_command

from verksam.tenancy.models import Membership, Tenant
from verksam.tenancy.scope import tenant_scope

from .conftest import login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_the_new_pages_fit_a_375_px_phone(browser, browser_context_args, live_server, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    call_command("seed_demo", stdout=io.StringIO())
    bygg = Tenant.objects.get(slug="byggmastarna")
    byra = Tenant.objects.get(slug="revisionsbyran")
    with tenant_scope(bygg.pk):
        hanna = Membership.objects.get(user__email="hanna@byggmastarna.test")
    ctx = browser.new_context(**{**browser_context_args, "viewport": {"width": 375, "height": 800}})
    page = ctx.new_page()
    out = []
    for email, paths in {
        "agnes@byggmastarna.test": [
            "settings/schedules/",
            f"schedules/{hanna.pk}/",
            f"attestation/{hanna.pk}/",
            "attestation/",
            f"time/employees/{hanna.pk}/",
            f"documents/{byra.pk}/",
            f"messages/{byra.pk}/",
            "users/",
        ],
        "hanna@byggmastarna.test": ["time/", "time/absence/", "time/schedule/", "time/month/"],
    }.items():
        ctx.clear_cookies()
        login(page, live_server, email, "demo1234")
        for p in paths:
            page.goto(f"{live_server.url}/t/byggmastarna/{p}")
            w = page.evaluate("document.documentElement.scrollWidth")
            out.append((p, w))
    ctx.clear_cookies()
    login(page, live_server, "lena@revisionsbyran.test", "demo1234")
    for p in ["t/revisionsbyran/portal/", "t/revisionsbyran/portal/inbox/", "t/byggmastarna/collaboration/"]:
        page.goto(f"{live_server.url}/{p}")
        out.append((p, page.evaluate("document.documentElement.scrollWidth")))
    assert [(path, width) for path, width in out if width > 375] == []
