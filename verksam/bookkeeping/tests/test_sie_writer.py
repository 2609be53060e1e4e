"""The SIE 4I writer (issue 10 item 7): every header rule of DOMAIN.md, CP437 with CRLF, quoting,
balanced #VER blocks, and #KSUMMA — every file we write is read back by our reader with its checksum
verified, and the checksum is recomputed by an independent tokenizer (the SOURCE.md recipe)."""

import datetime as dt
import io
import re
import zlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from verksam.bookkeeping.dto import RowOut, VoucherOut
from verksam.bookkeeping.sie.reader import read_sie
from verksam.bookkeeping.sie.writer import SieHeader, SieWriteError, encode_lines, sie_amount, write_sie4i

HEADER = SieHeader(
    company_name='Åkeri "Öst" AB',
    orgnr="5560160680",
    generated=dt.date(2026, 3, 31),
    generated_by="Anna Bokförare",
    fiscal_years=((dt.date(2026, 1, 1), dt.date(2026, 12, 31)), (dt.date(2025, 1, 1), dt.date(2025, 12, 31))),
    accounts={
        "5611": "Drivmedel för personbilar",
        "2641": "Debiterad ingående moms",
        "2820": "Kortfristiga skulder",
    },
)


def _voucher(n=1, text="Bensin Preem", rows=None, series="U"):
    return VoucherOut(
        id=n,
        series=series,
        number=n,
        date=dt.date(2026, 3, 2),
        text=text,
        status="posted",
        fiscal_year_id=1,
        rows=rows
        or (
            RowOut("5611", debit_ore=10000, vat_rate=25),
            RowOut("2641", debit_ore=2500),
            RowOut("2820", credit_ore=12500),
        ),
        registered=dt.date(2026, 3, 3),
    )


def _file(vouchers, header=HEADER) -> bytes:
    return b"".join(encode_lines(write_sie4i(header, vouchers)))


def _independent_ksumma(raw: bytes) -> tuple[int, int]:
    """SOURCE.md's recipe, written again without the project's tokenizer."""
    lines = raw.decode("cp437").split("\r\n")
    start = lines.index("#KSUMMA")
    crc = 0
    stored = None
    for line in lines[start + 1 :]:
        if line.startswith("#KSUMMA "):
            stored = int(line.split()[1])
            break
        for quoted, bare in re.findall(r'"((?:\\.|[^"\\])*)"|([^ \t{}"]+)', line):
            token = re.sub(r"\\(.)", r"\1", quoted) if quoted else bare
            crc = zlib.crc32(token.encode("cp437"), crc)
    assert stored is not None
    return stored, crc


def test_a_written_file_has_every_header_record_in_order_and_reads_back():
    raw = _file([_voucher(1), _voucher(2, text="Hotell")])
    text = raw.decode("cp437")
    assert "\r\n" in text and "\n" not in text.replace("\r\n", "")
    lines = text.split("\r\n")
    labels = [line.split()[0] for line in lines if line.strip()]
    assert labels[:11] == [
        "#FLAGGA",
        "#KSUMMA",
        "#PROGRAM",
        "#FORMAT",
        "#GEN",
        "#SIETYP",
        "#ORGNR",
        "#FNAMN",
        "#RAR",
        "#RAR",
        "#KPTYP",
    ]
    assert "#FORMAT PC8" in lines and "#SIETYP 4" in lines and "#ORGNR 556016-0680" in lines
    assert '#FNAMN "Åkeri \\"Öst\\" AB"' in lines
    assert "#RAR 0 20260101 20261231" in lines and "#RAR -1 20250101 20251231" in lines
    assert '#VER "U" "1" 20260302 "Bensin Preem" 20260303' in lines
    assert "   #TRANS 2820 {} -125.00" in lines
    for forbidden in ("#IB", "#UB", "#RES", "#PSALDO"):
        assert forbidden not in labels
    sie = read_sie(io.BytesIO(raw))
    assert sie.ksumma_ok
    assert sie.company_name == 'Åkeri "Öst" AB' and sie.orgnr == "556016-0680"
    assert [(v.series, v.number, v.text) for v in sie.vouchers] == [
        ("U", "1", "Bensin Preem"),
        ("U", "2", "Hotell"),
    ]
    assert [r.amount_ore for r in sie.vouchers[0].rows] == [10000, 2500, -12500]
    assert sorted(sie.accounts) == ["2641", "2820", "5611"]
    assert _independent_ksumma(raw)[0] == _independent_ksumma(raw)[1] == sie.ksumma_stored


def test_text_outside_cp437_is_replaced_and_the_checksum_still_holds():
    raw = _file([_voucher(text="Lunch 🍔 € café\tnote")])
    sie = read_sie(io.BytesIO(raw))
    assert sie.ksumma_ok
    assert sie.vouchers[0].text == "Lunch ? ? café note"


def test_an_unbalanced_voucher_an_unlisted_account_or_no_voucher_is_refused():
    with pytest.raises(SieWriteError):
        list(
            write_sie4i(HEADER, [_voucher(rows=(RowOut("5611", debit_ore=1), RowOut("2820", credit_ore=2)))])
        )
    with pytest.raises(SieWriteError):
        list(
            write_sie4i(HEADER, [_voucher(rows=(RowOut("6071", debit_ore=1), RowOut("2820", credit_ore=1)))])
        )
    with pytest.raises(SieWriteError):
        list(write_sie4i(HEADER, []))


@pytest.mark.parametrize(
    ("ore", "text"), [(0, "0.00"), (1, "0.01"), (-1, "-0.01"), (123456, "1234.56"), (-100, "-1.00")]
)
def test_amounts_have_a_decimal_point_and_credit_is_negative(ore, text):
    assert sie_amount(ore) == text


def test_the_output_matches_the_snapshot(snapshot):
    assert _file([_voucher(1), _voucher(2, series="K", text="Kort: Clas Ohlson")]).decode("cp437") == snapshot


texts = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=40)
amounts = st.lists(st.integers(min_value=1, max_value=10**11), min_size=1, max_size=5)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(texts, amounts, st.sampled_from(["U", "K", "V1"])), min_size=1, max_size=6), texts)
def test_any_vouchers_we_write_read_back_equal_with_a_verified_checksum(specs, company):
    vouchers = []
    for n, (text, debits, series) in enumerate(specs, start=1):
        rows = tuple(RowOut("5611", debit_ore=d) for d in debits) + (RowOut("2820", credit_ore=sum(debits)),)
        vouchers.append(_voucher(n, text=text, rows=rows, series=series))
    header = SieHeader(
        company_name=company,
        orgnr="5560160680",
        generated=dt.date(2026, 1, 1),
        fiscal_years=((dt.date(2026, 1, 1), dt.date(2026, 12, 31)),),
        accounts={"5611": "x", "2820": "y"},
    )
    raw = _file(vouchers, header)
    sie = read_sie(io.BytesIO(raw))
    assert sie.ksumma_ok
    stored, independent = _independent_ksumma(raw)
    assert stored == independent
    assert len(sie.vouchers) == len(vouchers)
    for written, read in zip(vouchers, sie.vouchers, strict=True):
        assert (read.series, read.number) == (written.series, str(written.number))
        assert [r.amount_ore for r in read.rows] == [r.amount_ore for r in written.rows]
        assert read.text == written.text.encode("cp437", "replace").decode("cp437").translate(
            {i: " " for i in [*range(32), 127]}
        )
