"""Rules of the employee's own time: entries, locking, copying a week (issue 3 items 3, 4, 6)."""

import datetime as dt
import uuid

import pytest

from verksam.audit.models import AuditEvent
from verksam.core.errors import Conflict, DomainError, Forbidden
from verksam.tenancy.models import Licence
from verksam.tenancy.tests.factories import MembershipFactory, make_personnummer
from verksam.timereporting import services
from verksam.timereporting.models import DayLock, DayRejection, DayStatus, EntryKind, TimeEntry
from verksam.timereporting.tests.factories import DayLockFactory, TimeEntryFactory, attest

from .conftest import MONDAY, actor_for, membership_of

T = dt.time


def _create(actor, codes, projects, **kwargs):
    data = {
        "actor": actor,
        "date": MONDAY,
        "kind": EntryKind.WORK,
        "project": projects.site,
        "time_code": codes.normal,
    }
    data.update(kwargs)
    return services.time_entry_create(**data)


def _assert_refused(code, func, **kwargs):
    entries_before = list(TimeEntry.objects.order_by("pk").values())
    audit_before = AuditEvent.objects.count()
    with pytest.raises(DomainError) as exc:
        func(**kwargs)
    assert exc.value.code == code, exc.value.message
    assert list(TimeEntry.objects.order_by("pk").values()) == entries_before
    assert AuditEvent.objects.count() == audit_before
    return exc.value


# --- creating ------------------------------------------------------------------------------------


def test_start_end_and_break_give_the_minutes(scope, emp_actor, codes, projects):
    # given a LIGHT employee assigned to the project
    # when they report 07:00–16:00 with a 60-minute break
    entry = _create(emp_actor, codes, projects, start_time=T(7), end_time=T(16), break_minutes=60)
    # then 8 hours are stored, all invoiceable, and the write is audited
    assert entry.minutes == 480
    assert entry.invoiceable_minutes == 480
    assert entry.membership_id == emp_actor.membership.pk
    assert AuditEvent.objects.filter(action="time.entry_create", target_id=str(entry.pk)).exists()


def test_minutes_alone(scope, emp_actor, codes, projects):
    entry = _create(emp_actor, codes, projects, minutes=90, comment=" Montering ", internal_comment="ok")
    assert (entry.minutes, entry.start_time, entry.comment, entry.internal_comment) == (
        90,
        None,
        "Montering",
        "ok",
    )


def test_default_time_code_is_used(scope, emp_actor, codes, projects):
    entry = _create(emp_actor, codes, projects, time_code=None, minutes=60)
    assert entry.time_code == codes.normal


def test_internal_project_and_non_invoiceable_activity_default_to_zero_invoiceable(
    scope, emp_actor, codes, projects
):
    internal = _create(emp_actor, codes, projects, project=projects.internal, minutes=60)
    admin = _create(emp_actor, codes, projects, activity=codes.admin, minutes=60)
    partly = _create(emp_actor, codes, projects, activity=codes.carpentry, minutes=60, invoiceable_minutes=30)
    assert (internal.invoiceable_minutes, admin.invoiceable_minutes, partly.invoiceable_minutes) == (0, 0, 30)


