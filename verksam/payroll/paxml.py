"""PAXml 2.0 payroll files (DOMAIN.md "PAXml 2.0"; issue 9 item 3), written with lxml from a
`PayrollBasis` and validated against `schemas/paxml-2.0.xsd` before they are returned: a file the XSD
rejects raises `PayrollFileInvalid` (a bug), it is never offered.

What every variant writes (format `LÖNIN`, version 2.0, UTF-8, root with
`xsi:noNamespaceSchemaLocation="http://www.paxml.se/2.0/paxml.xsd"`):
- `header`: format, version, datum (generation time in Europe/Stockholm, whole seconds),
  foretagorgnr (NNNNNN-NNNN, as the real Workify and Fieldly files write it), foretagnamn, programnamn.
- `tidtransaktioner/tidtrans`: `tidkod` (the PAXml code), then either `datum` + `timmar` (hours with
  exactly two decimals, from integer minutes by `dto.hours_2dp`), or `datumfrom` + `datumtom` with
  `omfattning` (percent; left out for 100 %, which is what PAXml assumes), `barn` for VAB.
  The section is left out when no employee has time (the XSD wants at least one `tidtrans`).
- `lonetransaktioner/lonetrans`: `lonkod` (the PAXml code) and `lonart` (the payroll system's own
  code, which wins in the payroll system when both are there), `benamning`, `datum`, `antal`,
  `apris` and `belopp` in kronor with two decimals.
- `schematransaktioner/schema/dag` (datum, timmar) for every day of the period the schedule covers,
  days off with 0, only when the company keeps its schedules in Verksam (`basis.keeps_schedules`).
- `personal/person`: fornamn, efternamn, lonform (MÅN / TIM), unless the variant leaves it out.

The variants (`VARIANTS`), and why:
- **PAXml (standard)**: transactions carry both `anstid` (employment number) and `persnr`
  (12 digits); `personal` included; absence ranges stay ranges with `omfattning`.
- **Fortnox Lön**: Fortnox matches employees on the employment number (its import instructions ask
  that the numbers agree) and imports the payroll basis (Lön – Kalender) separately from the staff
  register (Register – Personal), so the file carries no `personal` section; transactions carry
  `anstid` and `persnr`. Fortnox's register lists paid overtime under its own codes (ÖB1–5); the
  file keeps PAXml's ÖT1–5 (ÖB is not in the XSD's closed list), which the company maps in Fortnox.
- **Crona Lön**: matched on the employment number only: transactions carry `anstid` and no
  `persnr`, so a personnummer can never route a line to another person; `personal` carries both.
- **Hogia Lön**: matched on the employment number (`anstid` only on transactions). Hogia builds its
  deviation periods from day rows against the schedule, so absence ranges are written **day by
  day**: one `tidtrans` per scheduled working day with `datum` + `timmar` (the day's scheduled
  minutes × the extent), never `datumfrom`/`datumtom`; days off get no row.
- **Kontek Lön**: Kontek keeps only four digits of the employment number, so `anstid` is the
  **last four characters** of it everywhere (transactions, schedule, personal); the checks refuse a
  file where two chosen employees share those four (`checks.check_basis`). `persnr` is on
  `personal` only, as for Crona.
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from functools import cache
from zoneinfo import ZoneInfo

from django.utils.translation import gettext as _
from lxml import etree

from verksam.core.identifiers import format_orgnr

from .dto import (
    Employee,
    PayLine,
    PayrollBasis,
    Target,
    TimeTransaction,
    decimal_plain,
    hours_2dp,
    ore_2dp,
    range_day_minutes,
    xml_safe,
)
from .errors import PayrollFileInvalid, PayrollFileRefused
from .xsd import Validator, safe_parser

VALIDATOR = Validator("paxml-2.0.xsd")
SCHEMA_PATH = VALIDATOR.path
XSI = "http://www.w3.org/2001/XMLSchema-instance"
SCHEMA_LOCATION = "http://www.paxml.se/2.0/paxml.xsd"
STOCKHOLM = ZoneInfo("Europe/Stockholm")


def _whole(number: str) -> str:
    return number


def _last_four(number: str) -> str:
    return number[-4:]


@dataclass(frozen=True)
class Variant:
    target: Target
    label: str
    persnr_on_transactions: bool = True
    personal_section: bool = True
    absence_day_by_day: bool = False
    anstid: Callable[[str], str] = _whole


VARIANTS: dict[Target, Variant] = {
    Target.PAXML: Variant(Target.PAXML, "PAXml 2.0"),
    Target.FORTNOX: Variant(Target.FORTNOX, "Fortnox Lön", personal_section=False),
    Target.CRONA: Variant(Target.CRONA, "Crona Lön", persnr_on_transactions=False),
    Target.HOGIA: Variant(Target.HOGIA, "Hogia Lön", persnr_on_transactions=False, absence_day_by_day=True),
    Target.KONTEK: Variant(Target.KONTEK, "Kontek Lön", persnr_on_transactions=False, anstid=_last_four),
}


def anstid_for(target: Target, employment_number: str) -> str:
    """The `anstid` a target system matches on (Kontek: the last four characters)."""
    return VARIANTS[target].anstid(employment_number) if target in VARIANTS else employment_number


@cache
def paxml_codes(type_name: str) -> frozenset[str]:
    """The closed list of a PAXml simple type (`tidkodTYPE`, `lonekodTYPE`) read from the XSD."""
    xs = {"xs": "http://www.w3.org/2001/XMLSchema"}
    tree = etree.parse(str(SCHEMA_PATH), parser=safe_parser())
    values = tree.xpath(f"//xs:simpleType[@name='{type_name}']//xs:enumeration/@value", namespaces=xs)
    return frozenset(str(v) for v in values)


def time_codes() -> frozenset[str]:
    return paxml_codes("tidkodTYPE")


def pay_codes() -> frozenset[str]:
    return paxml_codes("lonekodTYPE")


def validation_errors(content: bytes) -> list[str]:
    """The XSD's complaints about a file (empty when it is valid)."""
    return VALIDATOR.errors(content)


