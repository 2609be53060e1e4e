"""The VAT on a receipt must fit its amount (issue 10 "Bad input")."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from verksam.core.errors import DomainError
from verksam.expenses.vat import check_vat, min_gross, vat_fits, vat_of

RATES = (25, 12, 6)


@given(st.integers(1, 10**9), st.lists(st.integers(0, 10**8), min_size=3, max_size=3))
def test_vat_computed_from_any_split_of_the_amount_fits(amount, weights):
    """Any split of the amount into 25/12/6/0 % parts gives VAT amounts the rule accepts."""
    parts, rest = [], amount
    for w in weights:
        part = min(w, rest)
        parts.append(part)
        rest -= part
    vats = {r: vat_of(g, r) for r, g in zip(RATES, parts, strict=True)}
    assert vat_fits(amount, vats)
    check_vat(amount, vats)


@given(st.integers(0, 10**8), st.sampled_from(RATES))
def test_min_gross_is_the_smallest_amount_giving_that_vat(vat, rate):
    g = min_gross(vat, rate)
    assert vat_of(g, rate) == vat
    if g > 0:
        assert vat_of(g - 1, rate) < vat


@given(st.integers(1, 10**9), st.sampled_from(RATES))
def test_one_ore_more_vat_than_the_whole_amount_can_carry_is_refused(amount, rate):
    most = vat_of(amount, rate)
    assert vat_fits(amount, {rate: most})
    assert not vat_fits(amount, {rate: most + 1})
    with pytest.raises(DomainError):
        check_vat(amount, {rate: most + 1})


def test_examples():
    check_vat(12500, {25: 2500})  # 125,00 kr incl. 25,00 kr VAT
    check_vat(11200, {12: 1200})
    check_vat(10600, {6: 600})
    check_vat(23700, {25: 2500, 12: 1200})  # mixed receipt
    with pytest.raises(DomainError) as exc:
        check_vat(10000, {25: 10001})
    assert exc.value.code == "vat_exceeds_amount"
    with pytest.raises(DomainError) as exc:
        check_vat(10000, {6: 2500})  # 25 kr at 6 % needs 441,67 kr
    assert exc.value.code == "vat_does_not_fit"
    with pytest.raises(DomainError) as exc:
        check_vat(10000, {25: -1})
    assert exc.value.code == "invalid_vat"
