"""Översikt's reads compiled once per process (issue 13, core.fixedquery): the approver's queue
counts (`attestation_queue_counts`), whether the previous period is closed (`period_is_closed`) and
the flex and time bank changes (`chart_data.balance_changes`). A second Översikt compiles none of
them again, their answers stay those of the ORM's queries, and another tenant's rows never show."""

import datetime as dt
import traceback
from unittest import mock

import pytest
from django.db.models.sql.compiler import SQLCompiler
from django.urls import reverse

from verksam.attestation import selectors, services
from verksam.tenancy.models import Licence, Membership
from verksam.tenancy.scope import tenant_scope
from verksam.tenancy.tests.factories import MembershipFactory, UserFactory
from verksam.tenancy.tests.fixtures import login_client
from verksam.tenancy.tests.helpers import count_queries
from verksam.timecodes.periods import period_by_key
from verksam.timereporting import balances, chart_data
from verksam.timereporting.models import DayLock, DayStatus, TimeBankAdjustment
from verksam.timereporting.tests.factories import DayLockFactory

from .helpers import MON, TODAY, TUE, WED, actor, delegate, member, report, team

NOV, OCT = period_by_key("2026-11"), period_by_key("2026-10")

# The compilations counted: those of the reads fixed here. The person's days (timereporting
# selectors' day_summaries) are another change's, and not counted.
OURS = ("verksam/timereporting/chart_data.py", "verksam/attestation/selectors.py", "verksam/web/home/")
NOT_OURS = ("verksam/timereporting/selectors.py",)


def _compiled_by_us(call) -> tuple[list[str], object]:
    """What `call` answers, and the stacks of the SQL Django compiled for the reads counted."""
    original = SQLCompiler.as_sql
    stacks: list[str] = []

    def counting(self, *args, **kwargs):
        files = [frame.filename.replace("\\", "/") for frame in traceback.extract_stack()]
        if any(p in f for f in files for p in OURS) and not any(p in f for f in files for p in NOT_OURS):
            stacks.append("".join(traceback.format_stack(limit=12)))
        return original(self, *args, **kwargs)

    with mock.patch.object(SQLCompiler, "as_sql", counting):
        result = call()
    return stacks, result


def _a_busy_approver(tenant, attestant) -> Membership:
    """The attestant's own people with locked, attested and open days in October and November, a
    substitute's delegation to them, and their own attested days and a time bank adjustment."""
    approver = member(tenant, attestant)
    mine = team(tenant, approver, 3, "a")
    report(mine[0], [dt.date(2026, 10, 5), MON, TUE], status="locked")
    report(mine[1], [dt.date(2026, 10, 6)], status="attested")
    report(mine[2], [WED])
    other = MembershipFactory(tenant=tenant, user=UserFactory(name="Olle Annan"), licence=Licence.STANDARD)
    theirs = team(tenant, other, 2, "b")
    report(theirs[0], [MON], status="locked")
    delegate(other, approver, MON, dt.date(2026, 11, 30))
    DayLockFactory(
        membership=approver,
        date=dt.date(2026, 11, 2),
        status=DayStatus.ATTESTED,
        attested_at=TODAY,
        flex_minutes=30,
        bank_minutes=15,
    )
    with tenant_scope(tenant.pk):
        TimeBankAdjustment.objects.create(
            tenant=tenant, membership=approver, date=dt.date(2026, 11, 3), minutes=-45, reason="x"
        )
    return approver


def test_a_second_overview_compiles_none_of_its_reads(tenant, attestant, employee, today):
    _a_busy_approver(tenant, attestant)
    client = login_client(attestant)
    url = reverse("web:dashboard", args=[tenant.slug])
    first, response = _compiled_by_us(lambda: client.get(url))
    assert response.status_code == 200
    second, response = _compiled_by_us(lambda: client.get(url))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="to-attest"' in html and 'data-testid="my-time"' in html  # the reads ran
    assert second == [], "compiled on the second request:\n" + "\n".join(second)


