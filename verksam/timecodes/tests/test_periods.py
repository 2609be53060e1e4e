"""The deviation period (avvikelseperiod): start days 1, 16 and 28, month ends, February in common
and leap years (2028), the year boundary, key round trips, and that periods tile the calendar."""

import datetime as dt

import pytest

from verksam.timecodes.periods import Period, period_by_key, period_for, period_next, period_previous

D = dt.date


@pytest.mark.parametrize(
    ("day", "start_day", "start", "end", "key"),
    [
        # start day 1: the calendar month
        (D(2026, 1, 1), 1, D(2026, 1, 1), D(2026, 1, 31), "2026-01"),
        (D(2026, 4, 30), 1, D(2026, 4, 1), D(2026, 4, 30), "2026-04"),
        (D(2026, 2, 28), 1, D(2026, 2, 1), D(2026, 2, 28), "2026-02"),
        (D(2028, 2, 29), 1, D(2028, 2, 1), D(2028, 2, 29), "2028-02"),
        (D(2026, 12, 31), 1, D(2026, 12, 1), D(2026, 12, 31), "2026-12"),
        # start day 16: the 16th to the 15th, named after the month it ends in
        (D(2026, 11, 16), 16, D(2026, 11, 16), D(2026, 12, 15), "2026-12"),
        (D(2026, 12, 15), 16, D(2026, 11, 16), D(2026, 12, 15), "2026-12"),
        (D(2026, 12, 16), 16, D(2026, 12, 16), D(2027, 1, 15), "2027-01"),
        (D(2027, 1, 1), 16, D(2026, 12, 16), D(2027, 1, 15), "2027-01"),
        (D(2026, 1, 31), 16, D(2026, 1, 16), D(2026, 2, 15), "2026-02"),
        (D(2026, 2, 28), 16, D(2026, 2, 16), D(2026, 3, 15), "2026-03"),
        (D(2028, 2, 29), 16, D(2028, 2, 16), D(2028, 3, 15), "2028-03"),
        # start day 28: February's period is the shortest (28 Jan – 27 Feb) or ends on the 27th
        (D(2026, 2, 27), 28, D(2026, 1, 28), D(2026, 2, 27), "2026-02"),
        (D(2026, 2, 28), 28, D(2026, 2, 28), D(2026, 3, 27), "2026-03"),
        (D(2028, 2, 29), 28, D(2028, 2, 28), D(2028, 3, 27), "2028-03"),
        (D(2026, 12, 31), 28, D(2026, 12, 28), D(2027, 1, 27), "2027-01"),
        (D(2027, 1, 27), 28, D(2026, 12, 28), D(2027, 1, 27), "2027-01"),
    ],
)
def test_period_for_returns_the_period_containing_the_day(day, start_day, start, end, key):
    # given a day and the tenant's start day / when the period is looked up
    period = period_for(day, start_day)
    # then it has the expected bounds and is named after the month it ends in
    assert (period.start, period.end, period.key) == (start, end, key)
    assert day in period


@pytest.mark.parametrize("start_day", [0, 29, 31, -1])
def test_start_day_outside_1_to_28_is_refused(start_day):
    with pytest.raises(ValueError, match="1–28"):
        period_for(D(2026, 5, 5), start_day)


@pytest.mark.parametrize("start_day", [1, 2, 15, 16, 25, 28])
@pytest.mark.parametrize("year", [2026, 2027, 2028])
def test_every_day_of_the_year_falls_in_exactly_one_period_and_periods_tile(year, start_day):
    # given every day from the last days of the year before to the first days of the next
    day, last = D(year - 1, 12, 1), D(year + 1, 1, 31)
    seen: dict[dt.date, Period] = {}
    while day <= last:
        period = period_for(day, start_day)
        # then the day is inside its period, and every day of that period maps back to it
        assert period.start <= day <= period.end
        assert period_for(period.start, start_day) == period == period_for(period.end, start_day)
        assert period.start.day == start_day
        assert 28 <= len(period.days) <= 31
        seen[day] = period
        day += dt.timedelta(days=1)
    # and consecutive periods tile without gaps or overlaps
    periods = sorted(set(seen.values()))
    for before, after in zip(periods, periods[1:], strict=False):
        assert after.start == before.end + dt.timedelta(days=1)
        assert period_next(before, start_day) == after
        assert period_previous(after, start_day) == before
    # and every period has a distinct key that leads back to it
    assert len({p.key for p in periods}) == len(periods)
    for period in periods:
        assert period_by_key(period.key, start_day) == period


@pytest.mark.parametrize("start_day", [1, 16, 28])
def test_period_by_key_round_trips_over_the_year_boundary(start_day):
    # given December 2026 and January 2027 / when looked up by key
    december, january = period_by_key("2026-12", start_day), period_by_key("2027-01", start_day)
    # then both end in the month named, and January follows December
    assert (december.end.year, december.end.month) == (2026, 12)
    assert (january.end.year, january.end.month) == (2027, 1)
    assert period_next(december, start_day) == january
    assert period_previous(january, start_day) == december


def test_february_period_with_start_day_16_in_a_leap_year():
    # 2028 is a leap year: 16 Feb – 15 Mar holds 29 February (29 days), 16 Jan – 15 Feb has 31.
    march = period_by_key("2028-03", 16)
    assert D(2028, 2, 29) in march
    assert len(march.days) == 29
    assert len(period_by_key("2027-03", 16).days) == 28
    assert len(period_by_key("2028-02", 16).days) == 31


def test_days_lists_every_date_of_the_period():
    period = period_for(D(2026, 2, 10), 1)
    assert period.days[0] == D(2026, 2, 1)
    assert period.days[-1] == D(2026, 2, 28)
    assert len(period.days) == 28
    assert "2026-02-10" not in period  # only dates are contained
