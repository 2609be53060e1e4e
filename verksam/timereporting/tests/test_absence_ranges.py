"""Absence over a date range (issue 8 item 4): expansion over the schedule's working days (röda
dagar, weekends, a schedule change inside the range, DST weekends, across New Year with a 16th–15th
period), part-time extent, one registration changed and deleted as one, the lock rules, the VAB
child, work on a day of absence, every refusal writing nothing, and the constant query count."""

import datetime as dt
import math

import pytest
from django.db import connection
from hypothesis import given
from hypothesis import strategies as st

from verksam.audit.models import AuditEvent
from verksam.core import timeutil
from verksam.core.errors import DomainError
from verksam.schedules import services as schedule_services
from verksam.schedules.dto import Schedule, ScheduleHistory
from verksam.tenancy.scope import tenant_scope
from verksam.tenancy.tests.helpers import count_queries
from verksam.timereporting import absence, services
from verksam.timereporting.models import AbsenceRange, DayLock, DayStatus, EntryKind, TimeEntry
from verksam.timereporting.tests.factories import DayLockFactory, TimeEntryFactory

from .conftest import actor_for, membership_of

D = dt.date


def _state(tenant):
    with tenant_scope(tenant.pk):
        return {
            "ranges": list(AbsenceRange.objects.order_by("pk").values()),
            "entries": list(TimeEntry.objects.order_by("pk").values()),
            "audit": AuditEvent.objects.count(),
        }


def _days(tenant, absence_range):
    with tenant_scope(tenant.pk):
        return dict(
            TimeEntry.objects.filter(absence_range=absence_range)
            .order_by("date")
            .values_list("date", "minutes")
        )


def _create(tenant, user, absence_type, start, end, **kwargs):
    with tenant_scope(tenant.pk):
        return services.absence_range_create(
            actor=actor_for(tenant, user), absence_type=absence_type, start_date=start, end_date=end, **kwargs
        )


def _update(tenant, user, absence_range, **changes):
    with tenant_scope(tenant.pk):
        return services.absence_range_update(
            actor=actor_for(tenant, user), absence_range=absence_range, **changes
        )


def _refused(tenant, code, func, *args, **kwargs):
    before = _state(tenant)
    with pytest.raises(DomainError) as exc:
        func(*args, **kwargs)
    assert exc.value.code == code, exc.value.message
    assert _state(tenant) == before
    return exc.value


def _schedule(tenant, owner, member, valid_from, week, percent=100):
    with tenant_scope(tenant.pk):
        schedule_services.work_schedule_set(
            actor=actor_for(tenant, owner),
            membership=member,
            valid_from=valid_from,
            weekday_minutes=week,
            percent=percent,
        )


@pytest.fixture
def semester(tenant):
    from verksam.timecodes.tests.factories import AbsenceTypeFactory

    return AbsenceTypeFactory(tenant=tenant, code="SEM", name="Semester", paxml_code="SEM")


# --- expansion --------------------------------------------------------------------------------------


def test_semester_6_to_17_july_is_one_registration_of_ten_working_days(tenant, employee, semester):
    absence_range = _create(tenant, employee, semester, D(2026, 7, 6), D(2026, 7, 17))
    days = _days(tenant, absence_range)
    assert list(days) == [D(2026, 7, d) for d in (6, 7, 8, 9, 10, 13, 14, 15, 16, 17)]
    assert set(days.values()) == {480}
    with tenant_scope(tenant.pk):
        entries = list(TimeEntry.objects.filter(absence_range=absence_range))
        assert all(
            e.kind == EntryKind.ABSENCE and e.whole_day and e.absence_type == semester for e in entries
        )
        event = AuditEvent.objects.get(action="time.absence_range_create")
    assert (event.data["days"], event.data["minutes"], event.data["absence_type"]) == (10, 4800, "Semester")


