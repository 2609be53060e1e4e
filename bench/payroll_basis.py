"""Payroll basis figures for `make bench` (issue 9's performance section, the database part): the
basis of 500 employees × one month (≈ 11,000 attested days of time) built from the database by
`payroll.selectors`, then the PAXml file of it. Time, peak memory of the Python heap (tracemalloc,
in a second call: it slows the call down, so it never runs under the clock) and the SQL query count,
which must not grow with the number of employees (measured at 50 and at 500)."""

import datetime as dt
import time
import tracemalloc

from django.db import connection
from django.test.utils import CaptureQueriesContext

N_EMPLOYEES = 500
PERIOD = "2026-10"  # October 2026: contains the DST change of 25 October


def _company(n_employees: int, slug: str):
    """A company whose employees reported and had attested every weekday of PERIOD: ordinary time,
    overtime on Tuesdays, OB on Thursdays, a week of semester (one range) for every fifth; every
    third is paid by the hour."""
    from verksam.projects.tests.factories import ProjectFactory
    from verksam.tenancy.models import Licence
    from verksam.tenancy.scope import tenant_scope
    from verksam.tenancy.tests.factories import (
        MembershipFactory,
        TenantFactory,
        UserFactory,
        make_personnummer,
    )
    from verksam.timecodes.models import TimeCodeKind
    from verksam.timecodes.periods import period_by_key
    from verksam.timecodes.tests.factories import AbsenceTypeFactory, TimeCodeFactory
    from verksam.timereporting.models import AbsenceRange, DayLock, DayStatus, EntryKind, TimeEntry
    from verksam.timereporting.services import day_contributions_store

    tenant = TenantFactory(slug=slug)
    MembershipFactory(tenant=tenant, user=UserFactory(email=f"boss@{slug}.test"), licence=Licence.TOTAL)
    project = ProjectFactory(tenant=tenant)
    normal = TimeCodeFactory(tenant=tenant, code="NORM", paxml_code="TID")
    overtime = TimeCodeFactory(tenant=tenant, code="OT", paxml_code="ÖT1", kind=TimeCodeKind.OVERTIME)
    ob = TimeCodeFactory(tenant=tenant, code="OB", paxml_code="OB1", kind=TimeCodeKind.SUPPLEMENT)
    vacation = AbsenceTypeFactory(tenant=tenant, code="SEM", paxml_code="SEM")
    period = period_by_key(PERIOD)
    weekdays = [d for d in period.days if d.weekday() < 5]
    vacation_week = [d for d in weekdays if dt.date(2026, 10, 19) <= d <= dt.date(2026, 10, 23)]
    with tenant_scope(tenant.pk):
        members = [
            MembershipFactory(
                tenant=tenant,
                user=UserFactory(
                    email=f"e{i}@{slug}.test", personnummer=make_personnummer(i, year=1960 + n_employees % 37)
                ),
                licence=Licence.LIGHT,
                employment_number=str(1000 + i),
                salary_form="hourly" if i % 3 == 0 else "monthly",
            )
            for i in range(n_employees)
        ]
        entries, locks = [], []

        def entry(m, d, **fields):
            return TimeEntry(tenant=tenant, membership=m, date=d, invoiceable_minutes=0, **fields)

        for i, m in enumerate(members):
            on_leave = i % 5 == 0
            absence_range = None
            if on_leave:
                absence_range = AbsenceRange(
                    tenant=tenant,
                    membership=m,
                    absence_type=vacation,
                    start_date=vacation_week[0],
                    end_date=vacation_week[-1],
                )
                absence_range.save()
            for d in weekdays:
                if on_leave and d in vacation_week:
                    entries.append(
                        entry(
                            m, d, kind=EntryKind.ABSENCE, absence_type=vacation,
                            absence_range=absence_range, minutes=480,
                        )
                    )  # fmt: skip
                else:
                    entries.append(
                        entry(m, d, kind=EntryKind.WORK, project=project, time_code=normal, minutes=480)
                    )
                if d.weekday() == 1:
                    entries.append(
                        entry(m, d, kind=EntryKind.WORK, project=project, time_code=overtime, minutes=90)
                    )
                if d.weekday() == 3:
                    entries.append(
                        entry(m, d, kind=EntryKind.WORK, project=project, time_code=ob, minutes=120)
                    )
                locks.append(
                    DayLock(
                        tenant=tenant,
                        membership=m,
                        date=d,
                        status=DayStatus.ATTESTED,
                        attested_at=dt.datetime(2026, 11, 2, 8, tzinfo=dt.UTC),
                    )
                )
        TimeEntry.objects.bulk_create(entries, batch_size=1000)
        DayLock.objects.bulk_create(locks, batch_size=1000)
        day_contributions_store(list(DayLock.objects.filter(date__gte=period.start, date__lte=period.end)))
    return tenant, [m.pk for m in members], len(locks)


def _measure(label: str, func) -> None:
    start = time.perf_counter()
    with CaptureQueriesContext(connection) as ctx:
        func()
    seconds = time.perf_counter() - start
    tracemalloc.start()
    func()
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    print(f"  {label:<52} {seconds:6.2f} s  peak {peak:6.1f} MiB  {len(ctx.captured_queries):3d} queries")


def run() -> None:
    from verksam.payroll import selectors
    from verksam.payroll.dto import Target
    from verksam.payroll.files import make_file
    from verksam.tenancy.scope import tenant_scope

    print(f"Payroll basis from the database, {N_EMPLOYEES} employees × October 2026, attested:")
    counts = {}
    for n in (50, N_EMPLOYEES):
        began = time.perf_counter()
        tenant, ids, n_days = _company(n, f"paybasis{n}")
        setup = time.perf_counter() - began
        with tenant_scope(tenant.pk):

            def basis(tenant=tenant, ids=ids):
                return selectors.payroll_basis(
                    tenant=tenant, period_key=PERIOD, member_ids=ids, target=Target.PAXML
                )

            with CaptureQueriesContext(connection) as ctx:
                result = basis()
            counts[n] = len(ctx.captured_queries)
            lines = sum(len(e.time) for e in result.employees)
            print(f"  {n} employees: {n_days} attested days, {lines} time lines (setup {setup:.0f} s)")
            if n == N_EMPLOYEES:
                _measure("payroll_basis()", basis)
                _measure("payroll_basis() + make_file(paxml)", lambda: make_file(basis(), Target.PAXML))
                _measure(
                    "basis_and_missing() (the page's load)",
                    lambda tenant=tenant: selectors.basis_and_missing(tenant=tenant, period_key=PERIOD),
                )
    verdict = "constant" if counts[50] == counts[N_EMPLOYEES] else "GROWS WITH EMPLOYEES"
    many = counts[N_EMPLOYEES]
    print(f"  payroll_basis query count: 50 employees {counts[50]}, {N_EMPLOYEES} {many}: {verdict}")
