"""attestation_queue_counts: the approver's queue added up per period (Översikt's figures), the same
as counting the rows of attestation_queue, in a constant number of queries."""

import datetime as dt

import pytest

from verksam.attestation import selectors
from verksam.schedules.models import WorkSchedule
from verksam.tenancy.models import Licence, Membership
from verksam.tenancy.scope import tenant_scope
from verksam.tenancy.tests.factories import MembershipFactory, UserFactory
from verksam.tenancy.tests.helpers import count_queries
from verksam.timecodes.periods import period_by_key

from .helpers import MON, THU, TUE, WED, actor, delegate, lock, member, report, team

NOV, OCT = period_by_key("2026-11"), period_by_key("2026-10")


@pytest.fixture(autouse=True)
def scoped(tenant):
    with tenant_scope(tenant.pk):
        yield


def _from_rows(rows, period) -> selectors.QueueCounts:
    waiting = [r for r in rows if r.days_locked]
    return selectors.QueueCounts(
        period=period,
        employees=len(rows),
        employees_waiting=len(waiting),
        days_waiting=sum(r.days_locked for r in waiting),
        employees_missing_days=sum(1 for r in rows if r.days_missing),
    )


def _a_mixed_team(tenant, approver: Membership) -> None:
    """Locked, attested, open, missing and short days in October and November, a part-timer whose
    schedule starts mid-October, a locked empty weekend, and two former employees (one with open
    time, one with everything attested)."""
    busy, idle, part, gone_open, gone_done = team(tenant, approver, 5)
    report(busy, [dt.date(2026, 10, d) for d in (1, 2, 5)], status="locked")
    report(busy, [dt.date(2026, 10, 6)], status="attested")
    report(busy, [MON, TUE], status="locked")
    report(busy, [WED], minutes=120)
    lock(busy, [dt.date(2026, 11, 14), dt.date(2026, 11, 15)])  # a locked weekend without time
    report(idle, [dt.date(2026, 10, 30)], status="attested")
    with tenant_scope(tenant.pk):
        WorkSchedule.objects.create(
            tenant=tenant,
            membership=part,
            valid_from=dt.date(2026, 10, 19),
            monday_minutes=240,
            tuesday_minutes=240,
            wednesday_minutes=0,
            thursday_minutes=0,
            friday_minutes=0,
            saturday_minutes=0,
            sunday_minutes=0,
            week_minutes=480,
            percent=50,
        )
    report(part, [dt.date(2026, 10, 19), MON], minutes=240, status="locked")
    report(part, [THU], minutes=60)  # time on an unscheduled day: open, not due
    report(gone_open, [dt.date(2026, 10, 7)])
    report(gone_open, [MON], status="locked")
    report(gone_done, [dt.date(2026, 10, 8), TUE], status="attested")
    with tenant_scope(tenant.pk):
        Membership.objects.filter(pk__in=[gone_open.pk, gone_done.pk]).update(is_active=False)


@pytest.mark.parametrize("who", ["attestant", "owner"])
def test_the_counts_are_those_of_the_queue_rows_for_each_period(
    tenant, owner, attestant, employee, today, who
):
    # given a mixed team of the attestant (the owner attests everyone, the attestant too)
    _a_mixed_team(tenant, member(tenant, attestant))
    report(member(tenant, employee), [MON], status="locked")
    user = {"attestant": attestant, "owner": owner}[who]
    # when the counts of November and October are asked together
    counts = selectors.attestation_queue_counts(actor=actor(tenant, user), periods=[NOV, OCT])
    # then each is what the full queue of the period adds up to
    expected = [
        _from_rows(selectors.attestation_queue(actor=actor(tenant, user), period=p), p) for p in (NOV, OCT)
    ]
    assert counts == expected
    assert counts[0].employees_waiting >= 2 and counts[1].days_waiting >= 3  # the setup is not empty


def test_a_substitute_counts_the_approvers_people_while_the_delegation_holds(
    tenant, attestant, employee, today
):
    sub = MembershipFactory(tenant=tenant, user=UserFactory(name="Sune Ersättare"), licence=Licence.STANDARD)
    report(member(tenant, employee), [MON, TUE], status="locked")
    who = actor(tenant, sub.user)
    # before the delegation the substitute attests nobody
    assert selectors.attestation_queue_counts(actor=who, periods=[NOV]) == [selectors.QueueCounts(period=NOV)]
    delegate(member(tenant, attestant), sub, MON, dt.date(2026, 11, 30))
    counts = selectors.attestation_queue_counts(actor=who, periods=[NOV])
    assert counts == [_from_rows(selectors.attestation_queue(actor=who, period=NOV), NOV)]
    assert (counts[0].employees, counts[0].employees_waiting, counts[0].days_waiting) == (1, 1, 2)


def test_an_employee_without_attestation_counts_nothing(tenant, employee, today):
    assert selectors.attestation_queue_counts(actor=actor(tenant, employee), periods=[NOV, OCT]) == [
        selectors.QueueCounts(period=NOV),
        selectors.QueueCounts(period=OCT),
    ]


def test_the_counts_use_four_queries_whatever_the_number_of_employees(tenant, attestant, today):
    a = member(tenant, attestant)
    sub_for = MembershipFactory(tenant=tenant, licence=Licence.STANDARD)
    delegate(sub_for, a, MON, dt.date(2026, 11, 30))

    def add(n: int, prefix: str) -> None:
        for p in team(tenant, a, n, prefix) + team(tenant, sub_for, 1, prefix + "d"):
            report(p, [dt.date(2026, 10, 5), MON], status="locked")
            report(p, [WED])

    who = actor(tenant, attestant)
    add(2, "a")
    few, first = count_queries(lambda: selectors.attestation_queue_counts(actor=who, periods=[NOV, OCT]))
    add(30, "b")
    many, second = count_queries(lambda: selectors.attestation_queue_counts(actor=who, periods=[NOV, OCT]))
    assert few == many == 4
    assert (first[0].employees, second[0].employees) == (3, 34)  # the delegated ones too