def test_part_time_extent_takes_the_share_of_each_days_schedule(tenant, owner, employee, codes):
    member = membership_of(tenant, employee)
    _schedule(tenant, owner, member, D(2026, 1, 1), (360, 360, 360, 360, 360, 0, 0), 75)
    parental = codes.sick  # any absence type; the extent is what matters
    absence_range = _create(tenant, employee, parental, D(2026, 9, 1), D(2026, 11, 30), percent=50)
    days = _days(tenant, absence_range)
    assert set(days.values()) == {180}
    assert len(days) == len([d for d in _calendar(D(2026, 9, 1), D(2026, 11, 30)) if d.weekday() < 5])
    with tenant_scope(tenant.pk):
        assert not TimeEntry.objects.filter(absence_range=absence_range, whole_day=True).exists()


def test_the_share_is_rounded_half_up_to_whole_minutes():
    assert absence.share_of(465, 50) == 233  # 3:52,5 → 3:53
    assert absence.share_of(480, 33) == 158  # 158,4
    assert absence.share_of(1, 1) == 0


def _calendar(start, end):
    return [start + dt.timedelta(days=i) for i in range((end - start).days + 1)]


def test_roda_dagar_and_weekends_inside_the_range_get_no_entry(tenant, employee, semester):
    # julafton, juldagen, annandag jul, nyårsafton, nyårsdagen, trettondedag jul
    absence_range = _create(tenant, employee, semester, D(2026, 12, 21), D(2027, 1, 8))
    assert list(_days(tenant, absence_range)) == [
        D(2026, 12, 21), D(2026, 12, 22), D(2026, 12, 23), D(2026, 12, 28), D(2026, 12, 29),
        D(2026, 12, 30), D(2027, 1, 4), D(2027, 1, 5), D(2027, 1, 7), D(2027, 1, 8),
    ]  # fmt: skip


def test_a_schedule_change_inside_the_range_is_followed_day_by_day(tenant, owner, employee, semester):
    member = membership_of(tenant, employee)
    _schedule(tenant, owner, member, D(2026, 1, 1), (480, 480, 480, 480, 480, 0, 0))
    _schedule(tenant, owner, member, D(2026, 9, 9), (480, 480, 0, 480, 480, 0, 0), 80)  # Wednesdays off
    absence_range = _create(tenant, employee, semester, D(2026, 9, 7), D(2026, 9, 18))
    assert _days(tenant, absence_range) == {
        D(2026, 9, 7): 480, D(2026, 9, 8): 480,  # old schedule
        D(2026, 9, 10): 480, D(2026, 9, 11): 480, D(2026, 9, 14): 480, D(2026, 9, 15): 480,
        D(2026, 9, 17): 480, D(2026, 9, 18): 480,  # new: no Wednesdays
    }  # fmt: skip


@pytest.mark.parametrize(
    ("start", "end"), [(D(2026, 3, 23), D(2026, 4, 3)), (D(2026, 10, 19), D(2026, 10, 30))]
)
def test_dst_weekends_inside_the_range_change_nothing(tenant, employee, semester, start, end):
    absence_range = _create(tenant, employee, semester, start, end)
    days = _days(tenant, absence_range)
    # långfredagen 3 April 2026 is a röd dag; the DST Sundays (29 March, 25 October) are weekend days
    expected = [d for d in _calendar(start, end) if d.weekday() < 5 and d != D(2026, 4, 3)]
    assert list(days) == expected and set(days.values()) == {480}


def test_across_new_year_with_a_16th_to_15th_period(tenant, employee, semester):
    # one whole deviation period 16 December – 15 January in one registration
    absence_range = _create(tenant, employee, semester, D(2026, 12, 16), D(2027, 1, 15))
    days = _days(tenant, absence_range)
    assert min(days) == D(2026, 12, 16) and max(days) == D(2027, 1, 15)
    # December: 16–18, 21–23, 28–30 (julafton and nyårsafton are days off); January: 4–5, 7–8, 11–15
    assert (sum(1 for d in days if d.year == 2026), sum(1 for d in days if d.year == 2027)) == (9, 9)
    assert D(2026, 12, 31) not in days and D(2027, 1, 1) not in days and D(2027, 1, 6) not in days