@pytest.mark.parametrize("who", ["attestant", "owner", "employee", "substitute"])
def test_the_counts_are_those_of_the_queue_called_again(tenant, owner, attestant, employee, today, who):
    # given an approver's busy team (the owner attests everyone, the employee nobody)
    _a_busy_approver(tenant, attestant)
    report(member(tenant, employee), [MON], status="locked")
    users = {"attestant": attestant, "owner": owner, "employee": employee}
    if who == "substitute":
        sub = MembershipFactory(
            tenant=tenant, user=UserFactory(name="Sune Ersättare"), licence=Licence.STANDARD
        )
        delegate(member(tenant, attestant), sub, MON, dt.date(2026, 11, 30))
        users["substitute"] = sub.user
    who_ = actor(tenant, users[who])
    with tenant_scope(tenant.pk):
        expected = []
        for period in (NOV, OCT):
            rows = selectors.attestation_queue(actor=who_, period=period)
            waiting = [r for r in rows if r.days_locked]
            expected.append(
                selectors.QueueCounts(
                    period=period,
                    employees=len(rows),
                    employees_waiting=len(waiting),
                    days_waiting=sum(r.days_locked for r in waiting),
                    employees_missing_days=sum(1 for r in rows if r.days_missing),
                )
            )
        # the first call compiles and checks, the later ones read the cache: the same counts
        for _ in range(3):
            queries, counts = count_queries(
                lambda: selectors.attestation_queue_counts(actor=who_, periods=[NOV, OCT])
            )
            assert counts == expected
            assert queries == (4 if who != "employee" else 0)
    if who != "employee":
        assert counts[0].days_waiting >= 2  # the setup is not empty


def test_another_tenants_people_are_never_counted(tenant, other_tenant, owner, attestant, today):
    # given the same team in both tenants, and the other tenant's owner who attests everyone there
    def busy(t, approver: Membership) -> None:
        people = team(t, approver, 2, f"x{t.pk}-")
        report(people[0], [MON, TUE], status="locked")
        report(people[1], [dt.date(2026, 10, 5)])

    busy(tenant, member(tenant, attestant))
    with tenant_scope(other_tenant.pk):
        boss = Membership.objects.get(tenant=other_tenant)
    busy(other_tenant, boss)
    for user, t in [(owner, tenant), (attestant, tenant), (boss.user, other_tenant)]:
        who = actor(t, user)
        with tenant_scope(t.pk):
            for _ in range(2):
                counts = selectors.attestation_queue_counts(actor=who, periods=[NOV, OCT])
                rows = selectors.attestation_queue(actor=who, period=NOV)
                assert counts[0].employees == len(rows)
                assert counts[0].days_waiting == 2  # the two locked days of their own tenant only
                assert {r.member_id for r in rows} <= set(
                    Membership.objects.filter(tenant=t).values_list("pk", flat=True)
                )


def test_period_is_closed_is_that_of_the_tenant(tenant, other_tenant, owner, today):
    with tenant_scope(tenant.pk):
        assert selectors.period_is_closed("2026-10") is False
        services.period_close(actor=actor(tenant, owner), period_key="2026-10")
        for _ in range(2):
            assert selectors.period_is_closed("2026-10") is True
            assert selectors.period_is_closed("2026-09") is False
    with tenant_scope(other_tenant.pk):
        for _ in range(2):
            assert selectors.period_is_closed("2026-10") is False


def test_balance_changes_are_the_balances_by_day_and_the_tenants_own(tenant, other_tenant, attestant, today):
    approver = _a_busy_approver(tenant, attestant)
    DayLockFactory(
        membership=approver,
        date=dt.date(2026, 11, 3),
        status=DayStatus.ATTESTED,
        attested_at=TODAY,
        flex_minutes=-10,
        bank_minutes=5,
    )
    DayLockFactory(membership=approver, date=dt.date(2026, 11, 4), status=DayStatus.LOCKED, flex_minutes=99)
    with tenant_scope(other_tenant.pk):
        theirs = Membership.objects.get(tenant=other_tenant)
    DayLockFactory(
        membership=theirs,
        date=dt.date(2026, 11, 2),
        status=DayStatus.ATTESTED,
        attested_at=TODAY,
        flex_minutes=60,
        bank_minutes=60,
    )
    with tenant_scope(tenant.pk):
        for _ in range(3):
            queries, changes = count_queries(
                lambda: chart_data.balance_changes(membership_id=approver.pk, until=dt.date(2026, 11, 22))
            )
            assert queries == 1
            assert changes == {dt.date(2026, 11, 2): (30, 15), dt.date(2026, 11, 3): (-10, -40)}
            for day in (dt.date(2026, 11, 2), dt.date(2026, 11, 3)):
                expected = balances.balances(membership_ids=[approver.pk], as_of=day)[approver.pk]
                assert chart_data.balance_as_of(changes, day) == (
                    expected.flex_minutes,
                    expected.bank_minutes,
                )
            assert chart_data.balance_changes(membership_id=approver.pk, until=dt.date(2026, 11, 2)) == {
                dt.date(2026, 11, 2): (30, 15)
            }
            # another tenant's employee: nothing, even by id
            assert chart_data.balance_changes(membership_id=theirs.pk, until=dt.date(2026, 11, 22)) == {}
        assert DayLock.objects.filter(membership=theirs).count() == 0  # the scope hides their rows
