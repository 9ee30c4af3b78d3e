"""A hand-computed example, to the cent, with gates, ties, and each tier rule
(the criteria of DESIGN.md's example set)."""

from decimal import Decimal
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from evaluation.scoring.points import (
    Categories,
    CriterionSpec,
    rank_eligible,
    rank_order,
    round_half_up_cents,
    score,
)
from evaluation.scoring.tiering import TierRule, assign_tiers, top_percent_count

CRITERIA = [
    CriterionSpec(
        "revenue",
        "revenue",
        Decimal(30),
        {"type": "linear", "lo": 0, "hi": 500_000_000, "direction": "higher_better"},
    ),
    CriterionSpec(
        "employees",
        "employees",
        Decimal(20),
        {
            "type": "bands",
            "bands": [
                {"min": None, "max": 100, "points": 20},
                {"min": 100, "max": 1000, "points": 60},
                {"min": 1000, "max": None, "points": 100},
            ],
        },
    ),
    CriterionSpec(
        "outsourcing",
        "outsourcing_attitude",
        Decimal(50),
        {"type": "choice", "points": {"open": 100, "neutral": 50, "closed": 0}},
        gate=Decimal(50),
    ),
]
# name, credit code, revenue, employees, outsourcing
CUSTOMERS = [
    ("A", "91350100M000100Y43", 250_000_000, 500, "open"),  # 15 + 12 + 50 = 77.00
    ("B", None, 100_000_000, 2000, "neutral"),  # 6 + 20 + 25 = 51.00
    ("C", None, 333_333_333, 50, "neutral"),  # 19.99999998 + 4 + 25 = 48.99999998 -> 49.00
    ("D", None, 400_000_000, 5000, "closed"),  # 24 + 20 + 0 = 44.00, but 0 < gate 50: screened out
    ("E", None, None, 1000, "open"),  # revenue missing: 0 + 20 + 50 = 70.00, completeness 0.7
    ("F", None, 250_000_000, 500, "open"),  # 77.00, no credit code: after A and G
    ("G", "91110000100000000X", 250_000_000, 500, "open"),  # 77.00, smallest code: first
    ("H", None, 750_000, 50, "neutral"),  # 0.045 + 4 + 25 = 29.045 -> 29.05 (half up)
]
TIERS = [
    TierRule("A", "top_percent", Decimal(10)),  # ceil(10% of 7 eligible) = 1
    TierRule("B", "min_score", Decimal(60)),
    TierRule("C", "top_n", Decimal(2)),
]


@pytest.fixture
def result():
    columns = {
        "revenue": [c[2] for c in CUSTOMERS],
        "employees": [c[3] for c in CUSTOMERS],
        "outsourcing_attitude": [c[4] for c in CUSTOMERS],
    }
    return score(CRITERIA, columns, len(CUSTOMERS))


def by_name(result, field):
    return dict(zip([c[0] for c in CUSTOMERS], getattr(result, field), strict=True))


def test_totals_to_the_cent(result):
    assert by_name(result, "total") == {
        "A": Decimal("77.00"),
        "B": Decimal("51.00"),
        "C": Decimal("49.00"),
        "D": Decimal("44.00"),
        "E": Decimal("70.00"),
        "F": Decimal("77.00"),
        "G": Decimal("77.00"),
        "H": Decimal("29.05"),
    }


def test_points_are_kept_unrounded(result):
    assert result.points["revenue"][2] == pytest.approx(66.6666666)


def test_a_failed_gate_screens_out_with_the_criterion_as_reason(result):
    assert by_name(result, "gate_failed") == {
        n: ("outsourcing" if n == "D" else None) for n in "ABCDEFGH"
    }


def test_a_missing_value_lowers_completeness(result):
    completeness = by_name(result, "completeness")
    assert completeness["E"] == pytest.approx(0.7) and completeness["A"] == 1.0


def test_rank_order_breaks_ties_by_completeness_then_code_then_name(result):
    order = rank_order(
        result.total,
        result.completeness,
        [c[1] for c in CUSTOMERS],
        [c[0] for c in CUSTOMERS],
        result.eligible,
    )
    assert [CUSTOMERS[i][0] for i in order] == ["G", "A", "F", "E", "B", "C", "H"]


def test_each_tier_rule_in_order(result):
    order = rank_order(
        result.total,
        result.completeness,
        [c[1] for c in CUSTOMERS],
        [c[0] for c in CUSTOMERS],
        result.eligible,
    )
    tiers = assign_tiers([result.total[i] for i in order], TIERS)
    assert dict(zip([CUSTOMERS[i][0] for i in order], tiers, strict=True)) == {
        "G": "A",
        "A": "B",
        "F": "B",
        "E": "B",
        "B": "C",
        "C": "C",
        "H": None,
    }


def test_a_tie_across_a_tier_boundary_is_cut_by_rank():
    assert assign_tiers(
        [Decimal(80), Decimal(80), Decimal(80)], [TierRule("A", "top_n", Decimal(2))]
    ) == ["A", "A", None]


