"""The attestation queue's small charts (issue 12 item 6): the team's hours per week of the period,
reported against scheduled time, and flex / time bank per employee, all from the queue's rows (no
query). Drawn as server-side SVG like Översikt's (verksam/web/home/charts.py)."""

import datetime as dt
from collections.abc import Callable

from django.utils.translation import gettext as _

from verksam.attestation.selectors import QueueRow
from verksam.timecodes.periods import Period
from verksam.timereporting import chart_data
from verksam.web.home.charts import Chart

# The most employees a per-employee chart draws. A team of more draws those who stand out most (the
# chart is 320 units wide: 200 employees' bars would be half a pixel each, and their tooltips and
# "show the numbers" tables repeat the queue's own table); every employee stays in the table above.
MOST = 20


def _most(rows: list[QueueRow], size: Callable[[QueueRow], int]) -> list[QueueRow]:
    """`rows` when they are few enough, else the MOST with the largest `size`, largest first (by name
    among equals)."""
    if len(rows) <= MOST:
        return rows
    return sorted(rows, key=lambda r: (-size(r), r.name, r.member_id))[:MOST]


def _difference(row: QueueRow) -> int:
    # reported against the schedule's time up to yesterday: who is behind (or ahead) so far
    return abs(row.total_minutes - row.scheduled_due_minutes)


def _balances(row: QueueRow) -> int:
    return abs(row.flex_minutes) + abs(row.time_bank_minutes)


def queue_charts(rows: list[QueueRow], period: Period) -> list[Chart]:
    if not rows:
        return []
    weeks = _hours_per_week(rows, period)
    reported = _most(rows, _difference)
    balances = _most(rows, _balances)
    return [
        Chart(
            title=(
                _("Reported against scheduled, per employee")
                if reported is rows
                else _("Reported against scheduled: the %(n)d with the largest difference") % {"n": MOST}
            ),
            labels=[r.name for r in reported],
            first=[r.total_minutes for r in reported],
            first_name=_("Reported"),
            second=[r.scheduled_minutes for r in reported],
            second_name=_("Scheduled"),
            testid="chart-per-employee",
            axis=False,
        ),
        Chart(
            title=_("The team's hours per week"),
            labels=[_("w. %(n)d") % {"n": monday.isocalendar()[1]} for monday in weeks],
            first=list(weeks.values()),
            first_name=_("Reported"),
            testid="chart-team-weeks",
        ),
        Chart(
            title=(
                _("Flex and time bank per employee, attested")
                if balances is rows
                else _("Flex and time bank, attested: the %(n)d with the largest balances") % {"n": MOST}
            ),
            labels=[r.name for r in balances],
            first=[r.flex_minutes for r in balances],
            first_name=_("Flex"),
            second=[r.time_bank_minutes for r in balances],
            second_name=_("Time bank"),
            signed=True,
            testid="chart-balances",
            axis=False,
        ),
    ]


def _hours_per_week(rows: list[QueueRow], period: Period) -> dict[dt.date, int]:
    """`{monday: minutes}` the rows' employees reported in the period, every week of it present: what
    chart_data.hours_per_week reads, added up from the days the queue has read already."""
    monday_of = [chart_data.monday_of(day) for day in period.days]  # by the day's index
    totals = dict.fromkeys(sorted(set(monday_of)), 0)
    for row in rows:
        for index, minutes in row.day_minutes.items():
            totals[monday_of[index]] += minutes
    return totals
