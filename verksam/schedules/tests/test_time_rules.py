"""The work schedule drives time reporting (issue 8 items 1 and 5): whole-day absence takes that day's
scheduled time (refused on a day with none), only days that have happened are locked, a scheduled day
without time is locked only when "inget att rapportera" is confirmed, a day is short until its time
reaches the schedule, copy-last-week skips röda dagar and days off, work outside a project's dates is
refused; the approver queue and the reminders count missing days by the schedule."""

import datetime as dt
import zoneinfo

import pytest
import time_machine
from django.core import mail
from django.test import TestCase

from verksam.attestation import selectors as attest_selectors
from verksam.attestation.models import ReminderLog
from verksam.attestation.tasks import send_time_reminders
from verksam.attestation.tests.helpers import TimeSettingsFactory, absence, codes, report
from verksam.audit.models import AuditEvent
from verksam.core.errors import DomainError
from verksam.projects.tests.factories import ProjectFactory, ProjectMemberFactory
from verksam.schedules.services import work_schedule_set
from verksam.tenancy.access import resolve
from verksam.tenancy.models import Licence
from verksam.tenancy.scope import tenant_scope
from verksam.tenancy.tests.factories import MembershipFactory
from verksam.tenancy.tests.helpers import count_queries, membership_of, sv
from verksam.timecodes.periods import period_by_key
from verksam.timecodes.tests.factories import AbsenceTypeFactory, TimeCodeFactory
from verksam.timereporting import selectors as time_selectors
from verksam.timereporting import services
from verksam.timereporting.models import DayLock, EntryKind, TimeEntry
from verksam.timereporting.tests.factories import TimeEntryFactory

STOCKHOLM = zoneinfo.ZoneInfo("Europe/Stockholm")
PART = (360, 360, 360, 360, 360, 0, 0)  # 75 %, Monday–Friday 6 h
FOUR_DAYS = (480, 480, 480, 480, 0, 0, 0)  # 80 %, Fridays off
MON = dt.date(2026, 11, 16)


def _at(day: dt.date, hour: int = 12):
    return time_machine.travel(dt.datetime(day.year, day.month, day.day, hour, tzinfo=STOCKHOLM), tick=False)


def _actor(tenant, user):
    actor = resolve(user, tenant)
    assert actor is not None
    return actor


def _schedule(tenant, owner, member, minutes, percent, valid_from=dt.date(2026, 1, 1)):
    return work_schedule_set(
        actor=_actor(tenant, owner),
        membership=member,
        valid_from=valid_from,
        weekday_minutes=minutes,
        percent=percent,
    )


@pytest.fixture
def scope(tenant):
    with tenant_scope(tenant.pk):
        yield


@pytest.fixture
def kit(tenant, employee):
    project = ProjectFactory(tenant=tenant, number="P1", name="Villa Ek")
    ProjectMemberFactory(tenant=tenant, project=project, membership=membership_of(tenant, employee))
    return {
        "project": project,
        "normal": TimeCodeFactory(tenant=tenant, code="NT", name="Normaltid", is_default=True),
        "sick": AbsenceTypeFactory(tenant=tenant, code="SJK", name="Sjuk", paxml_code="SJK"),
    }


def _absence(actor, kit, day):
    return services.time_entry_create(
        actor=actor, date=day, kind=EntryKind.ABSENCE, absence_type=kit["sick"], whole_day=True
    )


def _work(actor, kit, day, minutes=480, project=None):
    return services.time_entry_create(
        actor=actor, date=day, kind=EntryKind.WORK, project=project or kit["project"], minutes=minutes
    )


def _refused(code, func, **kwargs):
    before = (list(TimeEntry.objects.values()), list(DayLock.objects.values()), AuditEvent.objects.count())
    with pytest.raises(DomainError) as exc:
        func(**kwargs)
    assert exc.value.code == code, exc.value.message
    assert (
        list(TimeEntry.objects.values()),
        list(DayLock.objects.values()),
        AuditEvent.objects.count(),
    ) == before
    return exc.value


# --- whole-day absence -------------------------------------------------------------------------------


