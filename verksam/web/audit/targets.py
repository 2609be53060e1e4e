"""The "What" of a time-reporting event in words: its stored target label names the employee by id and
the date in ISO ("140 2026-10-05–2026-10-11 100 %"); the log shows "Fredrik Åberg · 5 okt 2026 –
11 okt 2026 · 100 %" instead (issue 12 item 3: names instead of ids). One query for the names of a
whole page. Since 2 December 2026 the models' __str__ store the label in these words already (it
matches no pattern and is shown as it is); the patterns read the events stored before that."""

import re
from collections.abc import Iterable

from verksam.core.duration import hm
from verksam.tenancy.selectors import membership_list
from verksam.web.templatetags.verksam_format import day

# target type -> pattern of the stored label (the models' __str__) with groups member, and the parts
PATTERNS = {
    "timereporting.timeentry": re.compile(
        r"^(?P<date>\d{4}-\d\d-\d\d) (?P<minutes>-?\d+) min \((?P<member>\d+)\)$"
    ),
    "timereporting.absencerange": re.compile(
        r"^(?P<member>\d+) (?P<start>\d{4}-\d\d-\d\d)–(?P<end>\d{4}-\d\d-\d\d) (?P<percent>\d+) %$"
    ),
    "timereporting.daylock": re.compile(r"^(?P<member>\d+) (?P<date>\d{4}-\d\d-\d\d) \w+$"),
    "timereporting.dayrejection": re.compile(r"^(?P<member>\d+) (?P<date>\d{4}-\d\d-\d\d) rejected$"),
    "timereporting.timebankadjustment": re.compile(
        r"^(?P<member>\d+) (?P<date>\d{4}-\d\d-\d\d) (?P<minutes>[+-]\d+)$"
    ),
}


def _words(parts: dict[str, str], name: str) -> str:
    out = [name]
    if "start" in parts:
        out.append(f"{day(parts['start'])} – {day(parts['end'])}")
        out.append(f"{parts['percent']} %")
    else:
        out.append(day(parts["date"]))
        if "minutes" in parts:
            out.append(hm(int(parts["minutes"])))
    return " · ".join(out)


def humanise_targets(events: Iterable) -> None:
    """Set `event.target_text` on each event: the label in words where it is a time-reporting one."""
    events = list(events)
    found = {}
    for event in events:
        pattern = PATTERNS.get(event.target_type)
        match = pattern.match(event.target_label) if pattern else None
        found[event.pk] = match.groupdict() if match else None
    ids = {int(parts["member"]) for parts in found.values() if parts}
    names = {}
    if ids:
        names = {m.pk: m.user.name or m.user.email for m in membership_list().filter(pk__in=ids)}
    for event in events:
        parts = found[event.pk]
        name = names.get(int(parts["member"])) if parts else None
        event.target_text = _words(parts, name) if parts and name else event.target_label
