"""Bookkeeping figures for `make bench` (issue 10's performance section):

- SIE 4I export of 100,000 transactions (25,000 vouchers × 4 rows): the pure writer fed by a
  generator (nothing held), and the whole export from the database (`export.sie_export`: one
  streaming cursor over the rows, spooled to a temporary file) — wall time, then the peak of the
  Python heap (tracemalloc) in a second run, never under the clock; the file read back with its
  #KSUMMA verified;
- booking proposals for 1,000 expenses: the pure rules, and saved as drafts through the service.
"""

import datetime as dt
import time
import tracemalloc
from collections.abc import Callable, Iterator
from typing import Any

N_VOUCHERS = 25_000
ROWS_PER_VOUCHER = 4
N_PROPOSALS = 1_000


def _timed(label: str, func: Callable[[], Any], *, memory: bool = True) -> Any:
    start = time.perf_counter()
    result = func()
    seconds = time.perf_counter() - start
    peak = ""
    if memory:
        tracemalloc.start()
        func()
        peak = f"peak {tracemalloc.get_traced_memory()[1] / 2**20:6.1f} MiB"
        tracemalloc.stop()
    print(f"  {label:<58} {seconds:6.2f} s  {peak}")
    return result


def _vouchers() -> Iterator[Any]:
    from verksam.bookkeeping.dto import RowOut, VoucherOut

    day = dt.date(2026, 1, 1)
    for n in range(1, N_VOUCHERS + 1):
        gross = 10_000 + n
        vat = gross // 5
        yield VoucherOut(
            id=n,
            series="U",
            number=n,
            date=day + dt.timedelta(days=n % 365),
            text=f"Utlägg {n} – drivmedel Preem Göteborg",
            status="posted",
            fiscal_year_id=1,
            rows=(
                RowOut("5611", debit_ore=gross - vat - 100),
                RowOut("5800", debit_ore=100),
                RowOut("2641", debit_ore=vat),
                RowOut("2820", credit_ore=gross),
            ),
        )


def _header(accounts: dict[str, str]):
    from verksam.bookkeeping.sie.writer import SieHeader

    return SieHeader(
        company_name="Bench AB",
        orgnr="5560160680",
        generated=dt.date(2026, 12, 31),
        fiscal_years=((dt.date(2026, 1, 1), dt.date(2026, 12, 31)),),
        accounts=accounts,
    )


def bench_pure_writer() -> None:
    from verksam.bookkeeping.sie.writer import encode_lines, write_sie4i

    accounts = {
        "5611": "Drivmedel",
        "5800": "Resekostnader",
        "2641": "Ingående moms",
        "2820": "Skuld anställda",
    }

    def write() -> int:
        return sum(len(chunk) for chunk in encode_lines(write_sie4i(_header(accounts), _vouchers())))

    size = _timed(f"write_sie4i, {N_VOUCHERS * ROWS_PER_VOUCHER:,} rows (generator in)", write)
    print(f"    file {size / 2**20:.1f} MiB")


def _seed_database(tenant, owner) -> Any:
    from django.db.models import F
    from django.utils import timezone

    from verksam.bookkeeping.models import FiscalYear, Voucher, VoucherRow
    from verksam.tenancy.access import resolve
    from verksam.tenancy.scope import tenant_scope

    with tenant_scope(tenant.pk):
        actor = resolve(owner, tenant)
        year = FiscalYear.objects.create(tenant=tenant, start=dt.date(2025, 1, 1), end=dt.date(2025, 12, 31))
        drafts = Voucher.objects.bulk_create(
            (
                Voucher(
                    tenant=tenant,
                    fiscal_year=year,
                    series="B",
                    date=dt.date(2025, 1, 1) + dt.timedelta(days=n % 365),
                    text=f"Utlägg {n}",
                )
                for n in range(N_VOUCHERS)
            ),
            batch_size=2000,
        )
        rows = []
        for v in drafts:
            rows += [
                VoucherRow(tenant=tenant, voucher=v, position=0, account="5611", debit_ore=8000),
                VoucherRow(tenant=tenant, voucher=v, position=1, account="5800", debit_ore=100),
                VoucherRow(tenant=tenant, voucher=v, position=2, account="2641", debit_ore=2025),
                VoucherRow(tenant=tenant, voucher=v, position=3, account="2820", credit_ore=10125),
            ]
        VoucherRow.objects.bulk_create(rows, batch_size=5000)
        first = min(v.pk for v in drafts)
        # posted in one statement (numbers 1…N in id order): the triggers allow draft → posted
        Voucher.objects.filter(fiscal_year=year).update(
            status="posted", number=F("pk") - first + 1, posted_at=timezone.now()
        )
    return actor


