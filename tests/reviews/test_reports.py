"""The year-end evaluation's figures: by tier and segment, goals against results, missing
results per owner, tier migration year over year."""

from decimal import Decimal

import pytest

from evaluation.criteria import goals as criteria_goals
from evaluation.criteria import services as criteria_services
from evaluation.lists.services import target_list_build
from evaluation.scoring.runs import score_run_create
from reviews import reports
from reviews.scopes import ReviewScope
from tests.reviews.conftest import YEAR, approve_list, record

pytestmark = pytest.mark.usefixtures("english")


def test_figures_by_tier_count_coverage_conversion_and_revenue(hand_results, org):
    review = reports.review(ReviewScope("segment", org.auto), YEAR)
    by_tier = {code: figures for code, _name, figures in review.by_tier}
    # A: G won 5,000,000. B: A won 3,000,000, E 2,000,000, F only contacted. C: B won, C contacted.
    assert (by_tier["A"].targets, by_tier["A"].converted, by_tier["A"].revenue) == (
        1,
        1,
        Decimal(5_000_000),
    )
    assert (by_tier["B"].targets, by_tier["B"].active, by_tier["B"].converted) == (3, 3, 2)
    assert by_tier["B"].conversion == pytest.approx(66.7)
    assert by_tier["C"].revenue == Decimal(1_000_000)
    assert review.totals.revenue == Decimal(11_000_000)
    assert review.totals.coverage == 100.0 and review.totals.missing == 0


def test_missing_results_are_listed_per_owner(approved_list, people, org):
    record(approved_list, people, "G", 100)
    review = reports.review(ReviewScope("bu", org.bu1), YEAR)
    [(owner, rows)] = review.missing_by_owner
    assert owner == people.dave
    assert sorted(row.entry.customer.name_zh for row in rows) == ["A", "B", "C", "E", "F"]
    assert review.totals.missing == 5


def test_goals_are_set_against_the_results_of_the_scope(hand_results, people, org):
    criteria_goals.goal_save(
        year=YEAR,
        by=people.bob,
        business_unit=org.bu1,
        strategy="服务",
        target_customer_count=10,
        target_revenue=Decimal(22_000_000),
    )
    [row] = reports.review(ReviewScope("bu", org.bu1), YEAR).goals
    assert (row.actual.targets, row.actual.revenue) == (6, Decimal(11_000_000))
    assert row.revenue_share == 50.0 and row.customers_share == 60.0
    assert not row.partial
    [segment_row] = reports.review(ReviewScope("segment", org.auto), YEAR).goals
    assert segment_row.partial


def test_a_scope_without_approved_lists_has_nothing_to_review(people, org):
    review = reports.review(ReviewScope("bu", org.bu2), YEAR)
    assert not review.has_lists and review.rows == [] and review.by_tier == []


def test_tier_migration_into_next_years_draft_list(approved_list, people, org, example_set):
    # 2028: the same criteria, scored from the same facts, copied as next year's set.
    criteria_services.criteria_set_copy(source=example_set, year=YEAR + 1, by=None)
    draft_set = example_set.__class__.objects.get(year=YEAR + 1)
    criteria_services.criteria_set_publish(criteria_set=draft_set, by=None)
    target_list_build(run=score_run_create(segment=org.auto, year=YEAR + 1, facts_year=YEAR - 1))
    review = reports.review(ReviewScope("segment", org.auto), YEAR)
    [matrix] = review.migrations
    assert (matrix.from_year, matrix.to_year) == (YEAR, YEAR + 1)
    # Same scores, same tiers: every target stays on the diagonal.
    assert matrix.cells == {("A", "A"): 1, ("B", "B"): 3, ("C", "C"): 2}
    assert matrix.to_state


def test_tier_migration_from_last_years_approved_list(org, people, example_set, approved_list):
    previous = criteria_services.criteria_set_copy(source=example_set, year=YEAR - 1, by=None)
    criteria_services.criteria_set_publish(criteria_set=previous, by=None)
    last_year = target_list_build(
        run=score_run_create(segment=org.auto, year=YEAR - 1, facts_year=YEAR - 1)
    )
    approve_list(last_year, people)
    [matrix] = reports.review(ReviewScope("segment", org.auto), YEAR).migrations
    assert (matrix.from_year, matrix.to_year) == (YEAR - 1, YEAR)
    rows = {row["code"]: [cell["count"] for cell in row["cells"]] for row in matrix.rows()}
    assert rows["A"] == [1, 0, 0, 0]
