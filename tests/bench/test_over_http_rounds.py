"""`bench.over_http._rounds`: how the HTTP bench combines its rounds of floor and Verksam runs."""

import math

from bench.over_http import _range, _rounds


def _run(rps, p50=5.0, p99=9.0, non2xx=0):
    return {"rps": rps, "p50": p50, "p99": p99, "requests": int(rps * 5), "non2xx": non2xx, "refused": 0}


def test_the_ratio_is_the_median_of_the_rounds_own_ratios():
    # the machine got twice as fast in the second round: each round's ratio is still 0.5
    mine, floor = _rounds([(_run(100), _run(200)), (_run(200), _run(400)), (_run(110), _run(200))])
    assert mine["ratios"] == [0.5, 0.5, 0.55]
    assert mine["ratio"] == 0.5
    assert mine["rps"] == 110 and floor["rps"] == 200
    assert _range(mine["ratios"]) == "  (0.50-0.55)"


def test_every_rounds_answers_count():
    mine, _floor = _rounds([(_run(100), _run(200)), (_run(100, non2xx=3), _run(200))])
    assert mine["non2xx"] == 3
    assert mine["requests"] == 1000


def test_without_a_floor_there_is_no_ratio():
    mine, floor = _rounds([(_run(100), None)])
    assert floor is None and math.isnan(mine["ratio"]) and _range(mine["ratios"]) == ""
