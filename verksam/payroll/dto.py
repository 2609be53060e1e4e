"""The payroll basis (löneunderlag) as the file writers, the checks and the PDFs read it (issue 9).

Frozen values, no queries: the selectors that build a `PayrollBasis` from attested time (issue 8's
`verksam.timereporting.worktime.DayResult.lines`), absence ranges, balances and expenses live
elsewhere; everything here is pure so the same basis gives the same bytes every time.

Units (DESIGN.md rules 14 and 15): durations in integer minutes, money in integer öre, percentages
as `Decimal` with at most two decimals (PAXml `procentTYPE`). Hours with two decimals are produced
only at the edge, by `hours_2dp` (files) and `verksam.payroll.pdf` (print), with integer arithmetic.
"""

import datetime as dt
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from typing import Protocol

SALARY_MONTHLY = "monthly"  # verksam.tenancy.models.SalaryForm.MONTHLY
SALARY_HOURLY = "hourly"  # verksam.tenancy.models.SalaryForm.HOURLY
HUNDRED = Decimal(100)


class Target(StrEnum):
    """The payroll systems a file is made for. The values match `timecodes.PayrollSystem` where it
    has them (its mapped codes are looked up by these values); Hogia is new with issue 9."""

    PAXML = "paxml"
    FORTNOX = "fortnox"
    CRONA = "crona"
    HOGIA = "hogia"
    KONTEK = "kontek"
    VISMA = "visma"

    @property
    def is_paxml(self) -> bool:
        return self is not Target.VISMA


@dataclass(frozen=True)
class Company:
    name: str
    orgnr: str  # 10 digits, as stored (verksam.core.identifiers.normalize_orgnr)


@dataclass(frozen=True)
class ScheduleDay:
    """The scheduled minutes of one day (0 on a day off, a weekend or a röd dag)."""

    date: dt.date
    minutes: int


@dataclass(frozen=True)
class TimeTransaction:
    """One line of time: either a day with minutes (`date` + `minutes`), or a date range with an
    extent (`date_from` + `date_to` + `extent_percent`, 100 % when None: the schedule's hours of each
    working day in the range, DOMAIN.md "absence ranges").

    `paxml_code` is the PAXml `tidkod`; `payroll_code` is the target system's own code (lönart) when
    the company mapped one (Visma needs it; PAXml files carry the PAXml code). Minutes may be
    negative in a correction file (a reversal)."""

    paxml_code: str
    date: dt.date | None = None
    minutes: int | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    extent_percent: Decimal | None = None
    payroll_code: str = ""
    name: str = ""  # the time code's or absence type's name, as the company calls it
    child_personnummer: str = ""  # VAB: the child (PAXml `barn`)
    text: str = ""

    def __post_init__(self) -> None:
        is_day = self.date is not None and self.minutes is not None
        is_range = self.date_from is not None and self.date_to is not None
        if is_day == is_range:
            raise ValueError("a time transaction is either a day with minutes or a date range")
        if is_range:
            assert self.date_from is not None and self.date_to is not None
            if self.date_to < self.date_from:
                raise ValueError("date_to before date_from")
            if self.minutes is not None or self.date is not None:
                raise ValueError("a date range has no date or minutes of its own")
        if self.extent_percent is not None:
            if not is_range:
                raise ValueError("an extent belongs to a date range")
            pct = Decimal(self.extent_percent)
            if not (0 < pct <= HUNDRED) or pct != pct.quantize(Decimal("0.01")):
                raise ValueError("extent is a percentage above 0 and at most 100, with two decimals")

    @property
    def is_range(self) -> bool:
        return self.date_from is not None

    @property
    def first_day(self) -> dt.date:
        day = self.date if self.date is not None else self.date_from
        assert day is not None
        return day


