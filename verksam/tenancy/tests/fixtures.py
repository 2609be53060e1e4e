"""Shared fixtures (loaded through `pytest_plugins` in the root conftest): a customer tenant with
an owner (TOTAL), an employee (LIGHT), an attestant (STANDARD, approver of the employee), two
accounting-firm partners (FULL and LIMITED), another tenant and a stranger."""

import itertools
import secrets

import pytest
from django.test import Client
from django.utils import timezone

from verksam.accounts.models import ApiToken, credential_check
from verksam.accounts.services import TOKEN_PREFIX, hash_token
from verksam.tenancy.models import Licence, PartnerLevel, Variant
from verksam.tenancy.scope import tenant_scope

from .factories import MembershipFactory, PartnerGrantFactory, TenantFactory, UserFactory, make_personnummer

_pnr = itertools.count(1)
PASSWORD = "secret-password-1"


@pytest.fixture
def tenant(db):
    return TenantFactory(name="Snickeri Demo AB", slug="snickeri", craftsman_mode=True)


@pytest.fixture
def other_tenant(db):
    t = TenantFactory(name="Annat Bolag AB", slug="annat")
    MembershipFactory(
        tenant=t, user=UserFactory(email="boss@annat.se", name="Anna Annat"), licence=Licence.TOTAL
    )
    return t


@pytest.fixture
def owner(tenant):
    return MembershipFactory(
        tenant=tenant, user=UserFactory(email="owner@snickeri.se", name="Olle Ägare"), licence=Licence.TOTAL
    ).user


@pytest.fixture
def attestant(tenant, owner):
    return MembershipFactory(
        tenant=tenant,
        user=UserFactory(email="attest@snickeri.se", name="Åsa Attest"),
        licence=Licence.STANDARD,
    ).user


@pytest.fixture
def employee(tenant, owner, attestant):
    with tenant_scope(tenant.pk):
        from verksam.tenancy.models import Membership

        approver = Membership.objects.get(user=attestant)
    return MembershipFactory(
        tenant=tenant,
        user=UserFactory(email="emp@snickeri.se", name="Erik Anställd"),
        licence=Licence.LIGHT,
        approver=approver,
        employment_number="17",
    ).user


@pytest.fixture
def partner_firm(db):
    return TenantFactory(name="Byrå Revision AB", slug="byra", variant=Variant.PARTNER)


def _partner(tenant, firm, email, name, level):
    user = UserFactory(
        email=email,
        name=name,
        personnummer=make_personnummer(next(_pnr) + 500),
        personnummer_verified_at=timezone.now(),  # confirmed by the firm (issue 7 item 3)
    )
    MembershipFactory(tenant=firm, user=user, licence=Licence.TOTAL)
    PartnerGrantFactory(tenant=tenant, partner_tenant=firm, user=user, level=level)
    return user


@pytest.fixture
def partner_full(tenant, owner, partner_firm):
    return _partner(tenant, partner_firm, "full@byra.se", "Frida Full", PartnerLevel.FULL)


@pytest.fixture
def partner_limited(tenant, owner, partner_firm):
    return _partner(tenant, partner_firm, "limited@byra.se", "Lars Begränsad", PartnerLevel.LIMITED)


@pytest.fixture
def stranger(other_tenant):
    from verksam.tenancy.models import Membership

    with tenant_scope(other_tenant.pk):  # row-level security on PostgreSQL: read inside the scope
        return Membership.objects.select_related("user").get(tenant=other_tenant).user


def login_client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def api_client(user) -> Client:
    """A client with a new API token of `user`, made like a factory row rather than through the
    audited service, so that a test's "nothing changed" snapshot sees only the call under test."""
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    ApiToken.objects.create(
        user=user,
        name="test",
        prefix=secret[:12],
        key_hash=hash_token(secret),
        credential_check=credential_check(user),
    )
    return Client(HTTP_AUTHORIZATION=f"Bearer {secret}")


@pytest.fixture
def as_user():
    return login_client


@pytest.fixture
def as_api():
    return api_client
