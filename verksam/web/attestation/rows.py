"""The approver queue's table rows, rendered in Python (issue 13: pages answer in 50 ms).

The queue of a 200-employee company has 200 rows of 13 cells; drawn by the template that was ~170
template nodes and ~25 variable lookups per row, 60 % of the page's time. Here every row is one
format string filled with values the selector has already worked out, and everything that is the
same for every row (the translated labels and badges, the employee link's pattern) is prepared once
per page. The HTML is exactly what the template drew: the same cells, attributes, links and texts,
escaped the same way (`esc`, as `conditional_escape`, on every value; the translated sentences of
`blocktranslate` are filled with escaped values, as the tag does).
"""

from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from verksam.attestation.selectors import STATUS_ATTESTED, STATUS_WAITING, QueueRow
from verksam.core.duration import hm
from verksam.web.escape import esc

_MARKER = 987654321  # an id no row has, to cut the employee page's URL into what comes before and after


def _employee_url(slug: str) -> tuple[str, str]:
    """`web:attest_employee` of the tenant cut around the member's id, escaped: reversed once per
    page, not once per row (escaping is character by character, so the halves escape apart)."""
    before, after = reverse("web:attest_employee", args=[slug, _MARKER]).rsplit(str(_MARKER), 1)
    return esc(before), esc(after)


_ROW = (
    '\n    <tr data-member="{member}" data-status="{status}">\n'
    '      <td data-label="{l_employee}"><a href="{href}" class="att-name">{name}</a>{substitute}</td>\n'
    '      <td class="att-minor" data-label="{l_number}">{number}</td>\n'
    '      <td class="num att-minor" data-label="{l_reported}">{reported}</td>\n'
    '      <td class="num" data-label="{l_missing}">{missing}</td>\n'
    '      <td class="num att-minor" data-label="{l_open}">{open}</td>\n'
    '      <td class="num" data-label="{l_locked}">{locked}</td>\n'
    '      <td class="num att-minor" data-label="{l_attested}">{attested}</td>\n'
    '      <td class="num" data-label="{l_hours}" data-testid="hours-of-schedule">{hours}{short}</td>\n'
    '      <td class="num att-minor" data-label="{l_flex}" data-testid="flex" data-minutes="{flex_minutes}">'
    "{flex}</td>\n"
    '      <td class="num att-minor" data-label="{l_bank}" data-testid="time-bank" '
    'data-minutes="{bank_minutes}">{bank}</td>\n'
    '      <td class="att-minor" data-label="{l_codes}"><ul class="att-codes">{codes}</ul></td>\n'
    '      <td data-label="{l_status}">{badge}</td>\n'
    '      <td class="att-minor"><a href="{href}">{l_show}</a></td>\n'
    "    </tr>\n  "
)
# the fields of `_ROW` filled per row (the others are the labels, filled once per page)
_ROW_FIELDS = (
    "member", "status", "href", "name", "substitute", "number", "reported", "missing", "open", "locked",
    "attested", "hours", "short", "flex_minutes", "flex", "bank_minutes", "bank", "codes", "badge",
)  # fmt: skip


def _braces(text: str) -> str:
    return text.replace("{", "{{").replace("}", "}}")


