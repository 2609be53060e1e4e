"""Retries without sleeping in the worker: a push that meets 429/5xx/a timeout is queued again with
`run_after` (exponential back-off with jitter, never before Retry-After), and fails after the last
attempt with the provider's message. The Fortnox look-up before a retry stays in the voucher's own
financial year."""

import datetime as dt

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from verksam.integrations.accounting import services
from verksam.integrations.accounting.models import Push, PushStatus
from verksam.tenancy.scope import tenant_scope

from .conftest import voucher

YEAR_2025, YEAR_2026 = 11, 12  # the Fortnox fake's financial year ids (calendar years 2015–2035 = 1–21)


def test_the_delay_doubles_with_jitter_is_capped_and_waits_for_retry_after(settings, monkeypatch):
    settings.ACCOUNTING_PUSH_BACKOFF, settings.ACCOUNTING_PUSH_BACKOFF_MAX = 30, 900
    monkeypatch.setattr(services._random, "uniform", lambda low, high: high)  # the longest jitter
    assert [services.retry_delay(n).total_seconds() for n in (1, 2, 3, 4, 9)] == [30, 60, 120, 240, 900]
    monkeypatch.setattr(services._random, "uniform", lambda low, high: low)  # the shortest
    assert [services.retry_delay(n).total_seconds() for n in (1, 2, 3)] == [15, 30, 60]
    assert services.retry_delay(1, retry_after=120).total_seconds() == 120  # Retry-After is a minimum
    assert services.retry_delay(3, retry_after=5).total_seconds() == 60  # … not a shortcut


def test_the_jitter_spreads_pushes_failed_by_the_same_outage(settings):
    settings.ACCOUNTING_PUSH_BACKOFF = 30
    delays = {services.retry_delay(1).total_seconds() for _ in range(20)}
    assert len(delays) > 1 and all(15 <= d <= 30 for d in delays)


@pytest.mark.django_db(transaction=True)
def test_the_worker_queues_a_rate_limited_push_for_later_instead_of_sleeping(
    settings, fakes, actor, fortnox_connected
):
    # given the production task backend and a Fortnox that answers 429 "Retry-After: 30" once
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    fortnox_connected.inject(429, count=1, retry_after=30)
    start = timezone.now()
    with tenant_scope(actor.tenant_id):
        services.push_enqueue(actor=actor, voucher=voucher())

    def work():
        call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)

    # when the worker runs: the attempt gets 429 and the task is queued again, not slept on
    work()
    with tenant_scope(actor.tenant_id):
        push = Push.objects.get()
    assert (push.status, push.attempts) == (PushStatus.QUEUED, 1)
    assert "Too many requests" in push.last_error
    assert push.next_attempt_at >= start + dt.timedelta(seconds=30)
    assert timezone.now() - start < dt.timedelta(seconds=10)  # the worker did not wait
    retry = DBTaskResult.objects.get(status="READY")
    assert retry.run_after == push.next_attempt_at
    # then the worker leaves it alone until its time has come
    work()
    assert fortnox_connected.booked() == []
    # and books it once on the next attempt
    with time_machine.travel(push.next_attempt_at + dt.timedelta(seconds=1), tick=False):
        work()
    with tenant_scope(actor.tenant_id):
        push.refresh_from_db()
    assert (push.status, push.attempts, push.next_attempt_at) == (PushStatus.SENT, 2, None)
    assert len(fortnox_connected.booked()) == 1


@pytest.mark.django_db
def test_a_gateway_timeout_every_time_fails_after_the_last_attempt_with_the_message(
    enqueue, fakes, actor, requeued, settings, visma_connected
):
    settings.ACCOUNTING_PUSH_MAX_ATTEMPTS = 3
    visma_connected.inject(504, count=100, path_prefix="/v2/vouchers")
    with tenant_scope(actor.tenant_id):
        push = enqueue(actor, voucher())
    assert (push.status, push.attempts, push.next_attempt_at) == (PushStatus.FAILED, 3, None)
    assert "Internal server error (5000)" in push.last_error  # Visma's own words and code
    assert len(requeued.delays) == 2


@pytest.mark.django_db
def test_a_voucher_with_the_same_marker_in_another_financial_year_is_not_taken_as_ours(
    enqueue, fakes, actor, requeued, fortnox_connected
):
    # given Fortnox holds a voucher of 2025 carrying our marker (the same key used before, e.g. after
    # a reset) and the company's preselected year is still 2025
    fortnox_connected.preselected_year_id = YEAR_2025
    marker = services.marker_for(voucher().idempotency_key)
    fortnox_connected.vouchers.append(
        {
            "Description": f"Gammalt verifikat {marker}",
            "TransactionDate": "2025-03-14",
            "VoucherNumber": 1,
            "VoucherSeries": "A",
            "Year": YEAR_2025,
            "VoucherRows": [],
        }
    )
    # when our 2026 voucher is sent and its first attempt fails before Fortnox answers
    fortnox_connected.inject(500, count=1, path_prefix="/3/vouchers")
    with tenant_scope(actor.tenant_id):
        push = enqueue(actor, voucher())
    # then the look-up before the retry listed 2026 only, and our voucher was created there
    assert push.status == PushStatus.SENT and push.attempts == 2
    assert push.remote_voucher_id == f"A-1-{YEAR_2026}"
    lookups = [
        query
        for (method, path), query in zip(fortnox_connected.requests, fortnox_connected.queries, strict=True)
        if (method, path) == ("GET", "/3/vouchers/sublist/A")
    ]
    assert [q["financialyear"] for q in lookups] == [str(YEAR_2026)]
    booked = {(v["Year"], v["VoucherNumber"]) for v in fortnox_connected.booked()}
    assert booked == {(YEAR_2025, 1), (YEAR_2026, 1)}
    assert fortnox_connected.booked()[1]["Files"][0]["Name"] == "kvitto.png"


@pytest.mark.django_db
def test_fortnox_without_a_financial_year_for_the_date_fails_with_a_clear_message(
    enqueue, fakes, actor, requeued, fortnox_connected
):
    fortnox_connected.financial_years = [y for y in fortnox_connected.financial_years if y["Id"] != YEAR_2026]
    with tenant_scope(actor.tenant_id):
        push = enqueue(actor, voucher())
    assert push.status == PushStatus.FAILED and push.attempts == 1  # not retried: a person must act
    assert "räkenskapsår" in push.last_error or "financial year" in push.last_error
    assert fortnox_connected.booked() == []