@pytest.mark.parametrize(
    ("kwargs", "code"),
    [
        ({"minutes": 0}, "zero_time"),
        ({"minutes": -30}, "zero_time"),
        ({"minutes": None}, "minutes_required"),
        ({"minutes": 24 * 60 + 1}, "day_over_24h"),
        ({"start_time": T(10), "end_time": T(9)}, "end_before_start"),
        ({"start_time": T(10), "end_time": T(10)}, "end_before_start"),
        ({"start_time": T(10), "end_time": T(11), "break_minutes": 61}, "break_too_long"),
        ({"start_time": T(10), "end_time": T(11), "break_minutes": 60}, "zero_time"),
        ({"start_time": T(10)}, "times_incomplete"),
        ({"minutes": 60, "invoiceable_minutes": 61}, "invoiceable_too_high"),
        ({"minutes": 60, "invoiceable_minutes": 30, "project": "internal"}, "invoiceable_internal"),
        ({"minutes": 60, "project": "completed"}, "project_completed"),
        ({"minutes": 60, "project": "unassigned"}, "not_assigned"),
        ({"minutes": 60, "project": None}, "project_required"),
        ({"minutes": 60, "time_code": "old"}, "time_code_inactive"),
        ({"minutes": 60, "activity": "old_activity"}, "activity_inactive"),
        ({"minutes": 60, "kind": "holiday"}, "invalid_kind"),
    ],
)
def test_bad_input_is_refused_and_nothing_written(scope, emp_actor, codes, projects, kwargs, code):
    # given a day with one entry already
    _create(emp_actor, codes, projects, minutes=60)
    data = dict(kwargs)
    if isinstance(data.get("project"), str):
        data["project"] = getattr(projects, data["project"])
    for key in ("time_code", "activity"):
        if isinstance(data.get(key), str):
            data[key] = getattr(codes, data[key])
    # when / then the bad entry is refused with a Swedish message and nothing is written
    error = _assert_refused(code, _create, actor=emp_actor, codes=codes, projects=projects, **data)
    assert error.message


def test_no_time_code_at_all_is_refused(scope, emp_actor, projects):
    with pytest.raises(DomainError) as exc:
        services.time_entry_create(
            actor=emp_actor, date=MONDAY, kind=EntryKind.WORK, project=projects.site, minutes=60
        )
    assert exc.value.code == "time_code_required"


def test_overlap_with_another_entry_is_refused_but_adjacent_is_fine(scope, emp_actor, codes, projects):
    _create(emp_actor, codes, projects, start_time=T(8), end_time=T(12))
    err = _assert_refused(
        "overlap",
        _create,
        actor=emp_actor,
        codes=codes,
        projects=projects,
        start_time=T(11, 30),
        end_time=T(13),
    )
    assert "08:00–12:00" in err.message
    adjacent = _create(emp_actor, codes, projects, start_time=T(12), end_time=T(13))
    assert adjacent.minutes == 60


def test_more_than_24_hours_in_a_day_is_refused(scope, emp_actor, codes, projects):
    _create(emp_actor, codes, projects, minutes=20 * 60)
    _assert_refused(
        "day_over_24h", _create, actor=emp_actor, codes=codes, projects=projects, minutes=4 * 60 + 1
    )
    assert _create(emp_actor, codes, projects, minutes=4 * 60).minutes == 240


def test_other_days_and_other_users_do_not_count(scope, tenant, emp_actor, attestant, codes, projects):
    _create(emp_actor, codes, projects, start_time=T(8), end_time=T(16))
    _create(emp_actor, codes, projects, date=MONDAY + dt.timedelta(days=1), start_time=T(8), end_time=T(16))
    other = _create(actor_for(tenant, attestant), codes, projects, start_time=T(8), end_time=T(16))
    assert other.minutes == 480


def test_standard_user_reports_on_any_active_project(scope, tenant, attestant, codes, projects):
    entry = _create(actor_for(tenant, attestant), codes, projects, project=projects.unassigned, minutes=60)
    assert entry.project == projects.unassigned


@pytest.mark.parametrize(
    ("status", "code"), [(DayStatus.LOCKED, "day_locked"), (DayStatus.ATTESTED, "day_attested")]
)
def test_closed_day_refuses_new_entries(scope, employee, emp_actor, codes, projects, status, code):
    DayLockFactory(
        membership=emp_actor.membership, date=MONDAY, status=status, attested_at=dt.datetime.now(dt.UTC)
    )
    err = _assert_refused(code, _create, actor=emp_actor, codes=codes, projects=projects, minutes=60)
    assert err.extra["dates"] == [MONDAY.isoformat()]


def test_partner_has_no_own_time(scope, tenant, partner_full, codes, projects):
    with pytest.raises(Forbidden):
        _create(actor_for(tenant, partner_full), codes, projects, minutes=60)
    assert TimeEntry.objects.count() == 0


