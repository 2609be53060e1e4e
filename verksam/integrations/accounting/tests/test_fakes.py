"""The fakes speak the providers' protocol and refuse what the published specs refuse."""

import time

import httpx
import pytest

from verksam.integrations.accounting import services
from verksam.integrations.accounting.fake_common import serve
from verksam.integrations.accounting.models import Connection, PushStatus
from verksam.integrations.fortnox.fake.app import FakeFortnox
from verksam.integrations.visma.fake.app import FakeVisma
from verksam.tenancy.scope import tenant_scope

from .conftest import voucher


def _token(fake) -> str:
    fake.access_tokens["t"] = time.time() + 60
    return "t"


def _post(fake, path, body, base="http://x.test"):
    with httpx.Client(transport=httpx.WSGITransport(app=fake), base_url=base) as client:
        return client.post(path, json=body, headers={"Authorization": f"Bearer {_token(fake)}"})


ROWS = [{"Account": 6071, "Debit": 100.0, "Credit": 0}, {"Account": 2820, "Debit": 0, "Credit": 100.0}]
# the fake's financial years are the calendar years 2015–2035 with ids 1–21: 2026 is year 12
YEAR_2026 = 12
GOOD_FORTNOX = {
    "Voucher": {
        "VoucherSeries": "A",
        "TransactionDate": "2026-03-14",
        "Year": YEAR_2026,
        "Description": "x",
        "VoucherRows": ROWS,
    }
}
VOUCHERS_2026 = f"/3/vouchers?financialyear={YEAR_2026}"


@pytest.mark.parametrize(
    ("change", "fragment"),
    [
        (lambda v: v.pop("Description"), "'Description' is a required property"),
        (lambda v: v.pop("Year"), "'Year' is a required property"),
        (lambda v: v.update(TransactionDate="14/3/2026"), "is not a 'date'"),
        (lambda v: v.update(Description="x" * 201), "is too long"),
        (lambda v: v.update(VoucherRows=ROWS[:1]), "is too short"),
        (lambda v: v["VoucherRows"][0].update(Account=999), "less than the minimum of 1000"),
        (lambda v: v["VoucherRows"][0].update(Debit="100"), "is not of type 'number'"),
        (lambda v: v["VoucherRows"][1].update(Credit=99.99), "not balanced"),
        (lambda v: v["VoucherRows"][0].update(Account=9500), "not in the chart"),
        (lambda v: v["VoucherRows"][0].update(Credit=100.0), "either a debit or a credit"),
        (lambda v: v.update(VoucherSeries="Ö"), "does not exist"),
        (lambda v: v.update(Year=2026), "is not the financial year's id 12"),  # a calendar year
        (lambda v: v.update(TransactionDate="2025-12-31"), "outside the financial year"),
    ],
)
def test_fortnox_fake_rejects_vouchers_that_break_the_spec(change, fragment):
    fake = FakeFortnox()
    body = {"Voucher": {**GOOD_FORTNOX["Voucher"], "VoucherRows": [dict(r) for r in ROWS]}}
    change(body["Voucher"])
    response = _post(fake, VOUCHERS_2026, body)
    assert response.status_code == 400
    assert fragment in response.json()["ErrorInformation"]["Message"]
    assert fake.vouchers == []


def test_fortnox_fake_accepts_the_good_voucher_and_checks_file_connections():
    fake = FakeFortnox()
    assert _post(fake, VOUCHERS_2026, GOOD_FORTNOX).status_code == 201
    missing_field = _post(
        fake, "/3/voucherfileconnections", {"VoucherFileConnection": {"FileId": "1", "VoucherSeries": "A"}}
    )
    assert missing_field.status_code == 400 and "'VoucherNumber' is a required property" in missing_field.text
    unknown_file = _post(
        fake,
        "/3/voucherfileconnections",
        {"VoucherFileConnection": {"FileId": "nope", "VoucherSeries": "A", "VoucherNumber": "1"}},
    )
    assert unknown_file.status_code == 400


def _get(fake, path, **params):
    with httpx.Client(transport=httpx.WSGITransport(app=fake), base_url="http://x.test") as client:
        return client.get(path, params=params, headers={"Authorization": f"Bearer {_token(fake)}"})


def test_fortnox_fake_finds_the_financial_year_of_a_date_by_its_id():
    fake = FakeFortnox()
    (year,) = _get(fake, "/3/financialyears", date="2026-03-14").json()["FinancialYears"]
    assert (year["Id"], year["FromDate"], year["ToDate"]) == (YEAR_2026, "2026-01-01", "2026-12-31")
    assert _get(fake, "/3/financialyears", Date="2026-03-14").json()["FinancialYears"][0]["Id"] == YEAR_2026
    assert _get(fake, "/3/financialyears", date="1999-01-01").json()["FinancialYears"] == []
    assert _get(fake, "/3/financialyears", date="14/3/2026").status_code == 400
    assert _get(fake, f"/3/financialyears/{YEAR_2026}").json()["FinancialYear"]["FromDate"] == "2026-01-01"
    assert _get(fake, "/3/financialyears/99").status_code == 404


