"""A payroll basis to test the writers with: two monthly employees and an hourly one over the
16th–15th period across New Year, with a schedule, absence ranges, overtime, flex and outlays."""

import dataclasses
import datetime as dt
from decimal import Decimal
from pathlib import Path

from django.conf import settings

from verksam.payroll.dto import (
    Balance,
    Company,
    Employee,
    PayLine,
    PayrollBasis,
    ScheduleDay,
    TimeTransaction,
)

START = dt.date(2026, 12, 16)
END = dt.date(2027, 1, 15)
GENERATED = dt.datetime(2027, 1, 18, 7, 30, 5, tzinfo=dt.UTC)
HOLIDAYS = {
    dt.date(2026, 12, 24),
    dt.date(2026, 12, 25),
    dt.date(2026, 12, 26),
    dt.date(2027, 1, 1),
    dt.date(2027, 1, 6),
}
# valid personnummer (Luhn) for the people in the tests
ASA = "198112189876"
LUKASZ = "199001011387"
ELIF = "197505054382"
CHILD = "201501012387"


def schedule(minutes: int = 480, start: dt.date = START, end: dt.date = END) -> tuple[ScheduleDay, ...]:
    days = []
    day = start
    while day <= end:
        working = day.weekday() < 5 and day not in HOLIDAYS
        days.append(ScheduleDay(day, minutes if working else 0))
        day += dt.timedelta(days=1)
    return tuple(days)


def basis(**changes) -> PayrollBasis:
    asa = Employee(
        "Åsa",
        "Öberg",
        ASA,
        "1001",
        "monthly",
        schedule=schedule(),
        time=(
            TimeTransaction("SJK", date=dt.date(2026, 12, 17), minutes=450, payroll_code="050", name="Sjuk"),
            TimeTransaction(
                "SEM",
                date_from=dt.date(2026, 12, 28),
                date_to=dt.date(2027, 1, 3),
                payroll_code="040",
                name="Semester",
            ),
            TimeTransaction(
                "VAB",
                date_from=dt.date(2027, 1, 11),
                date_to=dt.date(2027, 1, 11),
                extent_percent=Decimal("50"),
                payroll_code="060",
                name="Vård av barn",
                child_personnummer=CHILD,
            ),
            TimeTransaction(
                "ÖT1", date=dt.date(2027, 1, 12), minutes=95, payroll_code="020", name="Övertid 1"
            ),
            TimeTransaction("FLX", date=dt.date(2027, 1, 13), minutes=30, name="Flex"),
        ),
        pay_lines=(
            PayLine(
                "UTLÄGG",
                "U10",
                date=dt.date(2027, 1, 5),
                amount_ore=123450,
                text="Tåg Göteborg",
                name="Utlägg",
            ),
            PayLine(
                "MIL_FRI",
                "U20",
                date=dt.date(2027, 1, 7),
                quantity=Decimal("12.5"),
                unit_price_ore=2500,
                amount_ore=31250,
                name="Milersättning",
            ),
        ),
        balances=(Balance("FLX", 30, 150, "Flex", "Flex"), Balance("TS1", 0, -120, "080", "Komptid")),
    )
    lukasz = Employee(
        "Łukasz",
        "Wiśniewski",
        LUKASZ,
        "20017",
        "monthly",
        schedule=schedule(240),  # part time 50 %
        time=(
            TimeTransaction(
                "TJL", date=dt.date(2027, 1, 4), minutes=240, payroll_code="090", name="Tjänstledig"
            ),
        ),
    )
    elif_ = Employee(
        "Elif",
        "Yılmaz",
        ELIF,
        "30005",
        "hourly",
        time=tuple(
            TimeTransaction("ARB", date=day, minutes=minutes, payroll_code="010", name="Arbetad tid")
            for day, minutes in (
                (dt.date(2027, 1, 11), 480),
                (dt.date(2027, 1, 12), 437),
                (dt.date(2027, 1, 13), 1),
            )
        )
        + (
            TimeTransaction(
                "OB1", date=dt.date(2027, 1, 12), minutes=120, payroll_code="310", name="OB kväll"
            ),
        ),
    )
    value = PayrollBasis(
        Company("Bygg & Måleri i Norr AB", "5566778899"),
        START,
        END,
        GENERATED,
        (asa, lukasz, elif_),
        keeps_schedules=True,
    )
    return dataclasses.replace(value, **changes) if changes else value


def employee(b: PayrollBasis, number: str) -> Employee:
    return next(e for e in b.employees if e.employment_number == number)


def with_employee(b: PayrollBasis, number: str, **changes) -> PayrollBasis:
    return dataclasses.replace(
        b,
        employees=tuple(
            dataclasses.replace(e, **changes) if e.employment_number == number else e for e in b.employees
        ),
    )


def reference(*parts: str) -> Path | None:
    """A file in the shared reference folder (`shared/ref/`), beside the checkout in CI and in
    /work/shared on a developer's machine; None where neither has it."""
    for root in (Path(settings.BASE_DIR).parent / "shared" / "ref", Path("/work/shared/ref")):
        path = root.joinpath(*parts)
        if path.exists():
            return path
    return None
