"""The queue's employees (selectors._queue_rows) are read by SQL compiled once per shape of the
actor's rights (issue 13, core.fixedquery): the same employees, in the same order, as
`attestable_members` for an approver, a substitute, an approver who is also a substitute, someone
who attests everyone, and someone who attests nobody; and none of another tenant's."""

import datetime as dt

from verksam.attestation import selectors
from verksam.tenancy.models import Licence
from verksam.tenancy.scope import tenant_scope
from verksam.tenancy.tests.factories import MembershipFactory, UserFactory

from .helpers import MON, actor, delegate, member, team


def _same_as_attestable(who) -> list[int]:
    today = dt.date(2026, 11, 20)
    rows = selectors._queue_rows(who, today)
    expected = [
        r.membership.pk for r in selectors.attestable_members(actor=who, today=today, active_only=False)
    ]
    assert list(rows) == expected
    held = selectors.delegations_held_today(actor=who, today=today)
    own_pk = getattr(who.membership, "pk", None)
    for route in selectors.attestable_members(actor=who, today=today, active_only=False):
        on_behalf = rows[route.membership.pk].on_behalf_of
        assert (on_behalf.pk if on_behalf else None) == (
            route.on_behalf_of.pk if route.on_behalf_of else None
        )
        assert (
            route.membership.approver_id in (None, own_pk)
            or route.membership.approver_id in held
            or who.has(selectors.Perm.TIME_ATTEST_ALL)
        )
    return list(rows)


def test_the_queue_reads_the_employees_attestable_members_finds(
    tenant, other_tenant, owner, attestant, employee
):
    with tenant_scope(other_tenant.pk):
        MembershipFactory(tenant=other_tenant, licence=Licence.LIGHT)  # never in anyone's queue
    with tenant_scope(tenant.pk):
        approver = member(tenant, attestant)
        mine = team(tenant, approver, 2, "a")
        other = MembershipFactory(
            tenant=tenant, user=UserFactory(name="Olle Annan"), licence=Licence.STANDARD
        )
        theirs = team(tenant, other, 2, "b")
        mine[1].is_active = False
        mine[1].save()
        for _ in range(2):  # the first call of each shape compiles and checks, the second reads the cache
            # an approver: their own people, active or not
            assert set(_same_as_attestable(actor(tenant, attestant))) >= {m.pk for m in mine}
            # everyone (the owner), except their own time unless they may attest it
            assert set(_same_as_attestable(actor(tenant, owner))) >= {m.pk for m in mine + theirs}
            # somebody who attests nobody
            assert _same_as_attestable(actor(tenant, employee)) == []
        # a substitute without people of their own, then an approver who also substitutes
        sub = MembershipFactory(
            tenant=tenant, user=UserFactory(name="Sune Ersättare"), licence=Licence.STANDARD
        )
        delegate(other, sub, MON, dt.date(2026, 11, 30))
        delegate(other, approver, MON, dt.date(2026, 11, 30))
        for _ in range(2):
            assert sorted(_same_as_attestable(actor(tenant, sub.user))) == sorted(m.pk for m in theirs)
            both = _same_as_attestable(actor(tenant, attestant))
            assert set(both) >= {m.pk for m in mine + theirs}
    assert all(
        all(query._local.__dict__["by_vendor"].values()) for query in selectors._QUEUE_MEMBERS.values()
    )
