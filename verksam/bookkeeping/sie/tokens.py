"""SIE 4 records as tokens, shared by the writer and the reader.

A record is one line: `#LABEL` then fields separated by spaces or tabs; a field is a word, a quoted
string (`""` empty, `\\"` a quote inside) or an object list `{dim "obj" …}`. The file is CP437 ("PC8").

#KSUMMA (SIE 4B section 5.20; DOMAIN.md "SIE 4"): CRC-32 — the IEEE 802.3 polynomial that
`zlib.crc32` computes — over the CP437 bytes of every token of every record between the opening
`#KSUMMA` and the closing `#KSUMMA n`: the label and each field's content, quotes and braces
removed, no separators, no line ends. Verified against the three real files in
../shared/ref/sie/*_ksumma.* (tests/test_sie_reader.py)."""

import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

ENCODING = "cp437"

Field = str | tuple[str, ...]  # a word/quoted string, or an object list's items


class SieSyntaxError(ValueError):
    """A line is not a SIE record."""


@dataclass(frozen=True)
class Record:
    label: str
    fields: tuple[Field, ...]


def split_record(line: str) -> Record | None:
    """One line → its record (None for a blank line). Object lists become tuples of their items."""
    stripped = line.strip()
    if stripped in ("{", "}"):
        return Record(stripped, ())  # a voucher's row block opens and closes on lines of their own
    fields: list[Field] = []
    stack: list[list[str]] = []
    i, n = 0, len(line)
    while i < n:
        c = line[i]
        if c in " \t\r\n":
            i += 1
            continue
        if c == '"':
            i += 1
            buf = []
            while i < n and line[i] != '"':
                if line[i] == "\\" and i + 1 < n:
                    buf.append(line[i + 1])
                    i += 2
                    continue
                buf.append(line[i])
                i += 1
            i += 1  # the closing quote (a missing one ends at the line end, as readers tolerate)
            value = "".join(buf)
        elif c == "{":
            stack.append([])
            i += 1
            continue
        elif c == "}":
            if not stack:
                raise SieSyntaxError(f"unbalanced }} in {line!r}")
            items = stack.pop()
            fields.append(tuple(items))
            i += 1
            continue
        else:
            j = i
            while j < n and line[j] not in ' \t\r\n{}"':
                j += 1
            value = line[i:j]
            i = j
        if stack:
            stack[-1].append(value)
        else:
            fields.append(value)
    if stack:
        raise SieSyntaxError(f"unclosed {{ in {line!r}")
    if not fields:
        return None
    first = fields[0]
    if isinstance(first, tuple):
        raise SieSyntaxError(f"a record starts with its label: {line!r}")
    return Record(first, tuple(fields[1:]))


def checksum_tokens(record: Record) -> Iterator[str]:
    """The tokens #KSUMMA covers: the label and every field's content (object items one by one)."""
    if record.label not in ("{", "}"):  # braces are not tokens of the checksum
        yield record.label
    for f in record.fields:
        if isinstance(f, tuple):
            yield from f
        else:
            yield f


def crc_update(crc: int, record: Record) -> int:
    # CRC-32 of a concatenation equals the CRC chained over its parts, so one call per record
    return zlib.crc32("".join(checksum_tokens(record)).encode(ENCODING, "replace"), crc)


_CONTROL = {code: " " for code in [*range(32), 127]}


def clean(value: str) -> str:
    """A text as CP437 can carry it on one line: control characters become spaces, characters
    outside CP437 become '?' (what the writer and the checksum both see)."""
    return value.translate(_CONTROL).encode(ENCODING, "replace").decode(ENCODING)


def quote(value: str, *, always: bool = False) -> str:
    """A field as written: quoted when empty, holding a separator, quote or brace (or `always`)."""
    if always or not value or any(ch.isspace() or ch in '"{}\\' for ch in value):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return value


def format_record(record: Record, *, quoted: Iterable[int] = ()) -> str:
    """A record as one line (no line end); field indexes in `quoted` are always quoted."""
    always = set(quoted)
    parts = [record.label]
    for index, f in enumerate(record.fields):
        if isinstance(f, tuple):
            parts.append("{" + " ".join(quote(item) for item in f) + "}")
        else:
            parts.append(quote(f, always=index in always))
    return " ".join(parts)
