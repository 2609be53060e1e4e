"""Small charts as inline SVG drawn on the server (issue 12 item 6).

Why not a chart library: three small bar/line charts need no interaction beyond "show the numbers",
which a <details> table gives without JavaScript; server-side SVG works offline (the PWA), prints,
adds no vendored bundle to keep up to date, and the figures stay testable in Python. Each chart's
figures come from reads the page has made already (Översikt: the person's day summaries and
verksam.timereporting.chart_data.balance_changes)."""

import datetime as dt
from dataclasses import dataclass, field
from typing import NamedTuple

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from verksam.core.duration import hm
from verksam.timereporting import chart_data
from verksam.timereporting.selectors import DaySummary
from verksam.web.escape import esc

WIDTH, HEIGHT, PAD = 320, 120, 18
WEEKS = 8


class Bar(NamedTuple):
    # a tuple, not a frozen dataclass: the approver queue's charts draw 800 bars, and a frozen
    # dataclass's __init__ (object.__setattr__ per field) was most of building them (issue 13)
    x: float
    y: float
    width: float
    height: float
    label: str
    value: str
    css: str = ""


@dataclass
class Chart:
    """A bar chart (two series side by side when `second` is given) and the same figures as rows."""

    title: str
    labels: list[str]
    first: list[int]
    first_name: str
    second: list[int] | None = None
    second_name: str = ""
    signed: bool = False
    testid: str = ""
    axis: bool = True  # week labels under the bars; off for employees' names (in the tooltips and the table)
    bars: list[Bar] = field(default_factory=list)
    zero_y: float = HEIGHT - PAD
    width: int = WIDTH
    height: int = HEIGHT
    _texts: dict[int, str] = field(default_factory=dict, repr=False)
    _labels: dict[str, str] = field(default_factory=dict, repr=False)  # each label escaped once

    def __post_init__(self) -> None:
        values = self.first + (self.second or [])
        top = max([0, *values]) or 1
        bottom = min([0, *values])
        span = (top - bottom) or 1
        plot = HEIGHT - 2 * PAD
        self.zero_y = PAD + plot * top / span
        slot = WIDTH / max(len(self.labels), 1)
        series = [(self.first, "bar-first")] + ([(self.second, "bar-second")] if self.second else [])
        bar_width = slot * 0.7 / len(series)
        width = round(bar_width, 1)
        zero_y, signed, bars = self.zero_y, self.signed, self.bars
        texts = self._texts  # the h:mm of each value, worked out once (the numbers' rows use it too)
        for i, label in enumerate(self.labels):
            for n, (values_of, css) in enumerate(series):
                value = values_of[i]
                height = plot * abs(value) / span
                y = zero_y - height if value >= 0 else zero_y
                x = i * slot + slot * 0.15 + n * bar_width
                text = texts.get(value)
                if text is None:
                    text = texts[value] = hm(value, signed=signed)
                bars.append(
                    Bar(
                        round(x, 1),
                        round(y, 1),
                        width,
                        round(max(height, 0.5), 1),
                        label,
                        text,
                        css + " negative" if value < 0 else css,
                    )
                )

    @property
    def rows(self) -> list[tuple[str, str, str]]:
        second = self.second or [None] * len(self.first)  # type: ignore[list-item]
        return [
            (label, hm(a, signed=self.signed), hm(b, signed=self.signed) if b is not None else "")
            for label, a, b in zip(self.labels, self.first, second, strict=True)
        ]

    @property
    def bars_svg(self) -> SafeString:
        """The bars as SVG <rect>s, escaped, built here rather than by the template: the approver
        queue of 200 employees draws 800 of them, and the template's loop of seven lookups per bar
        was a fifth of the page's time (issue 13). The coordinates are numbers (nothing to escape);
        each label, shared by a bar of each series, is escaped once."""
        labels = self._labels
        # the classes are three ("bar-first", "bar-second", either with " negative") and the values
        # h:mm texts: each escaped once, not once per bar
        escaped: dict[str, str] = {}
        rects = []
        for x, y, width, height, label, value, css in self.bars:
            label_html = labels.get(label)
            if label_html is None:
                label_html = labels[label] = esc(label)
            css_html = escaped.get(css)
            if css_html is None:
                css_html = escaped[css] = esc(css)
            value_html = escaped.get(value)
            if value_html is None:
                value_html = escaped[value] = esc(value)
            rects.append(
                f'<rect x="{x}" y="{y}" width="{width}" height="{height}" class="{css_html}">'
                f"<title>{label_html}: {value_html}</title></rect>"
            )
        return mark_safe("".join(rects))  # noqa: S308 -- every text above is escaped

    @property
    def rows_html(self) -> SafeString:
        """The "show the numbers" table's rows, escaped (see `bars_svg`)."""
        labels, texts = self._labels, self._texts
        escaped: dict[str, str] = {}  # the h:mm texts, each escaped once

        def text(value: int) -> str:
            html = escaped.get(value)  # type: ignore[call-overload]
            if html is None:
                plain = texts.get(value)
                if plain is None:
                    plain = texts[value] = hm(value, signed=self.signed)
                html = escaped[value] = esc(plain)  # type: ignore[index]
            return html

        def label_of(label: str) -> str:
            html = labels.get(label)
            if html is None:
                html = labels[label] = esc(label)
            return html

        if self.second:
            return mark_safe(  # noqa: S308 -- escaped
                "".join(
                    f'<tr><th scope="row">{label_of(label)}</th><td class="num">{text(a)}</td>'
                    f'<td class="num">{text(b)}</td></tr>'
                    for label, a, b in zip(self.labels, self.first, self.second, strict=True)
                )
            )
        return mark_safe(  # noqa: S308 -- escaped
            "".join(
                f'<tr><th scope="row">{label_of(label)}</th><td class="num">{text(a)}</td></tr>'
                for label, a in zip(self.labels, self.first, strict=True)
            )
        )

    @property
    def label_step(self) -> int:
        return max(1, len(self.labels) // 8)

    @property
    def axis_labels(self) -> list[tuple[float, str]]:
        if not self.axis:
            return []
        slot = WIDTH / max(len(self.labels), 1)
        return [
            (round(i * slot + slot / 2, 1), lab)
            for i, lab in enumerate(self.labels)
            if i % self.label_step == 0
        ]


def _week_label(monday: dt.date) -> str:
    return _("w. %(n)d") % {"n": monday.isocalendar()[1]}


def chart_weeks(today: dt.date) -> tuple[dt.date, dt.date]:
    """The first Monday and the last Sunday of the charts' weeks: the last eight, this one included."""
    first_monday = chart_data.monday_of(today) - dt.timedelta(weeks=WEEKS - 1)
    return first_monday, first_monday + dt.timedelta(weeks=WEEKS) - dt.timedelta(days=1)


def dashboard_charts(
    today: dt.date, days: list[DaySummary], balance_changes: dict[dt.date, tuple[int, int]]
) -> list[Chart]:
    """Hours per week (reported beside scheduled) and flex / time bank at the end of each week, for
    the person's own last eight weeks, from what Översikt has read already: `days` (the person's
    day summaries, covering the eight weeks) and `balance_changes` (chart_data.balance_changes, up
    to the last Sunday or later)."""
    first_monday, end = chart_weeks(today)
    mondays = [first_monday + dt.timedelta(weeks=i) for i in range(WEEKS)]
    reported = dict.fromkeys(mondays, 0)
    scheduled = dict.fromkeys(mondays, 0)
    for day in days:
        if first_monday <= day.date <= end:
            monday = chart_data.monday_of(day.date)
            reported[monday] += day.minutes
            scheduled[monday] += day.scheduled_minutes
    labels = [_week_label(m) for m in mondays]
    balances = chart_data.balances_per_week(balance_changes, mondays)
    return [
        Chart(
            title=_("Hours per week"),
            labels=labels,
            first=[reported[m] for m in mondays],
            first_name=_("Reported"),
            second=[scheduled[m] for m in mondays],
            second_name=_("Scheduled"),
            testid="chart-hours",
        ),
        Chart(
            title=_("Flex and time bank, attested"),
            labels=labels,
            first=[flex for _sunday, flex, _bank in balances],
            first_name=_("Flex"),
            second=[bank for _sunday, _flex, bank in balances],
            second_name=_("Time bank"),
            signed=True,
            testid="chart-balance",
        ),
    ]