def test_fortnox_fake_lists_the_vouchers_of_one_financial_year():
    # given the same series and marker in 2025 (year 11) and in 2026 (year 12)
    fake = FakeFortnox()
    in_2025 = {"Voucher": {**GOOD_FORTNOX["Voucher"], "TransactionDate": "2025-03-14", "Year": 11}}
    assert _post(fake, "/3/vouchers?financialyear=11", in_2025).status_code == 201
    assert _post(fake, VOUCHERS_2026, GOOD_FORTNOX).status_code == 201
    # then each year numbers its own vouchers and lists only its own
    listed = _get(fake, "/3/vouchers/sublist/A", financialyear=11).json()["Vouchers"]
    assert [(v["Year"], v["VoucherNumber"], v["TransactionDate"]) for v in listed] == [(11, 1, "2025-03-14")]
    assert _get(fake, "/3/vouchers/A/1", financialyear=YEAR_2026).json()["Voucher"]["Year"] == YEAR_2026
    fake.preselected_year_id = 11  # without financialyear: the preselected year, as the spec says
    assert [v["Year"] for v in _get(fake, "/3/vouchers/sublist/A").json()["Vouchers"]] == [11]
    assert _get(fake, "/3/vouchers/sublist/A", financialyear=2026).status_code == 400  # not an id


@pytest.mark.parametrize(("fake_class", "answer"), [(FakeFortnox, {"revoked": True}), (FakeVisma, None)])
def test_the_fakes_revoke_a_refresh_token_and_refuse_it_afterwards(fake_class, answer):
    fake = fake_class()
    code = fake.issue_code("http://app.test/cb")
    with httpx.Client(transport=httpx.WSGITransport(app=fake), base_url="http://x.test") as client:
        auth = (fake.client_id, fake.client_secret)
        tokens = client.post(
            fake.token_path,
            data={"grant_type": "authorization_code", "code": code, "redirect_uri": "http://app.test/cb"},
            auth=auth,
        ).json()
        form = {"token": tokens["refresh_token"], "token_type_hint": "refresh_token"}
        assert client.post(fake.revoke_path, data=form, auth=("someone", "else")).status_code == 401
        assert client.post(fake.revoke_path, data={}, auth=auth).status_code == 400
        revoked = client.post(fake.revoke_path, data=form, auth=auth)
        assert revoked.status_code == 200
        assert (revoked.json() if answer else revoked.content) == (answer or b"")  # Fortnox's / RFC 7009's
        refreshed = client.post(
            fake.token_path,
            data={"grant_type": "refresh_token", "refresh_token": tokens["refresh_token"]},
            auth=auth,
        )
        assert refreshed.status_code == 400 and refreshed.json()["error"] == "invalid_grant"
        # RFC 7009 2.2: an unknown or spent token is answered 200 as well
        assert client.post(fake.revoke_path, data=form, auth=auth).status_code == 200


VISMA_ROWS = [{"AccountNumber": 6071, "DebitAmount": 100.0}, {"AccountNumber": 2820, "CreditAmount": 100.0}]


@pytest.mark.parametrize(
    ("change", "fragment"),
    [
        (lambda v: v.pop("VoucherText"), "'VoucherText' is a required property"),
        (lambda v: v.pop("Rows"), "'Rows' is a required property"),
        (lambda v: v.update(VoucherText="x" * 101), "is too long"),
        (lambda v: v["Rows"][0].update(DebitAmount=-5), "less than the minimum of 0"),
        (lambda v: v["Rows"][0].pop("AccountNumber"), "'AccountNumber' is a required property"),
        (lambda v: v["Rows"][0].update(DebitAmount=100.001), "max 2 decimals"),
        (lambda v: v["Rows"][1].update(CreditAmount=99.0), "not balanced"),
        (lambda v: v["Rows"][0].update(TransactionText="x" * 51), "is too long"),
    ],
)
def test_visma_fake_rejects_vouchers_that_break_the_swagger(change, fragment):
    fake = FakeVisma()
    body = {"VoucherDate": "2026-03-14", "VoucherText": "x", "Rows": [dict(r) for r in VISMA_ROWS]}
    change(body)
    response = _post(fake, "/v2/vouchers", body)
    assert response.status_code == 400
    assert fragment in response.json()["DeveloperErrorMessage"]
    assert fake.vouchers == []


