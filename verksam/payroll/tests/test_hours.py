"""Minutes → hours with exactly two decimals, by integer arithmetic (no float drift)."""

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from verksam.payroll.dto import TimeTransaction, hours_2dp, ore_2dp, range_day_minutes


@given(st.integers(min_value=-(10**7), max_value=10**7))
def test_two_decimals_rounded_half_away_from_zero(minutes):
    text = hours_2dp(minutes)
    whole, _, decimals = text.lstrip("-").partition(".")
    assert len(decimals) == 2 and whole.isdigit()
    exact = Fraction(abs(minutes), 60)
    expected = Decimal(exact.numerator) / Decimal(exact.denominator)
    expected = expected.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    assert Decimal(text.lstrip("-")) == expected
    assert text.startswith("-") == (minutes < 0)


@given(st.integers(min_value=0, max_value=10**6))
def test_multiples_of_three_minutes_are_exact(n):
    minutes = 3 * n
    assert Decimal(hours_2dp(minutes)) * 60 == minutes


@pytest.mark.parametrize(
    ("minutes", "text"),
    [
        (0, "0.00"),
        (1, "0.02"),
        (2, "0.03"),
        (30, "0.50"),
        (95, "1.58"),
        (450, "7.50"),
        (-135, "-2.25"),
        (6000, "100.00"),
    ],
)
def test_examples(minutes, text):
    assert hours_2dp(minutes) == text
    assert hours_2dp(minutes, decimal_mark=",") == text.replace(".", ",")


@given(st.integers(min_value=-(10**9), max_value=10**9))
def test_ore(ore):
    assert Decimal(ore_2dp(ore)) * 100 == ore


@given(st.integers(min_value=1, max_value=10000), st.integers(min_value=0, max_value=720))
def test_range_extent_rounds_half_up_to_whole_minutes(hundredths, scheduled):
    pct = Decimal(hundredths) / 100
    day = dt.date(2027, 1, 11)
    tx = TimeTransaction("VAB", date_from=day, date_to=day, extent_percent=pct)
    result = range_day_minutes(tx, {day: scheduled})
    expected = (Decimal(scheduled) * pct / 100).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    assert result == ([(day, int(expected))] if scheduled else [])


def test_transaction_shapes():
    day = dt.date(2027, 1, 11)
    with pytest.raises(ValueError):
        TimeTransaction("SJK", date=day)  # a day needs minutes
    with pytest.raises(ValueError):
        TimeTransaction("SJK", date=day, minutes=60, date_from=day, date_to=day)
    with pytest.raises(ValueError):
        TimeTransaction("SJK", date_from=day, date_to=day - dt.timedelta(days=1))
    with pytest.raises(ValueError):
        TimeTransaction("SJK", date_from=day, date_to=day, extent_percent=Decimal("100.5"))
    with pytest.raises(ValueError):
        TimeTransaction("SJK", date_from=day, date_to=day, extent_percent=Decimal("12.345"))
    with pytest.raises(ValueError):
        TimeTransaction("SJK", date=day, minutes=60, extent_percent=Decimal("50"))
