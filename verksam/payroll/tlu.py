"""Visma Lön 300/600 time and outlay import files (`.tlu`, issue 9 item 3): XML in ISO-8859-1,
written with lxml from a `PayrollBasis` and validated against Visma's XSD
(`schemas/visma-lon-300-600-import.xsd`) before they are returned; an invalid file raises
`PayrollFileInvalid` (a bug).

How the basis becomes a TLU file (the element structure of Visma's own sample file, ExportVersion 1.2):
- `SalaryData`: ProgramName, ExportVersion 1.2, Created (the generation date), Type SalaryData,
  Language Swedish, CompanyName, OrgNo (NNNNNN-NNNN), Imported 0, no book distribution.
- `TimeCodes`: every Visma code the file uses, named by the company's name for it; AbsenceType 1 for
  PAXml absence codes, 991 for flex, else 0; RegularWorkingTime 1 for ordinary time (TID/ARB).
  The attribute is spelt as the XSD spells it (`RegularWorkingTime`); Visma Tid's own sample writes
  `RegularworkingTime`, which its XSD rejects.
- `SalaryDataEmployee/Employee` (EmploymentNo, FirstName, Name = last name, PersonalNo, HourlyWage
  1 for hourly staff, the period as FromDate/ToDate), with:
  - `NormalWorkingTimes`: one row per day of the period with the scheduled hours when the company
    keeps schedules (empty otherwise, as Visma writes it for staff without a schedule) and the day's
    flex (the FLX lines of that day).
  - `Times`: one row per day and code: `TimeCode` is the **Visma code** (the mapped lönart; the
    checks refuse unmapped codes for Visma), SumOfHours with two decimals. Visma has no date ranges,
    so an absence range is spread over the schedule's working days (scheduled minutes × extent).
    FLX and TS1–9 lines are balances, not time: flex goes to NormalWorkingTimes, the rest to
    TimeBalances.
  - `TimeAdjustments`: empty.
  - `TimeBalances`: each balance with a Visma code (period movement and closing balance, already
    converted), then `##SumComp##` with the time-bank (TS1–9) totals as Visma writes it.
  - `RegOutlays`: one per pay line: OutlayCode = the Visma code, OutlayCodeName = its name,
    OutlayType "Milersättning" for PAXml MIL* codes, "Representation" for REP*, else "Utlägg" (per
    diem included), NoOfPrivate = the quantity, SumOfPrivate = the amount, SumOfPrivateTax = the
    taxable part (the whole amount of a PAXml `_SKT` code, else 0), InternNote = the text cut to
    50 characters (Visma's limit).
- Visma's XSD wants at least one Time per employee and one TimeCode: an employee with no time rows
  is left out of the file; one who has outlays but no time cannot be written (refused, with the
  reason); a basis with nothing to import is refused.

Text outside ISO-8859-1 is transliterated by `latin1.TRANSLITERATION` or refused (`on_unencodable`),
naming the employee and the field (`latin1.to_latin1`). Line ends are CRLF like Visma's files.
"""

from collections import defaultdict

from django.utils.translation import gettext as _
from lxml import etree

from verksam.core.identifiers import format_orgnr

from .dto import (
    ABSENCE_CODES,
    BALANCE_CODES,
    FLEX_CODE,
    ORDINARY_CODES,
    Employee,
    PayLine,
    PayrollBasis,
    TimeTransaction,
    decimal_plain,
    hours_2dp,
    ore_2dp,
    range_day_minutes,
    xml_safe,
)
from .errors import PayrollFileInvalid, PayrollFileRefused
from .latin1 import TRANSLITERATE, to_latin1
from .xsd import Validator

VALIDATOR = Validator("visma-lon-300-600-import.xsd")
SCHEMA_PATH = VALIDATOR.path
SUM_COMP = "##SumComp##"
NOTE_MAX = 50


def validation_errors(content: bytes) -> list[str]:
    """The XSD's complaints about a file (empty when it is valid)."""
    return VALIDATOR.errors(content)