def test_whole_day_absence_takes_the_days_scheduled_time_across_a_change(scope, tenant, owner, employee, kit):
    # given a full-timer who goes 75 % from Wednesday 18 November
    member = membership_of(tenant, employee)
    _schedule(tenant, owner, member, (480, 480, 480, 480, 480, 0, 0), 100)
    _schedule(tenant, owner, member, PART, 75, valid_from=dt.date(2026, 11, 18))
    actor = _actor(tenant, employee)
    # when they are sick all Tuesday and all Wednesday
    # then Tuesday counts 8 h and Wednesday 6 h
    assert _absence(actor, kit, dt.date(2026, 11, 17)).minutes == 480
    assert _absence(actor, kit, dt.date(2026, 11, 18)).minutes == 360


@pytest.mark.parametrize(
    "day",
    [
        dt.date(2026, 11, 21),  # a Saturday
        dt.date(2026, 12, 25),  # juldagen (a Friday)
        dt.date(2026, 12, 24),  # julafton (a Thursday)
        dt.date(2026, 11, 20),  # a Friday: the schedule's day off
    ],
)
def test_whole_day_absence_on_a_day_without_schedule_is_refused(scope, tenant, owner, employee, kit, day):
    _schedule(tenant, owner, membership_of(tenant, employee), FOUR_DAYS, 80)
    error = _refused("no_scheduled_time", _absence, actor=_actor(tenant, employee), kit=kit, day=day)
    assert error.extra["field"] == "date"
    assert error.message == sv(
        "There is no scheduled time on that day, so a whole-day absence counts 0 hours."
    )


def test_moving_a_whole_day_absence_takes_the_new_days_schedule(scope, tenant, owner, employee, kit):
    _schedule(tenant, owner, membership_of(tenant, employee), (480, 480, 480, 480, 240, 0, 0), 90)
    actor = _actor(tenant, employee)
    entry = _absence(actor, kit, MON)
    assert entry.minutes == 480
    moved = services.time_entry_update(actor=actor, entry=entry, date=dt.date(2026, 11, 20))  # a Friday: 4 h
    assert moved.minutes == 240
    _refused(
        "no_scheduled_time", services.time_entry_update, actor=actor, entry=moved, date=dt.date(2026, 11, 21)
    )
    # a comment alone keeps the time
    assert services.time_entry_update(actor=actor, entry=moved, comment="Feber").minutes == 240


def test_absence_with_hours_on_a_day_off_is_still_possible(scope, tenant, employee, kit):
    entry = services.time_entry_create(
        actor=_actor(tenant, employee),
        date=dt.date(2026, 11, 21),
        kind=EntryKind.ABSENCE,
        absence_type=kit["sick"],
        minutes=120,
    )
    assert entry.minutes == 120


# --- locking only what has happened -----------------------------------------------------------------


def test_locking_a_future_week_or_day_is_refused(scope, tenant, employee, kit):
    actor = _actor(tenant, employee)
    with _at(dt.date(2026, 11, 18)):  # Wednesday
        error = _refused(
            "future_week", services.week_lock, actor=actor, year=2026, week=48, nothing_to_report=True
        )
        assert error.message == sv("The week has not begun yet; lock it when its days have happened.")
        _refused(
            "future_day",
            services.day_lock,
            actor=actor,
            dates=[dt.date(2026, 11, 19)],
            nothing_to_report=True,
        )


def test_lock_the_week_locks_up_to_today_only(scope, tenant, employee, kit):
    actor = _actor(tenant, employee)
    with _at(dt.date(2026, 11, 18)):  # Wednesday of week 47
        for day in (MON, MON + dt.timedelta(days=1), MON + dt.timedelta(days=2)):
            _work(actor, kit, day)
        assert services.week_lock(actor=actor, year=2026, week=47) == 3
    assert sorted(DayLock.objects.values_list("date", flat=True)) == [
        MON,
        MON + dt.timedelta(days=1),
        MON + dt.timedelta(days=2),
    ]