def test_a_range_without_working_days_is_refused(tenant, employee, semester):
    _refused(tenant, "no_working_days", _create, tenant, employee, semester, D(2026, 12, 24), D(2026, 12, 27))


# --- bad input: nothing half-written ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "end", "kwargs", "code"),
    [
        (D(2026, 7, 17), D(2026, 7, 6), {}, "invalid_range"),
        (D(2026, 1, 1), D(2027, 1, 5), {}, "range_too_long"),
        (D(2026, 7, 6), D(2026, 7, 10), {"percent": 0}, "invalid_percent"),
        (D(2026, 7, 6), D(2026, 7, 10), {"percent": 101}, "invalid_percent"),
        (D(1999, 7, 6), D(1999, 7, 10), {}, "date_out_of_range"),
    ],
)
def test_bad_ranges_are_refused(tenant, employee, semester, start, end, kwargs, code):
    _refused(tenant, code, _create, tenant, employee, semester, start, end, **kwargs)


def test_an_inactive_absence_type_is_refused(tenant, employee, codes):
    _refused(
        tenant,
        "absence_type_inactive",
        _create,
        tenant,
        employee,
        codes.old_absence,
        D(2026, 7, 6),
        D(2026, 7, 7),
    )


def test_overlapping_ranges_are_refused(tenant, employee, semester, codes):
    _create(tenant, employee, semester, D(2026, 7, 6), D(2026, 7, 17))
    error = _refused(
        tenant, "absence_overlap", _create, tenant, employee, codes.sick, D(2026, 7, 17), D(2026, 7, 20)
    )
    assert "2026-07-06" in error.message
    # a range that starts after the other ends is fine
    assert D(2026, 7, 6) not in _days(
        tenant, _create(tenant, employee, semester, D(2026, 7, 20), D(2026, 7, 24))
    )


def test_absence_beyond_the_schedule_on_a_day_is_refused(tenant, employee, semester, codes):
    member = membership_of(tenant, employee)
    TimeEntryFactory(
        membership=member, date=D(2026, 7, 8), kind=EntryKind.ABSENCE, project=None, time_code=None,
        absence_type=codes.sick, minutes=480, invoiceable_minutes=0, whole_day=True,
    )  # fmt: skip
    _refused(tenant, "absence_overlap", _create, tenant, employee, semester, D(2026, 7, 6), D(2026, 7, 10))
    # half a day of other absence leaves room for a 50 % range
    with tenant_scope(tenant.pk):
        TimeEntry.objects.filter(date=D(2026, 7, 8)).update(minutes=240, whole_day=False)
    assert _days(tenant, _create(tenant, employee, semester, D(2026, 7, 6), D(2026, 7, 10), percent=50))


def test_work_beyond_the_schedule_on_a_day_of_absence_needs_confirmation(
    tenant, employee, semester, projects, codes
):
    member = membership_of(tenant, employee)
    TimeEntryFactory(
        membership=member, date=D(2026, 7, 7), project=projects.site, time_code=codes.normal, minutes=120
    )
    error = _refused(
        tenant, "work_on_absence_day", _create, tenant, employee, semester, D(2026, 7, 6), D(2026, 7, 10)
    )
    assert error.extra == {"field": "confirm_work", "dates": ["2026-07-07"]}
    absence_range = _create(tenant, employee, semester, D(2026, 7, 6), D(2026, 7, 10), confirm_work=True)
    assert len(_days(tenant, absence_range)) == 5
    # work within the schedule beside part-time absence needs no confirmation
    _update(tenant, employee, absence_range, percent=50)
    assert _days(tenant, absence_range)[D(2026, 7, 7)] == 240


