"""The Swedish catalogue is the one source of Swedish text (locale/sv, compiled by tools/translate.py):
every text of the UI has a Swedish translation, and the compiled .mo that Django reads says what the
.po says (a forgotten compile would ship old or English text)."""

import gettext
import os
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parents[2]
PO = ROOT / "locale/sv/LC_MESSAGES/django.po"


def test_every_text_is_translated_to_swedish():
    po = polib.pofile(str(PO))
    assert [e.msgid for e in po.untranslated_entries()] == []
    assert [e.msgid for e in po.fuzzy_entries()] == []


def test_one_english_text_has_one_swedish_text():
    po = polib.pofile(str(PO))
    keys = [(e.msgctxt, e.msgid) for e in po if not e.obsolete]
    assert len(keys) == len(set(keys))


def test_the_compiled_catalogue_matches_the_po_file():
    po = polib.pofile(str(PO))
    with PO.with_suffix(".mo").open("rb") as mo_file:
        mo = gettext.GNUTranslations(mo_file)
    stale = []
    for entry in po.translated_entries():
        if entry.msgid_plural:
            got = [
                mo.npgettext(entry.msgctxt, entry.msgid, entry.msgid_plural, n)
                if entry.msgctxt
                else mo.ngettext(entry.msgid, entry.msgid_plural, n)
                for n in (1, 2)
            ]
            want = [entry.msgstr_plural[0], entry.msgstr_plural[1]]
        else:
            got = [mo.pgettext(entry.msgctxt, entry.msgid) if entry.msgctxt else mo.gettext(entry.msgid)]
            want = [entry.msgstr]
        if got != want:
            stale.append(entry.msgid)
    assert stale == [], "run .venv/bin/python tools/translate.py to compile locale/sv"


def test_every_text_in_the_code_is_in_the_catalogue(tmp_path):
    """A text added to the code or a template without `make messages` would show in English."""
    if not shutil.which("xgettext"):
        pytest.skip("GNU gettext (xgettext) is not installed")  # make test installs it
    for name in ("manage.py", "config", "verksam", "templates", "locale"):
        source = ROOT / name
        target = tmp_path / name
        if source.is_dir():
            shutil.copytree(source, target, ignore=shutil.ignore_patterns("__pycache__", "tests"))
        else:
            shutil.copy(source, target)
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "sv", "--no-obsolete"],
        cwd=tmp_path,
        check=True,
        capture_output=True,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test"},
    )
    extracted = {(e.msgctxt, e.msgid) for e in polib.pofile(str(tmp_path / PO.relative_to(ROOT)))}
    catalogue = {(e.msgctxt, e.msgid) for e in polib.pofile(str(PO)) if not e.obsolete}
    assert sorted(extracted - catalogue, key=str) == [], "run `make messages` and translate the new texts"
    assert sorted(catalogue - extracted, key=str) == [], "texts no longer used: run `make messages`"
