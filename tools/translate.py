"""Fill empty Swedish msgstrs in locale/sv from the dictionaries in tools/sv_*.py and compile.

Usage: .venv/bin/python tools/translate.py   (needs `polib`, a development-only tool; msgfmt compiles)
Prints the msgids still untranslated, so a new string never ships in English by accident.
"""

import importlib
import pathlib
import subprocess
import sys

import polib

ROOT = pathlib.Path(__file__).resolve().parent.parent
PO = ROOT / "locale/sv/LC_MESSAGES/django.po"


def main() -> int:
    sys.path.insert(0, str(ROOT / "tools"))
    table: dict[str, str] = {}
    for path in sorted((ROOT / "tools").glob("sv_*.py")):
        for msgid, msgstr in importlib.import_module(path.stem).SV.items():
            # one English text has one Swedish text everywhere: a second, different one is a mistake
            # (gettext would silently show whichever file came last on every page using the text)
            if table.get(msgid, msgstr) != msgstr:
                print(f"{path.name}: {msgid!r} is already translated as {table[msgid]!r}", file=sys.stderr)
                return 1
            table[msgid] = msgstr
    po = polib.pofile(str(PO))
    missing = []
    for entry in po:
        if entry.obsolete:
            continue
        if entry.msgid in table:
            entry.msgstr = table[entry.msgid]
            if "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
        elif not entry.msgstr or "fuzzy" in entry.flags:
            # A fuzzy guess by msgmerge is often wrong ("Sections" → "Händelse"): never ship it.
            entry.msgstr = ""
            if "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
            missing.append(entry.msgid)
    po.save()
    subprocess.run(["msgfmt", "-o", str(PO.with_suffix(".mo")), str(PO)], check=True)
    for msgid in missing:
        print("untranslated:", msgid)
    return 0


if __name__ == "__main__":
    sys.exit(main())
