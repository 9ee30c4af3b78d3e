"""The back-test maths (reviews/backtest.py), each figure computed by hand."""

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reviews.backtest import (
    MIN_CUSTOMERS,
    TRUST_CUSTOMERS,
    Correlation,
    average_ranks,
    hit_rates,
    largest_remainder,
    spearman,
    suggest_weights,
)


def test_tied_values_share_the_mean_of_their_ranks():
    # 0, 0 take ranks 1 and 2 -> 1.5 each; 50, 50, 50 take 3, 4, 5 -> 4 each.
    assert average_ranks([50, 0, 50, 70, 0, 50]).tolist() == [4, 1.5, 4, 6, 1.5, 4]


def test_spearman_with_ties_matches_the_hand_computation():
    # Totals of the example's six targets (G, A, F, E, B, C) and the revenue they won.
    totals = [77, 77, 77, 70, 51, 49]
    revenue = [5_000_000, 3_000_000, 0, 2_000_000, 1_000_000, 0]
    # Ranks of the totals: C 1, B 2, E 3, G/A/F share 4-6 -> 5.      x = 5 5 5 3 2 1
    # Ranks of the revenue: F/C share 1-2 -> 1.5, B 3, E 4, A 5, G 6. y = 6 5 1.5 4 3 1.5
    # Both means are 3.5. dx = 1.5 1.5 1.5 -0.5 -1.5 -2.5; dy = 2.5 1.5 -2 0.5 -0.5 -2.
    # Σdx·dy = 3.75 + 2.25 - 3 - 0.25 + 0.75 + 5 = 8.5
    # Σdx² = 15.5, Σdy² = 17  ->  ρ = 8.5 / √(15.5 · 17) = 8.5 / √263.5 = 0.523634…
    result = spearman(totals, revenue)
    assert result.n == 6
    assert result.rho == pytest.approx(8.5 / math.sqrt(263.5), abs=1e-6)
    assert result.rho == pytest.approx(0.523634, abs=1e-6)


def test_a_perfect_ordering_is_one_and_its_reverse_minus_one():
    assert spearman([1, 2, 3, 4, 5], [10, 20, 30, 40, 50]).rho == 1.0
    assert spearman([1, 2, 3, 4, 5], [50, 40, 30, 20, 10]).rho == -1.0


def test_fewer_than_five_customers_is_not_computable_not_zero():
    result = spearman([1, 2, 3, 4], [4, 3, 2, 1])
    assert result.rho is None and result.n == 4
    assert not result.computable
    assert MIN_CUSTOMERS == 5


def test_a_side_without_variation_is_not_computable():
    # Every target passed the gate with the same points: the ranks say nothing.
    assert spearman([100] * 6, [1, 2, 3, 4, 5, 6]).rho is None
    assert spearman([1, 2, 3, 4, 5, 6], [0] * 6).rho is None


def test_figures_below_twenty_customers_are_flagged_too_small_to_trust():
    assert Correlation(0.5, TRUST_CUSTOMERS - 1).too_small
    assert not Correlation(0.5, TRUST_CUSTOMERS).too_small


def test_hit_rate_is_the_share_with_revenue_per_tier():
    hits = hit_rates(["A", "B", "B", "B", "C", "C"], [5, 3, 0, 2, 1, 0], order=["A", "B", "C", ""])
    assert [(h.code, h.n, h.hits) for h in hits] == [
        ("A", 1, 1),
        ("B", 3, 2),
        ("C", 2, 1),
        ("", 0, 0),
    ]
    assert hits[1].rate == pytest.approx(2 / 3)
    assert hits[3].rate is None  # no general customers: no rate, not 0 %
    assert all(h.too_small for h in hits)


def test_weights_follow_the_positive_correlations_and_sum_to_100():
    # revenue −0.277 -> 0; employees 0.2505 and outsourcing 0.5251 share 100:
    # 100 · 0.2505 / 0.7756 = 32.3 and 67.7 -> floors 32 + 67 = 99; the leftover 1 goes to
    # the larger fraction (.7): 32 and 68.
    suggestion = suggest_weights(
        {
            "revenue": Correlation(-0.277218, 6),
            "employees": Correlation(0.250490, 6),
            "outsourcing": Correlation(0.525105, 6),
        },
        {"revenue": 30, "employees": 20, "outsourcing": 50},
    )
    assert suggestion == {"revenue": 0, "employees": 32, "outsourcing": 68}


def test_a_criterion_without_a_correlation_keeps_its_weight():
    suggestion = suggest_weights(
        {
            "revenue": Correlation(0.6, 10),
            "employees": Correlation(0.2, 10),
            "outsourcing": Correlation(None, 10),
        },
        {"revenue": 30, "employees": 20, "outsourcing": 50},
    )
    # outsourcing keeps 50; the other 50 splits 3:1 -> 37.5 and 12.5 -> 38 and 12 (tie: first).
    assert suggestion == {"revenue": 38, "employees": 12, "outsourcing": 50}


def test_no_suggestion_without_a_positive_correlation():
    correlations = {"a": Correlation(-0.5, 10), "b": Correlation(0.0, 10)}
    assert suggest_weights(correlations, {"a": 50, "b": 50}) is None
    assert suggest_weights({"a": Correlation(None, 3)}, {"a": 100}) is None


@given(st.lists(st.floats(min_value=0, max_value=1000, allow_nan=False), min_size=1, max_size=12))
def test_largest_remainder_always_sums_to_the_total(shares):
    if sum(shares) <= 0:
        return
    result = largest_remainder({str(i): share for i, share in enumerate(shares)})
    assert sum(result.values()) == 100
    assert all(value >= 0 for value in result.values())


@given(st.lists(st.tuples(st.integers(-50, 50), st.integers(-50, 50)), min_size=5, max_size=30))
def test_spearman_is_symmetric_bounded_and_ignores_monotone_rescaling(pairs):
    x = [a for a, _b in pairs]
    y = [b for _a, b in pairs]
    forward = spearman(x, y)
    assert forward.rho == spearman(y, x).rho
    if forward.rho is not None:
        assert -1 <= forward.rho <= 1
        assert spearman([3 * v + 7 for v in x], y).rho == pytest.approx(forward.rho, abs=1e-9)
