"""SIE 4I writer (issue 10 item 7): chosen vouchers as a "försystem" file for a bookkeeping program.

A generator of lines, so a file of any length is written in bounded memory: the caller streams the
vouchers (an iterator over the database) and the accounts used (one aggregate query) and sends each
line on as it comes (`encode_lines` gives CP437 bytes with CRLF). DOMAIN.md "SIE 4": 4I must have
#FLAGGA, #PROGRAM, #FORMAT PC8, #GEN, #SIETYP 4, #FNAMN and ≥ 1 #VER; should have #ORGNR, #KPTYP and
a #KONTO per account used; must not have balance records. #RAR is written for the fiscal years the
vouchers fall in (0 the latest, -1 the one before …). #KSUMMA opens after #FLAGGA and closes the
file with the CRC-32 of every token in between (tokens.py)."""

import datetime as dt
import zlib
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field

from ..dto import VoucherOut
from .tokens import ENCODING, Record, clean, crc_update, format_record, quote


class SieWriteError(ValueError):
    """The vouchers cannot be written as a valid 4I file."""


@dataclass(frozen=True)
class SieHeader:
    company_name: str
    orgnr: str  # ten digits; written NNNNNN-NNNN as the sample files do
    generated: dt.date
    fiscal_years: tuple[tuple[dt.date, dt.date], ...]  # newest first: #RAR 0, -1, …
    accounts: Mapping[str, str]  # every account used → its name
    projects: Mapping[str, str] = field(default_factory=dict)  # every project used, number → name
    generated_by: str = ""
    program: str = "Verksam"
    program_version: str = "1.0"
    kptyp: str = "BAS2014"


PROJECT_DIM = "6"  # SIE 4B's reserved dimension for projects


def sie_date(value: dt.date) -> str:
    return value.strftime("%Y%m%d")


def sie_amount(ore: int) -> str:
    """Öre as SIE writes an amount: a decimal point and two decimals, credit negative."""
    sign = "-" if ore < 0 else ""
    kronor, cents = divmod(abs(ore), 100)
    return f"{sign}{kronor}.{cents:02d}"


def _orgnr(value: str) -> str:
    digits = "".join(ch for ch in value if ch.isdigit())[-10:]
    return f"{digits[:6]}-{digits[6:]}" if len(digits) == 10 else digits


def _header_records(header: SieHeader) -> Iterator[tuple[Record, tuple[int, ...]]]:
    yield Record("#PROGRAM", (clean(header.program), clean(header.program_version))), (0,)
    yield Record("#FORMAT", ("PC8",)), ()
    gen: tuple[str, ...] = (sie_date(header.generated),)
    if header.generated_by:
        gen += (clean(header.generated_by),)
    yield Record("#GEN", gen), ()
    yield Record("#SIETYP", ("4",)), ()
    if header.orgnr:
        yield Record("#ORGNR", (_orgnr(header.orgnr),)), ()
    yield Record("#FNAMN", (clean(header.company_name),)), (0,)
    for index, (start, end) in enumerate(header.fiscal_years):
        yield Record("#RAR", (str(-index), sie_date(start), sie_date(end))), ()
    yield Record("#KPTYP", (header.kptyp,)), ()
    for number in sorted(header.accounts):
        yield Record("#KONTO", (number, clean(header.accounts[number]))), (1,)
    if header.projects:  # SIE 4B: a #DIM per dimension used, an #OBJEKT per object; 6 is "Projekt"
        yield Record("#DIM", (PROJECT_DIM, "Projekt")), (1,)
        for number in sorted(header.projects):
            yield Record("#OBJEKT", (PROJECT_DIM, clean(number), clean(header.projects[number]))), (1, 2)


def _voucher_head(voucher: VoucherOut, accounts: Mapping[str, str], projects: Mapping[str, str]) -> Record:
    """The #VER record, after checking the voucher can be written (rows, balance, listed accounts)."""
    if not voucher.rows:
        raise SieWriteError(f"voucher {voucher.label} has no rows")
    if sum(r.amount_ore for r in voucher.rows) != 0:
        raise SieWriteError(f"voucher {voucher.label} does not balance")
    fields: tuple[str, ...] = (
        clean(voucher.series),
        "" if voucher.number is None else str(voucher.number),
        sie_date(voucher.date),
        clean(voucher.text),
    )
    if voucher.registered:
        fields += (sie_date(voucher.registered),)
    for row in voucher.rows:
        if row.account not in accounts or not (row.account.isascii() and row.account.isdigit()):
            raise SieWriteError(f"account {row.account} is used but has no #KONTO")
        if row.project and row.project not in projects:
            raise SieWriteError(f"project {row.project} is used but has no #OBJEKT")
    return Record("#VER", fields)


def write_sie4i(header: SieHeader, vouchers: Iterable[VoucherOut], *, ksumma: bool = True) -> Iterator[str]:
    """The lines (without line ends) of a SIE 4I file of `vouchers`, ending with #KSUMMA."""
    yield format_record(Record("#FLAGGA", ("0",)))
    if ksumma:
        yield "#KSUMMA"
    crc = 0
    written = 0

    def emit(record: Record, quoted: tuple[int, ...]) -> str:
        nonlocal crc
        if ksumma:
            crc = crc_update(crc, record)
        return format_record(record, quoted=quoted)

    for record, quoted in _header_records(header):
        yield emit(record, quoted)
    accounts = header.accounts
    for voucher in vouchers:
        head = _voucher_head(voucher, accounts, header.projects)
        yield emit(head, (0, 1, 3))
        yield "{"
        for row in voucher.rows:
            if row.project:  # a row on a project: #TRANS konto {6 "nummer"} belopp (SIE 4B, #TRANS)
                project, amount = clean(row.project), sie_amount(row.amount_ore)
                if ksumma:
                    crc = crc_update(crc, Record("#TRANS", (row.account, (PROJECT_DIM, project), amount)))
                yield f"   #TRANS {row.account} {{{PROJECT_DIM} {quote(project, always=True)}}} {amount}"
                continue
            # the hot path (one per transaction): the line and its checksum tokens built directly, as
            # emit(Record("#TRANS", (account, (), amount))) would (the snapshot and the independent
            # checksum of tests/test_sie_writer.py hold either way)
            amount = sie_amount(row.amount_ore)
            if ksumma:
                crc = zlib.crc32(f"#TRANS{row.account}{amount}".encode("ascii"), crc)
            yield f"   #TRANS {row.account} {{}} {amount}"
        yield "}"
        written += 1
    if not written:
        raise SieWriteError("a SIE 4I file needs at least one voucher")
    if ksumma:
        yield f"#KSUMMA {crc}"


def encode_lines(lines: Iterable[str], *, batch: int = 500) -> Iterator[bytes]:
    """CP437 bytes with CRLF line ends, a few hundred lines per chunk (for a streaming response)."""
    chunk: list[str] = []
    for line in lines:
        chunk.append(line)
        if len(chunk) >= batch:
            yield ("\r\n".join(chunk) + "\r\n").encode(ENCODING, "replace")
            chunk = []
    if chunk:
        yield ("\r\n".join(chunk) + "\r\n").encode(ENCODING, "replace")
