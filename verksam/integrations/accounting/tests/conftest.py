"""Fixtures: both fakes mounted behind the real adapters (httpx.WSGITransport), a connected company,
and a balanced voucher with a receipt."""

from collections.abc import Callable
from datetime import date
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from django.utils import timezone

from verksam.integrations.accounting import services
from verksam.integrations.accounting.dto import AttachmentToPush, VoucherRowToPush, VoucherToPush
from verksam.integrations.fortnox.fake.app import FakeFortnox
from verksam.integrations.visma.fake.app import FakeVisma
from verksam.tenancy.access import resolve
from verksam.tenancy.scope import tenant_scope

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture
def fakes(settings):
    fortnox, visma = FakeFortnox(), FakeVisma()
    settings.FORTNOX_AUTH_URL = settings.FORTNOX_API_URL = "http://fortnox.test"
    settings.VISMA_AUTH_URL = settings.VISMA_API_URL = "http://visma.test"
    settings.FORTNOX_CLIENT_ID, settings.FORTNOX_CLIENT_SECRET = fortnox.client_id, fortnox.client_secret
    settings.VISMA_CLIENT_ID, settings.VISMA_CLIENT_SECRET = visma.client_id, visma.client_secret
    settings.FORTNOX_TRANSPORT = httpx.WSGITransport(app=fortnox)
    settings.VISMA_TRANSPORT = httpx.WSGITransport(app=visma)
    settings.ACCOUNTING_PUSH_BACKOFF = 0.01
    return {"fortnox": fortnox, "visma": visma}


class Requeued:
    """The pushes queued again after a 429/5xx/timeout: each one's delay (run_after − now). The task
    runs at once afterwards, as the immediate backend of tests does; `before_run` lets a test pass
    the time the worker would have waited (e.g. clear the fake's rate-limit window) without sleeping."""

    def __init__(self) -> None:
        self.delays: list[float] = []
        self.before_run: Callable[[], None] = lambda: None


@pytest.fixture
def requeued(monkeypatch):
    seen = Requeued()
    original = services._requeue

    def requeue(push, run_after):
        seen.delays.append((run_after - timezone.now()).total_seconds())
        seen.before_run()
        original(push, run_after)

    monkeypatch.setattr(services, "_requeue", requeue)
    return seen


@pytest.fixture
def actor(tenant, owner):
    found = resolve(owner, tenant)
    assert found is not None
    return found


def approve(fake, authorize_url: str) -> tuple[str, str]:
    """Press "Godkänn" on the fake's consent page; return (code, state) from the redirect."""
    parts = urlsplit(authorize_url)
    with httpx.Client(transport=httpx.WSGITransport(app=fake), base_url="http://fake.test") as client:
        page = client.get(parts.path + "?" + parts.query)
        assert page.status_code == 200 and "Godkänn" in page.text
        form = {k: v[-1] for k, v in parse_qs(parts.query).items()} | {"decision": "allow"}
        answer = client.post(parts.path, data=form)
    assert answer.status_code == 302
    query = parse_qs(urlsplit(answer.headers["Location"]).query)
    return query["code"][0], query["state"][0]


def connect(fakes, actor, provider: str):
    with tenant_scope(actor.tenant_id):
        url = services.connection_start(actor=actor, provider=provider)
        code, state = approve(fakes[provider], url)
        return services.connection_complete(actor=actor, provider=provider, state=state, code=code)


@pytest.fixture
def fortnox_connected(fakes, actor):
    connect(fakes, actor, "fortnox")
    return fakes["fortnox"]


@pytest.fixture
def visma_connected(fakes, actor):
    connect(fakes, actor, "visma")
    return fakes["visma"]


def voucher(key: str = "voucher:1", *, rows=None, attachments=None) -> VoucherToPush:
    return VoucherToPush(
        idempotency_key=key,
        series="A",
        date=date(2026, 3, 14),
        text="Utlägg: lunch med kund",
        rows=tuple(
            rows
            or (
                VoucherRowToPush(account=6071, debit_ore=80000, text="Representation"),
                VoucherRowToPush(account=2641, debit_ore=9600, text="Ingående moms"),
                VoucherRowToPush(account=2820, credit_ore=89600, text="Skuld till anställd"),
            )
        ),
        attachments=tuple(
            attachments if attachments is not None else (AttachmentToPush("kvitto.png", "image/png", PNG),)
        ),
    )


@pytest.fixture
def enqueue(django_capture_on_commit_callbacks):
    """push_enqueue whose task runs after the commit, as in production (immediate backend in tests)."""

    def run(actor, v: VoucherToPush):
        with django_capture_on_commit_callbacks(execute=True):
            push = services.push_enqueue(actor=actor, voucher=v)
        push.refresh_from_db()
        return push

    return run
