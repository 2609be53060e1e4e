"""The rotating refresh token under real concurrency (PostgreSQL: SQLite serialises writers)."""

import threading

import pytest
from django.db import connection

from verksam.integrations.accounting import crypto, services
from verksam.integrations.accounting.models import Connection
from verksam.tenancy.access import resolve
from verksam.tenancy.scope import tenant_scope
from verksam.tenancy.tests.factories import MembershipFactory, TenantFactory

from .conftest import connect

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _only_postgres():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: row locks under real concurrency")


def test_eight_concurrent_refreshes_spend_the_refresh_token_once_and_keep_the_new_one(fakes):
    # given a connection whose access token has expired
    tenant = TenantFactory()
    owner = MembershipFactory(tenant=tenant, licence="TOTAL").user
    actor = resolve(owner, tenant)
    connect(fakes, actor, "fortnox")
    fake = fakes["fortnox"]
    with tenant_scope(tenant.pk):
        Connection.objects.update(access_expires_at=None)
    fake.expire_access_tokens()
    fake.token_delay = 0.2  # the refresh takes a while, so the callers overlap

    # when eight workers need a token at the same time
    barrier = threading.Barrier(8)
    tokens: list = []
    lock = threading.Lock()

    def worker():
        try:
            barrier.wait()
            with tenant_scope(tenant.pk):
                outcome = services.access_token(provider="fortnox")
        except Exception as exc:  # collected and asserted below
            outcome = exc
        finally:
            connection.close()
        with lock:
            tokens.append(outcome)

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)

    # then the provider saw one refresh, everyone got the same new token, and the stored refresh
    # token is the provider's current one (not lost to a concurrent overwrite)
    assert fake.refresh_grants == 1
    assert len(tokens) == 8 and len(set(tokens)) == 1 and isinstance(tokens[0], str)
    with tenant_scope(tenant.pk):
        stored = Connection.objects.get()
    assert crypto.decrypt(stored.refresh_token_enc) in fake.refresh_tokens
