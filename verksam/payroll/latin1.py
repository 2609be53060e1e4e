"""Text for ISO-8859-1 files (Visma Lön's `.tlu`, issue 9 "Bad input"). Latin-1 covers Swedish,
Finnish, Norwegian, Danish, German, French and Spanish letters; names from elsewhere may hold letters
it lacks. Those are transliterated by the table below — each to the nearest Latin-1 letter, the way
the person's name is usually written without the accent — or, when the caller asks for it or the
letter has no entry (Cyrillic, Greek, Arabic, CJK, emoji…), refused with a Swedish message naming
the employee and the field, so nothing is exported with a guessed name.

The table (also in docs/payroll-files.md):

| from | to | languages |
|---|---|---|
| ą ć ę ł ń ś ź ż (Ą Ć Ę Ł Ń Ś Ź Ż) | a c e l n s z z (A C E L N S Z Z) | Polish |
| ğ ı İ ş Ş Ğ | g i I s S G | Turkish (ç ö ü are Latin-1 already) |
| č ď ě ň ř š ť ů ž (capitals alike) | c d e n r s t u z | Czech, Slovak, Slovenian, Croatian |
| ő ű Ő Ű | ö ü Ö Ü | Hungarian (the umlaut is the nearest Latin-1 letter) |
| ă ș ş ț ţ (capitals alike) | a s s t t | Romanian |
| ā ē ī ū ė į ų ģ ķ ļ ņ (capitals alike) | a e i u e i u g k l n | Latvian, Lithuanian |
| đ Đ | d D | Croatian, Serbian (Latin), Vietnamese |
| œ Œ | oe OE | French ligature missing in Latin-1 |
| ’ ‘ ‚ | ' | typographic apostrophes |
| “ ” „ | " | typographic quotes |
| – — | - | dashes |
| … | ... | ellipsis |
| € | EUR | euro sign |
"""

from django.utils.translation import gettext as _

from .errors import PayrollFileRefused

_PAIRS = {
    "ąa ćc ęe łl ńn śs źz żz ĄA ĆC ĘE ŁL ŃN ŚS ŹZ ŻZ",
    "ğg ıi İI şs ŞS ĞG",
    "čc ďd ěe ňn řr šs ťt ůu žz ČC ĎD ĚE ŇN ŘR ŠS ŤT ŮU ŽZ",
    "őö űü ŐÖ ŰÜ",
    "ăa șs țt ţt ĂA ȘS ȚT ŢT",
    "āa ēe īi ūu ėe įi ųu ģg ķk ļl ņn ĀA ĒE ĪI ŪU ĖE ĮI ŲU ĢG ĶK ĻL ŅN",
    "đd ĐD",
    "’' ‘' ‚' “\" ”\" „\" –- —-",
}
TRANSLITERATION: dict[str, str] = {pair[0]: pair[1:] for group in _PAIRS for pair in group.split()}
TRANSLITERATION.update({"œ": "oe", "Œ": "OE", "…": "...", "€": "EUR"})

TRANSLITERATE = "transliterate"
REFUSE = "refuse"


def is_latin1(char: str) -> bool:
    return ord(char) < 256


def to_latin1(value: str, *, employee: str, field: str, mode: str = TRANSLITERATE) -> str:
    """`value` with every character in ISO-8859-1, or PayrollFileRefused naming the employee, the
    field and the characters that cannot be written (all of them in refuse mode, those without an
    entry in the table otherwise)."""
    out: list[str] = []
    refused: list[str] = []
    for char in value:
        if is_latin1(char):
            out.append(char)
        elif mode == TRANSLITERATE and char in TRANSLITERATION:
            out.append(TRANSLITERATION[char])
        elif char not in refused:
            refused.append(char)
    if refused:
        raise PayrollFileRefused(
            _(
                "%(employee)s: the %(field)s “%(value)s” contains characters that Visma Lön's file "
                "(ISO-8859-1) cannot hold: %(chars)s. Change the text or choose another payroll system."
            )
            % {"employee": employee, "field": field, "value": value, "chars": " ".join(refused)},
            code="not_latin1",
            extra={"employee": employee, "field": field, "characters": refused},
        )
    return "".join(out)
