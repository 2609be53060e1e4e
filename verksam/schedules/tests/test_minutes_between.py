"""ScheduleHistory.minutes_between is each day's minutes_on, for any history and range."""

import datetime as dt

import pytest

from verksam.schedules.dto import Schedule, ScheduleHistory

PART = (240, 240, 240, 240, 0, 0, 0)
SHIFT = (0, 0, 600, 600, 600, 600, 0)

HISTORIES = [
    ScheduleHistory(()),
    ScheduleHistory((Schedule(valid_from=dt.date(2026, 3, 1)),)),
    ScheduleHistory(
        (
            Schedule(valid_from=dt.date(2025, 12, 20), weekday_minutes=PART, percent=50),
            Schedule(valid_from=dt.date(2026, 1, 2)),
            Schedule(valid_from=dt.date(2026, 6, 19), weekday_minutes=SHIFT),
        )
    ),
]


@pytest.mark.parametrize("history", HISTORIES)
@pytest.mark.parametrize(
    ("start", "end"),
    [
        (dt.date(2025, 12, 1), dt.date(2026, 1, 31)),  # across the new year, julafton to trettondagen
        (dt.date(2026, 6, 1), dt.date(2026, 6, 30)),  # midsommar and a change of schedule
        (dt.date(2025, 11, 1), dt.date(2025, 11, 30)),  # before the first schedule: the first covers it
        (dt.date(2026, 1, 2), dt.date(2026, 1, 2)),  # one day, the day a schedule starts
    ],
)
def test_minutes_between_is_minutes_on_of_every_day(history, start, end):
    days = [start + dt.timedelta(days=i) for i in range((end - start).days + 1)]
    assert history.minutes_between(start, end) == {day: history.minutes_on(day) for day in days}


def test_an_empty_range_has_no_days():
    assert ScheduleHistory(()).minutes_between(dt.date(2026, 1, 2), dt.date(2026, 1, 1)) == {}
