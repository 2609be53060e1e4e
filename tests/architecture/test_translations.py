"""The Swedish catalogue is complete and consistent: every text of the UI has a Swedish translation,
and one English text has one Swedish text (tools/sv_*.py feed locale/sv through tools/translate.py)."""

import importlib
import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parents[2]
PO = ROOT / "locale/sv/LC_MESSAGES/django.po"


def test_every_text_is_translated_to_swedish():
    po = polib.pofile(str(PO))
    assert [e.msgid for e in po.untranslated_entries()] == []
    assert [e.msgid for e in po.fuzzy_entries()] == []


def test_one_english_text_has_one_swedish_text_across_the_tables():
    sys.path.insert(0, str(ROOT / "tools"))
    try:
        seen: dict[str, tuple[str, str]] = {}
        conflicts = []
        for path in sorted((ROOT / "tools").glob("sv_*.py")):
            for msgid, msgstr in importlib.import_module(path.stem).SV.items():
                first = seen.setdefault(msgid, (path.name, msgstr))
                if first[1] != msgstr:
                    conflicts.append((msgid, first, (path.name, msgstr)))
    finally:
        sys.path.remove(str(ROOT / "tools"))
    assert conflicts == []
