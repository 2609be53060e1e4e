"""Fixtures of the projects tests: a BASIC user beside the shared owner/attestant/employee/partners,
and a project made by the owner with prices (which BASIC users must never see)."""

import pytest

from verksam.projects.models import PricingType
from verksam.tenancy.models import Licence
from verksam.tenancy.tests.factories import MembershipFactory, UserFactory

from .factories import ProjectFactory

# Each role of the authorization matrix and what it may do with projects (DOMAIN.md licences).
ROLES = ["employee", "basic", "attestant", "owner", "partner_full", "partner_limited"]
VIEWERS = {"basic", "attestant", "owner", "partner_full"}  # PROJECTS_VIEW
CREATORS = VIEWERS  # PROJECTS_CREATE
MANAGERS = {"attestant", "owner", "partner_full"}  # PROJECTS_MANAGE
PRICE_VIEWERS = MANAGERS  # PRICES_VIEW


@pytest.fixture
def basic(tenant, owner):
    return MembershipFactory(
        tenant=tenant, user=UserFactory(email="basic@snickeri.se", name="Bo Bas"), licence=Licence.BASIC
    ).user


@pytest.fixture
def everyone(owner, attestant, employee, basic, partner_full, partner_limited, stranger):
    """Every role of the matrix exists."""


@pytest.fixture
def project(tenant, owner):
    return ProjectFactory(
        tenant=tenant,
        number="1001",
        name="Kök Andersson",
        customer_name="Anders Andersson",
        pricing_type=PricingType.TIME_AND_MATERIALS,
        hourly_rate_ore=85_050,
        fixed_price_ore=12_345_600,
        created_by=owner,
    )


@pytest.fixture
def foreign_project(other_tenant):
    return ProjectFactory(tenant=other_tenant, number="1001", name="Annat bolags projekt")