def test_visma_fake_rejects_attachments_and_links_that_break_the_swagger():
    fake = FakeVisma()
    assert (
        _post(
            fake, "/v2/attachments", {"FileName": "a.gif", "ContentType": "image/gif", "Data": "R0lG"}
        ).status_code
        == 400
    )
    assert (
        "'ContentType' is a required property" in _post(fake, "/v2/attachments", {"FileName": "a.png"}).text
    )
    bad_link = _post(fake, "/v2/attachmentlinks", {"DocumentType": 3, "AttachmentIds": ["not-a-uuid"]})
    assert bad_link.status_code == 400 and "is not a 'uuid'" in bad_link.text


def test_the_api_refuses_a_request_without_a_valid_token():
    fake = FakeFortnox()
    with httpx.Client(transport=httpx.WSGITransport(app=fake), base_url="http://x.test") as client:
        response = client.post(VOUCHERS_2026, json=GOOD_FORTNOX, headers={"Authorization": "Bearer stolen"})
    assert response.status_code == 401 and fake.vouchers == []


@pytest.mark.django_db
def test_the_refresh_token_rotates_and_the_old_one_stops_working(fakes, actor, fortnox_connected):
    with tenant_scope(actor.tenant_id):
        before = Connection.objects.get()
        fortnox_connected.expire_access_tokens()
        before.access_expires_at = None
        before.save()
        old_refresh = services.crypto.decrypt(before.refresh_token_enc)
        token = services.access_token(provider="fortnox")
        after = Connection.objects.get()
    new_refresh = services.crypto.decrypt(after.refresh_token_enc)
    assert (
        new_refresh
        and new_refresh != old_refresh
        and token == services.crypto.decrypt(after.access_token_enc)
    )
    assert old_refresh not in fortnox_connected.refresh_tokens  # spent: a second use would fail
    assert (
        "fake" not in after.refresh_token_enc and new_refresh not in after.refresh_token_enc
    )  # encrypted at rest


@pytest.mark.django_db
def test_a_hanging_provider_times_out_and_the_push_is_retried(enqueue, settings, actor, requeued):
    """Over real HTTP on an ephemeral loopback port: the fake hangs longer than our timeout once."""
    fake = FakeFortnox()
    server, _thread = serve(fake)
    try:
        url = f"http://127.0.0.1:{server.server_port}"
        settings.FORTNOX_AUTH_URL = settings.FORTNOX_API_URL = url
        settings.FORTNOX_CLIENT_ID, settings.FORTNOX_CLIENT_SECRET = fake.client_id, fake.client_secret
        settings.FORTNOX_TRANSPORT = None
        settings.ACCOUNTING_HTTP_TIMEOUT = 0.8
        settings.ACCOUNTING_PUSH_BACKOFF = 0.01
        from .conftest import connect

        connect({"fortnox": fake}, actor, "fortnox")
        fake.inject(0, count=1, hang_seconds=3.0, path_prefix="/3/vouchers")
        with tenant_scope(actor.tenant_id):
            push = enqueue(actor, voucher())
        # the first attempt timed out (a loaded machine may time out once more: attempts are bounded)
        assert push.status == PushStatus.SENT and push.attempts >= 2
        assert fake.requests[:2] == [("GET", "/3/financialyears"), ("POST", "/3/vouchers")]
        assert len(fake.booked()) == 1
    finally:
        server.shutdown()


def test_fortnox_fake_enforces_25_requests_per_5_seconds():
    fake = FakeFortnox()
    with httpx.Client(transport=httpx.WSGITransport(app=fake), base_url="http://x.test") as client:
        headers = {"Authorization": f"Bearer {_token(fake)}"}
        answers = [client.get("/3/vouchers/sublist/A", headers=headers) for _ in range(26)]
    assert [a.status_code for a in answers[:25]] == [200] * 25
    assert answers[25].status_code == 429 and 1 <= int(answers[25].headers["Retry-After"]) <= 5


@pytest.mark.django_db
def test_a_rate_limited_push_waits_for_retry_after_and_books_once(
    enqueue, fakes, actor, requeued, fortnox_connected
):
    fortnox_connected.rate_limit = (4, 60.0)  # the first attempt runs out in the middle of the receipt
    requeued.before_run = fortnox_connected.calls.clear  # the worker runs it after the window has passed
    with tenant_scope(actor.tenant_id):
        push = enqueue(actor, voucher())
    assert push.status == PushStatus.SENT and push.attempts == 2
    booked = fortnox_connected.booked()
    assert len(booked) == 1 and len(booked[0]["Files"]) == 1
    (delay,) = requeued.delays
    assert delay >= 59  # queued again for when Retry-After says the window has passed
