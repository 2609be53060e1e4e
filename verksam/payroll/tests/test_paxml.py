"""PAXml 2.0 files: every variant valid against the XSD, the reviewed snapshot files, the variants'
differences, and the real sample files from other systems read by the same validator."""

import dataclasses
import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st
from lxml import etree

from verksam.payroll import paxml
from verksam.payroll.dto import Target, TimeTransaction
from verksam.payroll.errors import PayrollFileInvalid
from verksam.payroll.paxml import VARIANTS, read_paxml, validation_errors, write_paxml

from .builders import ASA, basis, reference, with_employee

PAXML_TARGETS = list(VARIANTS)
SAMPLES = [
    "example_paxml-2.0_all-sections.pax",
    "bygglet_demo_lonin_2022-10.xml",
    "fieldly_lonin_2022-10.xml",
    "workify_lonin_2022-09.xml",
]


def parse(content: bytes) -> etree._Element:
    return etree.fromstring(content)


@pytest.mark.parametrize("target", PAXML_TARGETS)
def test_every_variant_is_valid_against_the_xsd(target):
    content = write_paxml(basis(), target)
    assert validation_errors(content) == []
    assert content.startswith(b"<?xml version='1.0' encoding='UTF-8'?>")


@pytest.mark.parametrize("target", PAXML_TARGETS)
def test_snapshot(target, xml_snapshot):
    assert write_paxml(basis(), target) == xml_snapshot


def test_header_and_root():
    root = parse(write_paxml(basis()))
    assert root.get("{http://www.w3.org/2001/XMLSchema-instance}noNamespaceSchemaLocation") == (
        "http://www.paxml.se/2.0/paxml.xsd"
    )
    header = root.find("header")
    assert header.findtext("format") == "LÖNIN"
    assert header.findtext("version") == "2.0"
    assert header.findtext("datum") == "2027-01-18T08:30:05+01:00"  # Stockholm time
    assert header.findtext("foretagorgnr") == "556677-8899"
    assert header.findtext("foretagnamn") == "Bygg & Måleri i Norr AB"


def test_standard_time_lines_day_and_range():
    root = parse(write_paxml(basis()))
    lines = root.findall("tidtransaktioner/tidtrans")
    sick = lines[0]
    assert sick.attrib == {"anstid": "1001", "persnr": ASA}
    assert (sick.findtext("tidkod"), sick.findtext("datum"), sick.findtext("timmar")) == (
        "SJK",
        "2026-12-17",
        "7.50",
    )
    vacation = lines[1]
    assert vacation.findtext("datumfrom") == "2026-12-28" and vacation.findtext("datumtom") == "2027-01-03"
    assert vacation.find("omfattning") is None  # 100 % is PAXml's default
    vab = lines[2]
    assert vab.findtext("omfattning") == "50" and vab.findtext("barn") == "201501012387"
    assert lines[3].findtext("timmar") == "1.58"  # 95 minutes


def test_schedule_only_where_the_company_keeps_it():
    with_schedule = parse(write_paxml(basis()))
    days = with_schedule.findall("schematransaktioner/schema[@anstid='1001']/dag")
    assert len(days) == 31
    assert days[0].attrib == {"datum": "2026-12-16", "timmar": "8.00"}
    assert {d.get("timmar") for d in days if d.get("datum") == "2026-12-24"} == {"0.00"}
    # the hourly employee has no schedule: no empty <schema>
    assert with_schedule.find("schematransaktioner/schema[@anstid='30005']") is None
    without = parse(write_paxml(basis(keeps_schedules=False)))
    assert without.find("schematransaktioner") is None


def test_pay_lines_carry_lonkod_and_lonart_and_amounts_in_kronor():
    root = parse(write_paxml(basis()))
    outlay, mileage = root.findall("lonetransaktioner/lonetrans")[:2]
    assert (outlay.findtext("lonkod"), outlay.findtext("lonart"), outlay.findtext("belopp")) == (
        "UTLÄGG",
        "U10",
        "1234.50",
    )
    assert (mileage.findtext("antal"), mileage.findtext("apris"), mileage.findtext("belopp")) == (
        "12.5",
        "25.00",
        "312.50",
    )


