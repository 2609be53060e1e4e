"""The audit log: one row per write, with the partner's firm when a partner acts."""

import pytest

from verksam.audit.models import AuditEvent
from verksam.audit.selectors import audit_event_list
from verksam.audit.services import record, save_and_record
from verksam.tenancy.access import resolve
from verksam.tenancy.scope import NoScopeError, tenant_scope


def test_record_for_a_member_has_no_partner_tenant(tenant, owner):
    actor = resolve(owner, tenant)
    with tenant_scope(tenant.pk):
        event = record(actor=actor, action="x.do", target=tenant, data={"a": 1})
    assert (event.tenant_id, event.user, event.partner_tenant_id) == (tenant.pk, owner, None)
    assert (event.target_type, event.target_id, event.target_label) == (
        "tenancy.tenant",
        str(tenant.pk),
        tenant.name,
    )


def test_save_and_record_inserts_the_row_and_the_audit_row_record_would(tenant, owner):
    # on PostgreSQL one statement (a data-modifying CTE), elsewhere save() and record()
    actor = resolve(owner, tenant)
    columns = [
        "tenant_id",
        "user_id",
        "partner_tenant_id",
        "action",
        "target_type",
        "target_id",
        "target_label",
    ]
    with tenant_scope(tenant.pk):
        new = AuditEvent(tenant_id=tenant.pk, action="x.target")
        event = save_and_record(obj=new, actor=actor, action="x.do", data={"a": 1, "b": "å"})
        expected = record(actor=actor, action="x.do", target=new, data={"a": 1, "b": "å"})
        stored = AuditEvent.objects.get(pk=event.pk)
        assert AuditEvent.objects.filter(pk=new.pk, action="x.target").exists()
        again = AuditEvent.objects.get(pk=expected.pk)
    assert [getattr(stored, c) for c in columns] == [getattr(again, c) for c in columns]
    assert stored.target_id == str(new.pk) == event.target_id and stored.data == {"a": 1, "b": "å"}
    assert not new._state.adding and not event._state.adding


def test_record_for_a_partner_carries_the_firm(tenant, partner_limited, partner_firm):
    with tenant_scope(tenant.pk):
        event = record(actor=resolve(partner_limited, tenant), action="x.do")
    assert event.partner_tenant_id == partner_firm.pk and event.user == partner_limited


def test_record_for_the_system(tenant):
    with tenant_scope(tenant.pk):
        event = record(actor=None, action="system.job", tenant_id=tenant.pk)
    assert event.user is None and event.tenant_id == tenant.pk


def test_audit_list_is_scoped_filtered_and_newest_first(tenant, owner, other_tenant):
    with tenant_scope(tenant.pk):
        for action in ["membership.invite", "partner_grant.create", "membership.update"]:
            record(actor=resolve(owner, tenant), action=action)
    with tenant_scope(other_tenant.pk):
        record(actor=None, action="membership.invite", tenant_id=other_tenant.pk)
    with tenant_scope(tenant.pk):
        assert [e.action for e in audit_event_list()] == [
            "membership.update",
            "partner_grant.create",
            "membership.invite",
        ]
        assert [e.action for e in audit_event_list(action="membership")] == [
            "membership.update",
            "membership.invite",
        ]
    with pytest.raises(NoScopeError):
        list(AuditEvent.objects.all())
