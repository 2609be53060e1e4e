"""Small charts as inline SVG drawn on the server (issue 12 item 6).

Why not a chart library: three small bar/line charts need no interaction beyond "show the numbers",
which a <details> table gives without JavaScript; server-side SVG works offline (the PWA), prints,
adds no vendored bundle to keep up to date, and the figures stay testable in Python. Each chart's
figures come from reads the page has made already (Översikt: the person's day summaries and
verksam.timereporting.chart_data.balance_changes)."""

import datetime as dt
from dataclasses import dataclass, field

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from verksam.core.duration import hm
from verksam.timereporting import chart_data
from verksam.timereporting.selectors import DaySummary
from verksam.web.escape import esc

WIDTH, HEIGHT, PAD = 320, 120, 18
WEEKS = 8


@dataclass(frozen=True)
class Bar:
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
        for i, label in enumerate(self.labels):
            for n, (values_of, css) in enumerate(series):
                value = values_of[i]
                height = plot * abs(value) / span
                y = self.zero_y - height if value >= 0 else self.zero_y
                x = i * slot + slot * 0.15 + n * bar_width
                self.bars.append(
                    Bar(
                        x=round(x, 1),
                        y=round(y, 1),
                        width=round(bar_width, 1),
                        height=round(max(height, 0.5), 1),
                        label=label,
                        value=hm(value, signed=self.signed),
                        css=css + (" negative" if value < 0 else ""),
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
        labels: dict[str, str] = {}
        rects = []
        for b in self.bars:
            label = labels.get(b.label)
            if label is None:
                label = labels[b.label] = esc(b.label)
            rects.append(
                f'<rect x="{b.x}" y="{b.y}" width="{b.width}" height="{b.height}" class="{esc(b.css)}">'
                f"<title>{label}: {esc(b.value)}</title></rect>"
            )
        return mark_safe("".join(rects))  # noqa: S308 -- every text above is escaped

    @property
    def rows_html(self) -> SafeString:
        """The "show the numbers" table's rows, escaped (see `bars_svg`)."""
        if self.second:
            return mark_safe(  # noqa: S308 -- escaped
                "".join(
                    f'<tr><th scope="row">{esc(label)}</th><td class="num">{esc(a)}</td>'
                    f'<td class="num">{esc(b)}</td></tr>'
                    for label, a, b in self.rows
                )
            )
        return mark_safe(  # noqa: S308 -- escaped
            "".join(
                f'<tr><th scope="row">{esc(label)}</th><td class="num">{esc(a)}</td></tr>'
                for label, a, _b in self.rows
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