def test_all_screened_out_gives_an_empty_ranking():
    assert rank_order([Decimal(1)], [1.0], [None], ["x"], [False]) == []
    assert assign_tiers([], [TierRule("A", "top_percent", Decimal(10))]) == []


@pytest.mark.parametrize(
    ("percent", "eligible", "expected"),
    [(10, 95, 10), (10, 100, 10), (10, 101, 11), (33.3, 3, 1), (100, 7, 7), (0.5, 1, 1)],
)
def test_top_percent_rounds_up(percent, eligible, expected):
    assert top_percent_count(Decimal(str(percent)), eligible) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [(29.045, "29.05"), (0.005, "0.01"), (12.344999, "12.34"), (100.0, "100.00"), (0.0, "0.00")],
)
def test_round_half_up_cents(value, expected):
    assert round_half_up_cents(value) == Decimal(expected)


@given(
    st.lists(st.integers(0, 10_000), min_size=1, max_size=50),
    st.lists(
        st.tuples(st.sampled_from(["top_n", "top_percent", "min_score"]), st.integers(1, 100)),
        max_size=4,
    ),
)
def test_tiers_form_a_prefix_in_tier_order(cents, rules):
    totals = sorted((Decimal(c) / 100 for c in cents), reverse=True)
    tiers = [TierRule(str(i), kind, Decimal(value)) for i, (kind, value) in enumerate(rules)]
    assigned = assign_tiers(totals, tiers)
    order = [int(code) if code is not None else len(tiers) for code in assigned]
    assert order == sorted(order)  # better-ranked customers never get a later tier


def test_totals_carry_two_decimal_places(result):
    assert str(by_name(result, "total")["D"]) == "44.00"


def test_arrays_and_categories_score_like_plain_lists(result):
    columns = {
        "revenue": np.array([np.nan if c[2] is None else float(c[2]) for c in CUSTOMERS]),
        "employees": np.array([float(c[3]) for c in CUSTOMERS]),
        "outsourcing_attitude": Categories.of([c[4] for c in CUSTOMERS]),
    }
    again = score(CRITERIA, columns, len(CUSTOMERS))
    assert again.total == result.total and again.gate_failed == result.gate_failed
    assert np.array_equal(again.completeness, result.completeness)
    assert all(np.array_equal(again.points[k], result.points[k]) for k in result.points)


def test_a_missing_category_scores_nothing_and_lowers_completeness():
    rule = {"type": "choice", "points": {"open": 100}}
    scores = score(
        [CriterionSpec("o", "o", Decimal(100), rule)], {"o": Categories.of([None, "open"])}, 2
    )
    assert scores.points["o"].tolist() == [0.0, 100.0]
    assert scores.completeness.tolist() == [0.0, 1.0]


def test_a_source_without_a_column_is_missing_for_everyone():
    scores = score(CRITERIA, {}, 2)
    assert scores.total == [Decimal("0.00")] * 2 and scores.completeness.tolist() == [0.0, 0.0]


def test_rank_eligible_breaks_the_last_tie_by_the_given_places():
    cents = np.array([7700, 7700, 5000, 7700])
    completeness = np.array([1.0, 1.0, 1.0, 0.5])
    eligible = np.array([True, True, True, True])
    assert rank_eligible(cents, completeness, eligible).tolist() == [0, 1, 3, 2]
    tiebreak = np.array([1, 0, 2, 3])
    assert rank_eligible(cents, completeness, eligible, tiebreak).tolist() == [1, 0, 3, 2]


@given(
    st.lists(
        st.tuples(
            st.integers(0, 3),  # total, few values so ties happen
            # Compared exactly: Decimal("0.30") ties with 0.3, 0.1 + 0.2 (0.30000000000000004) does not
            st.sampled_from([0.5, 0.7, 0.1 + 0.2, 0.3, Decimal("0.30"), 1.0]),
            st.one_of(st.none(), st.sampled_from(["", "91A", "91B", "9Z"])),
            st.sampled_from(["A", "B", "a", "阿", "Z"]),
            st.booleans(),
        ),
        max_size=30,
    )
)
def test_rank_order_is_the_sort_design_md_defines(customers):
    totals = [Decimal(t) for t, *_rest in customers]
    completeness = [c for _t, c, *_rest in customers]
    codes = [code for _t, _c, code, _n, _e in customers]
    names = [name for *_rest, name, _e in customers]
    eligible = [e for *_rest, e in customers]

    def key(i):
        code = codes[i]
        exact = Fraction(
            repr(completeness[i]) if isinstance(completeness[i], float) else completeness[i]
        )
        return (-totals[i], -exact, code is None, code or "", names[i])

    expected = sorted((i for i in range(len(customers)) if eligible[i]), key=key)
    assert rank_order(totals, completeness, codes, names, eligible) == expected
