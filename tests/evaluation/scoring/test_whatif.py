"""What-if: movement counts and Spearman's rank correlation by hand, then the example segment
scored with other weights (30/20/50 → 50/20/30) without writing anything."""

from decimal import Decimal

import pytest
from django.utils import translation

from evaluation.scoring.whatif import (
    GENERAL,
    NOT_SCORED,
    average_ranks,
    compare,
    movements,
    paired_ranks,
    spearman,
)


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


# --- Pure maths -------------------------------------------------------------------------------


def test_movements_count_each_change_of_place():
    before = {1: "A", 2: "B", 3: "B", 4: "B", 5: "C", 6: "B"}
    after = {1: "A", 2: "A", 3: "C", 4: "C", 5: "C", 6: "C"}
    assert movements(before, after) == [("B", "C", 3), ("B", "A", 1)]


def test_customers_on_one_side_move_from_or_to_not_scored():
    assert movements({1: "A", 2: GENERAL}, {1: "A", 3: "C"}) == [
        (GENERAL, NOT_SCORED, 1),
        (NOT_SCORED, "C", 1),
    ]


def test_no_change_is_no_movement():
    assert movements({1: "A", 2: "B"}, {1: "A", 2: "B"}) == []


def test_ties_share_the_average_of_their_ranks():
    assert average_ranks([10, 20, 20, 30]) == [1, 2.5, 2.5, 4]
    assert average_ranks([5, 5, 5]) == [2, 2, 2]


def test_spearman_of_a_hand_computed_example():
    # d = -1, 1, -1, 1, 0: Σd² = 4, ρ = 1 − 6·4 / (5·24) = 0.8
    assert spearman([1, 2, 3, 4, 5], [2, 1, 4, 3, 5]) == pytest.approx(0.8)


def test_spearman_with_ties_is_pearson_of_average_ranks():
    # x ranks 1, 2.5, 2.5, 4 against 1, 2, 3, 4: ρ = 4.5 / √(4.5 · 5) = 3 / √10
    assert spearman([1, 2, 2, 3], [1, 2, 3, 4]) == pytest.approx(3 / 10**0.5)


def test_spearman_of_reversed_ranks_is_minus_one():
    assert spearman([1, 2, 3, 4], [4, 3, 2, 1]) == pytest.approx(-1)


def test_spearman_is_undefined_for_fewer_than_two_or_all_tied():
    assert spearman([1], [1]) is None
    assert spearman([1, 2, 3], [2, 2, 2]) is None


def test_only_customers_ranked_both_times_are_paired():
    before = {"a": 1, "b": 2, "c": None, "d": 3}
    after = {"a": 2, "b": 1, "c": 3, "e": 4}
    assert paired_ranks(before, after) == ([1, 2], [2, 1])


# --- The example segment with other weights ----------------------------------------------------

OTHER_WEIGHTS = {"revenue": Decimal(50), "employees": Decimal(20), "outsourcing": Decimal(30)}


def tried(example_list, org, weights=OTHER_WEIGHTS, rules=None):
    return compare(
        criteria_set=example_list.run.criteria_set,
        segment=org.auto,
        weights=weights,
        rules=rules or {},
        facts_year=2026,
    )


def test_other_weights_move_e_to_c_and_b_to_general(example_list, org):
    # 50/20/30: G, A, F 67.00; C 52.33; E 50.00; B 45.00; H 19.08 → G A; A, F B; C, E C.
    result = tried(example_list, org)
    assert result["movements"] == [
        {"from": "B Develop", "to": "C Maintain", "count": 1},
        {"from": "C Maintain", "to": "General customer", "count": 1},
    ]
    assert [(r["name"], r["before_rank"], r["after_rank"]) for r in result["changed"]] == [
        ("E", 4, 5),
        ("B", 5, 6),
    ]


def test_spearman_against_the_latest_run(example_list, org):
    # Ranks G1 A2 F3 E4 B5 C6 H7 → G1 A2 F3 C4 E5 B6 H7: Σd² = 1 + 1 + 4 = 6, ρ = 1 − 36/336
    result = tried(example_list, org)
    assert result["compared"] == 7
    assert result["spearman"] == pytest.approx(1 - 36 / 336)


def test_the_same_weights_move_nobody(example_list, org):
    weights = {"revenue": Decimal(30), "employees": Decimal(20), "outsourcing": Decimal(50)}
    result = tried(example_list, org, weights=weights)
    assert result["movements"] == [] and result["spearman"] == pytest.approx(1)


def test_a_changed_rule_is_tried_too(example_list, org):
    # Outsourcing "closed" worth 50: D passes the gate with 24 + 20 + 25 = 69.00 → rank 5, B.
    rules = {
        "outsourcing": {"type": "choice", "points": {"open": 100, "neutral": 50, "closed": 50}}
    }
    weights = {"revenue": Decimal(30), "employees": Decimal(20), "outsourcing": Decimal(50)}
    result = tried(example_list, org, weights=weights, rules=rules)
    d = next(row for row in result["changed"] if row["name"] == "D")
    assert (d["before"], d["after_rank"], d["after"]) == ("Screened out", 5, "B Develop")


def test_without_a_run_the_set_as_saved_is_the_baseline(example_set, example_customers, org):
    result = compare(
        criteria_set=example_set,
        segment=org.auto,
        weights=OTHER_WEIGHTS,
        rules={},
        facts_year=2026,
    )
    assert result["run"] is None
    assert [(m["from"], m["to"], m["count"]) for m in result["movements"]] == [
        ("B Develop", "C Maintain", 1),
        ("C Maintain", "General customer", 1),
    ]
