"""Factories. Tenant-owned rows are created through `all_tenants` with related rows pinned to the
same tenant (DESIGN.md "Tests")."""

import itertools

import factory
from django.contrib.auth import get_user_model

from verksam.tenancy.models import Licence, Membership, PartnerGrant, PartnerLevel, Tenant, Variant
from verksam.tenancy.scope import tenant_scope

# Valid test organisationsnummer (Luhn) and personnummer generated on the fly.
_seq = itertools.count(1)


def luhn_digit(digits: str) -> str:
    total = 0
    for i, ch in enumerate(digits):
        n = int(ch) * (2 if i % 2 == 0 else 1)
        total += n - 9 if n > 9 else n
    return str((10 - total % 10) % 10)


def make_orgnr(n: int) -> str:
    base = f"55{n % 10000000:07d}"[:9]
    return base + luhn_digit(base)


def make_personnummer(n: int, year: int = 1985) -> str:
    month = 1 + (n // 28) % 12
    day = 1 + n % 28
    serial = f"{(n * 7) % 999 + 1:03d}"  # 001-999: a serial of 000 is not a valid personnummer
    body = f"{year % 100:02d}{month:02d}{day:02d}{serial}"
    return f"{year}{month:02d}{day:02d}{serial}{luhn_digit(body)}"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()

    email = factory.Sequence(lambda n: f"user{n}@example.se")
    name = factory.Faker("name", locale="sv_SE")

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        password = kwargs.pop("password", "secret-password-1")
        return model_class.objects.create_user(*args, password=password, **kwargs)


class TenantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Tenant

    name = factory.Sequence(lambda n: f"Företag {n} AB")
    orgnr = factory.Sequence(lambda n: make_orgnr(n + 1000))
    slug = factory.Sequence(lambda n: f"foretag-{n}")
    variant = Variant.PRO


class TenantOwnedFactory(factory.django.DjangoModelFactory):
    class Meta:
        abstract = True

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        obj = model_class(*args, **kwargs)
        # On PostgreSQL row-level security admits the INSERT only inside the row's own tenant scope
        # (rule 10); the scope is left again at once, so tests still start without one.
        with tenant_scope(obj.tenant_id):
            obj.save()
        return obj


class MembershipFactory(TenantOwnedFactory):
    class Meta:
        model = Membership

    tenant = factory.SubFactory(TenantFactory)
    user = factory.SubFactory(UserFactory)
    licence = Licence.LIGHT


class PartnerGrantFactory(TenantOwnedFactory):
    class Meta:
        model = PartnerGrant

    tenant = factory.SubFactory(TenantFactory)
    partner_tenant = factory.SubFactory(TenantFactory, variant=Variant.PARTNER)
    user = factory.SubFactory(UserFactory)
    level = PartnerLevel.LIMITED
