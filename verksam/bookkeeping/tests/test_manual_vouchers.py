"""Manual vouchers (issue 10 item 6, Nytt verifikat): the bookkeeper enters series, date, text and
rows in kronor with a decimal comma, saves a draft or posts at once; rows that do not balance are
refused in Swedish with nothing written; a reversal corrects a posted one. Page and API call the same
service and agree; another company answers 404, an employee (LIGHT) and a LIMITED partner 403, a FULL
partner may; the voucher list stays at a constant number of queries."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from verksam.audit.models import AuditEvent
from verksam.bookkeeping import selectors, services
from verksam.bookkeeping.dto import RowOut
from verksam.bookkeeping.models import Voucher, VoucherRow
from verksam.core.errors import DomainError
from verksam.tenancy.scope import tenant_scope
from verksam.tenancy.tests.fixtures import api_client, login_client
from verksam.tenancy.tests.helpers import count_queries, sv

from .helpers import DAY, ROWS, actor_of

NEW = "web:bookkeeping_voucher_new"


def _form(rows, *, action="post", series="V", date="2026-03-02", text="Periodisering hyra") -> dict:
    data = {
        "series": series,
        "date": date,
        "text": text,
        "action": action,
        "rows-TOTAL_FORMS": str(len(rows)),
        "rows-INITIAL_FORMS": "0",
        "rows-MIN_NUM_FORMS": "0",
        "rows-MAX_NUM_FORMS": "500",
    }
    for i, (account, debit, credit) in enumerate(rows):
        data |= {f"rows-{i}-account": account, f"rows-{i}-debit": debit, f"rows-{i}-credit": credit}
    return data


BALANCED = [("5010", "1 250,50", ""), ("2641", "312,63", ""), ("1930", "", "1563,13"), ("", "", "")]
UNBALANCED = [("5010", "1250,50", ""), ("1930", "", "1250,00")]


def _state(tenant):
    with tenant_scope(tenant.pk):
        return (
            list(Voucher.objects.order_by("pk").values_list("pk", "status", "number")),
            VoucherRow.objects.count(),
        )


# --- the rule (service) ---------------------------------------------------------------------------


@pytest.fixture
def book(tenant, owner):
    with tenant_scope(tenant.pk):
        yield actor_of(owner, tenant)


def test_a_manual_voucher_posted_at_once_takes_the_next_number_and_is_audited(book):
    posted = services.voucher_create(actor=book, date=DAY, text="Manuell", rows=ROWS, post=True)
    again = services.voucher_create(actor=book, date=DAY, text="Manuell 2", rows=ROWS, post=True)
    assert (posted.label, posted.status, again.label) == ("V1", "posted", "V2")
    actions = set(AuditEvent.objects.filter(target_id=str(posted.id)).values_list("action", flat=True))
    assert {"bookkeeping.voucher_create", "bookkeeping.voucher_post"} <= actions


def test_posting_rows_that_do_not_balance_is_refused_and_nothing_is_written(book):
    rows = (RowOut("5010", debit_ore=125050), RowOut("1930", credit_ore=125000))
    with pytest.raises(DomainError) as exc:
        services.voucher_create(actor=book, date=DAY, text="Manuell", rows=rows, post=True)
    assert exc.value.code == "voucher_unbalanced" and exc.value.extra["difference_ore"] == 50
    assert not Voucher.objects.exists() and not VoucherRow.objects.exists()
    assert selectors.voucher_list().count() == 0


def test_the_accounts_offered_are_the_companys_and_the_bas_accounts(book):
    services.account_settings_update(actor=book, card_settlement_account="1960")
    services.cost_account_save(actor=book, key="rent", name="Lokalhyra", account="5010")
    choices = dict(selectors.account_choices())
    assert (
        choices["5010"] == "Lokalhyra" and "1960" in choices and choices["2641"] == "Debiterad ingående moms"
    )
    assert list(choices) == sorted(choices)


# --- the page -------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["owner", "partner_full"])
def test_the_bookkeeper_posts_a_manual_voucher_from_the_page(request, tenant, role):
    client = login_client(request.getfixturevalue(role))
    page = client.get(reverse(NEW, args=[tenant.slug]))
    assert page.status_code == 200
    assert b'value="V"' in page.content and b'<option value="2641">' in page.content
    response = client.post(reverse(NEW, args=[tenant.slug]), _form(BALANCED))
    assert response.status_code == 302
    with tenant_scope(tenant.pk):
        voucher = Voucher.objects.get()
        rows = [(r.account, r.debit_ore, r.credit_ore) for r in voucher.rows.all()]
    assert (voucher.series, voucher.number, voucher.status, voucher.text) == (
        "V",
        1,
        "posted",
        "Periodisering hyra",
    )
    assert rows == [("5010", 125050, 0), ("2641", 31263, 0), ("1930", 0, 156313)]
    assert response["Location"] == reverse("web:bookkeeping_voucher", args=[tenant.slug, voucher.pk])
    detail = client.get(response["Location"])
    assert sv("Reverse voucher") in detail.content.decode()


def test_a_draft_is_saved_then_posted_from_its_page(tenant, owner):
    client = login_client(owner)
    response = client.post(reverse(NEW, args=[tenant.slug]), _form(BALANCED, action="draft"))
    assert response.status_code == 302
    with tenant_scope(tenant.pk):
        draft = Voucher.objects.get()
    assert (draft.status, draft.number) == ("draft", None)
    client.post(reverse("web:bookkeeping_voucher_post", args=[tenant.slug, draft.pk]))
    with tenant_scope(tenant.pk):
        assert Voucher.objects.get().number == 1


def test_rows_that_do_not_balance_are_refused_in_swedish_and_nothing_is_written(tenant, owner):
    client = login_client(owner)
    before = _state(tenant)
    response = client.post(reverse(NEW, args=[tenant.slug]), _form(UNBALANCED))
    assert response.status_code == 422
    text = response.content.decode()
    assert "balanserar inte" in text and "0,50 kr" in text
    assert 'value="1250,50"' in text  # what was typed is kept
    assert _state(tenant) == before


@pytest.mark.parametrize(
    ("rows", "field"),
    [
        ([("5010", "12,345", ""), ("1930", "", "12,35")], "debit"),
        ([("5010", "abc", ""), ("1930", "", "1")], "debit"),
        ([("50", "10", ""), ("1930", "", "10")], None),
        ([("5010", "10", "10"), ("1930", "", "10")], None),
        ([("5010", "10", "")], None),
    ],
)
def test_bad_rows_answer_422_with_a_swedish_message(tenant, owner, rows, field):
    client = login_client(owner)
    before = _state(tenant)
    response = client.post(reverse(NEW, args=[tenant.slug]), _form(rows))
    assert response.status_code == 422
    assert 'class="errorlist' in response.content.decode()
    assert _state(tenant) == before


def test_a_date_outside_every_fiscal_year_that_cannot_be_added_is_refused(tenant, owner):
    with tenant_scope(tenant.pk):
        services.fiscal_year_create(
            actor=actor_of(owner, tenant), start=dt.date(2025, 7, 1), end=dt.date(2026, 6, 30)
        )
    client = login_client(owner)
    before = _state(tenant)
    response = client.post(reverse(NEW, args=[tenant.slug]), _form(BALANCED, date="2026-08-01"))
    assert response.status_code == 422
    assert "räkenskapsår" in response.content.decode()
    assert _state(tenant) == before


def test_a_reversal_from_the_page_corrects_the_manual_voucher(tenant, owner):
    client = login_client(owner)
    client.post(reverse(NEW, args=[tenant.slug]), _form(BALANCED))
    with tenant_scope(tenant.pk):
        original = Voucher.objects.get()
    response = client.post(reverse("web:bookkeeping_voucher_reverse", args=[tenant.slug, original.pk]))
    assert response.status_code == 302
    with tenant_scope(tenant.pk):
        reversal = Voucher.objects.get(reverses=original)
        rows = [(r.account, r.debit_ore, r.credit_ore) for r in reversal.rows.all()]
    assert (reversal.series, reversal.number) == ("V", 2)
    assert rows == [("5010", 0, 125050), ("2641", 0, 31263), ("1930", 156313, 0)]


@pytest.mark.parametrize("role", ["employee", "attestant", "partner_limited"])
def test_who_may_not_book_gets_403_on_the_page_and_the_api_and_nothing_is_written(request, tenant, role):
    user = request.getfixturevalue(role)
    before = _state(tenant)
    web, api = login_client(user), api_client(user)
    assert web.get(reverse(NEW, args=[tenant.slug])).status_code == 403
    assert web.post(reverse(NEW, args=[tenant.slug]), _form(BALANCED)).status_code == 403
    answer = api.post(
        f"/api/v1/tenants/{tenant.pk}/vouchers", _api_body(post=True), content_type="application/json"
    )
    assert answer.status_code == 403
    assert _state(tenant) == before


def test_another_company_answers_404_and_nothing_is_written(tenant, owner, other_tenant):
    from verksam.tenancy.models import Licence
    from verksam.tenancy.tests.factories import MembershipFactory, UserFactory

    stranger = UserFactory()
    MembershipFactory(tenant=other_tenant, user=stranger, licence=Licence.TOTAL)
    before = _state(tenant)
    web, api = login_client(stranger), api_client(stranger)
    assert web.get(reverse(NEW, args=[tenant.slug])).status_code == 404
    assert web.post(reverse(NEW, args=[tenant.slug]), _form(BALANCED)).status_code == 404
    answer = api.post(
        f"/api/v1/tenants/{tenant.pk}/vouchers", _api_body(post=True), content_type="application/json"
    )
    assert answer.status_code == 404
    assert _state(tenant) == before


# --- the API agrees -------------------------------------------------------------------------------


def _api_body(*, post: bool, rows=None) -> dict:
    return {
        "date": "2026-03-02",
        "text": "Periodisering hyra",
        "post": post,
        "rows": rows
        or [
            {"account": "5010", "debit_ore": 125050},
            {"account": "2641", "debit_ore": 31263},
            {"account": "1930", "credit_ore": 156313},
        ],
    }


def test_the_page_and_the_api_book_the_same_voucher(tenant, owner, partner_full):
    login_client(owner).post(reverse(NEW, args=[tenant.slug]), _form(BALANCED))
    answer = api_client(partner_full).post(
        f"/api/v1/tenants/{tenant.pk}/vouchers", _api_body(post=True), content_type="application/json"
    )
    assert answer.status_code == 201, answer.content
    body = answer.json()
    assert (body["series"], body["number"], body["status"]) == ("V", 2, "posted")
    with tenant_scope(tenant.pk):
        web_v, api_v = Voucher.objects.order_by("pk")
        assert [(r.account, r.amount_ore) for r in web_v.rows.all()] == [
            (r.account, r.amount_ore) for r in api_v.rows.all()
        ]
        assert (web_v.text, web_v.date) == (api_v.text, api_v.date)


def test_the_api_refuses_an_unbalanced_post_like_the_page(tenant, owner):
    before = _state(tenant)
    rows = [{"account": "5010", "debit_ore": 125050}, {"account": "1930", "credit_ore": 125000}]
    answer = api_client(owner).post(
        f"/api/v1/tenants/{tenant.pk}/vouchers",
        _api_body(post=True, rows=rows),
        content_type="application/json",
    )
    assert answer.status_code in (400, 422)
    assert answer.json()["code"] == "voucher_unbalanced"
    assert "balanserar inte" in answer.json()["message"]
    assert _state(tenant) == before


def test_the_voucher_list_with_manual_and_reversed_vouchers_costs_constant_queries(tenant, owner):
    client = login_client(owner)
    url = reverse("web:bookkeeping", args=[tenant.slug])

    def add(n):
        with tenant_scope(tenant.pk):
            actor = actor_of(owner, tenant)
            for _ in range(n):
                v = services.voucher_create(actor=actor, date=DAY, text="Manuell", rows=ROWS, post=True)
                services.voucher_reverse(actor=actor, voucher_id=v.id, date=DAY)

    add(1)
    client.get(url)
    small = count_queries(lambda: client.get(url))[0]
    add(14)
    large, response = count_queries(lambda: client.get(url))
    assert response.content.count(b"data-voucher=") == 30
    assert large == small


# --- the settings page's two forms, saved by one view ------------------------------------------------


def test_the_settings_forms_save_through_one_view_and_refuse_bad_input_with_the_old_kept(tenant, owner):
    client = login_client(owner)
    accounts = {
        "s-input_vat_account": "2641",
        "s-outlay_liability_account": "2820",
        "s-bank_account": "1940",
        "s-card_settlement_account": "",
        "s-outlay_series": "U",
        "s-card_series": "K",
        "s-manual_series": "M",
    }
    ok = client.post(reverse("web:bookkeeping_settings_save", args=[tenant.slug]), accounts)
    assert ok.status_code == 302
    cost = {"c-key": "rent", "c-name": "Lokalhyra", "c-account": "5010"}
    assert (
        client.post(reverse("web:bookkeeping_cost_account_save", args=[tenant.slug]), cost).status_code == 302
    )
    bad = client.post(
        reverse("web:bookkeeping_cost_account_save", args=[tenant.slug]), cost | {"c-account": "50x0"}
    )
    assert bad.status_code == 422 and 'data-testid="cost-account-form"' in bad.content.decode()
    with tenant_scope(tenant.pk):
        settings = selectors.account_settings()
        assert (settings.bank_account, settings.manual_series) == ("1940", "M")
        assert selectors.cost_account_for("rent") == "5010"
    # the new voucher page starts in the changed manual series
    assert b'value="M"' in client.get(reverse(NEW, args=[tenant.slug])).content


# --- Privata utlägg: mileage and per diem are the payroll system's to book ---------------------------


def test_privata_utlagg_says_mileage_is_booked_by_the_payroll_journal(tenant, employee, partner_full):
    from verksam.expenses.models import Status, Trip
    from verksam.tenancy.tests.helpers import membership_of

    url = reverse("web:bookkeeping_private_outlays", args=[tenant.slug])
    client = login_client(partner_full)
    assert 'data-testid="private-payroll-note"' not in client.get(url).content.decode()  # nothing to explain
    member = membership_of(tenant, employee)
    with tenant_scope(tenant.pk):  # PostgreSQL's row-level security: rows are written in their scope
        Trip.objects.create(
            tenant=tenant,
            membership=member,
            status=Status.ATTESTED,
            date=timezone.localdate(),
            origin="Växjö",
            destination="Ljungby",
            purpose="Kundbesök",
            km=120,
            tax_free_ore=30000,
        )
    html = client.get(url, HTTP_ACCEPT_LANGUAGE="sv").content.decode()
    assert 'data-testid="private-trips"' in html and 'data-testid="private-payroll-note"' in html
    assert "lönejournal" in html


# --- a row's project (SIE dimension 6) --------------------------------------------------------------


def _project(tenant, number="P-100", name="Villa Ek"):
    from verksam.projects.tests.factories import ProjectFactory

    return ProjectFactory(tenant=tenant, number=number, name=name)


def test_a_row_carries_its_project_through_post_reversal_and_the_sie_file(tenant, owner):
    import io

    from verksam.bookkeeping import export
    from verksam.bookkeeping.sie.reader import read_sie

    project = _project(tenant, number="P 100", name='Villa "Ek"')
    rows = (
        RowOut("5010", debit_ore=125050, project_id=project.pk),
        RowOut("2641", debit_ore=31263),
        RowOut("1930", credit_ore=156313),
    )
    with tenant_scope(tenant.pk):
        actor = actor_of(owner, tenant)
        posted = services.voucher_create(actor=actor, date=DAY, text="Hyra", rows=rows, post=True)
        reversal = services.voucher_reverse(actor=actor, voucher_id=posted.id, date=DAY)
        assert [r.project_id for r in posted.rows] == [project.pk, None, None]
        assert [r.project_id for r in reversal.rows] == [project.pk, None, None]
        result = export.sie_export(actor=actor, voucher_ids=[posted.id, reversal.id])
    raw = result.file.read()
    assert b'#DIM 6 "Projekt"' in raw and b'#OBJEKT 6 "P 100" "Villa \\"Ek\\""' in raw
    assert b'#TRANS 5010 {6 "P 100"} 1250.50' in raw and b"#TRANS 2641 {} 312.63" in raw
    sie = read_sie(io.BytesIO(raw))
    assert sie.ksumma_ok
    assert sie.objects == {("6", "P 100"): 'Villa "Ek"'}
    assert [r.objects for r in sie.vouchers[0].rows] == [(("6", "P 100"),), (), ()]


def test_another_companys_project_is_refused_and_nothing_is_written(tenant, owner, other_tenant):
    foreign = _project(other_tenant)
    rows = (RowOut("5010", debit_ore=100, project_id=foreign.pk), RowOut("1930", credit_ore=100))
    with tenant_scope(tenant.pk), pytest.raises(DomainError) as exc:
        services.voucher_create(actor=actor_of(owner, tenant), date=DAY, text="Hyra", rows=rows, post=True)
    assert exc.value.code == "invalid_project"
    assert _state(tenant) == ([], 0)
    answer = api_client(owner).post(
        f"/api/v1/tenants/{tenant.pk}/vouchers",
        _api_body(
            post=True,
            rows=[
                {"account": "5010", "debit_ore": 100, "project_id": foreign.pk},
                {"account": "1930", "credit_ore": 100},
            ],
        ),
        content_type="application/json",
    )
    assert answer.status_code in (400, 422) and answer.json()["code"] == "invalid_project"
    assert _state(tenant) == ([], 0)


def test_the_page_and_the_api_book_a_row_on_a_project(tenant, owner):
    project = _project(tenant)
    client = login_client(owner)
    page = client.get(reverse(NEW, args=[tenant.slug])).content.decode()
    assert f'<option value="{project.pk}">P-100 Villa Ek</option>' in page
    data = _form([("5010", "100", ""), ("1930", "", "100")]) | {"rows-0-project": str(project.pk)}
    assert client.post(reverse(NEW, args=[tenant.slug]), data).status_code == 302
    rows = [
        {"account": "5010", "debit_ore": 10000, "project_id": project.pk},
        {"account": "1930", "credit_ore": 10000},
    ]
    answer = api_client(owner).post(
        f"/api/v1/tenants/{tenant.pk}/vouchers",
        _api_body(post=True, rows=rows),
        content_type="application/json",
    )
    assert answer.status_code == 201
    assert [r["project_id"] for r in answer.json()["rows"]] == [project.pk, None]
    with tenant_scope(tenant.pk):
        web_v = Voucher.objects.order_by("pk").first()
        assert [r.project_id for r in web_v.rows.all()] == [project.pk, None]
    detail = client.get(reverse("web:bookkeeping_voucher", args=[tenant.slug, web_v.pk])).content.decode()
    assert "P-100 Villa Ek" in detail


@pytest.mark.parametrize(
    ("rows", "fields"),
    [
        ([("5010", "9" * 25, ""), ("1930", "", "9" * 25)], {}),
        ([("5010", "-10", ""), ("1930", "", "-10")], {}),
        ([("5010", "١٠", ""), ("1930", "", "١٠")], {}),
        ([("5010", "10", ""), ("1930", "", "10")], {"date": "9999-12-31"}),
        ([("5010", "10", ""), ("1930", "", "10")], {"date": "0001-01-01"}),
        ([("5010", "10", ""), ("1930", "", "10")], {"text": "x" * 1_000_000}),
        ([("5010", "10", ""), ("1930", "", "10")], {"series": "\x00"}),
    ],
)
def test_edge_amounts_dates_and_texts_answer_4xx_and_write_nothing(tenant, owner, rows, fields):
    client = login_client(owner)
    before = _state(tenant)
    response = client.post(reverse(NEW, args=[tenant.slug]), _form(rows, **fields))
    assert 400 <= response.status_code < 500
    assert _state(tenant) == before