@dataclass(frozen=True)
class PayLine:
    """A pay line (PAXml `lonetrans`): an outlay, mileage, per diem, bonus… `paxml_code` is the PAXml
    `lonkod` (UTLÄGG, MIL_FRI…), `payroll_code` the target system's lönart, which wins when both are
    there (PAXml 2.0 spec). Quantity (antal: km, days, hours) as a Decimal, prices and amounts in öre."""

    paxml_code: str = ""
    payroll_code: str = ""
    date: dt.date | None = None
    quantity: Decimal | None = None
    unit_price_ore: int | None = None
    amount_ore: int | None = None
    text: str = ""
    name: str = ""  # the expense type's name ("Utlägg", "Milersättning")

    def __post_init__(self) -> None:
        if not (self.paxml_code or self.payroll_code):
            raise ValueError("a pay line needs a PAXml code or a payroll code")

    @property
    def taxable(self) -> bool:
        """PAXml's `_SKT` codes are the taxable part of an allowance (DOMAIN.md)."""
        return self.paxml_code.endswith("_SKT")


@dataclass(frozen=True)
class Balance:
    """A flex or time-bank balance (PAXml FLX, TS1–9): the period's movement and the closing balance,
    both attested time only. `payroll_code` is the target system's code for it (Visma: "Flex")."""

    paxml_code: str
    period_minutes: int
    closing_minutes: int
    payroll_code: str = ""
    name: str = ""  # "Flex", "Komptid"


@dataclass(frozen=True)
class Employee:
    first_name: str
    last_name: str
    personnummer: str  # 12 digits as stored; the checks say when it is not
    employment_number: str
    salary_form: str = SALARY_MONTHLY
    schedule: tuple[ScheduleDay, ...] = ()
    time: tuple[TimeTransaction, ...] = ()
    pay_lines: tuple[PayLine, ...] = ()
    balances: tuple[Balance, ...] = ()

    @property
    def name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def is_hourly(self) -> bool:
        return self.salary_form == SALARY_HOURLY

    def scheduled_minutes(self) -> dict[dt.date, int]:
        return {day.date: day.minutes for day in self.schedule}


@dataclass(frozen=True)
class PayrollBasis:
    """A company's payroll basis for one deviation period and the chosen employees.

    `keeps_schedules`: the company keeps its work schedules in Verksam, so PAXml files carry
    `schematransaktioner` and TLU files the scheduled hours of each day."""

    company: Company
    period_start: dt.date
    period_end: dt.date
    generated_at: dt.datetime  # aware; written in Europe/Stockholm
    employees: tuple[Employee, ...] = ()
    keeps_schedules: bool = False
    preliminary: bool = False
    program_name: str = "Verksam"
    is_correction: bool = False  # only the differences to a file already exported (corrections.py)

    def __post_init__(self) -> None:
        if self.period_end < self.period_start:
            raise ValueError("period_end before period_start")
        if self.generated_at.tzinfo is None:
            raise ValueError("generated_at must be aware")

    def days(self) -> Iterator[dt.date]:
        day = self.period_start
        while day <= self.period_end:
            yield day
            day += dt.timedelta(days=1)


_NOT_XML = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_safe(value: str) -> str:
    """`value` without the characters XML 1.0 cannot hold (control characters other than tab and
    line ends, U+FFFE/U+FFFF): invisible in a name or a note, and a file must not fail on them."""
    return _NOT_XML.sub("", value)


def hours_2dp(minutes: int, *, decimal_mark: str = ".") -> str:
    """Minutes as hours with exactly two decimals ("450" → "7.50"), integer arithmetic only.

    An hour is 100 hundredths, a minute 5/3 of one, so the hundredths are `minutes * 5 / 3`,
    rounded half away from zero (a remainder of 2 thirds rounds up; 1 third down). Multiples of three
    minutes are exact; 1 minute is 0.02 h, 2 minutes 0.03 h."""
    sign = "-" if minutes < 0 else ""
    whole, rest = divmod(abs(minutes) * 5, 3)
    hundredths = whole + (1 if rest * 2 >= 3 else 0)
    hours, cents = divmod(hundredths, 100)
    return f"{sign}{hours}{decimal_mark}{cents:02d}"


