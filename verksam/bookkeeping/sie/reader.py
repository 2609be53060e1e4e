"""SIE 4 reader (issue 10 item 7): reads 4E and 4I files from real programs (../shared/ref/sie/) and
every file our writer makes. Tolerant where real files differ (tabs or padded spaces, quoted or bare
fields, `#FORMAT "PC8"`, empty series and numbers, object lists, quantities), strict where the data
would be wrong (an amount with fractions of an öre, an unclosed voucher, a #KSUMMA that does not match).

Records are read line by line from a binary stream (CP437), so memory is that of the result."""

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import BinaryIO

from .tokens import ENCODING, Field, Record, SieSyntaxError, crc_update, split_record

BALANCE_LABELS = frozenset({"#IB", "#UB", "#RES", "#PSALDO", "#PBUDGET", "#OIB", "#OUB"})


class SieReadError(ValueError):
    """The file is not a readable SIE 4 file; the message names the line."""


@dataclass(frozen=True)
class SieTrans:
    account: str
    objects: tuple[tuple[str, str], ...]
    amount_ore: int
    date: dt.date | None = None
    text: str = ""
    quantity: Decimal | None = None


@dataclass
class SieVoucher:
    series: str
    number: str
    date: dt.date
    text: str
    registered: dt.date | None = None
    rows: list[SieTrans] = field(default_factory=list)
    added_rows: int = 0  # #RTRANS (the #TRANS after each is the row itself)
    removed_rows: int = 0  # #BTRANS

    @property
    def balance_ore(self) -> int:
        return sum(r.amount_ore for r in self.rows)


@dataclass
class SieFile:
    flagga: str = ""
    program: tuple[str, ...] = ()
    format: str = ""
    sietyp: str = ""
    generated: dt.date | None = None
    company_name: str = ""
    orgnr: str = ""
    kptyp: str = ""
    fiscal_years: dict[int, tuple[dt.date, dt.date]] = field(default_factory=dict)
    accounts: dict[str, str] = field(default_factory=dict)
    dimensions: dict[str, str] = field(default_factory=dict)
    objects: dict[tuple[str, str], str] = field(default_factory=dict)
    vouchers: list[SieVoucher] = field(default_factory=list)
    labels: Counter = field(default_factory=Counter)
    ksumma_stored: int | None = None
    ksumma_computed: int | None = None

    @property
    def has_ksumma(self) -> bool:
        return self.ksumma_stored is not None

    @property
    def ksumma_ok(self) -> bool:
        return self.ksumma_stored is not None and self.ksumma_stored == self.ksumma_computed

    @property
    def has_balances(self) -> bool:
        return any(self.labels[label] for label in BALANCE_LABELS)

    @property
    def row_count(self) -> int:
        return sum(len(v.rows) for v in self.vouchers)


def parse_date(value: str, *, line_no: int) -> dt.date:
    try:
        return dt.datetime.strptime(value.strip(), "%Y%m%d").date()  # noqa: DTZ007 (a calendar date)
    except ValueError as exc:
        raise SieReadError(f"line {line_no}: not a date YYYYMMDD: {value!r}") from exc


def parse_amount(value: str, *, line_no: int) -> int:
    """'-1234.5' → -123450 öre; fractions of an öre are refused (no silent rounding)."""
    try:
        ore = Decimal(value.replace(",", ".")) * 100
    except InvalidOperation as exc:
        raise SieReadError(f"line {line_no}: not an amount: {value!r}") from exc
    if ore != ore.to_integral_value():
        raise SieReadError(f"line {line_no}: amount with fractions of an öre: {value!r}")
    return int(ore)


def _text(fields: tuple[Field, ...], index: int) -> str:
    if index < len(fields) and isinstance(fields[index], str):
        return str(fields[index])
    return ""


def _objects(fields: tuple[Field, ...], index: int, *, line_no: int) -> tuple[tuple[str, str], ...]:
    if index >= len(fields):
        return ()
    items = fields[index]
    if not isinstance(items, tuple):
        raise SieReadError(f"line {line_no}: an object list {{…}} was expected")
    if len(items) % 2:
        raise SieReadError(f"line {line_no}: an object list holds dimension–object pairs")
    return tuple((items[i], items[i + 1]) for i in range(0, len(items), 2))


def _lines(stream: BinaryIO) -> Iterator[tuple[int, str]]:
    for number, raw in enumerate(stream, start=1):
        yield number, raw.decode(ENCODING).rstrip("\r\n")