def test_a_scheduled_day_without_time_needs_nothing_to_report_confirmed(scope, tenant, employee, kit):
    actor = _actor(tenant, employee)
    with _at(dt.date(2026, 11, 23)):
        _work(actor, kit, MON)
        _work(actor, kit, MON + dt.timedelta(days=1), minutes=360)  # short Tuesday
        # Wednesday–Friday empty; the weekend is empty but not scheduled
        error = _refused("nothing_reported", services.week_lock, actor=actor, year=2026, week=47)
        assert error.extra["dates"] == ["2026-11-18", "2026-11-19", "2026-11-20"]
        assert services.week_lock(actor=actor, year=2026, week=47, nothing_to_report=True) == 7
        days = {d.date: d for d in time_selectors.day_summaries(
            membership_id=actor.membership.pk, start=MON, end=MON + dt.timedelta(days=6)
        )}  # fmt: skip
    assert [days[MON + dt.timedelta(days=i)].confirmed for i in range(7)] == [
        False, True, True, True, True, False, False,
    ]  # fmt: skip
    assert all(d.is_reported for d in days.values())
    audit = AuditEvent.objects.filter(action="time.lock").get()
    assert audit.data["nothing_to_report"] == ["2026-11-17", "2026-11-18", "2026-11-19", "2026-11-20"]


def test_a_weekend_or_day_off_without_time_locks_without_confirmation(scope, tenant, owner, employee, kit):
    _schedule(tenant, owner, membership_of(tenant, employee), FOUR_DAYS, 80)
    actor = _actor(tenant, employee)
    with _at(dt.date(2026, 11, 23)):
        assert services.day_lock(actor=actor, dates=[dt.date(2026, 11, 20), dt.date(2026, 11, 21)]) == 2


def test_a_day_is_short_until_its_time_reaches_the_schedule(scope, tenant, owner, employee, kit):
    _schedule(tenant, owner, membership_of(tenant, employee), PART, 75)
    actor = _actor(tenant, employee)
    _work(actor, kit, MON, minutes=300)
    _work(actor, kit, MON + dt.timedelta(days=1), minutes=360)
    days = time_selectors.day_summaries(
        membership_id=actor.membership.pk, start=MON, end=MON + dt.timedelta(days=5)
    )
    assert [(d.minutes, d.scheduled_minutes, d.is_short) for d in days] == [
        (300, 360, True),
        (360, 360, False),
        (0, 360, True),
        (0, 360, True),
        (0, 360, True),
        (0, 0, False),
    ]


# --- copy last week -----------------------------------------------------------------------------------


def test_copy_last_week_skips_roda_dagar_and_days_off(scope, tenant, owner, employee, kit):
    # given a Friday-off schedule and last week's work on every weekday (week 14 of 2026)
    _schedule(tenant, owner, membership_of(tenant, employee), FOUR_DAYS, 80)
    actor = _actor(tenant, employee)
    last = dt.date(2026, 3, 30)
    for i in range(4):
        _work(actor, kit, last + dt.timedelta(days=i))
    # the employee once worked a Friday too (entered directly: the rules allow work on a day off)
    TimeEntryFactory(
        membership=actor.membership, date=last + dt.timedelta(days=4), project=kit["project"],
        time_code=kit["normal"], minutes=60,
    )  # fmt: skip
    # when copied into week 15: Monday 6 April is annandag påsk, Friday 10 April a day off
    created = services.time_entry_copy_week(actor=actor, from_monday=last, to_monday=dt.date(2026, 4, 6))
    assert sorted(e.date for e in created) == [dt.date(2026, 4, 7), dt.date(2026, 4, 8), dt.date(2026, 4, 9)]


# --- project dates ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "end", "day", "words"),
    [
        (dt.date(2026, 11, 17), None, MON, "startar 2026-11-17"),
        (None, dt.date(2026, 11, 13), MON, "slutade 2026-11-13"),
        (dt.date(2026, 10, 1), dt.date(2026, 11, 13), MON, "från 2026-10-01 till 2026-11-13"),
    ],
)
def test_work_outside_the_projects_dates_is_refused(scope, tenant, employee, kit, start, end, day, words):
    project = ProjectFactory(tenant=tenant, number="P9", name="Tidsatt", start_date=start, end_date=end)
    ProjectMemberFactory(tenant=tenant, project=project, membership=membership_of(tenant, employee))
    error = _refused(
        "outside_project_dates", _work, actor=_actor(tenant, employee), kit=kit, day=day, project=project
    )
    assert words in error.message and error.extra["field"] == "date"


