import pytest
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from evaluation.criteria.rule_checks import rule_problems


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def band(low, high, pts=50):
    return {"min": low, "max": high, "points": pts}


@pytest.mark.parametrize(
    ("rule", "fragment"),
    [
        (
            {"type": "linear", "lo": 5, "hi": 5, "direction": "higher_better"},
            "Low must be below high",
        ),
        (
            {"type": "linear", "lo": 9, "hi": 5, "direction": "higher_better"},
            "Low must be below high",
        ),
        ({"type": "linear", "lo": "a", "hi": 5, "direction": "higher_better"}, "must be numbers"),
        (
            {"type": "linear", "lo": float("nan"), "hi": 5, "direction": "higher_better"},
            "must be numbers",
        ),
        ({"type": "linear", "lo": 0, "hi": 5, "direction": "up"}, "Direction"),
        (
            {"type": "linear", "lo": 0, "hi": 5, "direction": "higher_better", "x": 1},
            "Unknown field “x”",
        ),
        ({"type": "bands", "bands": []}, "at least one band"),
        ({"type": "bands", "bands": [band(0, 10), band(5, 20)]}, "Bands 1 and 2 overlap"),
        ({"type": "bands", "bands": [band(None, 10), band(None, 5)]}, "overlap"),
        ({"type": "bands", "bands": [band(10, 10)]}, "min must be below max"),
        ({"type": "bands", "bands": [band(0, 10, 101)]}, "between 0 and 100"),
        ({"type": "bands", "bands": [band(0, 10, -1)]}, "between 0 and 100"),
        ({"type": "spline"}, "Unknown rule type"),
    ],
)
def test_a_bad_numeric_rule_is_explained(rule, fragment):
    assert any(fragment in problem for problem in rule_problems(rule, kind="number"))


def test_bands_with_gaps_are_allowed():
    assert (
        rule_problems({"type": "bands", "bands": [band(0, 10), band(20, 30)]}, kind="number") == []
    )


def test_touching_bands_do_not_overlap():
    assert (
        rule_problems({"type": "bands", "bands": [band(10, 20), band(0, 10)]}, kind="number") == []
    )


def test_every_option_of_a_choice_needs_points():
    problems = rule_problems(
        {"type": "choice", "points": {"open": 100}}, kind="category", options=("open", "closed")
    )
    assert problems == ["Option “closed” has no points: give it points, or 0 deliberately."]


def test_zero_points_given_deliberately_is_fine():
    assert (
        rule_problems(
            {"type": "choice", "points": {"open": 100, "closed": 0}},
            kind="category",
            options=("open", "closed"),
        )
        == []
    )


def test_an_unknown_option_is_named():
    problems = rule_problems(
        {"type": "choice", "points": {"opne": 1}}, kind="category", options=("open",)
    )
    assert "Unknown option “opne”." in problems


def test_a_rule_must_fit_its_source():
    assert rule_problems(
        {"type": "linear", "lo": 0, "hi": 1, "direction": "higher_better"}, kind="category"
    )


@given(lo=st.integers(-(10**6), 10**6), hi=st.integers(-(10**6), 10**6))
def test_linear_is_valid_exactly_when_lo_is_below_hi(lo, hi):
    problems = rule_problems(
        {"type": "linear", "lo": lo, "hi": hi, "direction": "higher_better"}, kind="number"
    )
    assert (problems == []) == (lo < hi)
