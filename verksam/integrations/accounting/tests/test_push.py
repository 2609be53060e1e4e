"""Pushing vouchers with receipts: booked once, retried on 429/5xx/timeouts, failures visible."""

import pytest

from verksam.core.errors import DomainError
from verksam.integrations.accounting import services
from verksam.integrations.accounting.dto import VoucherRowToPush
from verksam.integrations.accounting.models import Push, PushStatus
from verksam.tenancy.scope import tenant_scope

from .conftest import voucher

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("provider", ["fortnox", "visma"])
def test_a_voucher_arrives_once_with_its_receipt(provider, enqueue, fakes, actor, requeued, request):
    fake = request.getfixturevalue(f"{provider}_connected")
    with tenant_scope(actor.tenant_id):
        push = enqueue(actor, voucher())
    assert push.status == PushStatus.SENT and push.attempts == 1 and push.last_error == ""
    booked = fake.booked()
    assert len(booked) == 1
    files = booked[0].get("Files") or booked[0].get("Attachments")
    assert [f.get("Name") or f.get("FileName") for f in files] == ["kvitto.png"]
    text = booked[0].get("Description") or booked[0].get("VoucherText")
    assert text.startswith("Utlägg: lunch med kund") and push.marker in text
    assert push.remote_voucher_id


@pytest.mark.parametrize("provider", ["fortnox", "visma"])
def test_pushing_the_same_voucher_again_books_nothing_new(provider, enqueue, fakes, actor, requeued, request):
    fake = request.getfixturevalue(f"{provider}_connected")
    with tenant_scope(actor.tenant_id):
        first = enqueue(actor, voucher())
        again = enqueue(actor, voucher())
    assert first.pk == again.pk and len(fake.booked()) == 1


@pytest.mark.parametrize("provider", ["fortnox", "visma"])
def test_429_then_success_makes_one_remote_voucher_after_retry_after(
    provider, enqueue, fakes, actor, requeued, request
):
    fake = request.getfixturevalue(f"{provider}_connected")
    fake.inject(429, count=1, retry_after=3)
    with tenant_scope(actor.tenant_id):
        push = enqueue(actor, voucher())
    assert push.status == PushStatus.SENT and push.attempts == 2 and push.next_attempt_at is None
    (delay,) = requeued.delays  # queued again, not slept: never sooner than Retry-After says
    assert 2.9 <= delay <= 3.1
    assert len(fake.booked()) == 1


@pytest.mark.parametrize("provider", ["fortnox", "visma"])
def test_500_every_time_fails_after_bounded_attempts_with_the_provider_message(
    provider, enqueue, fakes, actor, requeued, settings, request
):
    fake = request.getfixturevalue(f"{provider}_connected")
    settings.ACCOUNTING_PUSH_MAX_ATTEMPTS = 4
    settings.ACCOUNTING_PUSH_BACKOFF = 10  # no one waits: the immediate backend runs the retry at once
    fake.inject(500, count=100)
    with tenant_scope(actor.tenant_id):
        push = enqueue(actor, voucher())
    assert push.status == PushStatus.FAILED and push.attempts == 4 and push.next_attempt_at is None
    assert "Internal server error" in push.last_error
    # exponential back-off with jitter between the four attempts (half of each delay fixed, half random)
    assert len(requeued.delays) == 3
    for delay, backoff in zip(requeued.delays, (10, 20, 40), strict=True):
        assert backoff / 2 - 0.5 <= delay <= backoff
    assert fake.booked() == []


@pytest.mark.parametrize("provider", ["fortnox", "visma"])
def test_a_crash_after_the_remote_call_before_saving_never_books_twice(
    provider, enqueue, fakes, actor, requeued, monkeypatch, request
):
    fake = request.getfixturevalue(f"{provider}_connected")

    original = services._record_remote

    def crash(push, remote):
        raise SystemExit("worker killed")  # the process dies: nothing after the remote call is saved

    monkeypatch.setattr(services, "_record_remote", crash)
    with tenant_scope(actor.tenant_id):
        enqueue(actor, voucher())  # the task dies (the worker logs the failed task)
    with tenant_scope(actor.tenant_id):
        push = Push.objects.get()
    assert push.status == PushStatus.SENDING and push.remote_voucher_id == ""
    assert len(fake.booked()) == 1
    monkeypatch.setattr(services, "_record_remote", original)
    with tenant_scope(actor.tenant_id):
        assert services.push_run(push_id=push.pk) == "sent"  # the worker picks it up again
        push.refresh_from_db()
    assert push.status == PushStatus.SENT and push.remote_voucher_id
    booked = fake.booked()
    assert len(booked) == 1  # found by its marker, not booked a second time
    assert len(booked[0].get("Files") or booked[0].get("Attachments")) == 1


def test_a_rejected_voucher_fails_at_once_with_fortnox_message(
    enqueue, fakes, actor, requeued, fortnox_connected
):
    bad = voucher(
        rows=(VoucherRowToPush(account=9500, debit_ore=100), VoucherRowToPush(account=1930, credit_ore=100))
    )
    with tenant_scope(actor.tenant_id):
        push = enqueue(actor, bad)
    assert push.status == PushStatus.FAILED and push.attempts == 1  # a 400 is not retried
    assert "Account 9500 is not in the chart of accounts" in push.last_error


def test_a_failed_push_can_be_sent_again(
    django_capture_on_commit_callbacks, enqueue, fakes, actor, requeued, settings, fortnox_connected
):
    settings.ACCOUNTING_PUSH_MAX_ATTEMPTS = 2
    fortnox_connected.inject(503, count=2)
    with tenant_scope(actor.tenant_id):
        push = enqueue(actor, voucher())
        assert push.status == PushStatus.FAILED
        with django_capture_on_commit_callbacks(execute=True):
            services.push_retry(actor=actor, push_id=push.pk)
        push.refresh_from_db()
    assert push.status == PushStatus.SENT and len(fortnox_connected.booked()) == 1


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        (
            (VoucherRowToPush(account=6071, debit_ore=100), VoucherRowToPush(account=2820, credit_ore=99)),
            "balanserar inte",
        ),
        ((VoucherRowToPush(account=6071, debit_ore=100),), "minst två rader"),
        (
            (VoucherRowToPush(account=607, debit_ore=100), VoucherRowToPush(account=2820, credit_ore=100)),
            "inget BAS-konto",
        ),
        (
            (
                VoucherRowToPush(account=6071, debit_ore=100, credit_ore=100),
                VoucherRowToPush(account=2820, credit_ore=0),
            ),
            "antingen ett debet",
        ),
    ],
)
def test_a_bad_voucher_is_refused_before_anything_is_written(rows, message, fakes, actor, fortnox_connected):
    with tenant_scope(actor.tenant_id):
        with pytest.raises(DomainError) as caught:
            services.push_enqueue(actor=actor, voucher=voucher(rows=rows))
        assert Push.objects.count() == 0
    assert message in caught.value.message


def test_pushing_without_a_connection_is_refused(enqueue, fakes, actor):
    with tenant_scope(actor.tenant_id), pytest.raises(DomainError) as caught:
        services.push_enqueue(actor=actor, voucher=voucher())
    assert caught.value.code == "not_connected"
