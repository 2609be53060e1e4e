"""The bookkeeping pages and endpoints: who may (TOTAL, FULL partner) and who may not (employee,
LIMITED partner, another tenant → 404), a refused call changes nothing, the list costs a constant
number of queries, bad input answers 422 in Swedish / as JSON, and the SIE download reads back."""

import datetime as dt
import io

import pytest
from django.urls import reverse

from verksam.bookkeeping import services
from verksam.bookkeeping.models import FiscalYear, Voucher
from verksam.bookkeeping.sie.reader import read_sie
from verksam.tenancy.scope import tenant_scope
from verksam.tenancy.tests.fixtures import api_client, login_client
from verksam.tenancy.tests.helpers import count_queries, sv

from .helpers import actor_of, booking, posted_vouchers

PAGES = ["web:bookkeeping", "web:bookkeeping_settings"]


def _state(tenant):
    with tenant_scope(tenant.pk):
        return (
            list(Voucher.objects.order_by("pk").values("pk", "status", "number")),
            list(FiscalYear.objects.values_list("pk", flat=True)),
        )


def _draft(tenant, owner) -> int:
    with tenant_scope(tenant.pk):
        return services.voucher_propose(actor=actor_of(owner, tenant), booking=booking(50)).id


@pytest.mark.parametrize("role", ["owner", "partner_full"])
def test_the_bookkeeper_sees_the_pages(request, tenant, owner, role):
    [posted] = posted_vouchers(owner, tenant, 1)
    client = login_client(request.getfixturevalue(role))
    for name in PAGES:
        assert client.get(reverse(name, args=[tenant.slug])).status_code == 200
    page = client.get(reverse("web:bookkeeping_voucher", args=[tenant.slug, posted]))
    assert page.status_code == 200 and b"5611" in page.content


@pytest.mark.parametrize("role", ["employee", "attestant", "partner_limited"])
def test_who_may_not_book_gets_403_and_changes_nothing(request, tenant, owner, role):
    [posted] = posted_vouchers(owner, tenant, 1)
    draft = _draft(tenant, owner)
    before = _state(tenant)
    user = request.getfixturevalue(role)
    web, api = login_client(user), api_client(user)
    for name in PAGES:
        assert web.get(reverse(name, args=[tenant.slug])).status_code == 403
    assert web.post(reverse("web:bookkeeping_voucher_post", args=[tenant.slug, draft])).status_code == 403
    assert web.post(reverse("web:bookkeeping_voucher_reverse", args=[tenant.slug, posted])).status_code == 403
    assert (
        web.post(reverse("web:bookkeeping_sie", args=[tenant.slug]), {"voucher": posted}).status_code == 403
    )
    base = f"/api/v1/tenants/{tenant.pk}"
    assert api.get(f"{base}/vouchers").status_code == 403
    assert api.post(f"{base}/vouchers/{draft}/post").status_code == 403
    assert (
        api.post(f"{base}/vouchers/{posted}/reverse", {}, content_type="application/json").status_code == 403
    )
    assert (
        api.post(
            f"{base}/bookkeeping/sie", {"voucher_ids": [posted]}, content_type="application/json"
        ).status_code
        == 403
    )
    assert _state(tenant) == before


def test_another_tenants_vouchers_answer_404_and_change_nothing(tenant, owner, other_tenant):
    from verksam.tenancy.models import Licence
    from verksam.tenancy.tests.factories import MembershipFactory, UserFactory

    [posted] = posted_vouchers(owner, tenant, 1)
    draft = _draft(tenant, owner)
    before = _state(tenant)
    stranger = UserFactory()
    MembershipFactory(tenant=other_tenant, user=stranger, licence=Licence.TOTAL)
    web, api = login_client(stranger), api_client(stranger)
    assert web.get(reverse("web:bookkeeping_voucher", args=[other_tenant.slug, posted])).status_code == 404
    assert (
        web.post(reverse("web:bookkeeping_voucher_post", args=[other_tenant.slug, draft])).status_code == 404
    )
    assert (
        web.post(reverse("web:bookkeeping_voucher_reverse", args=[other_tenant.slug, posted])).status_code
        == 404
    )
    assert web.get(reverse("web:bookkeeping", args=[tenant.slug])).status_code == 404  # not a member there
    sie = web.post(reverse("web:bookkeeping_sie", args=[other_tenant.slug]), {"voucher": posted})
    assert sie.status_code == 422  # nothing of theirs is chosen: another company's id matches nothing
    base = f"/api/v1/tenants/{other_tenant.pk}"
    assert api.get(f"{base}/vouchers/{posted}").status_code == 404
    assert api.post(f"{base}/vouchers/{draft}/post").status_code == 404
    assert (
        api.post(f"{base}/vouchers/{posted}/reverse", {}, content_type="application/json").status_code == 404
    )
    assert api.delete(f"{base}/vouchers/{draft}").status_code == 404
    assert api.get(f"/api/v1/tenants/{tenant.pk}/vouchers").status_code == 404
    assert _state(tenant) == before


