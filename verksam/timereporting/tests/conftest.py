"""Fixtures of the time-reporting tests: the tenant's codes, a project the LIGHT employee is
assigned to, an internal project, a completed project, and actors for the fixture users."""

import datetime as dt
from types import SimpleNamespace

import pytest

from verksam.projects.models import ProjectKind, ProjectStatus
from verksam.projects.tests.factories import ProjectFactory, ProjectMemberFactory
from verksam.tenancy.access import resolve
from verksam.tenancy.scope import tenant_scope
from verksam.tenancy.tests.helpers import membership_of  # noqa: F401 (shared by this app's tests)
from verksam.timecodes.models import TimeBankEffect
from verksam.timecodes.tests.factories import AbsenceTypeFactory, ActivityFactory, TimeCodeFactory

MONDAY = dt.date(2026, 11, 2)  # ISO week 2026-W45


def actor_for(tenant, user):
    return resolve(user, tenant)


@pytest.fixture
def codes(tenant):
    return SimpleNamespace(
        normal=TimeCodeFactory(tenant=tenant, code="NT", name="Normaltid", is_default=True),
        overtime=TimeCodeFactory(
            tenant=tenant, code="OT50", name="Övertid 50 %", paxml_code="ÖT1",
            time_bank_effect=TimeBankEffect.ADD,
        ),
        flex_out=TimeCodeFactory(
            tenant=tenant, code="FLXUT", name="Flex ut", time_bank_effect=TimeBankEffect.SUBTRACT
        ),
        old=TimeCodeFactory(tenant=tenant, code="OLD", name="Gammal", is_active=False),
        carpentry=ActivityFactory(tenant=tenant, code="SNI", name="Snickeri"),
        admin=ActivityFactory(tenant=tenant, code="ADM", name="Administration", invoiceable=False),
        old_activity=ActivityFactory(tenant=tenant, code="GML", name="Gammal aktivitet", is_active=False),
        sick=AbsenceTypeFactory(tenant=tenant, code="SJK", name="Sjuk", paxml_code="SJK"),
        vab=AbsenceTypeFactory(tenant=tenant, code="VAB", name="VAB", paxml_code="VAB", requires_child=True),
        komp=AbsenceTypeFactory(
            tenant=tenant, code="KOMP", name="Komp-ledig", paxml_code="KOM",
            time_bank_effect=TimeBankEffect.SUBTRACT,
        ),
        old_absence=AbsenceTypeFactory(tenant=tenant, code="GFR", name="Gammal frånvaro", is_active=False),
    )  # fmt: skip


@pytest.fixture
def projects(tenant, employee):
    site = ProjectFactory(tenant=tenant, number="P1", name="Villa Ek")
    ProjectMemberFactory(tenant=tenant, project=site, membership=membership_of(tenant, employee))
    return SimpleNamespace(
        site=site,
        unassigned=ProjectFactory(tenant=tenant, number="P2", name="Kök Berg"),
        internal=ProjectFactory(tenant=tenant, number="INT", name="Interntid", kind=ProjectKind.INTERNAL),
        completed=ProjectFactory(tenant=tenant, number="P3", name="Klart", status=ProjectStatus.COMPLETED),
    )


@pytest.fixture
def emp_actor(tenant, employee):
    return actor_for(tenant, employee)


@pytest.fixture
def scope(tenant):
    with tenant_scope(tenant.pk):
        yield