def test_pay_line_with_a_code_outside_the_list_writes_only_its_lonart():
    b = with_employee(
        basis(), "1001", pay_lines=(dataclasses.replace(basis().employees[0].pay_lines[0], paxml_code="X"),)
    )
    line = parse(write_paxml(b)).find("lonetransaktioner/lonetrans")
    assert line.find("lonkod") is None and line.findtext("lonart") == "U10"


def test_crona_matches_on_employment_number_only():
    root = parse(write_paxml(basis(), Target.CRONA))
    assert all("persnr" not in t.attrib for t in root.iter("tidtrans", "lonetrans", "schema"))
    assert root.find("personal/person").attrib == {"anstid": "1001", "persnr": ASA}


def test_fortnox_has_no_personal_section():
    root = parse(write_paxml(basis(), Target.FORTNOX))
    assert root.find("personal") is None
    assert root.find("tidtransaktioner/tidtrans").attrib == {"anstid": "1001", "persnr": ASA}


def test_kontek_uses_the_last_four_digits_everywhere():
    root = parse(write_paxml(basis(), Target.KONTEK))
    ids = {element.get("anstid") for element in root.iter("tidtrans", "lonetrans", "schema", "person")}
    assert ids == {"1001", "0017", "0005"}


def test_hogia_spreads_absence_ranges_over_the_working_days():
    root = parse(write_paxml(basis(), Target.HOGIA))
    vacation = [t for t in root.iter("tidtrans") if t.findtext("tidkod") == "SEM"]
    # 28 Dec – 3 Jan: Mon 28 – Thu 31 Dec are working days, 1 Jan is a röd dag, 2–3 Jan a weekend
    assert [(t.findtext("datum"), t.findtext("timmar")) for t in vacation] == [
        ("2026-12-28", "8.00"),
        ("2026-12-29", "8.00"),
        ("2026-12-30", "8.00"),
        ("2026-12-31", "8.00"),
    ]
    assert root.find(".//datumfrom") is None
    vab = [t for t in root.iter("tidtrans") if t.findtext("tidkod") == "VAB"]
    assert [(t.findtext("datum"), t.findtext("timmar"), t.findtext("barn")) for t in vab] == [
        ("2027-01-11", "4.00", "201501012387")
    ]


def test_an_employee_without_time_leaves_no_empty_section():
    b = basis(employees=(dataclasses.replace(basis().employees[1], time=()),))
    root = parse(write_paxml(b))
    assert root.find("tidtransaktioner") is None
    assert validation_errors(etree.tostring(root)) == []


def test_hogia_a_range_over_days_off_only_leaves_no_empty_section():
    # found by the property test: a range on a weekend gives Hogia no day rows at all
    weekend = TimeTransaction(
        "SEM", date_from=dt.date(2027, 1, 2), date_to=dt.date(2027, 1, 3), name="Semester"
    )
    only = dataclasses.replace(basis().employees[0], time=(weekend,), pay_lines=())
    b = basis(employees=(only,))
    root = parse(write_paxml(b, Target.HOGIA))
    assert root.find("tidtransaktioner") is None
    assert validation_errors(etree.tostring(root)) == []


def test_an_invalid_file_is_never_returned():
    # a code outside the closed list would make the XSD refuse the file: that is a bug, not a file
    b = with_employee(basis(), "20017", time=(TimeTransaction("XYZ", date=dt.date(2027, 1, 4), minutes=60),))
    with pytest.raises(PayrollFileInvalid, match="PAXml 2.0"):
        write_paxml(b)


def test_code_lists_come_from_the_xsd():
    assert "ÖT1" in paxml.time_codes() and "PEM" in paxml.time_codes() and "UTLÄGG" not in paxml.time_codes()
    assert "UTLÄGG" in paxml.pay_codes() and "MIL_FRI" in paxml.pay_codes()


@pytest.mark.parametrize("name", SAMPLES)
def test_real_sample_files_pass_our_validator(name):
    path = reference("paxml", name)
    if path is None:
        pytest.skip("shared/ref is not beside this checkout")
    assert validation_errors(path.read_bytes()) == []