def _sub(parent: etree._Element, tag: str, text: str | None = None, **attrib: str) -> etree._Element:
    element = etree.SubElement(parent, tag, {key: xml_safe(value) for key, value in attrib.items()})
    if text is not None:
        element.text = xml_safe(text)
    return element


def _ids(variant: Variant, employee: Employee, *, persnr: bool) -> dict[str, str]:
    ids = {"anstid": variant.anstid(employee.employment_number)}
    if persnr and employee.personnummer:
        ids["persnr"] = employee.personnummer
    return ids


def _tidtrans(
    parent: etree._Element,
    ids: dict[str, str],
    tx: TimeTransaction,
    day: dt.date | None = None,
    minutes: int = 0,
) -> None:
    element = _sub(parent, "tidtrans", **ids)
    _sub(element, "tidkod", tx.paxml_code)
    if day is not None:
        _sub(element, "datum", day.isoformat())
        _sub(element, "timmar", hours_2dp(minutes))
    elif tx.is_range:
        assert tx.date_from is not None and tx.date_to is not None
        _sub(element, "datumfrom", tx.date_from.isoformat())
        _sub(element, "datumtom", tx.date_to.isoformat())
        if tx.extent_percent is not None:
            _sub(element, "omfattning", decimal_plain(tx.extent_percent))
    else:
        assert tx.date is not None and tx.minutes is not None
        _sub(element, "datum", tx.date.isoformat())
        _sub(element, "timmar", hours_2dp(tx.minutes))
    if tx.child_personnummer:
        _sub(element, "barn", tx.child_personnummer)
    if tx.text:
        _sub(element, "info", tx.text)


