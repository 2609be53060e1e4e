"""Payroll file figures for `make bench` (issue 9's performance section, the pure part): writing the
files and PDFs of a basis of 500 employees × one month (≈ 11,000 days of time), already in memory.
Time and peak memory per writer; no queries are made here (building the basis from the database
is measured with the selectors that do it)."""

import datetime as dt
import time
import tracemalloc
from decimal import Decimal

N_EMPLOYEES = 500
START, END = dt.date(2026, 10, 1), dt.date(2026, 10, 31)  # contains the DST change of 25 October


def build_basis():
    from verksam.payroll.dto import Company, Employee, PayLine, PayrollBasis, ScheduleDay, TimeTransaction

    days = [START + dt.timedelta(days=i) for i in range((END - START).days + 1)]
    schedule = tuple(ScheduleDay(d, 480 if d.weekday() < 5 else 0) for d in days)
    employees = []
    for n in range(N_EMPLOYEES):
        hourly = n % 3 == 0
        time_lines = [
            TimeTransaction(
                "ARB" if hourly else "ÖT1", date=d, minutes=480 if hourly else 60, payroll_code="010"
            )
            for d in days
            if d.weekday() < 5
        ]
        time_lines.append(
            TimeTransaction(
                "SEM", date_from=dt.date(2026, 10, 19), date_to=dt.date(2026, 10, 23), payroll_code="040"
            )
        )
        employees.append(
            Employee(
                f"Förnamn{n}",
                f"Efternamn{n}",
                "198112189876",
                str(10000 + n),
                "hourly" if hourly else "monthly",
                schedule=schedule,
                time=tuple(time_lines),
                pay_lines=(
                    PayLine("UTLÄGG", "U1", date=dt.date(2026, 10, 9), amount_ore=12345),
                    PayLine(
                        "MIL_FRI", "U2", date=dt.date(2026, 10, 9), quantity=Decimal("42.5"), amount_ore=10625
                    ),
                ),
            )
        )
    return PayrollBasis(
        Company("Bench AB", "5566778899"),
        START,
        END,
        dt.datetime(2026, 11, 2, 8, tzinfo=dt.UTC),
        tuple(employees),
        keeps_schedules=True,
    )


def measure(label: str, func, *, memory: bool = True) -> None:
    """Wall time of one call, then (when asked) the peak of the Python heap in a second call:
    tracemalloc slows the call down, so it never runs under the clock. lxml's own C buffers are not
    on the Python heap; the file size bounds them."""
    start = time.perf_counter()
    result = func()
    seconds = time.perf_counter() - start
    peak = ""
    if memory:
        tracemalloc.start()
        func()
        peak = f"peak {tracemalloc.get_traced_memory()[1] / 2**20:6.1f} MiB"
        tracemalloc.stop()
    size = len(result) if isinstance(result, bytes) else len(result.content)
    print(f"  {label:<45} {seconds:6.2f} s  {peak:<16} file {size / 2**20:5.1f} MiB")


def run() -> None:
    from verksam.payroll.dto import Target
    from verksam.payroll.files import make_file
    from verksam.payroll.pdf import employee_pdf, summary_pdf

    basis = build_basis()
    days = sum(len(e.time) for e in basis.employees)
    print(
        f"Payroll files, {N_EMPLOYEES} employees × October 2026 ({days} time lines), checked and validated:"
    )
    for target in (Target.PAXML, Target.HOGIA, Target.KONTEK, Target.VISMA):
        measure(f"make_file({target.value})", lambda t=target: make_file(basis, t))
    measure("employee_pdf (one employee)", lambda: employee_pdf(basis, basis.employees[0]))
    measure(f"summary_pdf ({N_EMPLOYEES + 1} pages)", lambda: summary_pdf(basis), memory=False)
