"""Time reporting figures for `make bench` (issue 3's performance section).

- 10,000 time entries created through the API, one request each, as a phone would send them;
- the approver queue for 200 employees × one month: SQL queries must not grow with the employees;
- bulk attestation of 200 employees × one month, in one call;
- absence over a date range: a 3-month range expanded over the schedule and saved in one request
  (issue 8 item 4), its time and query count against a one-week range.
"""

import datetime as dt
import os
import time
import uuid

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

N_ENTRIES = int(os.environ.get("BENCH_INPROCESS_ENTRIES", 10_000))
N_EMPLOYEES = 200
PERIOD = "2026-10"  # October 2026: contains the DST change of 25 October


def _weekdays(start: dt.date, end: dt.date) -> list[dt.date]:
    days, day = [], start
    while day <= end:
        if day.weekday() < 5:
            days.append(day)
        day += dt.timedelta(days=1)
    return days


def bench_api_create(tenant, user) -> None:
    """POST /time-entries 10,000 times, each a new request with its own client UUID."""
    from verksam.accounts.services import api_token_create
    from verksam.projects.tests.factories import ProjectFactory
    from verksam.timecodes.services import timecodes_install_defaults
    from verksam.timecodes.tests.factories import TimeCodeFactory

    timecodes_install_defaults(tenant_id=tenant.pk)
    project = ProjectFactory(tenant=tenant, number="B1")
    code = TimeCodeFactory(tenant=tenant, code="BENCH")
    _t, secret = api_token_create(user=user, name="bench-time")
    api = Client(HTTP_AUTHORIZATION=f"Bearer {secret}")
    url = f"/api/v1/tenants/{tenant.pk}/time-entries"
    # 10,000 entries of 15 minutes, 20 a day from 07:00, on consecutive days from 2020 on.
    start_day = dt.date(2020, 1, 1)
    payloads = []
    for i in range(N_ENTRIES):
        day = start_day + dt.timedelta(days=i // 20)
        minute = 7 * 60 + (i % 20) * 15
        payloads.append(
            {
                "client_uuid": str(uuid.uuid4()),
                "date": day.isoformat(),
                "kind": "work",
                "project_id": project.pk,
                "time_code_id": code.pk,
                "start_time": f"{minute // 60:02d}:{minute % 60:02d}",
                "end_time": f"{(minute + 15) // 60:02d}:{(minute + 15) % 60:02d}",
            }
        )
    failures = 0
    began = time.perf_counter()
    for body in payloads:
        response = api.post(url, body, content_type="application/json")
        failures += response.status_code != 201
    elapsed = time.perf_counter() - began
    print(
        f"  POST /time-entries × {N_ENTRIES} (one request each)        "
        f"{N_ENTRIES / elapsed:8.1f} /s  ({elapsed:.1f} s, {failures} failed)"
    )


def _company(n_employees: int, slug: str):
    """A company whose `n_employees` reported every weekday of PERIOD and locked it."""
    from verksam.projects.tests.factories import ProjectFactory
    from verksam.tenancy.models import Licence
    from verksam.tenancy.scope import tenant_scope
    from verksam.tenancy.tests.factories import MembershipFactory, TenantFactory, UserFactory
    from verksam.timecodes.periods import period_by_key
    from verksam.timecodes.tests.factories import TimeCodeFactory
    from verksam.timereporting.models import DayLock, DayStatus, EntryKind, TimeEntry

    tenant = TenantFactory(slug=slug)
    approver = MembershipFactory(
        tenant=tenant, user=UserFactory(email=f"boss@{slug}.test"), licence=Licence.TOTAL
    )
    project = ProjectFactory(tenant=tenant)
    code = TimeCodeFactory(tenant=tenant, code="NORM")
    period = period_by_key(PERIOD)
    days = _weekdays(period.start, period.end)
    with tenant_scope(tenant.pk):
        members = [
            MembershipFactory(
                tenant=tenant,
                user=UserFactory(email=f"e{i}@{slug}.test"),
                licence=Licence.LIGHT,
                approver=approver,
                employment_number=str(100 + i),
            )
            for i in range(n_employees)
        ]
        TimeEntry.objects.bulk_create(
            [
                TimeEntry(
                    tenant=tenant, membership=m, date=d, kind=EntryKind.WORK, project=project,
                    time_code=code, minutes=480, invoiceable_minutes=480,
                )
                for m in members
                for d in days
            ],
            batch_size=1000,
        )  # fmt: skip
        DayLock.objects.bulk_create(
            [
                DayLock(tenant=tenant, membership=m, date=d, status=DayStatus.LOCKED)
                for m in members
                for d in period.days
            ],
            batch_size=1000,
        )
    return tenant, approver.user, len(members) * len(days)


def bench_queue_and_bulk_attest() -> None:
    from verksam.attestation import services as attestation
    from verksam.tenancy.access import resolve
    from verksam.tenancy.scope import tenant_scope

    counts = {}
    for n in (20, N_EMPLOYEES):
        tenant, boss, n_entries = _company(n, f"queue{n}")
        client = Client()
        client.force_login(boss)
        path = f"/t/{tenant.slug}/attestation/?period={PERIOD}"
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(path)
        counts[n] = len(ctx.captured_queries)
        print(
            f"  approver queue, {n:3d} employees × 1 month ({n_entries} entries)  "
            f"HTTP {response.status_code}  {counts[n]:3d} queries"
        )
        if n == N_EMPLOYEES:
            with tenant_scope(tenant.pk):
                actor = resolve(boss, tenant)
                began = time.perf_counter()
                with CaptureQueriesContext(connection) as ctx:
                    result = attestation.time_attest_bulk(actor=actor, period_key=PERIOD)
                elapsed = time.perf_counter() - began
            print(
                f"  bulk attest, {n} employees × 1 month                     "
                f"{elapsed * 1000:8.0f} ms  ({len(ctx.captured_queries)} queries; {result})"
            )
    verdict = "constant" if counts[20] == counts[N_EMPLOYEES] else "GROWS WITH EMPLOYEES"
    print(f"  approver queue query count: {verdict}")


def _quarters(first_year: int, n: int) -> list[tuple[dt.date, dt.date]]:
    quarters = []
    for i in range(n):
        year, quarter = first_year + i // 4, i % 4
        start = dt.date(year, 3 * quarter + 1, 1)
        end = dt.date(year + (quarter == 3), (3 * quarter + 3) % 12 + 1, 1) - dt.timedelta(days=1)
        quarters.append((start, end))
    return quarters


def bench_absence_range(tenant) -> None:
    """POST /absence-ranges: 3-month ranges (about 63 working days each), one request each."""
    from verksam.accounts.services import api_token_create
    from verksam.tenancy.models import Licence
    from verksam.tenancy.tests.factories import MembershipFactory, UserFactory
    from verksam.timecodes.tests.factories import AbsenceTypeFactory

    user = MembershipFactory(
        tenant=tenant, user=UserFactory(email="ledig@bench.test"), licence=Licence.LIGHT
    ).user

    leave = AbsenceTypeFactory(tenant=tenant, code="BENCH_TJL", name="Tjänstledig (bench)", paxml_code="TJL")
    _t, secret = api_token_create(user=user, name="bench-absence")
    api = Client(HTTP_AUTHORIZATION=f"Bearer {secret}")
    url = f"/api/v1/tenants/{tenant.pk}/absence-ranges"

    def post(start: dt.date, end: dt.date):
        body = {"absence_type_id": leave.pk, "start_date": start.isoformat(), "end_date": end.isoformat()}
        with CaptureQueriesContext(connection) as ctx:
            response = api.post(url, body, content_type="application/json")
        return response, len(ctx.captured_queries)

    post(dt.date(2019, 12, 2), dt.date(2019, 12, 6))  # the token's first use is recorded once
    response, week_queries = post(dt.date(2019, 12, 9), dt.date(2019, 12, 13))
    quarters = _quarters(2020, 24)  # 2020–2025
    timings, queries, days, failures = [], [], 0, 0
    for start, end in quarters:
        began = time.perf_counter()
        response, n = post(start, end)
        timings.append(time.perf_counter() - began)
        queries.append(n)
        failures += response.status_code != 201
        days += response.json().get("day_count", 0) if response.status_code == 201 else 0
    mean = sum(timings) / len(timings)
    print(
        f"  POST /absence-ranges, 3 months each × {len(quarters)}              "
        f"{mean * 1000:8.1f} ms  (max {max(timings) * 1000:.1f} ms, {days // len(quarters)} days each, "
        f"{failures} failed)"
    )
    print(
        f"  absence range queries: 1 week {week_queries}, 3 months {min(queries)}–{max(queries)} "
        f"(SQLite splits one bulk INSERT per 999 parameters)"
    )


def _attested_year(n_employees: int, slug: str):
    """A company whose `n_employees` have a year of attested weekdays with stored contributions."""
    from verksam.tenancy.models import Licence
    from verksam.tenancy.scope import tenant_scope
    from verksam.tenancy.tests.factories import MembershipFactory, TenantFactory, UserFactory
    from verksam.timereporting.models import DayLock, DayStatus

    tenant = TenantFactory(slug=slug)
    approver = MembershipFactory(
        tenant=tenant, user=UserFactory(email=f"boss@{slug}.test"), licence=Licence.TOTAL
    )
    days = _weekdays(dt.date(2025, 11, 1), dt.date(2026, 10, 31))
    attested_at = dt.datetime(2026, 11, 1, tzinfo=dt.UTC)
    with tenant_scope(tenant.pk):
        members = [
            MembershipFactory(
                tenant=tenant,
                user=UserFactory(email=f"y{i}@{slug}.test"),
                licence=Licence.LIGHT,
                approver=approver,
            )
            for i in range(n_employees)
        ]
        DayLock.objects.bulk_create(
            [
                DayLock(
                    tenant=tenant, membership=m, date=d, status=DayStatus.ATTESTED, attested_at=attested_at,
                    scheduled_minutes=480, worked_minutes=480 + i % 60, flex_minutes=i % 60,
                    bank_minutes=i % 7,
                )
                for i, m in enumerate(members)
                for d in days
            ],
            batch_size=2000,
        )  # fmt: skip
    return tenant, approver.user, len(members) * len(days)


def bench_balances() -> None:
    """Flex and time-bank balances in the queue for 200 employees × 12 months of attested days."""
    counts = {}
    for n in (20, N_EMPLOYEES):
        tenant, boss, n_days = _attested_year(n, f"flex{n}")
        client = Client()
        client.force_login(boss)
        path = f"/t/{tenant.slug}/attestation/?period={PERIOD}"
        client.get(path)  # warm up
        began = time.perf_counter()
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(path)
        elapsed = time.perf_counter() - began
        counts[n] = len(ctx.captured_queries)
        from verksam.accounts.services import api_token_create

        _t, secret = api_token_create(user=boss, name="bench-flex")
        api = Client(HTTP_AUTHORIZATION=f"Bearer {secret}")
        url = f"/api/v1/tenants/{tenant.pk}/attestation/queue?period={PERIOD}"
        began_api = time.perf_counter()
        api_status = api.get(url).status_code
        elapsed_api = time.perf_counter() - began_api
        print(
            f"  queue with flex + bank, {n:3d} employees × 12 months ({n_days} attested days)  "
            f"HTTP {response.status_code}  {counts[n]:3d} queries  {elapsed * 1000:6.0f} ms "
            f"(API {api_status}: {elapsed_api * 1000:.0f} ms)"
        )
    verdict = "constant" if counts[20] == counts[N_EMPLOYEES] else "GROWS WITH EMPLOYEES"
    print(f"  balances query count: {verdict}")


def run(tenant, owner) -> None:
    print("Time reporting:")
    bench_api_create(tenant, owner)
    bench_queue_and_bulk_attest()
    bench_absence_range(tenant)
    bench_balances()