# --- absence -------------------------------------------------------------------------------------


def test_whole_day_absence_is_a_normal_day_unless_minutes_given(scope, emp_actor, codes, projects):
    whole = services.time_entry_create(
        actor=emp_actor, date=MONDAY, kind=EntryKind.ABSENCE, absence_type=codes.sick, whole_day=True
    )
    part = services.time_entry_create(
        actor=emp_actor, date=MONDAY + dt.timedelta(days=1), kind=EntryKind.ABSENCE,
        absence_type=codes.sick, whole_day=True, minutes=240,
    )  # fmt: skip
    assert (whole.minutes, whole.invoiceable_minutes, whole.project_id) == (480, 0, None)
    assert part.minutes == 240


@pytest.mark.parametrize("absence", ["sick", "vab"])
def test_whole_day_absence_of_a_part_timer_is_their_working_day(
    scope, tenant, owner, employee, emp_actor, codes, absence
):
    # given an employee working 6 hours a day (75 %)
    from verksam.schedules.services import work_schedule_set

    work_schedule_set(
        actor=actor_for(tenant, owner), membership=emp_actor.membership, valid_from=dt.date(2026, 1, 1),
        weekday_minutes=(360, 360, 360, 360, 360, 0, 0), percent=75,
    )  # fmt: skip
    actor = actor_for(tenant, employee)
    # when they report a whole day of sickness or VAB without a time
    entry = services.time_entry_create(
        actor=actor, date=MONDAY, kind=EntryKind.ABSENCE, absence_type=getattr(codes, absence),
        whole_day=True, child_personnummer=make_personnummer(5, year=2018) if absence == "vab" else "",
    )  # fmt: skip
    # then the day counts as their 6 hours, not 8
    assert (entry.minutes, entry.whole_day) == (360, True)


def test_whole_day_absence_falls_back_to_eight_hours():
    from verksam.timereporting.rules import NORMAL_DAY_MINUTES, normal_day_minutes

    assert NORMAL_DAY_MINUTES == normal_day_minutes(None) == 480


def test_absence_ignores_project_fields(scope, emp_actor, codes, projects):
    entry = services.time_entry_create(
        actor=emp_actor, date=MONDAY, kind=EntryKind.ABSENCE, absence_type=codes.sick,
        project=projects.site, time_code=codes.normal, minutes=60,
    )  # fmt: skip
    assert (entry.project_id, entry.time_code_id) == (None, None)


def test_vab_needs_a_valid_child_personnummer(scope, emp_actor, codes):
    absence = {
        "actor": emp_actor,
        "date": MONDAY,
        "kind": EntryKind.ABSENCE,
        "absence_type": codes.vab,
        "whole_day": True,
    }
    _assert_refused("child_required", services.time_entry_create, **absence)
    child = make_personnummer(5, year=2018)  # 12 digits, valid check digit
    wrong = child[:-1] + str((int(child[-1]) + 1) % 10)
    _assert_refused("child_invalid", services.time_entry_create, child_personnummer=wrong, **absence)
    entry = services.time_entry_create(child_personnummer=f"{child[2:8]}-{child[8:]}", **absence)
    assert entry.child_personnummer == child


@pytest.mark.parametrize(
    ("kwargs", "code"),
    [({}, "absence_type_required"), ({"absence_type": "old_absence"}, "absence_type_inactive")],
)
def test_absence_needs_an_active_type(scope, emp_actor, codes, kwargs, code):
    data = {k: getattr(codes, v) for k, v in kwargs.items()}
    _assert_refused(
        code,
        services.time_entry_create,
        actor=emp_actor,
        date=MONDAY,
        kind=EntryKind.ABSENCE,
        minutes=60,
        **data,
    )


# --- idempotent create (offline clients) -----------------------------------------------------------


