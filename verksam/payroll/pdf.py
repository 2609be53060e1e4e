"""The printed payroll basis (issue 9 item 2): a PDF per employee and a summary PDF for the period,
made with fpdf2 (a maintained pure-Python PDF library) from a `PayrollBasis`.

- Every page carries the company name, the title and the period in its header, and the generation
  date, "Preliminary" (while anything in the period is unattested) and "page N of M" in its footer.
- Swedish formats: dates "1 dec 2026", hours "7,50 h" (two decimals from integer minutes, as in the
  files), money "1 234,50 kr" (`verksam.core.money.Money.format_sv`).
- Font: the PDF core font Helvetica in fpdf2's Latin-1 encoding, which covers å ä ö (no font file to
  ship). Text outside Latin-1 is printed through the transliteration table of `latin1` (Ł → L),
  and anything without an entry as "?": a print must never fail on a name.
Texts are English msgids translated by gettext; the PDF is made in `language` (Swedish by default).
"""

import datetime as dt
from collections import defaultdict
from zoneinfo import ZoneInfo

from django.utils import translation
from django.utils.dateformat import format as date_format
from django.utils.translation import gettext as _
from fpdf import FPDF

from verksam.core.identifiers import format_orgnr
from verksam.core.money import Money

from .dto import (
    ABSENCE_CODES,
    BALANCE_CODES,
    Employee,
    PayrollBasis,
    TimeTransaction,
    hours_2dp,
    range_day_minutes,
)
from .latin1 import TRANSLITERATION, is_latin1

STOCKHOLM = ZoneInfo("Europe/Stockholm")
FONT = "Helvetica"


def pdf_text(value: str) -> str:
    """`value` in Latin-1 for the core font: transliterated where the table knows the letter, else "?"."""
    return "".join(c if is_latin1(c) else TRANSLITERATION.get(c, "?") for c in value)


def sv_date(day: dt.date) -> str:
    """ "1 dec 2026" (the month's abbreviation in the active language)."""
    return date_format(day, "j b Y")


def sv_period(start: dt.date, end: dt.date) -> str:
    return f"{sv_date(start)} - {sv_date(end)}"


def _grouped(number: int) -> str:
    return f"{number:,}".replace(",", "\u00a0")


def sv_hours(minutes: int) -> str:
    """ "7,50 h", "1 234,50 h", "-2,25 h": two decimals, decimal comma, grouped thousands."""
    text = hours_2dp(minutes)
    sign = "-" if text.startswith("-") else ""
    whole, cents = text.lstrip("-").split(".")
    return f"{sign}{_grouped(int(whole))},{cents}\u00a0h"


def sv_money(ore: int) -> str:
    """ "1 234,50 kr" (non-breaking spaces, as everywhere in Verksam)."""
    return Money(ore).format_sv()


def _tx_minutes(employee: Employee, tx: TimeTransaction) -> int | None:
    """Minutes of a line; a range counts the schedule's working days × extent (None without schedule)."""
    if not tx.is_range:
        return tx.minutes
    try:
        return sum(m for _day, m in range_day_minutes(tx, employee.scheduled_minutes()))
    except KeyError:
        return None


def _tx_days(tx: TimeTransaction) -> int:
    if not tx.is_range:
        return 1
    assert tx.date_from is not None and tx.date_to is not None
    return (tx.date_to - tx.date_from).days + 1


def code_totals(employee: Employee) -> list[tuple[str, str, int, int]]:
    """(code, name, minutes, days) per PAXml code in first-seen order. A range counts the working
    days the schedule gives it; without a schedule, its calendar days (and no minutes)."""
    minutes: dict[str, int] = defaultdict(int)
    days: dict[str, set[dt.date]] = defaultdict(set)
    names: dict[str, str] = {}
    for tx in employee.time:
        if tx.paxml_code in BALANCE_CODES:
            continue
        names.setdefault(tx.paxml_code, tx.name or tx.paxml_code)
        minutes[tx.paxml_code] += _tx_minutes(employee, tx) or 0
        if tx.is_range:
            assert tx.date_from is not None
            try:  # the working days the range covers in the schedule
                days[tx.paxml_code].update(
                    day for day, m in range_day_minutes(tx, employee.scheduled_minutes())
                )
            except KeyError:  # no schedule: the calendar days
                days[tx.paxml_code].update(tx.date_from + dt.timedelta(days=i) for i in range(_tx_days(tx)))
        else:
            assert tx.date is not None
            days[tx.paxml_code].add(tx.date)
    return [(code, names[code], minutes[code], len(days[code])) for code in names]