def test_a_range_across_locked_or_attested_days_is_refused(tenant, employee, semester):
    member = membership_of(tenant, employee)
    DayLockFactory(
        membership=member, date=D(2027, 1, 14), status=DayStatus.ATTESTED, attested_at=dt.datetime.now(dt.UTC)
    )
    DayLockFactory(membership=member, date=D(2027, 1, 20))
    error = _refused(
        tenant, "day_attested", _create, tenant, employee, semester, D(2027, 1, 11), D(2027, 1, 22)
    )
    assert error.extra["dates"] == ["2027-01-14"]
    _refused(tenant, "day_locked", _create, tenant, employee, semester, D(2027, 1, 18), D(2027, 1, 22))
    # a locked weekend day gets no entry, so it does not stand in the way
    DayLockFactory(membership=member, date=D(2027, 1, 16))
    assert _days(tenant, _create(tenant, employee, semester, D(2027, 1, 15), D(2027, 1, 17))) == {
        D(2027, 1, 15): 480
    }


# --- changed and deleted as one ---------------------------------------------------------------------


def test_edit_re_expands_and_delete_removes_every_day(tenant, employee, semester, codes):
    absence_range = _create(tenant, employee, semester, D(2026, 7, 6), D(2026, 7, 17), comment=" Sommar ")
    assert absence_range.comment == "Sommar"
    _update(tenant, employee, absence_range, start_date=D(2026, 7, 13), end_date=D(2026, 7, 24))
    days = _days(tenant, absence_range)
    assert min(days) == D(2026, 7, 13) and max(days) == D(2026, 7, 24) and len(days) == 10
    _update(tenant, employee, absence_range, absence_type=codes.sick, percent=25)
    with tenant_scope(tenant.pk):
        assert set(
            TimeEntry.objects.filter(absence_range=absence_range).values_list("absence_type", "minutes")
        ) == {(codes.sick.pk, 120)}
        services.absence_range_delete(actor=actor_for(tenant, employee), absence_range=absence_range)
        assert not TimeEntry.objects.exists() and not AbsenceRange.objects.exists()
        assert AuditEvent.objects.filter(action__startswith="time.absence_range_").count() == 4


def test_only_open_days_may_change(tenant, employee, semester):
    member = membership_of(tenant, employee)
    absence_range = _create(tenant, employee, semester, D(2026, 7, 6), D(2026, 7, 17))
    with tenant_scope(tenant.pk):
        DayLock.objects.create(
            tenant=tenant, membership=member, date=D(2026, 7, 6), status=DayStatus.ATTESTED,
            attested_at=dt.datetime.now(dt.UTC),
        )  # fmt: skip
    # extending the range leaves the attested day as it was: allowed
    _update(tenant, employee, absence_range, end_date=D(2026, 7, 24))
    assert len(_days(tenant, absence_range)) == 15
    # shortening it into the attested day, or changing every day, or deleting it: refused
    _refused(tenant, "day_attested", _update, tenant, employee, absence_range, start_date=D(2026, 7, 7))
    _refused(tenant, "day_attested", _update, tenant, employee, absence_range, percent=50)
    with tenant_scope(tenant.pk):
        actor = actor_for(tenant, employee)
        _refused(
            tenant, "day_attested", services.absence_range_delete, actor=actor, absence_range=absence_range
        )
    # the comment is the range's own: it may change while days are attested
    _update(tenant, employee, absence_range, comment="Fjällen")


def test_a_day_of_a_range_is_not_changed_alone(tenant, employee, semester):
    absence_range = _create(tenant, employee, semester, D(2026, 7, 6), D(2026, 7, 10))
    with tenant_scope(tenant.pk):
        entry = TimeEntry.objects.filter(absence_range=absence_range).first()
        actor = actor_for(tenant, employee)
    with tenant_scope(tenant.pk):
        _refused(tenant, "part_of_range", services.time_entry_update, actor=actor, entry=entry, minutes=60)
        _refused(tenant, "part_of_range", services.time_entry_delete, actor=actor, entry=entry)


def test_nobody_changes_another_employees_range(tenant, owner, employee, semester):
    absence_range = _create(tenant, employee, semester, D(2026, 7, 6), D(2026, 7, 10))
    _refused(tenant, "not_found", _update, tenant, owner, absence_range, percent=50)
    with tenant_scope(tenant.pk):
        actor = actor_for(tenant, owner)
        _refused(tenant, "not_found", services.absence_range_delete, actor=actor, absence_range=absence_range)


