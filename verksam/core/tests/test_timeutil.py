"""The Swedish workday calendar: weekends, public holidays (röda dagar) and the de-facto free eves
(midsommarafton, julafton, nyårsafton — semesterlagen 1977:480 7 §) are not workdays."""

import datetime as dt

import pytest

from verksam.core import timeutil

D = dt.date


@pytest.mark.parametrize(
    ("day", "name"),
    [
        (D(2026, 1, 1), "Nyårsdagen"),
        (D(2026, 1, 6), "Trettondedag jul"),
        (D(2026, 4, 3), "Långfredagen"),
        (D(2026, 4, 6), "Annandag påsk"),
        (D(2026, 5, 1), "Första maj"),
        (D(2026, 5, 14), "Kristi himmelsfärdsdag"),
        (D(2026, 6, 19), "Midsommarafton"),
        (D(2026, 12, 24), "Julafton"),
        (D(2026, 12, 25), "Juldagen"),
        (D(2026, 12, 31), "Nyårsafton"),
        (D(2027, 3, 26), "Långfredagen"),
        (D(2027, 3, 29), "Annandag påsk"),
        (D(2027, 5, 6), "Kristi himmelsfärdsdag"),
        (D(2027, 6, 25), "Midsommarafton"),
        (D(2027, 12, 24), "Julafton"),
        (D(2027, 12, 31), "Nyårsafton"),
    ],
)
def test_a_weekday_holiday_is_no_workday_and_has_its_swedish_name(day, name):
    # given a Monday–Friday that is a röd dag or a de-facto free eve
    assert day.weekday() < 5
    # then it is named in Swedish and is not a workday
    assert timeutil.swedish_holidays(day.year)[day] == name
    assert timeutil.holiday_name(day) == name
    assert not timeutil.is_workday(day)


def test_holidays_on_a_weekend_are_listed_but_change_nothing():
    # Nationaldagen 2026 and Annandag jul 2026 fall on a Saturday, Påskdagen on a Sunday
    holidays_2026 = timeutil.swedish_holidays(2026)
    assert holidays_2026[D(2026, 6, 6)] == "Nationaldagen" and D(2026, 6, 6).weekday() == 5
    assert holidays_2026[D(2026, 12, 26)] == "Annandag jul" and D(2026, 12, 26).weekday() == 5
    assert holidays_2026[D(2026, 4, 5)] == "Påskdagen"
    assert not timeutil.is_workday(D(2026, 6, 6))
    # Nationaldagen 2027 is a Sunday, Juldagen and Annandag jul 2027 a Saturday and a Sunday
    assert timeutil.swedish_holidays(2027)[D(2027, 12, 25)] == "Juldagen"
    assert timeutil.is_workday(D(2027, 12, 27))  # the Monday after Christmas 2027 is a workday


def test_the_calendar_has_no_ordinary_sundays_nor_half_days():
    # "Söndag" entries (include_sundays) and bank half-days such as Skärtorsdagen stay out
    holidays_2026 = timeutil.swedish_holidays(2026)
    assert "Söndag" not in holidays_2026.values()
    assert D(2026, 4, 2) not in holidays_2026  # Skärtorsdagen: a workday
    assert timeutil.is_workday(D(2026, 4, 2))
    assert timeutil.is_workday(D(2026, 5, 15))  # the klämdag after Kristi himmelsfärd is a workday
    assert timeutil.is_workday(D(2026, 12, 23))
    assert len(holidays_2026) == 16  # 13 allmänna helgdagar + midsommarafton, julafton, nyårsafton


def test_weekends_are_no_workdays_and_an_ordinary_monday_is():
    assert not timeutil.is_workday(D(2026, 11, 21))  # Saturday
    assert not timeutil.is_workday(D(2026, 11, 22))  # Sunday
    assert timeutil.is_workday(D(2026, 11, 23))  # an ordinary Monday
    assert timeutil.holiday_name(D(2026, 11, 23)) is None


def test_workdays_between_two_dates():
    # December 2026 has 23 weekdays; julafton, juldagen and nyårsafton fall on weekdays
    december = timeutil.workdays(D(2026, 12, 1), D(2026, 12, 31))
    assert len(december) == 20
    assert not {D(2026, 12, 24), D(2026, 12, 25), D(2026, 12, 26), D(2026, 12, 31)} & set(december)
    # across the turn of the year: nyårsdagen and trettondedag jul 2027 too
    assert timeutil.workdays(D(2026, 12, 28), D(2027, 1, 8)) == [
        D(2026, 12, 28),
        D(2026, 12, 29),
        D(2026, 12, 30),
        D(2027, 1, 4),
        D(2027, 1, 5),
        D(2027, 1, 7),
        D(2027, 1, 8),
    ]
    # Easter week 2026: Långfredagen and Annandag påsk are out
    assert timeutil.workdays(D(2026, 3, 30), D(2026, 4, 10)) == [
        D(2026, 3, 30),
        D(2026, 3, 31),
        D(2026, 4, 1),
        D(2026, 4, 2),
        D(2026, 4, 7),
        D(2026, 4, 8),
        D(2026, 4, 9),
        D(2026, 4, 10),
    ]
    assert timeutil.workdays(D(2026, 12, 2), D(2026, 12, 1)) == []
    assert timeutil.workdays(D(2026, 12, 25), D(2026, 12, 25)) == []


def test_the_cached_calendar_cannot_be_changed_by_a_caller():
    # given a caller that edits the dict it got
    first = timeutil.swedish_holidays(2026)
    first[D(2026, 11, 23)] = "Påhittad helgdag"
    del first[D(2026, 12, 25)]
    # then the calendar is unchanged
    assert timeutil.is_workday(D(2026, 11, 23))
    assert timeutil.holiday_name(D(2026, 12, 25)) == "Juldagen"
