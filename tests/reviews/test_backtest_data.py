"""The back-test read from the database matches the hand computation.

AUTO's approved 2027 list was scored in 2026 (tests/evaluation: the example). Its six targets
and the revenue they won in 2027 (conftest.HAND_REVENUE):

    customer  total  revenue pts  employees pts  outsourcing pts  scored tier  revenue won
    G         77.00  50           60             100              A            5,000,000
    A         77.00  50           60             100              B            3,000,000
    F         77.00  50           60             100              B            0
    E         70.00  0 (missing)  100            100              B            2,000,000
    B         51.00  20           100            50               C            1,000,000
    C         49.00  66.67        20             50               C            0

Revenue ranks (average for ties): G 6, A 5, F 1.5, E 4, B 3, C 1.5; mean 3.5;
dy = 2.5, 1.5, −2, 0.5, −0.5, −2; Σdy² = 17.

- total: ranks 5, 5, 5, 3, 2, 1; dx = 1.5, 1.5, 1.5, −0.5, −1.5, −2.5; Σdx·dy = 8.5,
  Σdx² = 15.5 -> ρ = 8.5 / √(15.5·17) = 0.523634
- revenue points: ranks 4, 4, 4, 1, 2, 6; dx = .5, .5, .5, −2.5, −1.5, 2.5; Σdx·dy = −4.5,
  Σdx² = 15.5 -> ρ = −4.5 / √263.5 = −0.277218
- employees points: ranks 3, 3, 3, 5.5, 5.5, 1; dx = −.5, −.5, −.5, 2, 2, −2.5; Σdx·dy = 4,
  Σdx² = 15 -> ρ = 4 / √255 = 0.250490
- outsourcing points: ranks 4.5 ×4, 1.5 ×2; dx = 1, 1, 1, 1, −2, −2; Σdx·dy = 7.5,
  Σdx² = 12 -> ρ = 7.5 / √204 = 0.525105
- hit rate by scored tier: A 1/1, B 2/3 (F won nothing), C 1/2, general 0 customers.
- suggestion: revenue 0; employees 100·0.250490/0.775595 = 32.30, outsourcing 67.70
  -> 32 + 67 = 99, the leftover unit to the larger fraction -> 32 and 68.
"""

import math

import pytest

from evaluation.models import ScoreEntry
from evaluation.scoring.breakdown import points_by_key
from reviews.backtest_data import scope_backtests, set_backtest
from reviews.scopes import ReviewScope
from tests.reviews.conftest import YEAR, entry_of, record


def test_the_back_test_of_the_hand_example(hand_results, example_set):
    result = set_backtest(example_set, YEAR)
    assert (result.targets, result.compared, result.missing) == (6, 6, 0)
    assert result.total.rho == pytest.approx(8.5 / math.sqrt(15.5 * 17), abs=1e-6)
    by_key = {figure.key: figure.correlation.rho for figure in result.criteria}
    assert by_key["revenue"] == pytest.approx(-4.5 / math.sqrt(15.5 * 17), abs=1e-6)
    assert by_key["employees"] == pytest.approx(4 / math.sqrt(15 * 17), abs=1e-6)
    assert by_key["outsourcing"] == pytest.approx(7.5 / math.sqrt(12 * 17), abs=1e-6)
    assert [(h.code, h.n, h.hits) for h in result.hits] == [
        ("A", 1, 1),
        ("B", 3, 2),
        ("C", 2, 1),
        ("", 0, 0),
    ]
    assert result.suggestion == {"revenue": 0, "employees": 32, "outsourcing": 68}
    assert result.too_small and result.covers_every_list


def test_each_figure_names_the_customers_behind_it(hand_results, example_set):
    result = set_backtest(example_set, YEAR)
    assert result.total.n == 6
    assert all(figure.correlation.n == 6 for figure in result.criteria)
    assert all(figure.correlation.too_small for figure in result.criteria)


def test_a_missing_result_is_left_out_not_counted_as_zero(approved_list, people, example_set):
    for name, revenue in [("G", 5), ("A", 4), ("F", 3), ("E", 2), ("B", 1)]:
        record(approved_list, people, name, revenue)
    result = set_backtest(example_set, YEAR)
    assert (result.compared, result.missing) == (5, 1)
    assert result.total.n == 5 and result.total.computable


def test_fewer_than_five_results_is_not_computable(approved_list, people, example_set):
    for name in ["G", "A", "F", "E"]:
        record(approved_list, people, name, 1000)
    result = set_backtest(example_set, YEAR)
    assert result.total.rho is None and result.total.n == 4
    assert not result.computable
    assert all(figure.correlation.rho is None for figure in result.criteria)
    assert result.suggestion is None


def test_the_scope_back_test_lists_the_sets_behind_its_lists(hand_results, org, example_set):
    results = scope_backtests(ReviewScope("bu", org.bu1), YEAR)
    assert [r.criteria_set for r in results] == [example_set]
    assert scope_backtests(ReviewScope("segment", org.elec), YEAR) == []


def test_points_are_read_from_the_stored_breakdown(approved_list):
    entry = entry_of(approved_list, "B")
    score = ScoreEntry.objects.get(run=approved_list.run, customer=entry.customer)
    points = points_by_key(approved_list.run.criteria, score.breakdown)
    assert points == pytest.approx({"revenue": 20.0, "employees": 100.0, "outsourcing": 50.0})


def test_points_are_read_from_either_breakdown_shape():
    criteria = [{"key": "revenue"}, {"key": "employees"}]
    compact = {"raw": [100, 500], "points": [20.0, 60.0]}
    keyed = {"revenue": [100, 20.0, 30.0, 6.0], "employees": [500, 60.0, 20.0, 12.0]}
    assert points_by_key(criteria, compact) == points_by_key(criteria, keyed)