# --- VAB: the child ---------------------------------------------------------------------------------


def _child(born: dt.date, coordination=False) -> str:
    from verksam.tenancy.tests.factories import luhn_digit

    day = born.day + (60 if coordination else 0)
    body = f"{born.year % 100:02d}{born.month:02d}{day:02d}123"
    return f"{born.year}{born.month:02d}{day:02d}123{luhn_digit(body)}"


def test_vab_child_under_12_on_every_day(tenant, employee, codes):
    child = _child(D(2014, 7, 8))  # turns 12 on 8 July 2026
    _refused(tenant, "child_required", _create, tenant, employee, codes.vab, D(2026, 7, 6), D(2026, 7, 7))
    _refused(
        tenant, "child_invalid", _create, tenant, employee, codes.vab, D(2026, 7, 6), D(2026, 7, 7),
        child_personnummer="20140708-1230",
    )  # fmt: skip
    ok = _create(tenant, employee, codes.vab, D(2026, 7, 6), D(2026, 7, 7), child_personnummer=child)
    assert ok.child_personnummer == child and len(_days(tenant, ok)) == 2
    error = _refused(
        tenant, "child_too_old", _create, tenant, employee, codes.vab, D(2026, 7, 8), D(2026, 7, 9),
        child_personnummer=child,
    )  # fmt: skip
    assert "2026-07-08" in error.message
    older = _create(
        tenant,
        employee,
        codes.vab,
        D(2026, 7, 8),
        D(2026, 7, 9),
        child_personnummer=child,
        child_special_reasons=True,
    )
    with tenant_scope(tenant.pk):
        assert set(
            TimeEntry.objects.filter(absence_range=older).values_list("child_special_reasons", flat=True)
        ) == {True}


def test_vab_child_must_be_born_before_the_day_and_samordningsnummer_counts_day_minus_60(
    tenant, employee, codes
):
    newborn = _child(D(2026, 7, 8), coordination=True)
    assert absence.child_birth_date(newborn) == D(2026, 7, 8)
    _refused(
        tenant, "child_not_born", _create, tenant, employee, codes.vab, D(2026, 7, 6), D(2026, 7, 10),
        child_personnummer=newborn,
    )  # fmt: skip
    assert _create(tenant, employee, codes.vab, D(2026, 7, 9), D(2026, 7, 10), child_personnummer=newborn)


def test_a_child_born_on_29_february_turns_years_on_1_march_in_a_common_year():
    assert absence.birthday(D(2015, 2, 28), 12) == D(2027, 2, 28)
    assert absence.birthday(D(2016, 2, 29), 11) == D(2027, 3, 1)
    assert absence.birthday(D(2016, 2, 29), 4) == D(2020, 2, 29)


def test_single_day_vab_checks_the_child_too(tenant, employee, codes):
    child = _child(D(2014, 7, 8))
    with tenant_scope(tenant.pk):
        actor = actor_for(tenant, employee)
        body = {"actor": actor, "kind": EntryKind.ABSENCE, "absence_type": codes.vab, "whole_day": True}
        _refused(
            tenant,
            "child_too_old",
            services.time_entry_create,
            date=D(2026, 7, 8),
            child_personnummer=child,
            **body,
        )
        _refused(
            tenant,
            "child_not_born",
            services.time_entry_create,
            date=D(2014, 7, 7),
            child_personnummer=child,
            **body,
        )
        entry = services.time_entry_create(
            date=D(2026, 7, 8), child_personnummer=child, child_special_reasons=True, **body
        )
        assert entry.child_special_reasons
        assert services.time_entry_create(date=D(2026, 7, 7), child_personnummer=child, **body).minutes == 480
        # a type without a child drops the flag
        sick = services.time_entry_create(
            date=D(2026, 7, 9), child_special_reasons=True, **{**body, "absence_type": codes.sick}
        )
        assert not sick.child_special_reasons


# --- performance --------------------------------------------------------------------------------------