def test_same_client_uuid_returns_the_same_entry(scope, emp_actor, codes, projects):
    key = uuid.uuid4()
    first, created = services.time_entry_create_or_get(
        actor=emp_actor,
        date=MONDAY,
        client_uuid=key,
        project=projects.site,
        time_code=codes.normal,
        minutes=60,
    )
    again, created_again = services.time_entry_create_or_get(
        actor=emp_actor,
        date=MONDAY,
        client_uuid=key,
        project=projects.site,
        time_code=codes.normal,
        minutes=60,
    )
    assert (created, created_again) == (True, False)
    assert again.pk == first.pk
    assert TimeEntry.objects.count() == 1
    assert AuditEvent.objects.filter(action="time.entry_create").count() == 1


def test_retry_after_the_day_was_locked_still_returns_the_entry(scope, emp_actor, codes, projects):
    key = uuid.uuid4()
    first = _create(emp_actor, codes, projects, client_uuid=key, minutes=60)
    services.day_lock(actor=emp_actor, dates=[MONDAY])
    assert _create(emp_actor, codes, projects, client_uuid=key, minutes=60).pk == first.pk


def test_concurrent_retry_that_waited_for_the_lock_returns_the_winner(scope, emp_actor, codes, projects):
    # given the first send's row, committed while the retry waited for the employee's lock (the
    # client_uuid is read after the lock: rules.CreateContext)
    key = uuid.uuid4()
    winner = TimeEntryFactory(
        membership=emp_actor.membership, client_uuid=key, project=projects.site, time_code=codes.normal
    )
    # when the retry runs
    entry, created = services.time_entry_create_or_get(
        actor=emp_actor,
        date=MONDAY + dt.timedelta(days=1),
        client_uuid=key,
        project=projects.site,
        minutes=60,
    )
    # then it answers with the winner and no duplicate exists
    assert (entry.pk, created) == (winner.pk, False)
    assert TimeEntry.objects.filter(client_uuid=key).count() == 1


def test_client_uuid_of_another_user_is_a_conflict(scope, tenant, attestant, emp_actor, codes, projects):
    key = uuid.uuid4()
    _create(actor_for(tenant, attestant), codes, projects, client_uuid=key, minutes=60)
    with pytest.raises(Conflict):
        _create(emp_actor, codes, projects, client_uuid=key, minutes=60)


# --- update and delete -----------------------------------------------------------------------------


def test_update_recomputes_minutes_and_audits_the_change(scope, emp_actor, codes, projects):
    entry = _create(emp_actor, codes, projects, start_time=T(8), end_time=T(12))
    entry = services.time_entry_update(actor=emp_actor, entry=entry, end_time=T(12, 30), break_minutes=15)
    assert (entry.minutes, entry.invoiceable_minutes) == (255, 255)
    event = AuditEvent.objects.get(action="time.entry_update")
    assert event.data["before"]["minutes"] == 240
    # hours typed alone replace the start/end stretch
    entry = services.time_entry_update(actor=emp_actor, entry=entry, minutes=120)
    assert (entry.minutes, entry.start_time, entry.break_minutes) == (120, None, 0)


def test_update_keeps_an_explicit_invoiceable_time_when_only_the_comment_changes(
    scope, emp_actor, codes, projects
):
    entry = _create(emp_actor, codes, projects, minutes=120, invoiceable_minutes=60)
    entry = services.time_entry_update(actor=emp_actor, entry=entry, comment="Ny text")
    assert entry.invoiceable_minutes == 60


def test_update_checks_every_rule(scope, emp_actor, codes, projects):
    _create(emp_actor, codes, projects, start_time=T(8), end_time=T(12))
    entry = _create(emp_actor, codes, projects, start_time=T(13), end_time=T(15))
    _assert_refused("overlap", services.time_entry_update, actor=emp_actor, entry=entry, start_time=T(11))
    _assert_refused(
        "project_completed",
        services.time_entry_update,
        actor=emp_actor,
        entry=entry,
        project=projects.completed,
    )
    # the owner, the client's id and the audit fields cannot be changed
    _assert_refused("invalid", services.time_entry_update, actor=emp_actor, entry=entry, membership=None)


