"""The SIE reader reads every real file in ../shared/ref/sie/ (issue 10 item 7): vouchers and rows
counted independently of the parser, each voucher balances, object lists and empty numbers are
kept, and #KSUMMA is verified where present (and a changed byte is caught)."""

import io
import re
from pathlib import Path

import pytest

from verksam.bookkeeping.sie.reader import SieReadError, read_sie

REF = Path(__file__).resolve().parents[4] / "shared" / "ref" / "sie"
if not REF.exists():  # a worktree sits at /work/wt/<name>, the shared folder at /work/shared
    REF = Path("/work/shared/ref/sie")

# file → (#VER, #TRANS, #KSUMMA or None): the voucher counts are SOURCE.md's, the row counts grep's
FILES = {
    "bl_administration_2011_sie4i.si": (1, 10, None),
    "edison_ekonomi_byra_4.9G_sie4e.se": (81, 287, None),
    "fortnox_bokforing_2.0.0_sie4e.se": (194, 963, None),
    "fortnox_bokforing_2.0.0_sie4i.si": (165, 869, None),
    "kontek_lon_2011_lonekorning_sie4i.si": (1, 25, None),
    "mamut_enterprise_14_sie4e.se": (168, 458, None),
    "norstedts_bokslut_2011_sie4e_ksumma.se": (177, 678, 854227682),
    "norstedts_bokslut_2011_sie4i_ksumma.si": (2, 4, 1573150874),
    "real09_sie4i_empty_vernr.si": (13, 91, None),
    "specter_3.61_sie4e.se": (26, 148, None),
    "visma_compact_6.00_sie4e_ksumma.se": (286, 949, 2215893042),
    "visma_eekonomi_avendo_2011_sie4e.se": (3, 12, None),
    "visma_fakturering_5.11_sie4i.si": (1, 3, None),
    "visma_lon100_2012_lonekorning_sie4i.si": (1, 8, None),
}


def test_every_real_file_is_listed():
    assert sorted(p.name for p in REF.glob("*.s[ei]")) == sorted(FILES)


def _count(raw: bytes, label: str) -> int:
    return sum(1 for line in raw.decode("cp437").splitlines() if line.strip().split()[:1] == [label])


@pytest.mark.parametrize("name", sorted(FILES))
def test_each_real_file_is_read_with_every_voucher_and_row(name):
    raw = (REF / name).read_bytes()
    vouchers, rows, ksumma = FILES[name]
    with (REF / name).open("rb") as stream:
        sie = read_sie(stream)
    assert (len(sie.vouchers), sie.row_count) == (vouchers, rows)
    assert (_count(raw, "#VER"), _count(raw, "#TRANS")) == (vouchers, rows)
    assert sie.format.upper() == "PC8" and sie.sietyp == "4"
    assert sie.program and sie.company_name
    assert all(v.balance_ore == 0 for v in sie.vouchers), [v.text for v in sie.vouchers if v.balance_ore]
    assert all(r.account.isdigit() for v in sie.vouchers for r in v.rows)
    assert sie.ksumma_stored == ksumma
    if ksumma is not None:
        assert sie.ksumma_ok, (sie.ksumma_stored, sie.ksumma_computed)
    # 4I files are told by their extension; those from "försystem" carry no balances
    if name.endswith(".se"):
        assert sie.has_balances


def test_details_of_the_real_files_are_kept():
    kontek = read_sie((REF / "kontek_lon_2011_lonekorning_sie4i.si").open("rb"))
    rows = kontek.vouchers[0].rows
    assert kontek.company_name == "Demoföretaget AB"  # CP437 decoded
    assert rows[10].objects == (("1", "100"), ("6", "Obj300"), ("20", "1234567890"))
    assert rows[7].quantity is not None and str(rows[7].quantity) == "1.00"
    assert rows[6].amount_ore == -3
    real09 = read_sie((REF / "real09_sie4i_empty_vernr.si").open("rb"))
    assert {(v.series, v.number) for v in real09.vouchers} == {("B", "")}
    assert ("1", "1") in {o for v in real09.vouchers for r in v.rows for o in r.objects}
    lon = read_sie((REF / "visma_lon100_2012_lonekorning_sie4i.si").open("rb"))
    assert (lon.vouchers[0].series, lon.vouchers[0].number) == ("", "")
    visma = read_sie((REF / "visma_compact_6.00_sie4e_ksumma.se").open("rb"))
    assert visma.dimensions and visma.objects


@pytest.mark.parametrize("name", [n for n, (_v, _r, k) in FILES.items() if k])
def test_a_changed_byte_breaks_the_checksum(name):
    raw = (REF / name).read_bytes()
    # change one amount's last digit inside the checksummed part
    match = list(re.finditer(rb"(#TRANS[^\r\n]*?\d)\.(\d)(\d)", raw))[-1]
    digit = raw[match.end() - 1 : match.end()]
    changed = raw[: match.end() - 1] + (b"1" if digit != b"1" else b"2") + raw[match.end() :]
    sie = read_sie(io.BytesIO(changed))
    assert sie.has_ksumma and not sie.ksumma_ok


@pytest.mark.parametrize(
    "text",
    [
        b"#FLAGGA 0\r\n#VER A 1 20260101 x\r\n{\r\n#TRANS 1930 {} 1.005\r\n}\r\n",  # a fraction of an öre
        b"#FLAGGA 0\r\n#VER A 1 20260101 x\r\n{\r\n#TRANS 1930 {} 1.00\r\n",  # the voucher never closes
        b"#FLAGGA 0\r\n#TRANS 1930 {} 1.00\r\n",  # a row outside a voucher
        b"#FLAGGA 0\r\n#VER A 1 2026-01-01 x\r\n{\r\n}\r\n",  # not a SIE date
        b"#FLAGGA 0\r\n#KSUMMA\r\n#FNAMN x\r\n",  # a checksum never closed
        b"#FLAGGA 0\r\n#VER A 1 20260101 x\r\n{\r\n#TRANS 1930 {1 1.00\r\n}\r\n",  # an unclosed object list
    ],
)
def test_broken_files_are_refused_with_the_line(text):
    with pytest.raises(SieReadError):
        read_sie(io.BytesIO(text))