def read_sie(stream: BinaryIO | Iterable[bytes]) -> SieFile:
    """Read a SIE 4 file from a binary stream (or an iterable of byte lines)."""
    sie = SieFile()
    crc = 0
    in_checksum = False
    closed_checksum = False
    voucher: SieVoucher | None = None
    in_braces = False
    for line_no, line in _lines(stream):  # type: ignore[arg-type]
        try:
            record = split_record(line)
        except SieSyntaxError as exc:
            raise SieReadError(f"line {line_no}: {exc}") from exc
        if record is None:
            continue
        label = record.label.upper()
        if label == "#KSUMMA":
            if not in_checksum and not closed_checksum and not record.fields:
                in_checksum = True
                continue
            if in_checksum and record.fields:
                sie.ksumma_stored = int(_text(record.fields, 0))
                sie.ksumma_computed = crc
                in_checksum, closed_checksum = False, True
                continue
            raise SieReadError(f"line {line_no}: a #KSUMMA out of place")
        if in_checksum:
            crc = crc_update(crc, record)
        sie.labels[label] += 1
        f = record.fields
        if label == "{":
            if voucher is None or in_braces:
                raise SieReadError(f"line {line_no}: {{ without a #VER")
            in_braces = True
            continue
        if label == "}":
            if voucher is None or not in_braces:
                raise SieReadError(f"line {line_no}: }} without a voucher")
            sie.vouchers.append(voucher)
            voucher, in_braces = None, False
            continue
        if label in ("#TRANS", "#RTRANS", "#BTRANS"):
            if voucher is None or not in_braces:
                raise SieReadError(f"line {line_no}: {label} outside a voucher")
            if label == "#RTRANS":
                voucher.added_rows += 1
                continue
            if label == "#BTRANS":
                voucher.removed_rows += 1
                continue
            if len(f) < 3:
                raise SieReadError(f"line {line_no}: #TRANS needs account, objects and amount")
            date_text = _text(f, 3)
            quantity_text = _text(f, 5)
            voucher.rows.append(
                SieTrans(
                    account=_text(f, 0),
                    objects=_objects(f, 1, line_no=line_no),
                    amount_ore=parse_amount(_text(f, 2), line_no=line_no),
                    date=parse_date(date_text, line_no=line_no) if date_text else None,
                    text=_text(f, 4),
                    quantity=Decimal(quantity_text) if quantity_text else None,
                )
            )
            continue
        if voucher is not None and not in_braces:
            raise SieReadError(f"line {line_no}: #VER without its {{")
        if in_braces:
            continue  # other records inside a voucher (none defined in 4B besides the three above)
        if label == "#VER":
            registered = _text(f, 4)
            voucher = SieVoucher(
                series=_text(f, 0),
                number=_text(f, 1),
                date=parse_date(_text(f, 2), line_no=line_no),
                text=_text(f, 3),
                registered=parse_date(registered, line_no=line_no) if registered else None,
            )
        elif label == "#FLAGGA":
            sie.flagga = _text(f, 0)
        elif label == "#PROGRAM":
            sie.program = tuple(x for x in f if isinstance(x, str))
        elif label == "#FORMAT":
            sie.format = _text(f, 0)
        elif label == "#SIETYP":
            sie.sietyp = _text(f, 0)
        elif label == "#GEN":
            sie.generated = parse_date(_text(f, 0), line_no=line_no)
        elif label == "#FNAMN":
            sie.company_name = _text(f, 0)
        elif label == "#ORGNR":
            sie.orgnr = _text(f, 0)
        elif label == "#KPTYP":
            sie.kptyp = _text(f, 0)
        elif label == "#RAR":
            # BL Administration writes "#RAR 0" without dates: a year index without a span is skipped
            if _text(f, 1) and _text(f, 2):
                sie.fiscal_years[int(_text(f, 0))] = (
                    parse_date(_text(f, 1), line_no=line_no),
                    parse_date(_text(f, 2), line_no=line_no),
                )
        elif label == "#KONTO":
            sie.accounts[_text(f, 0)] = _text(f, 1)
        elif label == "#DIM":
            sie.dimensions[_text(f, 0)] = _text(f, 1)
        elif label == "#OBJEKT":
            sie.objects[(_text(f, 0), _text(f, 1))] = _text(f, 2)
    if voucher is not None:
        raise SieReadError("the file ends inside a voucher")
    if in_checksum:
        raise SieReadError("#KSUMMA is opened but never closed")
    return sie


def record_of(line: str) -> Record | None:
    """One line as a record (for tests and tools)."""
    return split_record(line)
