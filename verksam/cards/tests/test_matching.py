"""The matcher's invariants (hypothesis): never across cards or tenants, amounts exact, dates within
the window, an exact unique pair always matched, nothing matched twice; and merchant normalisation."""

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from verksam.cards.matching import DAY_WINDOW, Item, match, merchant_similarity, normalise_merchant

BASE = dt.date(2026, 11, 1)
MERCHANTS = ["ICA Maxi Solna", "Circle K Kista", "SJ AB", "Clas Ohlson", "Espresso House", "Scandic Hotels"]


def items(prefix: int):
    return st.lists(
        st.builds(
            lambda i, t, c, d, a, m: (i, t, c, d, a, m),
            st.integers(0, 10_000),
            st.integers(1, 2),
            st.integers(1, 3),
            st.integers(0, 20),
            st.sampled_from([100, 2500, 9900]),
            st.sampled_from(MERCHANTS),
        ),
        max_size=25,
    ).map(
        lambda rows: [
            Item(prefix + n, t, c, BASE + dt.timedelta(days=d), a, m)
            for n, (_i, t, c, d, a, m) in enumerate(rows)
        ]
    )


@settings(max_examples=200, deadline=None)
@given(items(0), items(100_000))
def test_matches_stay_within_tenant_card_amount_and_window(transactions, receipts):
    result = match(transactions, receipts)
    tx = {t.id: t for t in transactions}
    rc = {r.id: r for r in receipts}
    for t_id, r_id in result.matched:
        t, r = tx[t_id], rc[r_id]
        assert (t.tenant_id, t.card_id, t.amount_ore) == (r.tenant_id, r.card_id, r.amount_ore)
        assert abs((t.date - r.date).days) <= DAY_WINDOW
    for t_id, candidates in result.ambiguous:
        for r_id in candidates:
            assert (tx[t_id].tenant_id, tx[t_id].card_id) == (rc[r_id].tenant_id, rc[r_id].card_id)
    # each transaction in exactly one outcome, each receipt matched at most once
    outcome = [t for t, _r in result.matched] + [t for t, _c in result.ambiguous] + list(result.unmatched)
    assert sorted(outcome) == sorted(tx)
    used = [r for _t, r in result.matched]
    assert len(used) == len(set(used))


@settings(max_examples=200, deadline=None)
@given(
    items(0), items(100_000), st.sampled_from(MERCHANTS), st.integers(0, DAY_WINDOW), st.integers(1, 10**7)
)
def test_an_exact_unique_pair_is_always_matched(transactions, receipts, merchant, days, amount):
    # a pair on its own card and amount (nothing else can compete with it) is always found
    t = Item(99_999, 1, 7, BASE, amount, merchant)
    r = Item(199_999, 1, 7, BASE + dt.timedelta(days=days), amount, merchant.upper() + " AB")
    result = match([*transactions, t], [*receipts, r])
    assert (t.id, r.id) in result.matched


@settings(max_examples=100, deadline=None)
@given(st.sampled_from(MERCHANTS), st.integers(1, 10**7))
def test_never_across_tenants_or_cards(merchant, amount):
    t = Item(1, 1, 1, BASE, amount, merchant)
    others = [Item(2, 2, 1, BASE, amount, merchant), Item(3, 1, 2, BASE, amount, merchant)]
    result = match([t], others)
    assert result.matched == () and result.unmatched == (1,)


def test_two_receipts_for_one_line_are_left_for_the_holder():
    t = Item(1, 1, 1, BASE, 5000, "ICA Maxi")
    r1, r2 = Item(2, 1, 1, BASE, 5000, "ICA Maxi"), Item(3, 1, 1, BASE + dt.timedelta(days=1), 5000, "ICA")
    result = match([t], [r1, r2])
    assert result.matched == () and result.ambiguous == ((1, (2, 3)),)


def test_outside_the_window_or_other_amount_is_unmatched():
    t = Item(1, 1, 1, BASE, 5000, "ICA Maxi")
    late = Item(2, 1, 1, BASE + dt.timedelta(days=DAY_WINDOW + 1), 5000, "ICA Maxi")
    other = Item(3, 1, 1, BASE, 5001, "ICA Maxi")
    assert match([t], [late, other]).unmatched == (1,)


def test_merchant_normalisation():
    assert normalise_merchant("ICA MAXI SOLNA AB 1234") == "ica maxi solna"
    assert normalise_merchant("Åhléns City") == "ahlens city"
    assert merchant_similarity("CIRCLE K KISTA", "Circle K") >= 0.9
    assert merchant_similarity("SJ AB", "Scandic Hotels") < 0.6
    assert merchant_similarity("", "ICA") == 0.0