class _Document(FPDF):
    def __init__(self, basis: PayrollBasis, title: str):
        super().__init__(orientation="P", unit="mm", format="A4")
        self.basis = basis
        self.doc_title = title
        self.set_auto_page_break(auto=True, margin=18)
        self.set_margins(15, 15, 15)
        self.set_title(pdf_text(f"{title} {basis.company.name}"))
        self.set_author(pdf_text(basis.program_name))
        self.set_creation_date(basis.generated_at)
        self.alias_nb_pages()

    def header(self) -> None:
        basis = self.basis
        self.set_font(FONT, "B", 11)
        self.cell(0, 6, pdf_text(basis.company.name), new_x="LMARGIN", new_y="NEXT")
        self.set_font(FONT, "", 9)
        orgnr = format_orgnr(basis.company.orgnr)
        period = _("Period %(period)s") % {"period": sv_period(basis.period_start, basis.period_end)}
        line = f"{self.doc_title} - {period} - {orgnr}"
        self.cell(0, 5, pdf_text(line), new_x="LMARGIN", new_y="NEXT")
        self.line(15, self.get_y() + 1, 195, self.get_y() + 1)
        self.ln(4)

    def footer(self) -> None:
        basis = self.basis
        self.set_y(-13)
        self.set_font(FONT, "", 8)
        generated = sv_date(basis.generated_at.astimezone(STOCKHOLM).date())
        period = sv_period(basis.period_start, basis.period_end)
        printed = _("Printed %(date)s") % {"date": generated}
        left = f"{basis.company.name} - {period} - {printed}"
        if basis.preliminary:
            left += " - " + _("PRELIMINARY")
        self.cell(130, 5, pdf_text(left))
        page = _("Page %(page)s of %(pages)s") % {"page": self.page_no(), "pages": "{nb}"}
        self.cell(0, 5, pdf_text(page), align="R")

    # --- building blocks -------------------------------------------------------------------------
    def heading(self, text: str) -> None:
        self.ln(2)
        self.set_font(FONT, "B", 10)
        self.cell(0, 6, pdf_text(text), new_x="LMARGIN", new_y="NEXT")

    def grid(self, headings: list[str], widths: list[int], rows: list[list[str]], right: set[int]) -> None:
        self.set_font(FONT, "B", 8)
        for i, (text, width) in enumerate(zip(headings, widths, strict=True)):
            self.cell(width, 5, pdf_text(text), border="B", align="R" if i in right else "L")
        self.ln()
        self.set_font(FONT, "", 8)
        for row in rows:
            for i, (text, width) in enumerate(zip(row, widths, strict=True)):
                self.cell(width, 5, pdf_text(text), align="R" if i in right else "L")
            self.ln()
        if not rows:
            self.cell(0, 5, pdf_text(_("Nothing in the period.")), new_x="LMARGIN", new_y="NEXT")

    def notice_preliminary(self) -> None:
        if self.basis.preliminary:
            self.set_font(FONT, "B", 10)
            self.cell(
                0,
                6,
                pdf_text(_("Preliminary: time in the period is not yet attested.")),
                new_x="LMARGIN",
                new_y="NEXT",
            )

    def employee_section(self, employee: Employee) -> None:
        self.set_font(FONT, "B", 12)
        self.cell(0, 7, pdf_text(employee.name), new_x="LMARGIN", new_y="NEXT")
        self.set_font(FONT, "", 9)
        form = _("Hourly wage") if employee.is_hourly else _("Monthly salary")
        facts = [
            (_("Personnummer"), employee.personnummer),
            (_("Employment number"), employee.employment_number),
            (_("Salary form"), form),
        ]
        for label, value in facts:
            self.cell(40, 5, pdf_text(label))
            self.cell(0, 5, pdf_text(value), new_x="LMARGIN", new_y="NEXT")
        self.notice_preliminary()

        self.heading(_("Time per code"))
        rows = [
            [code, name, sv_hours(minutes), str(days)] for code, name, minutes, days in code_totals(employee)
        ]
        self.grid([_("Code"), _("Name"), _("Hours"), _("Days")], [25, 85, 40, 30], rows, right={2, 3})

        self.heading(_("Time and absence"))
        rows = []
        for tx in employee.time:
            if tx.is_range:
                assert tx.date_from is not None and tx.date_to is not None
                when = f"{sv_date(tx.date_from)} - {sv_date(tx.date_to)}"
                extent = f"{tx.extent_percent if tx.extent_percent is not None else 100} %".replace(".", ",")
            else:
                assert tx.date is not None
                when, extent = sv_date(tx.date), ""
            minutes = _tx_minutes(employee, tx)
            hours = "" if minutes is None else sv_hours(minutes)
            rows.append([when, tx.paxml_code, tx.name or tx.paxml_code, extent, hours])
        self.grid(
            [_("Date"), _("Code"), _("Name"), _("Extent"), _("Hours")],
            [50, 20, 65, 20, 25],
            rows,
            right={3, 4},
        )

        if employee.balances:
            self.heading(_("Flex and time bank"))
            rows = [
                [b.name or b.paxml_code, sv_hours(b.period_minutes), sv_hours(b.closing_minutes)]
                for b in employee.balances
            ]
            self.grid(
                [_("Balance"), _("Change in the period"), _("Balance at the end")], [40, 70, 70], rows, {1, 2}
            )

        self.heading(_("Pay lines"))
        rows = []
        for line in employee.pay_lines:
            quantity = "" if line.quantity is None else f"{line.quantity}".replace(".", ",")
            rows.append(
                [
                    "" if line.date is None else sv_date(line.date),
                    line.payroll_code or line.paxml_code,
                    line.text or line.name,
                    quantity,
                    "" if line.amount_ore is None else sv_money(line.amount_ore),
                ]
            )
        total = sum(line.amount_ore or 0 for line in employee.pay_lines)
        if rows:
            rows.append(["", "", _("Total"), "", sv_money(total)])
        self.grid(
            [_("Date"), _("Code"), _("Text"), _("Quantity"), _("Amount")], [30, 25, 75, 20, 30], rows, {3, 4}
        )