def _time(parent: etree._Element, variant: Variant, employee: Employee) -> None:
    ids = _ids(variant, employee, persnr=variant.persnr_on_transactions)
    schedule = employee.scheduled_minutes()
    for tx in employee.time:
        if tx.is_range and variant.absence_day_by_day:
            try:
                days = range_day_minutes(tx, schedule)
            except KeyError as exc:
                raise PayrollFileRefused(
                    _(
                        "%(employee)s: the schedule does not cover %(day)s, so %(code)s cannot be spread "
                        "over the working days."
                    )
                    % {"employee": employee.name, "day": exc.args[0].isoformat(), "code": tx.paxml_code},
                    code="range_without_schedule",
                ) from exc
            for day, minutes in days:
                _tidtrans(parent, ids, tx, day, minutes)
        else:
            _tidtrans(parent, ids, tx)


def _lonetrans(parent: etree._Element, ids: dict[str, str], line: PayLine) -> None:
    element = _sub(parent, "lonetrans", **ids)
    if line.paxml_code in pay_codes():
        _sub(element, "lonkod", line.paxml_code)
    if line.payroll_code:
        _sub(element, "lonart", line.payroll_code)
    if line.name:
        _sub(element, "benamning", line.name)
    if line.text:
        _sub(element, "kommentar", line.text)
    if line.date is not None:
        _sub(element, "datum", line.date.isoformat())
    if line.quantity is not None:
        _sub(element, "antal", decimal_plain(line.quantity))
    if line.unit_price_ore is not None:
        _sub(element, "apris", ore_2dp(line.unit_price_ore))
    if line.amount_ore is not None:
        _sub(element, "belopp", ore_2dp(line.amount_ore))


def build_tree(basis: PayrollBasis, target: Target = Target.PAXML) -> etree._Element:
    variant = VARIANTS[target]
    root = etree.Element("paxml", nsmap={"xsi": XSI})
    root.set(f"{{{XSI}}}noNamespaceSchemaLocation", SCHEMA_LOCATION)

    header = _sub(root, "header")
    _sub(header, "format", "LÖNIN")
    _sub(header, "version", "2.0")
    generated = basis.generated_at.astimezone(STOCKHOLM).replace(microsecond=0)
    _sub(header, "datum", generated.isoformat())
    _sub(header, "foretagorgnr", format_orgnr(basis.company.orgnr))
    _sub(header, "foretagnamn", basis.company.name)
    _sub(header, "programnamn", basis.program_name)

    if any(e.time for e in basis.employees):
        section = _sub(root, "tidtransaktioner")
        for employee in basis.employees:
            _time(section, variant, employee)
        if len(section) == 0:
            # Hogia writes ranges day by day over the schedule: a range with no scheduled day in it
            # gives no row, and an empty section is invalid (the XSD wants at least one tidtrans)
            root.remove(section)
    if any(e.pay_lines for e in basis.employees):
        section = _sub(root, "lonetransaktioner")
        for employee in basis.employees:
            ids = _ids(variant, employee, persnr=variant.persnr_on_transactions)
            for line in employee.pay_lines:
                _lonetrans(section, ids, line)
    schedules = []
    if basis.keeps_schedules:
        for employee in basis.employees:
            in_period = (d for d in employee.schedule if basis.period_start <= d.date <= basis.period_end)
            days = sorted(in_period, key=lambda d: d.date)
            if days:  # an empty <schema> is invalid: an employee without schedule days has none
                schedules.append((employee, days))
    if schedules:
        section = _sub(root, "schematransaktioner")
        for employee, days in schedules:
            schema = _sub(section, "schema", **_ids(variant, employee, persnr=variant.persnr_on_transactions))
            for day in days:
                _sub(schema, "dag", datum=day.date.isoformat(), timmar=hours_2dp(day.minutes))
    if variant.personal_section and basis.employees:
        section = _sub(root, "personal")
        for employee in basis.employees:
            person = _sub(section, "person", **_ids(variant, employee, persnr=True))
            _sub(person, "fornamn", employee.first_name)
            _sub(person, "efternamn", employee.last_name)
            _sub(person, "lonform", "TIM" if employee.is_hourly else "MÅN")
    return root