def test_the_voucher_list_costs_the_same_queries_for_2_and_30_vouchers(tenant, owner):
    client = login_client(owner)
    api = api_client(owner)
    url = reverse("web:bookkeeping", args=[tenant.slug])
    api_url = f"/api/v1/tenants/{tenant.pk}/vouchers?page_size=50"
    posted_vouchers(owner, tenant, 2)
    client.get(url), api.get(api_url)  # warm: the token's first use and the session are written once
    small = count_queries(lambda: client.get(url))[0], count_queries(lambda: api.get(api_url))[0]
    posted_vouchers(owner, tenant, 28, day=dt.date(2026, 4, 1))
    _draft(tenant, owner)
    large_web, response = count_queries(lambda: client.get(url))
    large_api = count_queries(lambda: api.get(api_url))[0]
    assert response.content.count(b"data-voucher=") == 31
    assert (large_web, large_api) == small


def test_post_and_reverse_from_the_pages(tenant, owner):
    draft = _draft(tenant, owner)
    client = login_client(owner)
    response = client.post(reverse("web:bookkeeping_voucher_post", args=[tenant.slug, draft]))
    assert response.status_code == 302
    again = client.post(reverse("web:bookkeeping_voucher_post", args=[tenant.slug, draft]))
    assert again.status_code == 422
    bad = client.post(
        reverse("web:bookkeeping_voucher_reverse", args=[tenant.slug, draft]), {"date": "2026-13-40"}
    )
    assert bad.status_code == 422
    response = client.post(
        reverse("web:bookkeeping_voucher_reverse", args=[tenant.slug, draft]), {"date": "2026-03-05"}
    )
    assert response.status_code == 302
    with tenant_scope(tenant.pk):
        reversal = Voucher.objects.get(reverses_id=draft)
        assert (reversal.series, reversal.number, reversal.date) == ("U", 2, dt.date(2026, 3, 5))
    page = client.get(reverse("web:bookkeeping_voucher", args=[tenant.slug, draft]))
    assert b'data-testid="reversed-by"' in page.content


def test_bad_settings_answer_422_in_swedish_and_keep_the_old(tenant, owner):
    client = login_client(owner)
    response = client.post(
        reverse("web:bookkeeping_settings_save", args=[tenant.slug]),
        {
            "s-input_vat_account": "2641",
            "s-outlay_liability_account": "28x0",
            "s-bank_account": "1930",
            "s-card_settlement_account": "",
            "s-outlay_series": "U",
            "s-card_series": "K",
            "s-manual_series": "V",
        },
    )
    assert response.status_code == 422
    assert (
        sv("%(value)s is not an account number (four digits).") % {"value": "28x0"}
        in response.content.decode()
    )
    overlap = client.post(
        reverse("web:bookkeeping_fiscal_year_create", args=[tenant.slug]), {"y-start": "2026-01-01"}
    )
    assert overlap.status_code == 302
    overlap = client.post(
        reverse("web:bookkeeping_fiscal_year_create", args=[tenant.slug]), {"y-start": "2026-06-01"}
    )
    assert overlap.status_code == 422
    assert sv("The fiscal year overlaps another one.") in overlap.content.decode()