def test_a_three_month_range_is_saved_with_a_constant_number_of_queries(tenant, employee, semester):
    with tenant_scope(tenant.pk):
        actor = actor_for(tenant, employee)

        def create(start, end):
            return services.absence_range_create(
                actor=actor, absence_type=semester, start_date=start, end_date=end
            )

        few, short = count_queries(lambda: create(D(2026, 2, 2), D(2026, 2, 6)))
        many, long = count_queries(lambda: create(D(2026, 3, 2), D(2026, 5, 29)))
        rows = TimeEntry.objects.filter(absence_range=long).count()
    assert rows > 55
    # one INSERT for all the days; SQLite caps the parameters of one statement (999), so Django
    # splits a bulk insert there into batches; PostgreSQL takes them in one
    fields = [f for f in TimeEntry._meta.concrete_fields if not f.primary_key]
    batch = connection.ops.bulk_batch_size(fields, [None] * rows) or rows
    assert many == few + math.ceil(rows / batch) - 1


# --- a single day: absence and work together -------------------------------------------------------------


def test_whole_day_absence_and_work_beyond_the_schedule_need_confirmation_on_a_single_day(
    tenant, employee, codes, projects
):
    day = D(2026, 7, 7)
    with tenant_scope(tenant.pk):
        actor = actor_for(tenant, employee)
        sick = {"actor": actor, "date": day, "kind": EntryKind.ABSENCE, "absence_type": codes.sick}
        work = {"actor": actor, "date": day, "project": projects.site, "time_code": codes.normal}
        services.time_entry_create(whole_day=True, **sick)
        # work on top of a whole day of absence: refused unless confirmed
        error = _refused(tenant, "work_on_absence_day", services.time_entry_create, minutes=60, **work)
        assert error.extra == {"field": "confirm_work", "dates": ["2026-07-07"]}
        services.time_entry_create(minutes=60, confirm_work=True, **work)
        # a second whole day of absence is beyond the schedule
        _refused(tenant, "absence_overlap", services.time_entry_create, whole_day=True, **sick)
    # half a day of absence and half a day of work fit the schedule: nothing to confirm
    other = D(2026, 7, 8)
    with tenant_scope(tenant.pk):
        services.time_entry_create(**{**sick, "date": other}, minutes=240)
        entry = services.time_entry_create(**{**work, "date": other}, minutes=240)
        # growing the work beyond the schedule asks again, on an update too
        _refused(
            tenant, "work_on_absence_day", services.time_entry_update, actor=actor, entry=entry, minutes=300
        )
        services.time_entry_update(actor=actor, entry=entry, minutes=300, confirm_work=True)


def test_work_on_a_day_of_a_range_needs_confirmation(tenant, employee, semester, codes, projects):
    _create(tenant, employee, semester, D(2026, 7, 6), D(2026, 7, 10))
    with tenant_scope(tenant.pk):
        actor = actor_for(tenant, employee)
        work = {"actor": actor, "date": D(2026, 7, 8), "project": projects.site, "time_code": codes.normal}
        _refused(tenant, "work_on_absence_day", services.time_entry_create, minutes=60, **work)
        assert services.time_entry_create(minutes=60, confirm_work=True, **work).minutes == 60


# --- the expansion over random schedules ----------------------------------------------------------------

_week = st.tuples(*[st.sampled_from([0, 0, 120, 240, 300, 360, 465, 480, 600])] * 7)