def _sub(parent: etree._Element, tag: str, **attrib: str) -> etree._Element:
    return etree.SubElement(parent, tag, attrib)


def _absence_type(paxml_code: str) -> str:
    if paxml_code == FLEX_CODE:
        return "991"
    return "1" if paxml_code in ABSENCE_CODES else "0"


def _outlay_type(line: PayLine) -> str:
    if line.paxml_code.startswith("MIL"):
        return "Milersättning"
    if line.paxml_code.startswith("REP"):
        return "Representation"
    return "Utlägg"


class _Writer:
    def __init__(self, basis: PayrollBasis, mode: str):
        self.basis = basis
        self.mode = mode
        self.codes: dict[str, tuple[str, str]] = {}  # Visma code → (name, PAXml code)

    def text(self, value: str, employee: str, field: str) -> str:
        return to_latin1(xml_safe(value), employee=employee, field=field, mode=self.mode)

    def use_code(self, code: str, name: str, paxml_code: str, who: str) -> str:
        code = self.text(code, who, _("payroll code"))
        if code not in self.codes:
            self.codes[code] = (self.text(name or code, who, _("name of the code")), paxml_code)
        return code

    def day_rows(self, employee: Employee) -> tuple[dict[tuple, int], dict]:
        """Minutes per (date, Visma code) in the order first seen, and flex minutes per date."""
        rows: dict[tuple, int] = {}
        flex: dict = defaultdict(int)
        schedule = employee.scheduled_minutes()
        for tx in employee.time:
            days = self._days(employee, tx, schedule)
            if tx.paxml_code == FLEX_CODE:
                for day, minutes in days:
                    flex[day] += minutes
                continue
            if tx.paxml_code in BALANCE_CODES:
                continue
            code = self.use_code(tx.payroll_code, tx.name, tx.paxml_code, employee.name)
            for day, minutes in days:
                rows[(day, code)] = rows.get((day, code), 0) + minutes
        return rows, flex

    def _days(self, employee: Employee, tx: TimeTransaction, schedule: dict) -> list:
        if not tx.is_range:
            return [(tx.date, tx.minutes)]
        try:
            return range_day_minutes(tx, schedule)
        except KeyError as exc:
            raise PayrollFileRefused(
                _(
                    "%(employee)s: the schedule does not cover %(day)s, so %(code)s cannot be spread "
                    "over the working days."
                )
                % {"employee": employee.name, "day": exc.args[0].isoformat(), "code": tx.paxml_code},
                code="range_without_schedule",
            ) from exc

    def employee(self, parent: etree._Element, employee: Employee) -> None:
        basis = self.basis
        who = employee.name
        rows, flex = self.day_rows(employee)
        if not rows:
            if employee.pay_lines:
                raise PayrollFileRefused(
                    _(
                        "%(employee)s has outlays but no time in the period, and Visma Lön's import "
                        "file needs at least one time row per employee."
                    )
                    % {"employee": who},
                    code="tlu_outlays_without_time",
                )
            return
        element = _sub(
            parent,
            "Employee",
            EmploymentNo=self.text(employee.employment_number, who, _("employment number")),
            FirstName=self.text(employee.first_name, who, _("first name")),
            Name=self.text(employee.last_name, who, _("last name")),
            PersonalNo=employee.personnummer,
            HourlyWage="1" if employee.is_hourly else "0",
            FromDate=basis.period_start.isoformat(),
            ToDate=basis.period_end.isoformat(),
        )
        schedule = employee.scheduled_minutes() if basis.keeps_schedules else {}
        normal = _sub(element, "NormalWorkingTimes")
        for day in basis.days():
            scheduled = schedule.get(day)
            _sub(
                normal,
                "NormalWorkingTime",
                DateOfReport=day.isoformat(),
                NormalWorkingTimeHours="" if scheduled is None else hours_2dp(scheduled),
                FlexTimeHours=hours_2dp(flex[day]) if day in flex else ("" if scheduled is None else "0.00"),
            )
        times = _sub(element, "Times")
        for (day, code), minutes in sorted(rows.items(), key=lambda item: item[0][0]):
            _sub(times, "Time", DateOfReport=day.isoformat(), TimeCode=code, SumOfHours=hours_2dp(minutes))
        _sub(element, "TimeAdjustments")
        balances = _sub(element, "TimeBalances")
        comp_period = comp_closing = 0
        for balance in employee.balances:
            if balance.paxml_code != FLEX_CODE:
                comp_period += balance.period_minutes
                comp_closing += balance.closing_minutes
            code = self.use_code(balance.payroll_code, balance.name, balance.paxml_code, who)
            _sub(
                balances,
                "TimeBalance",
                TimeCode=code,
                PeriodRegHours=hours_2dp(balance.period_minutes),
                ConvPeriodRegHours=hours_2dp(balance.period_minutes),
                AccRegHours=hours_2dp(balance.closing_minutes),
                ConvAccRegHours=hours_2dp(balance.closing_minutes),
            )
        _sub(
            balances,
            "TimeBalance",
            TimeCode=SUM_COMP,
            PeriodRegHours="",
            ConvPeriodRegHours=hours_2dp(comp_period),
            AccRegHours="",
            ConvAccRegHours=hours_2dp(comp_closing),
        )
        outlays = _sub(element, "RegOutlays")
        for line in employee.pay_lines:
            code = self.text(line.payroll_code, who, _("payroll code"))
            _sub(
                outlays,
                "RegOutlay",
                DateOfReport=(line.date or basis.period_end).isoformat(),
                OutlayCode=code,
                OutlayCodeName=self.text(line.name or code, who, _("name of the code"))[:NOTE_MAX],
                OutlayType=_outlay_type(line),
                NoOfPrivate="" if line.quantity is None else decimal_plain(line.quantity),
                Unit="",
                SumOfPrivate=ore_2dp(line.amount_ore or 0),
                SumOfPrivateTax=ore_2dp(line.amount_ore or 0) if line.taxable else "0.00",
                InternNote=self.text(line.text, who, _("note"))[:NOTE_MAX],
            )

    def build(self) -> etree._Element:
        basis = self.basis
        company = basis.company
        root = etree.Element(
            "SalaryData",
            ProgramName=self.text(basis.program_name, company.name, _("program name")),
            ExportVersion="1.2",
            Created=basis.generated_at.date().isoformat(),
            Type="SalaryData",
            Language="Swedish",
            CompanyName=self.text(company.name, company.name, _("company name")),
            OrgNo=format_orgnr(company.orgnr),
            Imported="0",
            BookDistributionProject="0",
            BookDistributionResultUnit="0",
        )
        time_codes = _sub(root, "TimeCodes")
        employees = _sub(
            root,
            "SalaryDataEmployee",
            FromDate=basis.period_start.isoformat(),
            ToDate=basis.period_end.isoformat(),
        )
        for employee in basis.employees:
            self.employee(employees, employee)
        if not len(employees):
            raise PayrollFileRefused(
                _("There is no time to export for the chosen employees in the period."), code="tlu_empty"
            )
        for code, (name, paxml_code) in self.codes.items():
            _sub(
                time_codes,
                "TimeCode",
                Code=code,
                TimeCodeName=name[:NOTE_MAX],
                AbsenceType=_absence_type(paxml_code),
                RegularWorkingTime="1" if paxml_code in ORDINARY_CODES else "0",
                ConversionFactorTime="",
                Active="1",
            )
        return root


def write_tlu(basis: PayrollBasis, *, on_unencodable: str = TRANSLITERATE) -> bytes:
    """The Visma Lön TLU file (ISO-8859-1, CRLF), validated against Visma's XSD."""
    root = _Writer(basis, on_unencodable).build()
    content = etree.tostring(root, xml_declaration=True, encoding="ISO-8859-1", pretty_print=True)
    content = content.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")
    errors = validation_errors(content)
    if errors:
        raise PayrollFileInvalid("Visma Lön TLU", errors)
    return content