def test_update_to_or_from_a_locked_day_is_refused(scope, emp_actor, codes, projects):
    entry = _create(emp_actor, codes, projects, minutes=60)
    DayLockFactory(membership=emp_actor.membership, date=MONDAY + dt.timedelta(days=1))
    _assert_refused(
        "day_locked",
        services.time_entry_update,
        actor=emp_actor,
        entry=entry,
        date=MONDAY + dt.timedelta(days=1),
    )
    services.day_lock(actor=emp_actor, dates=[MONDAY])
    _assert_refused("day_locked", services.time_entry_update, actor=emp_actor, entry=entry, minutes=30)
    _assert_refused("day_locked", services.time_entry_delete, actor=emp_actor, entry=entry)


def test_attested_entries_cannot_be_changed_or_deleted(scope, emp_actor, codes, projects):
    entry = _create(emp_actor, codes, projects, minutes=60)
    DayLockFactory(
        membership=emp_actor.membership,
        date=MONDAY,
        status=DayStatus.ATTESTED,
        attested_at=dt.datetime.now(dt.UTC),
    )
    _assert_refused("day_attested", services.time_entry_update, actor=emp_actor, entry=entry, minutes=30)
    _assert_refused("day_attested", services.time_entry_delete, actor=emp_actor, entry=entry)


def test_nobody_changes_another_users_entry(scope, tenant, owner, emp_actor, codes, projects):
    entry = _create(emp_actor, codes, projects, minutes=60)
    boss = actor_for(tenant, owner)
    _assert_refused("not_found", services.time_entry_update, actor=boss, entry=entry, minutes=30)
    _assert_refused("not_found", services.time_entry_delete, actor=boss, entry=entry)


def test_delete_is_audited(scope, emp_actor, codes, projects):
    entry = _create(emp_actor, codes, projects, minutes=60)
    services.time_entry_delete(actor=emp_actor, entry=entry)
    assert TimeEntry.objects.count() == 0
    assert AuditEvent.objects.filter(action="time.entry_delete", data__minutes=60).exists()


# --- DST and month ends ---------------------------------------------------------------------------


@pytest.mark.parametrize("day", [dt.date(2026, 3, 29), dt.date(2026, 10, 25)])
def test_dst_sundays_are_normal_dates_with_wall_clock_minutes(scope, emp_actor, codes, projects, day):
    # given the Sunday the clocks change (23 h or 25 h calendar day)
    # when the employee reports 01:00–04:00 wall-clock time and a whole day in the rest of it
    night = _create(emp_actor, codes, projects, date=day, start_time=T(1), end_time=T(4))
    rest = _create(emp_actor, codes, projects, date=day, start_time=T(4), end_time=T(23, 59))
    # then minutes follow the clock on the wall, and the date is the stored date
    assert night.minutes == 180
    assert rest.minutes == 19 * 60 + 59
    assert TimeEntry.objects.filter(date=day).count() == 2
    # and the week containing the Sunday can be locked as usual
    year, week, _ = day.isocalendar()
    assert services.week_lock(actor=emp_actor, year=year, week=week, nothing_to_report=True) == 7
    assert DayLock.objects.filter(date=day).exists()


def test_month_end_days(scope, emp_actor, codes, projects):
    from verksam.timereporting.selectors import day_summaries

    for day in (dt.date(2026, 1, 31), dt.date(2026, 2, 28), dt.date(2026, 3, 1)):
        _create(emp_actor, codes, projects, date=day, minutes=60)
    february = day_summaries(
        membership_id=emp_actor.membership.pk, start=dt.date(2026, 2, 1), end=dt.date(2026, 2, 28)
    )
    assert len(february) == 28
    assert [d.minutes for d in february if d.minutes] == [60]
    assert february[-1].date == dt.date(2026, 2, 28)


# --- copy last week -------------------------------------------------------------------------------