def _output(document: FPDF) -> bytes:
    return bytes(document.output())


def employee_pdf(basis: PayrollBasis, employee: Employee, *, language: str = "sv") -> bytes:
    """One employee's payroll basis for the period."""
    with translation.override(language):
        title = _("Payroll basis, correction") if basis.is_correction else _("Payroll basis")
        document = _Document(basis, title)
        document.add_page()
        document.employee_section(employee)
        return _output(document)


def summary_pdf(basis: PayrollBasis, *, language: str = "sv") -> bytes:
    """The period's summary: one row per employee, the totals per code, then each employee."""
    with translation.override(language):
        title = _("Payroll basis, correction") if basis.is_correction else _("Payroll basis, summary")
        document = _Document(basis, title)
        document.add_page()
        document.notice_preliminary()
        document.heading(_("Employees"))
        rows = []
        for employee in basis.employees:
            totals = code_totals(employee)
            absence = sum(m for code, _n, m, _d in totals if code in ABSENCE_CODES)
            other = sum(m for code, _n, m, _d in totals if code not in ABSENCE_CODES)
            amount = sum(line.amount_ore or 0 for line in employee.pay_lines)
            rows.append(
                [
                    employee.name,
                    employee.employment_number,
                    sv_hours(other),
                    sv_hours(absence),
                    sv_money(amount),
                ]
            )
        document.grid(
            [_("Employee"), _("Employment number"), _("Time"), _("Absence"), _("Pay lines")],
            [60, 30, 30, 30, 30],
            rows,
            right={2, 3, 4},
        )
        document.heading(_("Totals per code"))
        per_code: dict[str, list] = {}
        for employee in basis.employees:
            for code, name, minutes, days in code_totals(employee):
                entry = per_code.setdefault(code, [name, 0, 0])
                entry[1] += minutes
                entry[2] += days
        rows = [
            [code, name, sv_hours(minutes), str(days)] for code, (name, minutes, days) in per_code.items()
        ]
        document.grid([_("Code"), _("Name"), _("Hours"), _("Days")], [25, 85, 40, 30], rows, right={2, 3})
        total = sum(line.amount_ore or 0 for e in basis.employees for line in e.pay_lines)
        document.heading(_("Pay lines in total: %(amount)s") % {"amount": sv_money(total)})
        for employee in basis.employees:
            document.add_page()
            document.employee_section(employee)
        return _output(document)