def test_work_on_the_projects_first_and_last_day_is_accepted(scope, tenant, employee, kit):
    project = ProjectFactory(tenant=tenant, number="P9", start_date=MON, end_date=MON + dt.timedelta(days=1))
    ProjectMemberFactory(tenant=tenant, project=project, membership=membership_of(tenant, employee))
    actor = _actor(tenant, employee)
    _work(actor, kit, MON, project=project)
    _work(actor, kit, MON + dt.timedelta(days=1), project=project)
    # moving an entry out of the project's dates is refused too
    entry = TimeEntry.objects.get(date=MON)
    with pytest.raises(DomainError) as exc:
        services.time_entry_update(actor=actor, entry=entry, date=MON - dt.timedelta(days=1))
    assert exc.value.code == "outside_project_dates"


# --- the approver queue and reminders -------------------------------------------------------------


def test_queue_counts_missing_days_by_the_schedule_over_new_year(scope, tenant, owner, attestant, employee):
    # given periods from the 16th to the 15th, and an employee who goes from full time to a
    # Friday-off schedule on Monday 4 January 2027, in the middle of the period 16 Dec – 15 Jan
    TimeSettingsFactory(tenant=tenant, period_start_day=16)
    member = membership_of(tenant, employee)
    _schedule(tenant, owner, member, (480, 480, 480, 480, 480, 0, 0), 100)
    _schedule(tenant, owner, member, FOUR_DAYS, 80, valid_from=dt.date(2027, 1, 4))
    period = period_by_key("2027-01", 16)
    assert (period.start, period.end) == (dt.date(2026, 12, 16), dt.date(2027, 1, 15))
    with _at(dt.date(2027, 1, 16)):
        rows = attest_selectors.attestation_queue(actor=_actor(tenant, owner), period=period)
    row = next(r for r in rows if r.member_id == member.pk)
    # Full time 16–31 Dec: 16,17,18 (a Friday),21,22,23,28,29,30 (julafton, juldagen, annandagen and
    # nyårsafton are röda dagar) = 9 days; 1–15 Jan: nyårsdagen (Fri) and trettondedag jul (Wed 6 Jan)
    # are röda dagar, from 4 Jan Fridays are off: 4,5,7,11,12,13,14 = 7.
    assert row.days_missing == 16
    assert row.scheduled_minutes == 16 * 480


def test_queue_counts_short_days_and_confirmed_ones_as_reported(scope, tenant, owner, attestant, employee):
    member = membership_of(tenant, employee)
    _schedule(tenant, owner, member, PART, 75)
    kit = codes(tenant)
    report(member, [MON], kit=kit, minutes=360)
    report(member, [MON + dt.timedelta(days=1)], kit=kit, minutes=240)  # short
    absence(member, MON + dt.timedelta(days=2), kit["sick"], minutes=360)
    report(member, [MON + dt.timedelta(days=3)], kit=kit, minutes=120)
    DayLock.objects.create(
        tenant=tenant, membership=member, date=MON + dt.timedelta(days=3), confirmed_short=True
    )
    with _at(dt.date(2026, 11, 20)):
        rows = attest_selectors.attestation_queue(
            actor=_actor(tenant, owner), period=period_by_key("2026-11", 1)
        )
    row = next(r for r in rows if r.member_id == member.pk)
    assert (row.days_short, row.days_missing) == (1, 10)  # Tuesday short; 2–13 Nov never reported
    assert row.scheduled_minutes == 21 * 360


def test_dst_weekends_are_never_missing(scope, tenant, owner, employee):
    member = membership_of(tenant, employee)
    _schedule(tenant, owner, member, FOUR_DAYS, 80)
    with _at(dt.date(2026, 11, 2)):
        rows = attest_selectors.attestation_queue(
            actor=_actor(tenant, owner), period=period_by_key("2026-10", 1)
        )
    row = next(r for r in rows if r.member_id == member.pk)
    # October 2026: 22 weekdays, 5 of them Fridays; the DST Sunday 25 Oct is a Sunday like any other
    assert row.days_missing == 22 - 5