def test_copy_week_copies_work_and_skips_absence_closed_days_and_refused_entries(
    scope, emp_actor, codes, projects
):
    last = MONDAY - dt.timedelta(days=7)
    _create(
        emp_actor, codes, projects, date=last, start_time=T(7), end_time=T(16), break_minutes=60, comment="A"
    )
    _create(emp_actor, codes, projects, date=last + dt.timedelta(days=1), minutes=300)
    _create(emp_actor, codes, projects, date=last + dt.timedelta(days=2), minutes=300)
    services.time_entry_create(
        actor=emp_actor,
        date=last + dt.timedelta(days=3),
        kind=EntryKind.ABSENCE,
        absence_type=codes.sick,
        whole_day=True,
    )
    # the project of Wednesday's entry was completed since
    wednesday = TimeEntryFactory(
        membership=emp_actor.membership,
        date=last + dt.timedelta(days=4),
        project=projects.completed,
        time_code=codes.normal,
        minutes=60,
    )
    DayLockFactory(membership=emp_actor.membership, date=MONDAY + dt.timedelta(days=1))
    created = services.time_entry_copy_week(actor=emp_actor, from_monday=last, to_monday=MONDAY)
    # Monday copied with times and comment; Tuesday locked; Wednesday copied; absence, completed skipped
    assert sorted(e.date for e in created) == [MONDAY, MONDAY + dt.timedelta(days=2)]
    monday = next(e for e in created if e.date == MONDAY)
    assert (monday.start_time, monday.minutes, monday.comment) == (T(7), 480, "A")
    assert wednesday.pk not in [e.pk for e in created]
    assert AuditEvent.objects.get(action="time.copy_week").data["skipped"] == 2


def test_copy_week_needs_mondays(scope, emp_actor):
    with pytest.raises(DomainError):
        services.time_entry_copy_week(
            actor=emp_actor, from_monday=MONDAY + dt.timedelta(days=1), to_monday=MONDAY
        )
    with pytest.raises(DomainError):
        services.time_entry_copy_week(actor=emp_actor, from_monday=MONDAY, to_monday=MONDAY)


# --- lock and unlock --------------------------------------------------------------------------------


def test_lock_and_unlock_days(scope, emp_actor):
    assert services.day_lock(actor=emp_actor, dates=[MONDAY, MONDAY], nothing_to_report=True) == 1
    assert (
        services.day_lock(actor=emp_actor, dates=[MONDAY], nothing_to_report=True) == 0
    )  # already locked: nothing new
    lock = DayLock.objects.get()
    assert (lock.status, lock.locked_by_id) == (DayStatus.LOCKED, emp_actor.user.pk)
    assert services.day_unlock(actor=emp_actor, dates=[MONDAY]) == 1
    assert not DayLock.objects.exists()
    assert list(
        AuditEvent.objects.filter(action__startswith="time.").values_list("action", flat=True).order_by("pk")
    ) == ["time.lock", "time.unlock"]


def test_locking_again_answers_a_rejection(scope, tenant, emp_actor):
    DayRejection.objects.create(
        tenant=tenant, membership=emp_actor.membership, date=MONDAY, comment="Fel projekt"
    )
    services.day_lock(actor=emp_actor, dates=[MONDAY], nothing_to_report=True)
    assert DayRejection.objects.get().resolved_at is not None


def test_attested_day_cannot_be_unlocked(scope, emp_actor):
    services.day_lock(actor=emp_actor, dates=[MONDAY + dt.timedelta(days=1)], nothing_to_report=True)
    DayLockFactory(
        membership=emp_actor.membership,
        date=MONDAY,
        status=DayStatus.ATTESTED,
        attested_at=dt.datetime.now(dt.UTC),
    )
    with pytest.raises(DomainError) as exc:
        services.day_unlock(actor=emp_actor, dates=[MONDAY, MONDAY + dt.timedelta(days=1)])
    assert exc.value.code == "day_attested"
    assert DayLock.objects.count() == 2  # nothing unlocked, not even the locked Tuesday


