"""Fill empty Swedish translations in locale/sv/LC_MESSAGES/django.po without rewrapping the file.

Usage: python tools/po_fill.py FILE.tsv   (each line: English msgid <TAB> Swedish text)

Run tools/translate.py after makemessages and before this: it clears makemessages' fuzzy guesses,
which would otherwise count as filled.

Only entries whose msgstr is empty (and single, not plural) are filled; everything else in the
catalogue is left byte for byte (polib would rewrap it). Run tools/translate.py afterwards."""

import re
import sys
from pathlib import Path

PO = Path(__file__).resolve().parent.parent / "locale" / "sv" / "LC_MESSAGES" / "django.po"


def _quote(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"')


# msgid "…" followed by continuation lines "…", then an empty msgstr
# (not the first line of a filled multi-line msgstr, `msgstr ""` then `"…"`: filling it again doubled it)
ENTRY = re.compile(r'\nmsgid ((?:"(?:[^"\\]|\\.)*"\n)+)msgstr ""\n(?!")')


def _unquote(block: str) -> str:
    parts = re.findall(r'"((?:[^"\\]|\\.)*)"', block)
    return "".join(parts).replace('\\"', '"').replace("\\\\", "\\")


def main(tsv: str) -> int:
    catalogue = PO.read_text(encoding="utf-8")
    wanted: dict[str, str] = {}
    for line in Path(tsv).read_text(encoding="utf-8").splitlines():
        if line.strip():
            english, swedish = line.split("\t", 1)
            wanted[english] = swedish
    filled: set[str] = set()

    def fill(match: re.Match) -> str:
        english = _unquote(match.group(1))
        if english not in wanted:
            return match.group(0)
        filled.add(english)
        return f'\nmsgid {match.group(1)}msgstr "{_quote(wanted[english])}"\n'

    catalogue = ENTRY.sub(fill, catalogue)
    missing = [english for english in wanted if english not in filled]
    PO.write_text(catalogue, encoding="utf-8")
    for english in missing:
        print(f"not filled (not found, multi-line or already translated): {english}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