def _paths(root: etree._Element) -> set[str]:
    """Every element's path of tags ("paxml/tidtransaktioner/tidtrans/timmar")."""
    paths = set()
    for element in root.iter():
        if isinstance(element.tag, str):
            ancestors = [a.tag for a in element.iterancestors()][::-1]
            paths.add("/".join([*ancestors, element.tag]))
    return paths


def test_our_element_structure_is_the_one_real_files_use():
    sample_paths: set[str] = set()
    for name in SAMPLES:
        path = reference("paxml", name)
        if path is None:
            pytest.skip("shared/ref is not beside this checkout")
        sample_paths |= _paths(etree.parse(str(path)).getroot())
    ours = set()
    for target in PAXML_TARGETS:
        ours |= _paths(parse(write_paxml(basis(), target)))
    # every element path we write occurs in a file another system wrote, except VAB's child, which
    # the XSD has and the samples happen not to use
    assert ours - sample_paths == {"paxml/tidtransaktioner/tidtrans/barn"}


def test_round_trip_through_our_reader():
    b = basis()
    read = read_paxml(write_paxml(b))
    written = [(e.employment_number, e.personnummer, t) for e in b.employees for t in e.time]
    written += [(e.employment_number, e.personnummer, p) for e in b.employees for p in e.pay_lines]
    # the file carries the PAXml code and the lönart of pay lines, not the company's names or time
    # codes' lönart (those are the payroll system's business)
    expected = [
        (n, p, dataclasses.replace(line, payroll_code="", name=""))
        if isinstance(line, TimeTransaction)
        else (n, p, line)
        for n, p, line in written
    ]
    assert [(r.anstid, r.persnr, r.line) for r in read] == expected


@given(st.integers(min_value=-(10**6), max_value=10**6))
def test_every_minute_count_survives_the_file(minutes):
    # hundredths of an hour are off by at most 0.3 minutes, so whole minutes always come back
    b = with_employee(
        basis(), "1001", time=(TimeTransaction("TID", date=dt.date(2027, 1, 4), minutes=minutes),)
    )
    read = [
        r.line
        for r in read_paxml(write_paxml(b))
        if r.anstid == "1001" and isinstance(r.line, TimeTransaction)
    ]
    assert read[0].minutes == minutes


@pytest.mark.parametrize(
    ("name", "count"), [(SAMPLES[0], 3), (SAMPLES[1], 10), (SAMPLES[2], None), (SAMPLES[3], None)]
)
def test_our_reader_reads_the_real_files(name, count):
    path = reference("paxml", name)
    if path is None:
        pytest.skip("shared/ref is not beside this checkout")
    lines = read_paxml(path.read_bytes())
    tree = etree.parse(str(path)).getroot()
    assert len(lines) == len(tree.findall("tidtransaktioner/tidtrans")) + len(
        tree.findall("lonetransaktioner/lonetrans")
    )
    if count is not None:
        assert len(lines) == count
    if name.startswith("workify"):
        first = lines[7].line  # 6.01666666666667 h
        assert first.minutes == 361
    if name.startswith("example"):
        assert lines[0].line.date_from == dt.date(2012, 6, 2) and lines[0].line.extent_percent == 100
        assert lines[2].persnr == "198210101237" and lines[2].line.payroll_code == "145"


def test_reader_refuses_an_invalid_file():
    with pytest.raises(ValueError, match="not a valid PAXml"):
        read_paxml(b"<paxml><header/></paxml>")


def test_validation_from_many_threads_keeps_each_file_s_errors():
    from concurrent.futures import ThreadPoolExecutor

    good = write_paxml(basis())
    bad = good.replace(b"<tidkod>SJK</tidkod>", b"<tidkod>XYZ</tidkod>")
    with ThreadPoolExecutor(4) as pool:
        results = list(pool.map(validation_errors, [good, bad] * 20))
    assert all(r == [] for r in results[::2])
    assert all(r and "XYZ" in r[0] for r in results[1::2])


def test_the_reader_resolves_no_entities():
    evil = (
        b'<?xml version="1.0"?><!DOCTYPE paxml [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        b"<paxml><header><version>2.0</version><info>&x;</info></header></paxml>"
    )
    with pytest.raises(ValueError, match="not a valid PAXml"):
        read_paxml(evil)
