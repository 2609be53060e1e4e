"""Billing fixtures: the fake payment provider mounted in-process, actors, seeded prices."""

import importlib

import httpx
import pytest

from verksam.billing.models import LicencePrice
from verksam.tenancy.access import resolve
from verksam.tenancy.scope import tenant_scope

_seed = importlib.import_module("verksam.billing.migrations.0002_seed_licence_prices")


@pytest.fixture
def fake_payments(settings):
    """The fake provider behind the real HTTP adapter, through httpx.WSGITransport."""
    from verksam.integrations.payment.fake.app import FakePaymentProvider

    fake = FakePaymentProvider(api_key="test-key")
    settings.PAYMENT_PROVIDER_URL = "http://payments.test"
    settings.PAYMENT_PROVIDER_API_KEY = "test-key"
    settings.PAYMENT_PROVIDER_TRANSPORT = httpx.WSGITransport(app=fake)
    settings.PAYMENT_PROVIDER_CLASS = "verksam.integrations.payment.client.HttpPaymentProvider"
    return fake


def browser_pay(fake, provider_payment_id: str, action: str = "pay") -> str:
    """Press "Betala" (or "Avbryt") on the fake checkout page; return where the browser is sent."""
    with httpx.Client(transport=httpx.WSGITransport(app=fake), base_url="http://payments.test") as client:
        page = client.get(f"/checkout/{provider_payment_id}")
        assert page.status_code == 200 and "Betala" in page.text
        response = client.post(f"/checkout/{provider_payment_id}/{action}")
    assert response.status_code == 303
    return response.headers["Location"]


@pytest.fixture
def licence_prices(db):
    """The seeded price list (re-created if a transactional test flushed it)."""
    for licence, ore in _seed.PRICES_ORE.items():
        LicencePrice.objects.get_or_create(
            licence=licence, valid_from=_seed.VALID_FROM, defaults={"monthly_ore": ore}
        )
    return _seed.PRICES_ORE


def actor_of(user, tenant):
    actor = resolve(user, tenant)
    assert actor is not None
    return actor


@pytest.fixture
def owner_actor(tenant, owner):
    return actor_of(owner, tenant)


@pytest.fixture
def scope(tenant):
    with tenant_scope(tenant.pk):
        yield tenant
