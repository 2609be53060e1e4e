"""`bench.interleaved.schedule`: the variants take turns, every other pass reversed."""

from bench.interleaved import schedule


def test_each_variant_runs_once_per_pass_and_the_order_alternates():
    assert list(schedule(["a", "b"], 4)) == ["a", "b", "b", "a", "a", "b", "b", "a"]
    assert list(schedule(["a", "b", "c"], 2)) == ["a", "b", "c", "c", "b", "a"]


def test_no_block_no_run():
    assert list(schedule(["a", "b"], 0)) == []