def write_paxml(basis: PayrollBasis, target: Target = Target.PAXML) -> bytes:
    """The PAXml file for `target` (one of `VARIANTS`), validated against the XSD."""
    if target not in VARIANTS:
        raise ValueError(f"{target} is not a PAXml target")
    content = etree.tostring(
        build_tree(basis, target), xml_declaration=True, encoding="UTF-8", pretty_print=True
    )
    errors = validation_errors(content)
    if errors:
        raise PayrollFileInvalid("PAXml 2.0", errors)
    return content


def file_name(basis: PayrollBasis, target: Target) -> str:
    """`lonefil_<target>_<start>_<end>.xml` (TLU files: `.tlu`); a correction file is
    `lonefil_korrigering_<target>_…` so nobody imports it as the period's first file."""
    suffix = "tlu" if target is Target.VISMA else "xml"
    kind = "lonefil_korrigering" if basis.is_correction else "lonefil"
    return f"{kind}_{target.value}_{basis.period_start:%Y%m%d}_{basis.period_end:%Y%m%d}.{suffix}"


@dataclass(frozen=True)
class ReadLine:
    """A transaction read back from a PAXml file, with the ids it carried."""

    anstid: str
    persnr: str
    line: TimeTransaction | PayLine


def _minutes(hours: str) -> int:
    """Hours as written ("7.50", "6.01666666666667") to whole minutes, half up."""
    return int((Decimal(hours) * 60).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _ore(kronor: str) -> int:
    return int((Decimal(kronor) * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _date(text: str | None) -> dt.date | None:
    return dt.date.fromisoformat(text[:10]) if text else None


def read_paxml(content: bytes) -> list[ReadLine]:
    """The time and pay transactions of a PAXml 2.0 file (ours or another system's), in file order:
    what a correction file compares against and what the round-trip tests read back. The file must
    be valid against the XSD (ValueError otherwise)."""
    errors = validation_errors(content)
    if errors:
        raise ValueError("not a valid PAXml 2.0 file: " + "; ".join(errors[:3]))
    root = etree.fromstring(content, parser=safe_parser())
    lines: list[ReadLine] = []
    for element in root.iterfind("tidtransaktioner/tidtrans"):
        hours = element.findtext("timmar")
        day = _date(element.findtext("datum"))
        extent = element.findtext("omfattning")
        if day is not None or element.findtext("datumfrom") is None:
            # a day; a day with no date of its own (start/stop times only) is not something Verksam writes
            tx = TimeTransaction(
                element.findtext("tidkod", ""),
                date=day or _date(element.findtext("starttid")),
                minutes=_minutes(hours) if hours else 0,
                child_personnummer=element.findtext("barn", ""),
                text=element.findtext("info", ""),
            )
        else:
            tx = TimeTransaction(
                element.findtext("tidkod", ""),
                date_from=_date(element.findtext("datumfrom")),
                date_to=_date(element.findtext("datumtom")),
                extent_percent=Decimal(extent) if extent else None,
                child_personnummer=element.findtext("barn", ""),
                text=element.findtext("info", ""),
            )
        lines.append(ReadLine(element.get("anstid", ""), element.get("persnr", ""), tx))
    for element in root.iterfind("lonetransaktioner/lonetrans"):
        quantity, price, amount = (element.findtext(tag) for tag in ("antal", "apris", "belopp"))
        pay = PayLine(
            element.findtext("lonkod", ""),
            element.findtext("lonart", ""),
            date=_date(element.findtext("datum")),
            quantity=Decimal(quantity) if quantity else None,
            unit_price_ore=_ore(price) if price else None,
            amount_ore=_ore(amount) if amount else None,
            text=element.findtext("kommentar", ""),
            name=element.findtext("benamning", ""),
        )
        lines.append(ReadLine(element.get("anstid", ""), element.get("persnr", ""), pay))
    return lines
