"""Rows for the payroll basis tests: codes, reported and attested days, absence ranges, schedules."""

import datetime as dt

from verksam.projects.tests.factories import ProjectFactory
from verksam.schedules.models import WorkSchedule
from verksam.tenancy.models import Licence, Membership
from verksam.tenancy.scope import tenant_scope
from verksam.tenancy.tests.factories import MembershipFactory, UserFactory, make_personnummer
from verksam.timecodes.models import TimeCodeKind, TimeSettings
from verksam.timecodes.tests.factories import AbsenceTypeFactory, TimeCodeFactory
from verksam.timereporting.absence import share_of
from verksam.timereporting.models import AbsenceRange, DayLock, EntryKind, TimeEntry
from verksam.timereporting.tests.factories import attest  # noqa: F401


def kit(tenant) -> dict:
    """A project and the codes the tests report on."""
    with tenant_scope(tenant.pk):
        return {
            "project": ProjectFactory(tenant=tenant, number="P1", name="Villa Berg"),
            "normal": TimeCodeFactory(tenant=tenant, code="NORM", name="Normaltid", paxml_code="TID"),
            "overtime": TimeCodeFactory(
                tenant=tenant,
                code="OT50",
                name="Övertid 50 %",
                paxml_code="ÖT1",
                kind=TimeCodeKind.OVERTIME,
            ),
            "ob": TimeCodeFactory(
                tenant=tenant, code="OB", name="OB kväll", paxml_code="OB1", kind=TimeCodeKind.SUPPLEMENT
            ),
            "sick": AbsenceTypeFactory(tenant=tenant, code="SJUK", name="Sjuk", paxml_code="SJK"),
            "vacation": AbsenceTypeFactory(tenant=tenant, code="SEM", name="Semester", paxml_code="SEM"),
            "vab": AbsenceTypeFactory(
                tenant=tenant, code="VAB", name="Vård av barn", paxml_code="VAB", requires_child=True
            ),
        }


def period_start_day(tenant, day: int) -> None:
    with tenant_scope(tenant.pk):
        TimeSettings.objects.update_or_create(tenant=tenant, defaults={"period_start_day": day})


def person(tenant, n: int, *, salary_form="monthly", active=True, name=None) -> Membership:
    user = UserFactory(
        email=f"p{n}-{tenant.slug}@example.se",
        name=name or f"Anna Person{n:03d}",
        personnummer=make_personnummer(n + 200),
    )
    return MembershipFactory(
        tenant=tenant,
        user=user,
        licence=Licence.LIGHT,
        employment_number=str(1000 + n),
        salary_form=salary_form,
        is_active=active,
    )


def work(m, days, code, minutes=480) -> None:
    with tenant_scope(m.tenant_id):
        for day in days:
            TimeEntry(
                tenant_id=m.tenant_id,
                membership=m,
                date=day,
                kind=EntryKind.WORK,
                project=code["project"] if isinstance(code, dict) else _project(m),
                time_code=code["normal"] if isinstance(code, dict) else code,
                minutes=minutes,
                invoiceable_minutes=0,
            ).save()


def _project(m):
    from verksam.projects.models import Project

    return Project.objects.filter(tenant_id=m.tenant_id).first()


def absence_day(m, day, absence_type, minutes=480, child="") -> None:
    with tenant_scope(m.tenant_id):
        TimeEntry(
            tenant_id=m.tenant_id,
            membership=m,
            date=day,
            kind=EntryKind.ABSENCE,
            absence_type=absence_type,
            minutes=minutes,
            child_personnummer=child,
        ).save()


def absence_range(m, absence_type, start, end, percent=100, child="", history=None) -> AbsenceRange:
    """A range and its day entries, expanded over the employee's schedule as the service does."""
    from verksam.schedules.selectors import schedule_history

    with tenant_scope(m.tenant_id):
        history = history or schedule_history(membership_id=m.pk)
        r = AbsenceRange(
            tenant_id=m.tenant_id,
            membership=m,
            absence_type=absence_type,
            start_date=start,
            end_date=end,
            percent=percent,
            child_personnummer=child,
        )
        r.save()
        day = start
        while day <= end:
            minutes = share_of(history.minutes_on(day), percent)
            if minutes:
                TimeEntry(
                    tenant_id=m.tenant_id,
                    membership=m,
                    date=day,
                    kind=EntryKind.ABSENCE,
                    absence_type=absence_type,
                    absence_range=r,
                    minutes=minutes,
                    child_personnummer=child,
                ).save()
            day += dt.timedelta(days=1)
        return r


def lock(m, days) -> None:
    with tenant_scope(m.tenant_id):
        for day in days:
            DayLock(tenant_id=m.tenant_id, membership=m, date=day).save()


def schedule(m, valid_from, weekday_minutes, percent=100) -> None:
    with tenant_scope(m.tenant_id):
        row = WorkSchedule(tenant_id=m.tenant_id, membership=m, valid_from=valid_from, percent=percent)
        row.set_weekday_minutes(tuple(weekday_minutes))
        row.save()


def days(start, end, weekdays_only=True):
    out, day = [], start
    while day <= end:
        from verksam.core.timeutil import is_workday

        if not weekdays_only or is_workday(day):
            out.append(day)
        day += dt.timedelta(days=1)
    return out
