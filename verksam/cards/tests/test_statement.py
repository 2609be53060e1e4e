"""Statement parsing: columns, Swedish row-by-row errors, CSV and .xlsx, the templates, fingerprints."""

import datetime as dt

from verksam.cards import statement


def csv(text: str) -> bytes:
    return text.encode("utf-8")


def test_csv_with_semicolons_and_swedish_amounts():
    parsed = statement.parse(
        csv("Kort;Datum;Belopp;Handlare;Referens\n1234;2026-11-30;1 249,50;ICA Maxi;TX1\n")
    )
    assert parsed.errors == ()
    (line,) = parsed.lines
    assert (line.row, line.last_four, line.date, line.amount_ore, line.merchant, line.reference) == (
        2,
        "1234",
        dt.date(2026, 11, 30),
        124950,
        "ICA Maxi",
        "TX1",
    )


def test_unknown_and_missing_columns_are_refused():
    parsed = statement.parse(csv("Kort,Datum,Summa,Handlare\n1234,2026-11-30,10,ICA\n"))
    assert parsed.lines == ()
    assert any("Summa" in e for e in parsed.errors)
    assert any("Belopp" in e for e in parsed.errors)


def test_every_bad_row_is_reported():
    parsed = statement.parse(
        csv(
            "Kort;Datum;Belopp;Handlare\n12345;2026-11-30;10;ICA\n1234;30/11;10;ICA\n1234;2026-11-30;-5;ICA\n"
            "1234;2026-11-30;1,234;\n"
        )
    )
    rows = [e.split(":")[0] for e in parsed.errors]
    assert len(rows) == 4 and all(r.split()[-1] in {"2", "3", "4", "5"} for r in rows)


def test_not_a_statement():
    assert statement.parse(b"\xff\xd8\xff\xe0 jpeg").errors
    assert statement.parse(b"").errors


def test_templates_parse_back():
    assert statement.parse(statement.template_csv()).errors == ()
    parsed = statement.parse(statement.template_xlsx())
    assert parsed.errors == ()
    assert parsed.lines[0].amount_ore == 24900 and parsed.lines[0].date == dt.date(2026, 11, 30)


def test_fingerprint_is_stable_and_distinguishes_transactions():
    a = statement.Line(2, "1234", dt.date(2026, 11, 30), 100, "ICA  Maxi", "R1")
    b = statement.Line(9, "1234", dt.date(2026, 11, 30), 100, "ica maxi", "R1")  # same, another file row
    c = statement.Line(2, "1234", dt.date(2026, 11, 30), 100, "ICA Maxi", "R2")
    fp = statement.fingerprint
    assert fp(tenant_id=1, card_id=1, line=a) == fp(tenant_id=1, card_id=1, line=b)
    assert fp(tenant_id=1, card_id=1, line=a) != fp(tenant_id=1, card_id=1, line=c)
    assert fp(tenant_id=1, card_id=1, line=a) != fp(tenant_id=1, card_id=2, line=a)
