"""The attestation queue's small charts (issue 12 item 6): the team's hours per week of the period,
reported against scheduled time, and flex / time bank per employee, all from the queue's rows (no
query). Drawn as server-side SVG like Översikt's (verksam/web/home/charts.py)."""

import datetime as dt

from django.utils.translation import gettext as _

from verksam.attestation.selectors import QueueRow
from verksam.timecodes.periods import Period
from verksam.timereporting import chart_data
from verksam.web.home.charts import Chart


def queue_charts(rows: list[QueueRow], period: Period) -> list[Chart]:
    if not rows:
        return []
    weeks = _hours_per_week(rows, period)
    names = [r.name for r in rows]
    return [
        Chart(
            title=_("Reported against scheduled, per employee"),
            labels=names,
            first=[r.total_minutes for r in rows],
            first_name=_("Reported"),
            second=[r.scheduled_minutes for r in rows],
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
            title=_("Flex and time bank per employee, attested"),
            labels=names,
            first=[r.flex_minutes for r in rows],
            first_name=_("Flex"),
            second=[r.time_bank_minutes for r in rows],
            second_name=_("Time bank"),
            signed=True,
            testid="chart-balances",
            axis=False,
        ),
    ]


def _hours_per_week(rows: list[QueueRow], period: Period) -> dict[dt.date, int]:
    """`{monday: minutes}` the rows' employees reported in the period, every week of it present: what
    chart_data.hours_per_week reads, added up from the days the queue has read already."""
    monday_of = {day: chart_data.monday_of(day) for day in period.days}
    totals = dict.fromkeys(sorted(set(monday_of.values())), 0)
    for row in rows:
        for day, minutes in row.reported_days.items():
            totals[monday_of[day]] += minutes
    return totals