def ore_2dp(ore: int) -> str:
    """Öre as kronor with two decimals and a point ("123450" → "1234.50"), as the files want it."""
    sign = "-" if ore < 0 else ""
    whole, cents = divmod(abs(ore), 100)
    return f"{sign}{whole}.{cents:02d}"


def decimal_plain(value: Decimal) -> str:
    """A Decimal without exponent or needless trailing zeros ("8.40" → "8.4", "100" → "100")."""
    return format(Decimal(value).normalize(), "f")


def range_day_minutes(tx: TimeTransaction, schedule: dict[dt.date, int]) -> list[tuple[dt.date, int]]:
    """A date range expanded over the schedule: each day with scheduled time gets its scheduled
    minutes × the extent, rounded half up to whole minutes (a day off gets nothing). Raises KeyError
    naming the first day in the range the schedule does not cover."""
    assert tx.date_from is not None and tx.date_to is not None
    pct = Decimal(tx.extent_percent) if tx.extent_percent is not None else HUNDRED
    days: list[tuple[dt.date, int]] = []
    day = tx.date_from
    while day <= tx.date_to:
        if day not in schedule:
            raise KeyError(day)
        scheduled = schedule[day]
        if scheduled:
            minutes = (Decimal(scheduled) * pct / HUNDRED).quantize(Decimal(1), rounding=ROUND_HALF_UP)
            days.append((day, int(minutes)))
        day += dt.timedelta(days=1)
    return days


# PAXml codes by what they are (DOMAIN.md "PAXml 2.0"; spec pp. 17–20).
ABSENCE_CODES = frozenset(
    {"SJK", "SJK_KAR", "SJK_LÖN", "SJK_ERS", "SJK_PEN", "ASK", "HAV", "FPE", "VAB", "SMB", "UTB", "MIL"}
    | {"SVE", "NÄR", "TJL", "SEM", "SEM_BET", "SEM_SPA", "SEM_OBE", "SEM_FÖR", "KOM", "PEM", "PER"}
    | {"FAC", "ATK", "KON", "PAP", "ATF"}
    | {f"FR{n}" for n in range(1, 10)}
)
FLEX_CODE = "FLX"
BALANCE_CODES = frozenset({FLEX_CODE} | {f"TS{n}" for n in range(1, 10)})
ORDINARY_CODES = frozenset({"TID", "ARB"})


class PayrollLineLike(Protocol):
    """What the payroll basis reads of a day's payroll line: issue 8's
    `verksam.timereporting.worktime.PayrollLine` (`DayResult.lines`), kept structural so this module
    does not depend on how that one is built."""

    paxml_code: str
    minutes: int
    is_deviation: bool


def day_transactions(
    day: dt.date,
    lines: Iterable[PayrollLineLike],
    *,
    flex_minutes: int = 0,
    codes: Mapping[str, tuple[str, str]] | None = None,
) -> tuple[TimeTransaction, ...]:
    """One day's time transactions from its classified payroll lines (DOMAIN.md "Working time"):
    only deviations (a monthly employee's TID within the schedule is paid by the monthly salary and
    not exported; an hourly employee's every line is a deviation), one transaction per code with the
    minutes summed, the day's flex as FLX when it is not zero. `codes` maps a PAXml code to the
    target system's (payroll code, name) where the company mapped one."""
    codes = codes or {}
    minutes: dict[str, int] = {}
    for line in lines:
        if line.is_deviation and line.minutes:
            minutes[line.paxml_code] = minutes.get(line.paxml_code, 0) + line.minutes
    if flex_minutes:
        minutes[FLEX_CODE] = minutes.get(FLEX_CODE, 0) + flex_minutes
    result = []
    for code, total in minutes.items():
        payroll_code, name = codes.get(code, ("", ""))
        result.append(TimeTransaction(code, date=day, minutes=total, payroll_code=payroll_code, name=name))
    return tuple(result)
