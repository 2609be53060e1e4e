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
GOOD_FORTNOX = {
    "Voucher": {
        "VoucherSeries": "A",
        "TransactionDate": "2026-03-14",
        "Year": 2026,
        "Description": "x",
        "VoucherRows": ROWS,
    }
}


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
    ],
)
def test_fortnox_fake_rejects_vouchers_that_break_the_spec(change, fragment):
    fake = FakeFortnox()
    body = {"Voucher": {**GOOD_FORTNOX["Voucher"], "VoucherRows": [dict(r) for r in ROWS]}}
    change(body["Voucher"])
    response = _post(fake, "/3/vouchers", body)
    assert response.status_code == 400
    assert fragment in response.json()["ErrorInformation"]["Message"]
    assert fake.vouchers == []


def test_fortnox_fake_accepts_the_good_voucher_and_checks_file_connections():
    fake = FakeFortnox()
    assert _post(fake, "/3/vouchers", GOOD_FORTNOX).status_code == 201
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
        response = client.post("/3/vouchers", json=GOOD_FORTNOX, headers={"Authorization": "Bearer stolen"})
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
def test_a_hanging_provider_times_out_and_the_push_is_retried(enqueue, settings, actor, no_sleep):
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
        assert fake.requests[0] == ("POST", "/3/vouchers")
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
    enqueue, fakes, actor, no_sleep, fortnox_connected
):
    fortnox_connected.rate_limit = (3, 60.0)  # the first attempt runs out in the middle of the receipt

    def fake_sleep(seconds):
        no_sleep.append(seconds)
        fortnox_connected.calls.clear()  # the window has passed

    services._sleep = fake_sleep  # restored by the no_sleep fixture's monkeypatch
    with tenant_scope(actor.tenant_id):
        push = enqueue(actor, voucher())
    assert push.status == PushStatus.SENT and push.attempts == 2
    booked = fortnox_connected.booked()
    assert len(booked) == 1 and len(booked[0]["Files"]) == 1
    assert no_sleep and all(s >= 1 for s in no_sleep)  # waited as Retry-After said