def test_week_lock(scope, emp_actor):
    assert services.week_lock(actor=emp_actor, year=2026, week=45, nothing_to_report=True) == 7
    assert sorted(DayLock.objects.values_list("date", flat=True))[0] == MONDAY
    with pytest.raises(DomainError):
        services.week_lock(actor=emp_actor, year=2026, week=54)
    with pytest.raises(DomainError):
        services.day_lock(actor=emp_actor, dates=[])


def test_partner_cannot_lock(scope, tenant, partner_full, partner_limited):
    for user in (partner_full, partner_limited):
        with pytest.raises(Forbidden):
            services.day_lock(actor=actor_for(tenant, user), dates=[MONDAY])
    assert not DayLock.objects.exists()


# --- time bank --------------------------------------------------------------------------------------


def test_time_bank_balance(scope, tenant, owner, emp_actor, attestant, codes, projects):
    from verksam.tenancy.tests.helpers import count_queries
    from verksam.timereporting.selectors import time_bank_balance

    emp = emp_actor.membership
    TimeEntryFactory(
        membership=emp, date=MONDAY, project=projects.site, time_code=codes.overtime, minutes=120
    )
    TimeEntryFactory(membership=emp, date=MONDAY, project=projects.site, time_code=codes.normal, minutes=480)
    TimeEntryFactory(
        membership=emp,
        date=MONDAY + dt.timedelta(days=1),
        project=projects.site,
        time_code=codes.flex_out,
        minutes=30,
    )
    services.time_entry_create(
        actor=emp_actor,
        date=MONDAY + dt.timedelta(days=2),
        kind=EntryKind.ABSENCE,
        absence_type=codes.komp,
        minutes=60,
    )
    TimeEntryFactory(
        membership=emp,
        date=MONDAY + dt.timedelta(days=10),
        project=projects.site,
        time_code=codes.overtime,
        minutes=600,
    )
    services.time_bank_adjust(
        actor=actor_for(tenant, owner),
        membership=emp,
        date=dt.date(2026, 1, 1),
        minutes=300,
        reason="Ingående saldo",
    )
    # the bank counts attested days (their contributions stored at attestation) and adjustments
    attest(emp, [MONDAY + dt.timedelta(days=i) for i in (0, 1, 2, 10)])
    other = membership_of(tenant, attestant)
    queries, balances = count_queries(
        lambda: time_bank_balance(membership_ids=[emp.pk, other.pk], until=MONDAY + dt.timedelta(days=6))
    )
    assert balances == {emp.pk: 300 + 120 - 30 - 60, other.pk: 0}
    assert queries == 2


def test_time_bank_adjust_rules(scope, tenant, owner, emp_actor):
    emp = emp_actor.membership
    with pytest.raises(Forbidden):
        services.time_bank_adjust(actor=emp_actor, membership=emp, date=MONDAY, minutes=60, reason="x")
    boss = actor_for(tenant, owner)
    with pytest.raises(DomainError) as exc:
        services.time_bank_adjust(actor=boss, membership=emp, date=MONDAY, minutes=60, reason=" ")
    assert exc.value.code == "reason_required"
    with pytest.raises(DomainError) as exc:
        services.time_bank_adjust(actor=boss, membership=emp, date=MONDAY, minutes=0, reason="x")
    assert exc.value.code == "zero_adjustment"
    adjustment = services.time_bank_adjust(
        actor=boss, membership=emp, date=MONDAY, minutes=-90, reason="Utbetalning"
    )
    assert adjustment.minutes == -90
    assert AuditEvent.objects.filter(action="time.bank_adjust").count() == 1


def test_basic_user_reports_on_unassigned_project(scope, tenant, codes, projects):
    user = MembershipFactory(tenant=tenant, licence=Licence.BASIC).user
    assert (
        _create(actor_for(tenant, user), codes, projects, project=projects.unassigned, minutes=60).minutes
        == 60
    )