def queue_rows_html(rows: list[QueueRow], *, slug: str, period_key: str) -> SafeString:
    """The `<tr>` of every row of the approver's queue, escaped, in the rows' order."""
    before, after = _employee_url(slug)
    after += esc(f"?period={period_key}")
    labels = {
        "l_employee": esc(_("Employee")),
        "l_number": esc(_("Employment no.")),
        "l_reported": esc(_("Days reported")),
        "l_missing": esc(_("Days missing")),
        "l_open": esc(_("Days open")),
        "l_locked": esc(_("Days locked")),
        "l_attested": esc(_("Days attested")),
        "l_hours": esc(_("Hours")),
        "l_flex": esc(_("Flex")),
        "l_bank": esc(_("Time bank")),
        "l_codes": esc(_("Per code")),
        "l_status": esc(_("Status")),
        "l_show": esc(_("Show")),
    }
    # The labels are the same in every row: written into the row's pattern once per page.
    keep = {name: "{" + name + "}" for name in _ROW_FIELDS}
    row_html = _ROW.format(**{name: _braces(text) for name, text in labels.items()}, **keep).format
    # The texts outside the f-strings: xgettext does not look inside an f-string's braces.
    all_attested, waiting, incomplete_text = _("All attested"), _("Waiting for attestation"), _("Incomplete")
    badges = {
        STATUS_ATTESTED: f'<span class="badge att-attested">{esc(all_attested)}</span>',
        STATUS_WAITING: f'<span class="badge att-waiting">{esc(waiting)}</span>',
    }
    incomplete = f'<span class="badge att-incomplete">{esc(incomplete_text)}</span>'
    substitute_for = _("as substitute for %(name)s")
    hours_of = _("%(reported)s of %(scheduled)s")
    statuses: dict[str, str] = {}
    # What repeats between rows is made once per page: the h:mm texts of equal minutes, the hours
    # cell of equal reported and scheduled time, the list item of a code with equal time (a team
    # shares its schedule and codes, and many report the same hours).
    texts: dict[int, str] = {}
    hours_cells: dict[tuple[int, int], str] = {}
    items: dict[tuple[bool, str, int], str] = {}

    def hm_text(minutes: int) -> str:
        text = texts.get(minutes)
        if text is None:
            text = texts[minutes] = hm(minutes)
        return text

    out = []
    # The h:mm texts (`hm`: digits, ':', '−', '+') and the counts have nothing to escape.
    for row in rows:
        substitute = ""
        if row.on_behalf_of is not None:
            name = esc(row.on_behalf_of.user.name)
            substitute = f'<br><small class="muted">{substitute_for % {"name": name}}</small>'
        short = ""
        if row.days_short:
            n = row.days_short
            text = ngettext("%(n)s short day", "%(n)s short days", n) % {"n": n}
            short = f'<br><small class="error">{text}</small>'
        parts = []
        for absence, totals in ((False, row.time_codes), (True, row.absence_types)):
            for c in totals:
                item = items.get((absence, c.name, c.minutes))
                if item is None:
                    css = ' class="att-absence"' if absence else ""
                    item = items[absence, c.name, c.minutes] = (
                        f'<li{css}>{esc(c.name)} <span class="muted">{hm_text(c.minutes)}</span></li>'
                    )
                parts.append(item)
        codes = "".join(parts)
        cell = hours_cells.get((row.total_minutes, row.scheduled_minutes))
        if cell is None:
            cell = hours_cells[row.total_minutes, row.scheduled_minutes] = hours_of % {
                "reported": hm_text(row.total_minutes),
                "scheduled": hm_text(row.scheduled_minutes),
            }
        status = statuses.get(row.status)
        if status is None:
            status = statuses[row.status] = esc(row.status)
        out.append(
            row_html(
                member=row.member_id,
                status=status,
                href=f"{before}{row.member_id}{after}",
                name=esc(row.name),
                substitute=substitute,
                number=esc(row.employment_number or "–"),
                reported=row.days_reported,
                missing=f'<strong class="error">{row.days_missing}</strong>' if row.days_missing else "0",
                open=row.days_open,
                locked=row.days_locked,
                attested=row.days_attested,
                hours=cell,
                short=short,
                flex_minutes=row.flex_minutes,
                flex=hm_text(row.flex_minutes),
                bank_minutes=row.time_bank_minutes,
                bank=hm_text(row.time_bank_minutes),
                codes=codes,
                badge=badges.get(row.status, incomplete),
            )
        )
    return mark_safe("".join(out))  # noqa: S308 -- every value above is escaped