def test_sie_download_of_chosen_vouchers_reads_back_with_a_verified_checksum(tenant, owner):
    ids = posted_vouchers(owner, tenant, 3)
    draft = _draft(tenant, owner)
    client = login_client(owner)
    response = client.post(
        reverse("web:bookkeeping_sie", args=[tenant.slug]), {"voucher": [ids[0], ids[2], draft]}
    )
    assert response.status_code == 200
    assert (
        response["Content-Disposition"].startswith("attachment;") and ".si" in response["Content-Disposition"]
    )
    sie = read_sie(io.BytesIO(b"".join(response.streaming_content)))
    assert sie.ksumma_ok and sie.company_name == tenant.name and not sie.has_balances
    assert [(v.series, v.number) for v in sie.vouchers] == [("U", "1"), ("U", "3")]  # the draft is left out
    assert set(sie.accounts) == {"5611", "2641", "2820"}
    assert sie.fiscal_years[0] == (dt.date(2026, 1, 1), dt.date(2026, 12, 31))
    everything = client.post(
        reverse("web:bookkeeping_sie", args=[tenant.slug]), {"scope": "filter", "series": "u"}
    )
    assert len(read_sie(io.BytesIO(b"".join(everything.streaming_content))).vouchers) == 3
    nothing = client.post(
        reverse("web:bookkeeping_sie", args=[tenant.slug]), {"voucher": [draft, "x", "99999999999999999999"]}
    )
    assert nothing.status_code == 422
    assert sv("Choose at least one posted voucher to export.") in nothing.content.decode()


def test_the_api_books_posts_reverses_and_exports(tenant, partner_full):
    api = api_client(partner_full)
    base = f"/api/v1/tenants/{tenant.pk}"
    unbalanced = api.post(
        f"{base}/vouchers",
        {
            "date": "2026-03-02",
            "text": "Fel",
            "rows": [{"account": "5611", "debit_ore": 100}, {"account": "2820", "credit_ore": 90}],
        },
        content_type="application/json",
    )
    assert unbalanced.status_code == 400 and unbalanced.json()["code"] == "voucher_unbalanced"
    created = api.post(
        f"{base}/vouchers",
        {
            "date": "2026-03-02",
            "text": "Kontorsmaterial",
            "rows": [
                {"account": "6110", "debit_ore": 8000, "vat_rate": 25},
                {"account": "2641", "debit_ore": 2000},
                {"account": "1930", "credit_ore": 10000},
            ],
        },
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    voucher = created.json()
    assert (voucher["series"], voucher["number"], voucher["status"]) == ("V", None, "draft")
    posted = api.post(f"{base}/vouchers/{voucher['id']}/post")
    assert posted.status_code == 200 and posted.json()["number"] == 1
    assert api.post(f"{base}/vouchers/{voucher['id']}/post").status_code == 409
    assert api.delete(f"{base}/vouchers/{voucher['id']}").status_code == 409
    reversal = api.post(
        f"{base}/vouchers/{voucher['id']}/reverse", {"date": "2026-03-03"}, content_type="application/json"
    )
    assert reversal.status_code == 201 and reversal.json()["number"] == 2
    listed = api.get(f"{base}/vouchers?status=posted&series=v").json()
    assert listed["total"] == 2
    sie = api.post(
        f"{base}/bookkeeping/sie", {"voucher_ids": [voucher["id"]]}, content_type="application/json"
    )
    assert sie.status_code == 200
    assert read_sie(io.BytesIO(b"".join(sie.streaming_content))).ksumma_ok
    assert api.get(f"{base}/vouchers/abc").status_code in (404, 422)
    settings = api.patch(
        f"{base}/bookkeeping/settings", {"card_settlement_account": "1680"}, content_type="application/json"
    )
    assert settings.status_code == 200 and settings.json()["card_settlement_account"] == "1680"
    bad = api.patch(f"{base}/bookkeeping/settings", {"bank_account": "19"}, content_type="application/json")
    assert bad.status_code == 422
    assert api.get(f"{base}/bookkeeping/cost-accounts").json()[0]["account"]
    year = api.post(
        f"{base}/bookkeeping/fiscal-years", {"start": "2027-01-01"}, content_type="application/json"
    )
    assert year.status_code == 201 and year.json()["end"] == "2027-12-31"
