"""The printed payroll basis. pypdf is not a dependency, so the PDF is checked by its bytes: a valid
PDF header and trailer, the page count, and the Latin-1 encoded strings in the (inflated) content
streams — Swedish letters as single bytes of the core font's encoding."""

import datetime as dt
import re
import zlib

import pytest

from verksam.payroll.pdf import employee_pdf, pdf_text, summary_pdf, sv_date, sv_hours, sv_money

from .builders import basis, employee


def page_count(content: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page\b(?!s)", content))


def text_of(content: bytes) -> bytes:
    """Every content stream inflated and joined."""
    out = []
    for match in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", content, re.S):
        try:
            out.append(zlib.decompress(match.group(1)))
        except zlib.error:
            out.append(match.group(1))
    return b"\n".join(out)


def page_label(page: int, pages: int) -> bytes:
    """ "Sida 2 av 4": fpdf2 writes the total pages (its alias) as a text run of its own."""
    return f"(Sida {page} av ) Tj ({pages}) Tj".encode()


def latin1(text: str) -> bytes:
    return text.encode("latin-1")


def test_formats(swedish):
    assert sv_date(dt.date(2026, 12, 1)) == "1 dec 2026"
    assert sv_date(dt.date(2027, 5, 17)) == "17 maj 2027"
    assert sv_hours(450) == "7,50\u00a0h"
    assert sv_hours(74070) == "1\u00a0234,50\u00a0h"
    assert sv_hours(-135) == "-2,25\u00a0h"
    assert sv_money(123450) == "1\u00a0234,50\u00a0kr"


def test_pdf_text_keeps_swedish_and_transliterates_the_rest():
    assert pdf_text("Åsa Öberg, Łukasz, Иван") == "Åsa Öberg, Lukasz, ????"


def test_employee_pdf(swedish):
    b = basis()
    content = employee_pdf(b, employee(b, "1001"))
    assert content.startswith(b"%PDF-1.") and content.rstrip().endswith(b"%%EOF")
    assert page_count(content) == 1
    text = text_of(content)
    for expected in [
        "Bygg & Måleri i Norr AB",
        "16 dec 2026 - 15 jan 2027",
        "Åsa Öberg",
        "198112189876",
        "Månadslön",
        "7,50\u00a0h",  # sick 17 Dec
        "32,00\u00a0h",  # vacation 28–31 Dec (1 Jan is a röd dag, 2–3 Jan a weekend)
        "1\u00a0234,50\u00a0kr",
        "1\u00a0547,00\u00a0kr",  # the pay lines in total
        "Tåg Göteborg",
    ]:
        assert latin1(expected) in text, expected
    assert page_label(1, 1) in text
    assert b"PRELIMIN" not in text


def test_summary_pdf_has_the_company_and_period_on_every_page(swedish):
    b = basis(preliminary=True)
    content = summary_pdf(b)
    pages = 1 + len(b.employees)
    assert page_count(content) == pages
    text = text_of(content)
    assert text.count(latin1("Bygg & Måleri i Norr AB")) >= 2 * pages  # header and footer
    assert text.count(latin1("16 dec 2026 - 15 jan 2027")) >= 2 * pages
    assert all(page_label(n, pages) in text for n in range(1, pages + 1))
    assert text.count(b"PRELIMIN\xc4RT") >= pages
    assert latin1("Lukasz Wisniewski") in text  # transliterated for the core font
    assert latin1("Preliminärt: tiden i perioden är inte attesterad ännu.") in text


@pytest.mark.parametrize("language", ["sv", "en"])
def test_language(language):
    b = basis()
    text = text_of(employee_pdf(b, employee(b, "1001"), language=language))
    assert (b"L\xf6neunderlag" in text) == (language == "sv")
    assert (b"Payroll basis" in text) == (language == "en")


def test_a_correction_says_so_on_every_page(swedish):
    b = basis(is_correction=True)
    text = text_of(summary_pdf(b))
    assert text.count(latin1("Löneunderlag, korrigering")) == 1 + len(b.employees)
