"""Swedish quotation marks in the Swedish UI (issue 12 item 2): Swedish quotes with the same closing
mark on both sides, ”…” and ’…’, never "…", “…”, „…“ or «…». Checked on every Swedish text of our
catalogue and on Django's own messages that reach the pages (verksam/core/django_messages.py)."""

import re
from pathlib import Path

import django
import polib
from django.utils import translation

from verksam.core.django_messages import DJANGO_MESSAGES

ROOT = Path(__file__).resolve().parents[2]
PO = ROOT / "locale/sv/LC_MESSAGES/django.po"
DJANGO_PO = Path(django.__file__).parent / "conf/locale/sv/LC_MESSAGES/django.po"

WRONG = re.compile(r'["“„«»‘‚]')
# Not quotation: an HTML attribute (href="…", class="…") and a placeholder (%(name)s, {name}).
NOT_QUOTATION = re.compile(r'[\w:-]+="[^"]*"|%\([^)]*\)[sdfr]|\{\w*\}')
# Texts where the straight quote is the character itself, not a quotation mark.
CHARACTER_ITSELF = {
    'A name cannot contain / \\ : * ? " < > | or control characters.',
}


def wrong_quotes(text: str) -> list[str]:
    """The wrong quotation marks of a Swedish text, in order ([] when it is right)."""
    return WRONG.findall(NOT_QUOTATION.sub("", text))


def test_the_check_tells_wrong_quotes_from_right_ones():
    assert wrong_quotes("Koden ”Semester” saknas") == []
    assert wrong_quotes("Det är ’rätt’") == []
    assert wrong_quotes('<a href="/t/%(slug)s/">Till sidan</a> och class="x"') == []
    assert wrong_quotes('Koden "Semester" saknas') == ['"', '"']
    assert wrong_quotes("Koden “Semester” saknas") == ["“"]
    assert wrong_quotes("Koden „Semester“ och «Semester»") == ["„", "“", "«", "»"]
    assert wrong_quotes("Det är ‘fel’") == ["‘"]


def test_every_swedish_text_of_the_catalogue_has_swedish_quotes():
    wrong = {}
    for entry in polib.pofile(str(PO)):
        if entry.obsolete or entry.msgid in CHARACTER_ITSELF:
            continue
        for text in [entry.msgstr, *entry.msgstr_plural.values()]:
            if wrong_quotes(text):
                wrong[entry.msgid] = text
    assert wrong == {}, "write ”…” (the same mark on both sides) in the Swedish text"


def test_no_swedish_text_is_written_twice():
    # A line-wise merge of the catalogue (.gitattributes: merge=union) once left 20 confirmations
    # reading "Öppna perioden igen? … lönekorrigering.Öppna perioden igen? … lönekorrigering."
    doubled = []
    for entry in polib.pofile(str(PO)):
        for text in [entry.msgstr, *entry.msgstr_plural.values()]:
            half = len(text) // 2
            if text and len(text) % 2 == 0 and text[:half] == text[half:]:
                doubled.append(entry.msgid)
    assert doubled == []


def test_djangos_own_messages_read_with_swedish_quotes():
    # still Django's texts (a new Django may reword them: then update verksam/core/django_messages.py)
    assert set(DJANGO_MESSAGES) <= {e.msgid for e in polib.pofile(str(DJANGO_PO))}
    with translation.override("sv"):
        shown = {msgid: translation.gettext(msgid) for msgid in DJANGO_MESSAGES}
    assert {msgid: text for msgid, text in shown.items() if text == msgid or wrong_quotes(text)} == {}


def test_no_template_writes_english_quotes_around_a_value():
    # “{{ … }}” in a template is English typography whatever the language: write it through
    # {% blocktranslate %}“{{ text }}”{% endblocktranslate %} (Swedish: ”%(text)s”).
    found = []
    for path in (ROOT / "templates").rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        text = re.sub(r"\{% blocktranslate.*?\{% endblocktranslate %\}", "", text, flags=re.S)
        text = re.sub(r"<[^<>]*>", "", text)  # the tags: attribute quotes are no quotation
        found += [f"{path.relative_to(ROOT)}: {m.group()}" for m in re.finditer(r"[“”\"]\{\{[^}]*\}\}", text)]
    assert found == []
