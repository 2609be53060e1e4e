"""The normal working day of a member (Membership.work_day_minutes): part-time employees have a
shorter day, and a whole day of absence counts as that day (issue 3, timereporting/rules.py)."""

import pytest
from django.db import IntegrityError, transaction

from verksam.audit.models import AuditEvent
from verksam.core.errors import DomainError, Forbidden
from verksam.tenancy import services
from verksam.tenancy.access import resolve
from verksam.tenancy.models import DEFAULT_WORK_DAY_MINUTES, Membership
from verksam.tenancy.scope import tenant_scope

from .helpers import accept_invitation, db_state

BAD_VALUES = [0, -60, 1441, 24 * 60 + 1, "480", 7.5, True, None]


def _membership(tenant, user) -> Membership:
    with tenant_scope(tenant.pk):
        return Membership.objects.select_related("user").get(user=user)


def test_a_member_works_full_time_unless_told_otherwise(tenant, owner):
    # given the owner / when they invite someone without a working day
    with tenant_scope(tenant.pk):
        invitation = services.membership_invite(
            actor=resolve(owner, tenant), email="ny@example.se", name="Ny"
        )
    membership = accept_invitation(tenant, invitation)
    # then the normal working day is 8 hours
    assert DEFAULT_WORK_DAY_MINUTES == 480
    assert _membership(tenant, membership.user).work_day_minutes == 480


def test_invite_a_part_time_employee(tenant, owner):
    with tenant_scope(tenant.pk):
        invitation = services.membership_invite(
            actor=resolve(owner, tenant), email="deltid@example.se", name="Del Tid", work_day_minutes=360
        )
        audit = AuditEvent.objects.get(action="membership.invite")
    membership = accept_invitation(tenant, invitation)
    assert _membership(tenant, membership.user).work_day_minutes == 360
    assert audit.data["work_day_minutes"] == 360


def test_update_the_working_day_is_audited(tenant, owner, employee):
    # given a full-time employee / when the owner sets 6,5 hours
    member = _membership(tenant, employee)
    with tenant_scope(tenant.pk):
        services.membership_update(actor=resolve(owner, tenant), membership=member, work_day_minutes=390)
        audit = AuditEvent.objects.get(action="membership.update")
    # then it is stored and the change is audited with before and after
    assert _membership(tenant, employee).work_day_minutes == 390
    assert audit.data == {"before": {"work_day_minutes": "480"}, "after": {"work_day_minutes": "390"}}


@pytest.mark.parametrize("value", [1, 24 * 60])
def test_the_working_day_limits_are_allowed(tenant, owner, employee, value):
    member = _membership(tenant, employee)
    with tenant_scope(tenant.pk):
        services.membership_update(actor=resolve(owner, tenant), membership=member, work_day_minutes=value)
    assert _membership(tenant, employee).work_day_minutes == value


@pytest.mark.parametrize("value", BAD_VALUES)
def test_update_refuses_a_working_day_outside_one_minute_to_24_hours(tenant, owner, employee, value):
    # given an employee / when the owner sets an impossible working day
    member = _membership(tenant, employee)
    before = db_state(tenant)
    with tenant_scope(tenant.pk), pytest.raises(DomainError) as exc:
        services.membership_update(actor=resolve(owner, tenant), membership=member, work_day_minutes=value)
    # then it is refused on the field and nothing changed
    assert exc.value.code == "invalid_work_day"
    assert exc.value.extra == {"field": "work_day_minutes"}
    assert db_state(tenant) == before


@pytest.mark.parametrize("value", BAD_VALUES)
def test_invite_refuses_a_working_day_outside_one_minute_to_24_hours(tenant, owner, value):
    before = db_state(tenant)
    with tenant_scope(tenant.pk), pytest.raises(DomainError) as exc:
        services.membership_invite(
            actor=resolve(owner, tenant), email="ny@example.se", name="Ny", work_day_minutes=value
        )
    assert exc.value.code == "invalid_work_day"
    assert db_state(tenant) == before


def test_only_user_managers_change_the_working_day(tenant, attestant, employee):
    member = _membership(tenant, employee)
    before = db_state(tenant)
    with tenant_scope(tenant.pk), pytest.raises(Forbidden):
        services.membership_update(actor=resolve(attestant, tenant), membership=member, work_day_minutes=360)
    assert db_state(tenant) == before


@pytest.mark.parametrize("value", [0, 1441])
def test_the_database_refuses_a_working_day_out_of_range(tenant, employee, value):
    # the check constraint tenancy_membership_work_day_range backs the service up
    member = _membership(tenant, employee)
    with tenant_scope(tenant.pk), pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.filter(pk=member.pk).update(work_day_minutes=value)


def test_a_changed_approver_is_audited_by_name(tenant, owner, employee, attestant):
    # given an employee without an approver / when the owner names one
    member = _membership(tenant, employee)
    with tenant_scope(tenant.pk):
        approver = Membership.objects.get(user=attestant)
        member.approver = None
        member.save(update_fields=["approver"])
        services.membership_update(actor=resolve(owner, tenant), membership=member, approver=approver)
        audit = AuditEvent.objects.filter(action="membership.update").latest("pk")
    # then the log names the person, not a row id
    assert audit.data == {"before": {"approver": ""}, "after": {"approver": str(attestant)}}
