"""Property tests for the rule functions: points always in [0, 100], as DESIGN.md defines them."""

import math

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from evaluation.criteria.rules import points

finite = st.floats(min_value=-1e12, max_value=1e12, allow_nan=False, allow_infinity=False)
score = st.integers(min_value=0, max_value=100)


@given(
    lo=finite,
    span=st.floats(min_value=1e-3, max_value=1e12),
    value=finite,
    direction=st.sampled_from(["higher_better", "lower_better"]),
)
def test_linear_points_stay_in_range(lo, span, value, direction):
    assume(lo + span > lo)
    rule = {"type": "linear", "lo": lo, "hi": lo + span, "direction": direction}
    assert 0 <= points(rule, value) <= 100


@given(lo=finite, span=st.floats(min_value=1e-3, max_value=1e9), a=finite, b=finite)
def test_linear_higher_better_never_decreases(lo, span, a, b):
    assume(lo + span > lo)
    rule = {"type": "linear", "lo": lo, "hi": lo + span, "direction": "higher_better"}
    low, high = sorted([a, b])
    assert points(rule, low) <= points(rule, high)


@given(lo=finite, span=st.floats(min_value=1e-3, max_value=1e9), value=finite)
def test_lower_better_mirrors_higher_better(lo, span, value):
    assume(lo + span > lo)
    higher = {"type": "linear", "lo": lo, "hi": lo + span, "direction": "higher_better"}
    lower = {**higher, "direction": "lower_better"}
    assert math.isclose(points(higher, value) + points(lower, value), 100)


def test_linear_example():
    rule = {"type": "linear", "lo": 0, "hi": 500_000_000, "direction": "higher_better"}
    assert points(rule, 125_000_000) == 25
    assert points(rule, -5) == 0 and points(rule, 600_000_000) == 100


BANDS = {
    "type": "bands",
    "bands": [
        {"min": None, "max": 100, "points": 20},
        {"min": 100, "max": 1000, "points": 60},
        {"min": 1000, "max": None, "points": 100},
    ],
}


@pytest.mark.parametrize(
    ("value", "expected"), [(-1, 20), (99.99, 20), (100, 60), (999, 60), (1000, 100), (10**9, 100)]
)
def test_bands_are_half_open(value, expected):
    assert points(BANDS, value) == expected


def test_a_value_in_no_band_gets_zero():
    rule = {
        "type": "bands",
        "bands": [{"min": 0, "max": 10, "points": 50}, {"min": 20, "max": 30, "points": 80}],
    }
    assert points(rule, 15) == 0


@given(
    cuts=st.lists(st.integers(-1000, 1000), min_size=2, max_size=6, unique=True),
    value=st.integers(-2000, 2000),
    pts=st.lists(score, min_size=6, max_size=6),
)
def test_contiguous_bands_give_exactly_one_bands_points(cuts, value, pts):
    cuts.sort()
    bands = [
        {"min": low, "max": high, "points": pts[i]}
        for i, (low, high) in enumerate(zip(cuts, cuts[1:], strict=False))
    ]
    result = points({"type": "bands", "bands": bands}, value)
    inside = [b["points"] for b in bands if b["min"] <= value < b["max"]]
    assert result == (inside[0] if inside else 0)


@given(
    options=st.dictionaries(st.text("abcdef", min_size=1, max_size=5), score, min_size=1),
    value=st.text("abcdefg", max_size=5),
)
def test_choice_gives_the_options_points_or_zero(options, value):
    assert points({"type": "choice", "points": options}, value) == options.get(value, 0)


@given(true=score, false=score, value=st.booleans())
def test_boolean(true, false, value):
    assert points({"type": "boolean", "true": true, "false": false}, value) == (
        true if value else false
    )


@pytest.mark.parametrize(
    "rule",
    [BANDS, {"type": "choice", "points": {"a": 5}}, {"type": "boolean", "true": 9, "false": 1}],
)
def test_a_missing_value_scores_zero(rule):
    assert points(rule, None) == 0
