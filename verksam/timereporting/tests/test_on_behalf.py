"""Reporting on behalf (issue 8 item 6): a TOTAL user, a FULL partner (the payroll clerk) and the
employee's own approver report, correct and lock an employee's time; every write is audited
"reported by X for Y" and the employee is mailed about changed entries. Everyone else is refused and
nothing changes."""

import datetime as dt

import pytest

from verksam.attestation.models import Delegation
from verksam.audit.models import AuditEvent
from verksam.audit.presentation import details
from verksam.core.errors import DomainError, Forbidden, NotFound
from verksam.mail.models import OutgoingMail
from verksam.tenancy.models import Licence
from verksam.tenancy.tests.factories import MembershipFactory, UserFactory
from verksam.timereporting import services
from verksam.timereporting.models import DayLock, DayStatus, EntryKind, TimeEntry
from verksam.timereporting.tests.factories import DayLockFactory, TimeEntryFactory

from .conftest import MONDAY, actor_for, membership_of


def _state():
    return (
        list(TimeEntry.objects.order_by("pk").values()),
        list(DayLock.objects.order_by("pk").values()),
        AuditEvent.objects.count(),
        OutgoingMail.objects.count(),
    )


def _report(actor, employee, codes, projects, **kwargs):
    data = {
        "actor": actor,
        "employee": employee,
        "date": MONDAY,
        "kind": EntryKind.WORK,
        "project": projects.site,
        "time_code": codes.normal,
        "minutes": 240,
    }
    data.update(kwargs)
    return services.time_entry_create(**data)


@pytest.mark.parametrize("role", ["owner", "partner_full", "attestant"])
def test_total_user_full_partner_and_the_approver_report_for_the_employee(
    request, scope, tenant, employee, codes, projects, role
):
    # given the employee (LIGHT, whose approver is the attestant) and someone allowed to act for them
    user = request.getfixturevalue(role)
    actor = actor_for(tenant, user)
    emp = membership_of(tenant, employee)
    # when they report time on the employee's behalf
    entry = _report(actor, emp, codes, projects)
    # then the entry is the employee's, created by the one who acted
    assert entry.membership_id == emp.pk and entry.created_by_id == user.pk
    # and the audit log says "reported by X for Y", both by name
    event = AuditEvent.objects.get(action="time.entry_create")
    assert event.data["reported_by"] == user.name
    assert event.data["reported_for"] == "Erik Anställd"
    assert ("För annans räkning", f"rapporterad av {user.name} för Erik Anställd") in details(event.data)
    # and the employee is told by e-mail (queued in the transaction, sent after commit)
    mail = OutgoingMail.objects.get()
    assert mail.to == employee.email and user.name in mail.body


def test_correct_delete_lock_and_unlock_on_behalf(scope, tenant, owner, employee, codes, projects):
    actor = actor_for(tenant, owner)
    emp = membership_of(tenant, employee)
    entry = _report(actor, emp, codes, projects)
    entry = services.time_entry_update(actor=actor, entry=entry, employee=emp, minutes=300)
    assert entry.minutes == 300
    assert services.day_lock(actor=actor, dates=[MONDAY], employee=emp) == 1
    assert DayLock.objects.get(membership=emp).locked_by_id == owner.pk
    assert services.day_unlock(actor=actor, dates=[MONDAY], employee=emp) == 1
    services.time_entry_delete(actor=actor, entry=entry, employee=emp)
    assert not TimeEntry.objects.exists()
    actions = list(AuditEvent.objects.order_by("pk").values_list("action", "data__reported_for"))
    assert actions == [
        ("time.entry_create", "Erik Anställd"),
        ("time.entry_update", "Erik Anställd"),
        ("time.lock", "Erik Anställd"),
        ("time.unlock", "Erik Anställd"),
        ("time.entry_delete", "Erik Anställd"),
    ]


@pytest.mark.parametrize("role", ["employee", "partner_limited"])
def test_who_may_not_act_for_others_is_refused_and_nothing_changes(
    request, scope, tenant, owner, attestant, employee, codes, projects, role
):
    actor = actor_for(tenant, request.getfixturevalue(role))
    target = membership_of(tenant, attestant)
    before = _state()
    with pytest.raises(Forbidden):
        _report(actor, target, codes, projects)
    with pytest.raises(Forbidden):
        services.day_lock(actor=actor, dates=[MONDAY], employee=target)
    assert _state() == before


def test_the_approver_acts_only_for_their_own_employees(
    scope, tenant, owner, attestant, employee, codes, projects
):
    actor = actor_for(tenant, attestant)
    before = _state()
    with pytest.raises(Forbidden) as exc:
        _report(actor, membership_of(tenant, owner), codes, projects, project=projects.internal)
    assert exc.value.code == "not_approver"
    assert _state() == before


def test_a_substitute_attests_but_does_not_report_on_behalf(
    scope, tenant, attestant, employee, codes, projects
):
    # decided (issue 8 item 6): a delegation lends the approver's attestation, not their corrections
    sub = MembershipFactory(tenant=tenant, user=UserFactory(name="Sam Ersättare"), licence=Licence.STANDARD)
    Delegation.objects.create(
        tenant=tenant,
        approver=membership_of(tenant, attestant),
        substitute=sub,
        start_date=dt.date(2020, 1, 1),
        end_date=dt.date(2030, 1, 1),
    )
    before = _state()
    with pytest.raises(Forbidden):
        _report(actor_for(tenant, sub.user), membership_of(tenant, employee), codes, projects)
    assert _state() == before


def test_another_tenants_employee_answers_not_found(
    scope, tenant, owner, stranger, other_tenant, codes, projects
):
    foreign = membership_of(other_tenant, stranger)  # read in its own tenant's scope (RLS)
    before = _state()
    with pytest.raises(NotFound):
        _report(actor_for(tenant, owner), foreign, codes, projects)
    assert _state() == before


def test_time_on_behalf_goes_only_where_the_employee_may_report(
    scope, tenant, owner, employee, codes, projects
):
    # the owner may report on every project, but the LIGHT employee is not assigned to this one
    before = _state()
    with pytest.raises(DomainError) as exc:
        _report(
            actor_for(tenant, owner),
            membership_of(tenant, employee),
            codes,
            projects,
            project=projects.unassigned,
        )
    assert exc.value.code == "not_assigned"
    assert _state() == before


def test_attested_time_is_not_changed_on_behalf_without_a_reopen(
    scope, tenant, owner, employee, codes, projects
):
    emp = membership_of(tenant, employee)
    entry = TimeEntryFactory(membership=emp, date=MONDAY, project=projects.site, time_code=codes.normal)
    DayLockFactory(
        membership=emp,
        date=MONDAY,
        status=DayStatus.ATTESTED,
        attested_at=dt.datetime(2026, 11, 3, tzinfo=dt.UTC),
    )
    before = _state()
    with pytest.raises(DomainError) as exc:
        services.time_entry_update(actor=actor_for(tenant, owner), entry=entry, employee=emp, minutes=60)
    assert exc.value.code == "day_attested"
    assert _state() == before


def test_nobody_writes_their_own_time_on_behalf(scope, tenant, owner, employee, codes, projects):
    # a partner's own (inactive) membership of the customer is still its own time
    actor = actor_for(tenant, owner)
    own = membership_of(tenant, owner)
    entry = _report(actor, own, codes, projects, project=projects.internal)
    assert "reported_by" not in AuditEvent.objects.get(action="time.entry_create").data
    assert entry.membership_id == own.pk
    assert not OutgoingMail.objects.exists()