@given(
    weeks=st.lists(_week, min_size=1, max_size=3),
    change_days=st.lists(st.integers(1, 120), min_size=2, max_size=2),
    start_offset=st.integers(0, 400),
    length=st.integers(0, 120),
    percent=st.integers(1, 100),
)
def test_expansion_is_each_working_days_share_of_its_own_schedule(
    weeks, change_days, start_offset, length, percent
):
    first = D(2026, 1, 1)
    starts = [first] + [first + dt.timedelta(days=sum(change_days[: i + 1])) for i in range(len(weeks) - 1)]
    history = ScheduleHistory(
        tuple(Schedule(valid_from=s, weekday_minutes=w) for s, w in zip(starts, weeks, strict=True))
    )
    start = first + dt.timedelta(days=start_offset)
    end = start + dt.timedelta(days=length)
    days = absence.expand(history, start, end, percent)
    for day in _calendar(start, end):
        scheduled = history.on(day).weekday_minutes[day.weekday()]
        if timeutil.holiday_name(day) is not None or scheduled == 0:
            assert day not in days  # röda dagar and days off count 0
        else:
            assert days.get(day, 0) == (scheduled * percent + 50) // 100
            assert days.get(day, 0) <= scheduled
    assert all(minutes > 0 for minutes in days.values())


# --- a closed deviation period (issue 8 item 8) and reporting on behalf (item 6) --------------------------


def test_a_range_across_a_closed_16th_to_15th_period_is_refused(tenant, owner, employee, semester):
    import time_machine

    from verksam.attestation import services as attestation_services
    from verksam.attestation.tests.helpers import TimeSettingsFactory

    TimeSettingsFactory(tenant=tenant, period_start_day=16)
    with time_machine.travel(dt.datetime(2027, 1, 20, 12, tzinfo=dt.UTC), tick=False):
        with tenant_scope(tenant.pk):
            attestation_services.period_close(actor=actor_for(tenant, owner), period_key="2027-01")
        # 16 December – 15 January is closed after payroll: a range into it writes nothing
        error = _refused(
            tenant, "period_closed", _create, tenant, employee, semester, D(2027, 1, 11), D(2027, 1, 22)
        )
        assert error.extra["dates"] == [f"2027-01-{d}" for d in ("11", "12", "13", "14", "15")]
        # from the 16th on the next period is open
        absence_range = _create(tenant, employee, semester, D(2027, 1, 16), D(2027, 1, 29))
        assert min(_days(tenant, absence_range)) == D(2027, 1, 18)
        # moving its start back into the closed period is refused too, and so is nothing else
        _refused(tenant, "period_closed", _update, tenant, employee, absence_range, start_date=D(2027, 1, 14))


def test_a_total_user_or_the_approver_registers_a_range_on_behalf(
    tenant, owner, attestant, employee, semester
):
    from verksam.mail.models import OutgoingMail
    from verksam.tenancy.models import Licence
    from verksam.tenancy.tests.factories import MembershipFactory

    member = membership_of(tenant, employee)
    with tenant_scope(tenant.pk):
        absence_range = services.absence_range_create(
            actor=actor_for(tenant, owner), employee=member, absence_type=semester,
            start_date=D(2026, 7, 6), end_date=D(2026, 7, 17),
        )  # fmt: skip
        event = AuditEvent.objects.get(action="time.absence_range_create")
        assert absence_range.membership_id == member.pk and absence_range.created_by == owner
        assert (event.data["reported_by"], event.data["reported_for"]) == (owner.name, employee.name)
        # the approver changes it for the employee
        services.absence_range_update(
            actor=actor_for(tenant, attestant), employee=member, absence_range=absence_range, percent=50
        )
    assert set(_days(tenant, absence_range).values()) == {240}
    # a colleague who is neither TOTAL nor the approver may not
    colleague = MembershipFactory(tenant=tenant, licence=Licence.BASIC).user
    with tenant_scope(tenant.pk):
        actor = actor_for(tenant, colleague)
        _refused(
            tenant, "not_approver", services.absence_range_delete, actor=actor, employee=member,
            absence_range=absence_range,
        )  # fmt: skip
        # and a range is only ever found under its own employee
        _refused(
            tenant, "not_found", services.absence_range_delete, actor=actor_for(tenant, owner),
            employee=membership_of(tenant, attestant), absence_range=absence_range,
        )  # fmt: skip
    # the employee is told by e-mail of both changes made on their behalf
    with tenant_scope(tenant.pk):
        mails = list(OutgoingMail.objects.all())
    assert len(mails) == 2 and {m.to for m in mails} == {employee.email}
