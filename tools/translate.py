"""Check and compile the Swedish catalogue, locale/sv/LC_MESSAGES/django.po.

The .po file is the one source of the Swedish text (as Django projects and translation tools such as
Weblate use it): `make messages` extracts new English msgids into it, a person writes the Swedish
msgstr there, and this script compiles the .mo that Django reads.

Usage: .venv/bin/python tools/translate.py   (needs `polib`, a development-only tool)
A fuzzy guess by msgmerge is often wrong ("Sections" → "Händelse"), so it is cleared, never shipped;
the msgids still without Swedish text are printed and the exit code is 1, so a new string never
ships in English by accident.
"""

import pathlib
import sys

import polib

ROOT = pathlib.Path(__file__).resolve().parent.parent
PO = ROOT / "locale/sv/LC_MESSAGES/django.po"


def merge_duplicates(po: polib.POFile) -> list[str]:
    """After a line-wise merge of two branches (.gitattributes: merge=union) an entry both added or
    re-wrapped is there twice: keep one. One English text with two Swedish texts is a conflict for a
    person to settle; it is returned, never guessed."""
    kept: dict[tuple[str | None, str], polib.POEntry] = {}
    conflicts, duplicates = [], []
    for entry in po:
        key = (entry.msgctxt, entry.msgid)
        first = kept.setdefault(key, entry)
        if first is entry:
            continue
        duplicates.append(entry)
        if (entry.msgstr, entry.msgstr_plural) != (first.msgstr, first.msgstr_plural):
            conflicts.append(entry.msgid)
        first.occurrences = sorted(set(first.occurrences) | set(entry.occurrences))
    for entry in duplicates:
        po.remove(entry)
    return conflicts


def main() -> int:
    po = polib.pofile(str(PO))
    size = len(po)
    conflicts = merge_duplicates(po)
    for msgid in conflicts:
        print("two Swedish texts for one English text, choose one in the .po:", msgid, file=sys.stderr)
    if conflicts:
        return 1
    fuzzy = po.fuzzy_entries()
    for entry in fuzzy:
        entry.flags.remove("fuzzy")
        entry.msgstr = ""
        entry.msgstr_plural = dict.fromkeys(entry.msgstr_plural, "")
        entry.previous_msgid = entry.previous_msgid_plural = entry.previous_msgctxt = None
    if fuzzy or len(po) != size:  # rewrite only on a change (polib wraps lines unlike msgmerge)
        po.save()
    po.save_as_mofile(str(PO.with_suffix(".mo")))
    missing = [entry.msgid for entry in po.untranslated_entries()]
    for msgid in missing:
        print("untranslated:", msgid)
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
