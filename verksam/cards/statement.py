"""Reading a card statement (CSV or Excel .xlsx) into rows, pure (no queries). The columns are
documented in docs/cards.md; `TEMPLATE_COLUMNS` is also the downloadable template. Every problem is
reported per row, in Swedish, and a file with any problem is refused as a whole."""

import csv
import datetime as dt
import hashlib
import io
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

TEMPLATE_COLUMNS = ("Kort", "Datum", "Belopp", "Handlare", "Referens")
REQUIRED = ("Kort", "Datum", "Belopp", "Handlare")
MAX_ROWS = 20_000


@dataclass(frozen=True)
class Line:
    row: int  # 1-based row number in the file, the header being row 1
    last_four: str
    date: dt.date
    amount_ore: int
    merchant: str
    reference: str


@dataclass(frozen=True)
class Parsed:
    lines: tuple[Line, ...]
    errors: tuple[str, ...]


def fingerprint(*, tenant_id: int, card_id: int, line: Line) -> str:
    """Stable per transaction: the same line in a later statement file gives the same value."""
    merchant = " ".join(line.merchant.casefold().split())
    key = (
        f"{tenant_id}|{card_id}|{line.date.isoformat()}|{line.amount_ore}|{merchant}|{line.reference.strip()}"
    )
    return hashlib.sha256(key.encode()).hexdigest()


def _amount(text: object) -> int:
    cleaned = re.sub(r"[\s\u00a0]|kr|SEK", "", str(text), flags=re.IGNORECASE).replace(",", ".")
    value = Decimal(cleaned)
    if value != value.quantize(Decimal("0.01")):
        raise InvalidOperation
    return int(value * 100)


def _date(value) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value).strip())


def _rows_csv(data: bytes) -> list[list[str]]:
    text = data.decode("utf-8-sig") if not data.startswith(b"\xff\xfe") else data.decode("utf-16")
    try:
        dialect = csv.Sniffer().sniff(text.splitlines()[0] if text else "", delimiters=";,\t")
        delimiter = dialect.delimiter
    except csv.Error:
        delimiter = ";"
    return [row for row in csv.reader(io.StringIO(text), delimiter=delimiter)]


def _rows_xlsx(data: bytes) -> list[list]:
    import openpyxl

    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    sheet = book.worksheets[0]
    rows = [list(r) for r in sheet.iter_rows(values_only=True, max_row=MAX_ROWS + 2)]
    book.close()
    return rows


def parse(data: bytes, *, file_name: str = "") -> Parsed:
    """Parse a statement; `errors` non-empty means the file must not be imported at all."""
    is_xlsx = data[:4] == b"PK\x03\x04"
    try:
        rows = _rows_xlsx(data) if is_xlsx else _rows_csv(data)
    except (UnicodeDecodeError, ValueError, KeyError, OSError):
        return Parsed((), (_("The file is neither a CSV file in UTF-8 nor an Excel file (.xlsx)."),))
    rows = [r for r in rows if any(c not in (None, "") for c in r)]
    if not rows:
        return Parsed((), (_("The file is empty."),))
    header = [str(c or "").strip() for c in rows[0]]
    errors: list[str] = []
    unknown = [h for h in header if h not in TEMPLATE_COLUMNS]
    missing = [h for h in REQUIRED if h not in header]
    if unknown:
        errors.append(_("Row 1: unknown columns: %(cols)s.") % {"cols": ", ".join(unknown)})
    if missing:
        errors.append(_("Row 1: missing columns: %(cols)s.") % {"cols": ", ".join(missing)})
    if errors:
        return Parsed((), tuple(errors))
    if len(rows) - 1 > MAX_ROWS:
        return Parsed((), (_("The file has more than %(n)s rows.") % {"n": MAX_ROWS},))
    index = {h: i for i, h in enumerate(header)}
    lines = []
    for number, row in enumerate(rows[1:], start=2):
        cell: dict[str, Any] = {h: (row[i] if i < len(row) else None) for h, i in index.items()}
        last_four = str(cell.get("Kort") or "").strip()
        if isinstance(cell.get("Kort"), int | float):
            last_four = f"{int(cell['Kort']):04d}"
        merchant = str(cell.get("Handlare") or "").strip()
        reference = str(cell.get("Referens") or "").strip()
        row_errors = []
        if not (len(last_four) == 4 and last_four.isdigit()):
            row_errors.append(_("Kort must be the card's last four digits"))
        try:
            date = _date(cell.get("Datum"))
        except (TypeError, ValueError):
            date = None
            row_errors.append(_("Datum must be a date as YYYY-MM-DD"))
        try:
            amount = _amount(cell.get("Belopp") if cell.get("Belopp") is not None else "")
        except (InvalidOperation, ValueError):
            amount = 0
            row_errors.append(_("Belopp must be an amount in kronor, e.g. 123,45"))
        else:
            if amount <= 0:
                row_errors.append(_("Belopp must be greater than zero"))
        if not merchant:
            row_errors.append(_("Handlare is empty"))
        elif len(merchant) > 200 or len(reference) > 100:
            row_errors.append(_("Handlare or Referens is too long"))
        if row_errors:
            errors.append(
                _("Row %(row)s: %(problems)s.") % {"row": number, "problems": "; ".join(row_errors)}
            )
        else:
            assert date is not None
            lines.append(Line(number, last_four, date, amount, merchant, reference))
    return Parsed(tuple(lines), tuple(errors))


def template_csv() -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(TEMPLATE_COLUMNS)
    writer.writerow(["1234", "2026-11-30", "249,00", "ICA Maxi Solna", "TX-000123"])
    return out.getvalue().encode("utf-8-sig")


def template_xlsx() -> bytes:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(list(TEMPLATE_COLUMNS))
    sheet.append(["1234", dt.date(2026, 11, 30), 249.00, "ICA Maxi Solna", "TX-000123"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