def bench_database_export(tenant, owner) -> None:
    import io

    from verksam.bookkeeping import export
    from verksam.bookkeeping.selectors import VoucherFilter
    from verksam.bookkeeping.sie.reader import read_sie
    from verksam.tenancy.scope import tenant_scope

    start = time.perf_counter()
    actor = _seed_database(tenant, owner)
    print(
        f"  (seeded {N_VOUCHERS:,} posted vouchers, {N_VOUCHERS * ROWS_PER_VOUCHER:,} rows in "
        f"{time.perf_counter() - start:.1f} s)"
    )
    with tenant_scope(tenant.pk):

        def run() -> bytes:
            result = export.sie_export(actor=actor, flt=VoucherFilter(series="B"))
            data = result.file.read()
            result.file.close()
            return data

        def run_spooled() -> int:
            result = export.sie_export(actor=actor, flt=VoucherFilter(series="B"))
            size = result.file.seek(0, 2)
            result.file.close()
            return size

        size = _timed(
            f"export.sie_export from the database, {N_VOUCHERS * ROWS_PER_VOUCHER:,} rows", run_spooled
        )
        print(f"    file {size / 2**20:.1f} MiB")
        data = run()
    start = time.perf_counter()
    sie = read_sie(io.BytesIO(data))
    seconds = time.perf_counter() - start
    assert sie.ksumma_ok and sie.row_count == N_VOUCHERS * ROWS_PER_VOUCHER
    print(f"  {'read_sie of that file, #KSUMMA verified':<58} {seconds:6.2f} s")


def bench_proposals(tenant, owner) -> None:
    from verksam.bookkeeping import services
    from verksam.bookkeeping.dto import Accounts, BookingIn, BookingKind, GrossPart, SourceRef
    from verksam.bookkeeping.proposals import propose
    from verksam.tenancy.access import resolve
    from verksam.tenancy.scope import tenant_scope

    bookings = [
        BookingIn(
            date=dt.date(2026, 5, 1 + n % 28),
            text=f"Utlägg {n}",
            parts=(GrossPart(25, 10_000 + n * 7), GrossPart(12, 2_000 + n), GrossPart(6, 300)),
            cost_account="5800",
            kind=BookingKind.OUTLAY if n % 2 else BookingKind.CARD,
            source=SourceRef("bench", str(n)),
        )
        for n in range(N_PROPOSALS)
    ]
    _timed(f"proposals.propose × {N_PROPOSALS:,} (pure)", lambda: [propose(b, Accounts()) for b in bookings])
    with tenant_scope(tenant.pk):
        actor = resolve(owner, tenant)
        start = time.perf_counter()
        for b in bookings:
            services.voucher_propose(actor=actor, booking=b)
        seconds = time.perf_counter() - start
    print(
        f"  {f'services.voucher_propose × {N_PROPOSALS:,} (saved drafts)':<58} {seconds:6.2f} s  "
        f"({seconds / N_PROPOSALS * 1000:.1f} ms each)"
    )


def run(tenant, owner) -> None:
    print("Bookkeeping (SIE 4I export and booking proposals):")
    bench_pure_writer()
    bench_database_export(tenant, owner)
    bench_proposals(tenant, owner)
