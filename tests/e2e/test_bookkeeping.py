"""Journey (issue 10 items 6, 7 and 9): an accounting-firm user with full access opens the
customer's Bokföring, posts a proposed outlay (confirming), reverses it (confirming), and downloads
the posted vouchers as SIE 4I — a file our reader reads back with its #KSUMMA verified."""

import datetime as dt
from pathlib import Path

import pytest
from playwright.sync_api import expect

from verksam.bookkeeping import services
from verksam.bookkeeping.dto import BookingIn, BookingKind, GrossPart, SourceRef
from verksam.bookkeeping.sie.reader import read_sie
from verksam.tenancy.access import resolve
from verksam.tenancy.scope import tenant_scope

from .conftest import login, tenant_url

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_firm_user_posts_reverses_and_downloads_sie(
    page, live_server, tenant, owner, partner_full, tmp_path
):
    with tenant_scope(tenant.pk):
        draft = services.voucher_propose(
            actor=resolve(owner, tenant),
            booking=BookingIn(
                date=dt.date(2026, 3, 2),
                text="Bensin Preem",
                parts=(GrossPart(25, 62500),),
                cost_account="5611",
                kind=BookingKind.OUTLAY,
                source=SourceRef("expenses", "7", "Utlägg 7"),
            ),
        )

    login(page, live_server, partner_full.email)
    page.goto(tenant_url(live_server, tenant.slug, "bookkeeping/"))
    page.get_by_role("link", name="U (utkast)").click()
    expect(page.get_by_test_id("voucher-rows")).to_contain_text("5611")
    expect(page.get_by_test_id("voucher-rows")).to_contain_text("125,00")
    page.get_by_test_id("voucher-post").click()
    page.get_by_test_id("confirm-dialog").get_by_role("button", name="Bokför").click()
    expect(page.get_by_test_id("voucher-status")).to_have_text("Bokförd")
    expect(page.locator("h1")).to_contain_text("U1")

    page.get_by_test_id("voucher-reverse").click()
    page.get_by_test_id("confirm-dialog").get_by_role("button", name="Vänd verifikat").click()
    expect(page.locator("h1")).to_contain_text("U2")
    expect(page.get_by_role("link", name="U1")).to_be_visible()

    page.goto(tenant_url(live_server, tenant.slug, "bookkeeping/"))
    page.locator(f'input[name=voucher][value="{draft.id}"]').check()
    with page.expect_download() as download_info:
        page.get_by_test_id("sie-chosen").click()
    path = Path(tmp_path) / "export.si"
    download_info.value.save_as(path)
    with path.open("rb") as stream:
        sie = read_sie(stream)
    assert sie.ksumma_ok and sie.company_name == tenant.name
    assert [(v.series, v.number, v.text) for v in sie.vouchers] == [("U", "1", "Bensin Preem")]
