"""Concurrency on PostgreSQL (SQLite serialises writers, so it cannot show a race)."""

import threading

import pytest
from django.db import connection

from verksam.billing import selectors, services
from verksam.billing.models import BalanceEntry, BalanceKind
from verksam.tenancy.scope import tenant_scope
from verksam.tenancy.tests.factories import MembershipFactory, TenantFactory

from .conftest import actor_of, browser_pay

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture(autouse=True)
def _only_postgres():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: row locks under real concurrency")


def _run_threads(n, target):
    barrier = threading.Barrier(n)
    results: list = []
    lock = threading.Lock()

    def worker():
        try:
            barrier.wait()
            outcome = target()
        except Exception as exc:  # collected and asserted by the test
            outcome = exc
        finally:
            connection.close()  # each thread has its own connection; close it
        with lock:
            results.append(outcome)

    threads = [threading.Thread(target=worker) for _ in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    return results


def test_twenty_concurrent_consumers_of_ten_never_overdraw():
    # given a balance of 10 SMS
    tenant = TenantFactory()
    owner = MembershipFactory(tenant=tenant, licence="TOTAL").user
    actor = actor_of(owner, tenant)
    with tenant_scope(tenant.pk):
        services.balance_credit(actor=actor, kind=BalanceKind.SMS, amount=10, reason="start")

    # when 20 threads each consume 1 at the same time
    def consume():
        with tenant_scope(tenant.pk):
            services.balance_consume(actor=actor, kind=BalanceKind.SMS, amount=1, reason="sms")
        return "ok"

    results = _run_threads(20, consume)

    # then exactly 10 succeed, the rest are refused, and the balance is 0 with 10 ledger debits
    assert results.count("ok") == 10
    refused = [r for r in results if r != "ok"]
    assert len(refused) == 10 and all(isinstance(r, services.InsufficientBalance) for r in refused)
    with tenant_scope(tenant.pk):
        assert selectors.balance_get(BalanceKind.SMS) == 0
        assert BalanceEntry.objects.filter(delta=-1).count() == 10


def test_concurrent_confirmations_credit_once(fake_payments):
    # given a paid top-up
    tenant = TenantFactory()
    owner = MembershipFactory(tenant=tenant, licence="TOTAL").user
    with tenant_scope(tenant.pk):
        payment = services.topup_start(actor=actor_of(owner, tenant), kind=BalanceKind.SMS, quantity=100)
    browser_pay(fake_payments, payment.provider_payment_id)

    # when the return page and several webhooks confirm it at the same time
    def confirm():
        return services.topup_confirm(provider_payment_id=payment.provider_payment_id).status

    results = _run_threads(8, confirm)

    # then every caller sees it paid and the balance is credited once
    assert results == ["paid"] * 8
    with tenant_scope(tenant.pk):
        assert selectors.balance_get(BalanceKind.SMS) == 100
        assert BalanceEntry.objects.count() == 1
