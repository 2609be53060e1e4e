"""Work schedules: dated history, röda dagar count 0, the fallbacks, the templates, every refusal of
bad input, permissions, other tenants, and the constant query count of the bulk read."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from verksam.core.errors import DomainError, Forbidden
from verksam.schedules import selectors, services
from verksam.schedules.models import ScheduleTemplate, WorkSchedule
from verksam.tenancy.access import resolve
from verksam.tenancy.models import Licence, Membership
from verksam.tenancy.scope import tenant_scope
from verksam.tenancy.tests.factories import MembershipFactory, UserFactory

FULL = (480, 480, 480, 480, 480, 0, 0)
PART = (360, 360, 360, 360, 360, 0, 0)


def _actor(user, tenant):
    actor = resolve(user, tenant)
    assert actor is not None
    return actor


def _member(tenant, user):
    with tenant_scope(tenant.pk):
        return Membership.objects.get(user=user)


def test_a_member_without_schedule_has_full_time_monday_to_friday(tenant, employee):
    member = _member(tenant, employee)
    with tenant_scope(tenant.pk):
        history = selectors.schedule_history(membership_id=member.pk)
    # Monday 30 November 2026 … Sunday 6 December
    minutes = history.minutes_between(dt.date(2026, 11, 30), dt.date(2026, 12, 6))
    assert list(minutes.values()) == [480, 480, 480, 480, 480, 0, 0]


def test_a_change_from_a_date_keeps_the_history(tenant, owner, employee):
    member = _member(tenant, employee)
    with tenant_scope(tenant.pk):
        actor = _actor(owner, tenant)
        services.work_schedule_set(
            actor=actor, membership=member, valid_from=dt.date(2026, 1, 1), weekday_minutes=FULL, percent=100
        )
        services.work_schedule_set(
            actor=actor, membership=member, valid_from=dt.date(2026, 9, 1), weekday_minutes=PART, percent=75
        )
        history = selectors.schedule_history(membership_id=member.pk)
    assert history.minutes_on(dt.date(2026, 8, 31)) == 480  # Monday before the change
    assert history.minutes_on(dt.date(2026, 9, 1)) == 360  # Tuesday from the change
    assert history.on(dt.date(2026, 9, 1)).full_time_minutes_on(dt.date(2026, 9, 1)) == 480
    # the first schedule also covers the days before it
    assert history.minutes_on(dt.date(2025, 6, 2)) == 480


def test_roda_dagar_and_days_off_count_zero(tenant, owner, employee):
    member = _member(tenant, employee)
    with tenant_scope(tenant.pk):
        services.work_schedule_set(
            actor=_actor(owner, tenant),
            membership=member,
            valid_from=dt.date(2026, 1, 1),
            weekday_minutes=(480, 480, 480, 480, 0, 0, 0),
            percent=80,
        )
        history = selectors.schedule_history(membership_id=member.pk)
    assert history.minutes_on(dt.date(2026, 12, 24)) == 0  # julafton, a Thursday
    assert history.minutes_on(dt.date(2026, 12, 25)) == 0  # juldagen
    assert history.minutes_on(dt.date(2026, 12, 18)) == 0  # a Friday: day off in this schedule
    assert history.minutes_on(dt.date(2026, 12, 17)) == 480
    assert history.working_days(dt.date(2026, 12, 21), dt.date(2026, 12, 27)) == [
        dt.date(2026, 12, 21),
        dt.date(2026, 12, 22),
        dt.date(2026, 12, 23),
    ]


@pytest.mark.parametrize(
    ("minutes", "percent", "code"),
    [
        ((1441, 0, 0, 0, 0, 0, 0), 100, "schedule_day_too_long"),
        ((0, 0, 0, 0, 0, 0, 0), 100, "schedule_empty"),
        (FULL, 0, "schedule_percent"),
        (FULL, 101, "schedule_percent"),
        ((480,) * 6, 100, "invalid_schedule"),
    ],
)
def test_bad_schedules_are_refused_and_nothing_is_written(tenant, owner, employee, minutes, percent, code):
    member = _member(tenant, employee)
    with tenant_scope(tenant.pk):
        with pytest.raises(DomainError) as exc:
            services.work_schedule_set(
                actor=_actor(owner, tenant),
                membership=member,
                valid_from=dt.date(2026, 1, 1),
                weekday_minutes=minutes,
                percent=percent,
            )
        assert exc.value.code == code
        assert not WorkSchedule.objects.exists()


def test_only_those_with_the_permission_set_schedules(tenant, owner, employee, attestant, partner_limited):
    member = _member(tenant, employee)
    with tenant_scope(tenant.pk):
        for user in (employee, attestant, partner_limited):
            with pytest.raises(Forbidden):
                services.work_schedule_set(
                    actor=_actor(user, tenant),
                    membership=member,
                    valid_from=dt.date(2026, 1, 1),
                    weekday_minutes=FULL,
                    percent=100,
                )
        assert not WorkSchedule.objects.exists()


def test_a_template_is_assigned_to_many_and_later_edits_do_not_change_them(
    tenant, owner, employee, attestant
):
    members = [_member(tenant, employee), _member(tenant, attestant)]
    with tenant_scope(tenant.pk):
        actor = _actor(owner, tenant)
        template = services.schedule_template_save(
            actor=actor, name="Deltid 75 %", weekday_minutes=PART, percent=75
        )
        services.schedule_template_assign(
            actor=actor, template=template, memberships=members, valid_from=dt.date(2026, 9, 1)
        )
        services.schedule_template_save(
            actor=actor, template=template, name="Deltid 75 %", weekday_minutes=FULL, percent=100
        )
        histories = selectors.schedule_histories(membership_ids=[m.pk for m in members])
    for member in members:
        assert histories[member.pk].minutes_on(dt.date(2026, 9, 1)) == 360
        assert histories[member.pk].on(dt.date(2026, 9, 1)).template_name == "Deltid 75 %"


def test_a_new_company_gets_templates_and_its_owner_the_default(db):
    from verksam.tenancy.services import tenant_create

    owner = UserFactory(email="ny@foretag.se", name="Nina Ny")
    tenant = tenant_create(owner=owner, name="Nytt Företag AB", orgnr="5560360793")
    with tenant_scope(tenant.pk):
        assert ScheduleTemplate.objects.filter(is_default=True).count() == 1
        assert set(ScheduleTemplate.objects.values_list("name", flat=True)) >= {"Heltid mån–fre 8 h"}
        row = WorkSchedule.objects.get(membership__user=owner)
        assert row.weekday_minutes == FULL and row.template is not None


def test_the_bulk_read_costs_one_query_whatever_the_number_of_employees(tenant, owner):
    with tenant_scope(tenant.pk):
        members = [MembershipFactory(tenant=tenant, licence=Licence.LIGHT) for _ in range(30)]
        actor = _actor(owner, tenant)
        for member in members:
            services.work_schedule_set(
                actor=actor,
                membership=member,
                valid_from=dt.date(2026, 1, 1),
                weekday_minutes=FULL,
                percent=100,
            )
        with CaptureQueriesContext(connection) as two:
            selectors.scheduled_minutes(
                membership_ids=[m.pk for m in members[:2]],
                start=dt.date(2026, 1, 1),
                end=dt.date(2026, 12, 31),
            )
        with CaptureQueriesContext(connection) as thirty:
            result = selectors.scheduled_minutes(
                membership_ids=[m.pk for m in members], start=dt.date(2026, 1, 1), end=dt.date(2026, 12, 31)
            )
    assert len(two) == len(thirty) == 1
    assert sum(result[members[0].pk].values()) > 0


def test_another_tenants_schedules_are_invisible(tenant, owner, employee, other_tenant):
    member = _member(tenant, employee)
    with tenant_scope(tenant.pk):
        row = services.work_schedule_set(
            actor=_actor(owner, tenant),
            membership=member,
            valid_from=dt.date(2026, 1, 1),
            weekday_minutes=PART,
            percent=75,
        )
    with tenant_scope(other_tenant.pk):
        assert selectors.work_schedule_get(schedule_id=row.pk) is None
        assert selectors.schedule_history(membership_id=member.pk).minutes_on(dt.date(2026, 1, 5)) == 480
