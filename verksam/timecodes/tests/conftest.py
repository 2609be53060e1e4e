"""Fixtures and helpers of the timecodes tests."""

import pytest

from verksam.audit.models import AuditEvent
from verksam.tenancy.access import Actor, resolve
from verksam.tenancy.scope import tenant_scope
from verksam.timecodes.models import AbsenceType, Activity, PayrollCode, TimeCode, TimeSettings

# The authorization matrix: SETTINGS_MANAGE writes (TOTAL, partner FULL); TIME_REPORT_OWN or
# SETTINGS_MANAGE reads the master data (partner LIMITED has neither).
ROLES = ["owner", "attestant", "employee", "partner_full", "partner_limited"]
WRITERS = {"owner", "partner_full"}
READERS = {"owner", "attestant", "employee", "partner_full"}


@pytest.fixture
def everyone(owner, attestant, employee, partner_full, partner_limited, stranger):
    """Every role of the matrix exists."""


def actor_for(user, tenant) -> Actor:
    actor = resolve(user, tenant)
    assert actor is not None
    return actor


def tc_state(*tenants) -> dict:
    """Everything the timecodes module writes, to assert that a refused call changed nothing."""
    with tenant_scope(*(t.pk for t in tenants)):
        return {
            "activities": list(Activity.objects.order_by("pk").values()),
            "time_codes": list(TimeCode.objects.order_by("pk").values()),
            "absence_types": list(AbsenceType.objects.order_by("pk").values()),
            "payroll_codes": list(PayrollCode.objects.order_by("pk").values()),
            "settings": list(TimeSettings.objects.order_by("pk").values()),
            "audit": list(AuditEvent.objects.order_by("pk").values_list("pk", flat=True)),
        }


def audit_actions(tenant, prefix: str = "") -> list[str]:
    with tenant_scope(tenant.pk):
        return list(
            AuditEvent.objects.filter(action__startswith=prefix)
            .order_by("pk")
            .values_list("action", flat=True)
        )