def test_employees_who_share_a_schedule_are_still_counted_by_their_own_dates(scope, tenant, owner):
    # given five employees on full time: two since before November, one who started on Wednesday
    # 11 November, and two who go to Fridays off, from Monday 9 and from Monday 16 November (the
    # queue works out each distinct schedule of the period once: the shared ones must not mix up)
    full = (480, 480, 480, 480, 480, 0, 0)
    people = {name: MembershipFactory(tenant=tenant, licence=Licence.LIGHT) for name in "ABCDE"}
    _schedule(tenant, owner, people["A"], full, 100, valid_from=dt.date(2026, 1, 1))
    _schedule(tenant, owner, people["B"], full, 100, valid_from=dt.date(2026, 6, 1))
    _schedule(tenant, owner, people["C"], full, 100, valid_from=dt.date(2026, 11, 11))
    for name, change in (("D", dt.date(2026, 11, 9)), ("E", dt.date(2026, 11, 16))):
        _schedule(tenant, owner, people[name], full, 100, valid_from=dt.date(2026, 1, 1))
        _schedule(tenant, owner, people[name], FOUR_DAYS, 80, valid_from=change)
    # when the approver opens November on Friday 20 November (due: the weekdays up to the 19th)
    with _at(dt.date(2026, 11, 20)):
        rows = attest_selectors.attestation_queue(
            actor=_actor(tenant, owner), period=period_by_key("2026-11", 1)
        )
    by_id = {r.member_id: r for r in rows}
    got = {
        name: (by_id[m.pk].days_missing, by_id[m.pk].scheduled_minutes, by_id[m.pk].scheduled_due_minutes)
        for name, m in people.items()
    }
    # then November's 21 weekdays (no röd dag) are each one's own: C is due from the 11th only, D
    # has Fridays off from the 9th (6 Nov is due, 13 Nov is not), E from the 16th (13 Nov is due)
    assert got == {
        "A": (14, 21 * 480, 14 * 480),
        "B": (14, 21 * 480, 14 * 480),
        "C": (7, 21 * 480, 7 * 480),
        "D": (13, 18 * 480, 13 * 480),
        "E": (14, 19 * 480, 14 * 480),
    }


def test_queue_query_count_is_constant_with_schedules(tenant, owner, attestant):
    def build(n):
        with tenant_scope(tenant.pk):
            for _ in range(n):
                m = MembershipFactory(tenant=tenant, licence=Licence.LIGHT)
                _schedule(tenant, owner, m, PART, 75)
                _schedule(tenant, owner, m, FOUR_DAYS, 80, valid_from=dt.date(2026, 11, 9))
                TimeEntryFactory(membership=m, date=MON, minutes=60)

    def queue():
        with tenant_scope(tenant.pk), _at(dt.date(2026, 11, 20)):
            return attest_selectors.attestation_queue(
                actor=_actor(tenant, owner), period=period_by_key("2026-11", 1)
            )

    build(2)
    small, rows = count_queries(queue)
    build(28)
    large, more = count_queries(queue)
    assert len(more) == len(rows) + 28
    assert small == large


def test_reminders_follow_the_schedule(tenant, owner, employee):
    # given reminders from 3 days before the period ends, an employee free on Fridays with every
    # other day of November locked, and nothing on the Fridays
    with tenant_scope(tenant.pk):
        member = membership_of(tenant, employee)
        _schedule(tenant, owner, member, FOUR_DAYS, 80)
        TimeSettingsFactory(tenant=tenant, reminder_days_before=3)
        history_days = [dt.date(2026, 11, d) for d in range(1, 28) if dt.date(2026, 11, d).weekday() < 4]
        report(member, history_days, status="locked")
        report(membership_of(tenant, owner), [dt.date(2026, 11, d) for d in range(1, 28)], status="attested")
    when = dt.datetime(2026, 11, 27, 7, 30, tzinfo=STOCKHOLM)
    with time_machine.travel(when, tick=False), TestCase.captureOnCommitCallbacks(execute=True):
        send_time_reminders.call(tenant_id=tenant.pk)
    # then the employee is not reminded of their Fridays off
    assert employee.email not in [m.to[0] for m in mail.outbox]
    # and they are reminded when a scheduled day is open
    with tenant_scope(tenant.pk):
        DayLock.objects.filter(membership=member, date=dt.date(2026, 11, 26)).delete()
        ReminderLog.objects.all().delete()
    with time_machine.travel(when, tick=False), TestCase.captureOnCommitCallbacks(execute=True):
        send_time_reminders.call(tenant_id=tenant.pk)
    assert employee.email in [m.to[0] for m in mail.outbox]
