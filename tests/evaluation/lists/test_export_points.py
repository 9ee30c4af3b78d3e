"""Issue 12: points are rounded once, from the unrounded (exact) points of the raw value, in the
target-list export, the customer's explanation and the run's entries page alike."""

from decimal import Decimal

import pytest

from customers.models import CustomerYear
from evaluation.criteria import services
from evaluation.lists import exports
from evaluation.lists.services import target_list_build
from evaluation.scoring import explain
from evaluation.scoring.breakdown import breakdown_items, points_cells, rounded_points
from evaluation.scoring.runs import score_run_create
from tests.evaluation.lists.test_exports import segment_csv
from tests.factories import CustomerFactory

LINEAR = {"type": "linear", "lo": 0, "hi": 100_000_000, "direction": "higher_better"}
RUN_CRITERIA = [
    {"key": "revenue", "source": "revenue", "weight": "100.00", "rule": LINEAR, "gate": None}
]


def test_points_of_12_3449997_export_as_12_34_not_12_35():
    # 12,344,999.70 of 100,000,000: 12.3449997 points, kept as 12.345000 in the breakdown.
    breakdown = {"raw": [12344999.7], "points": [12.345]}
    assert points_cells(RUN_CRITERIA, [breakdown]) == [[Decimal("12.34")]]


def test_points_exactly_on_a_half_cent_export_rounded_up():
    breakdown = {"raw": [12345000], "points": [12.345]}
    assert points_cells(RUN_CRITERIA, [breakdown]) == [[Decimal("12.35")]]


def test_raw_numbers_in_json_text_are_read_exactly():
    text = '{"raw": [12344999.70], "points": [12.345]}'
    assert points_cells(RUN_CRITERIA, [text]) == [[Decimal("12.34")]]


def test_a_run_without_a_usable_rule_exports_its_stored_points():
    criteria = [{**RUN_CRITERIA[0], "rule": {}}]
    assert points_cells(criteria, [{"raw": [1], "points": [12.345]}]) == [[Decimal("12.35")]]


def test_the_explanation_shows_the_points_and_contribution_rounded_once():
    (item,) = breakdown_items(RUN_CRITERIA, {"raw": [12344999.7], "points": [12.345]})
    assert (item["shown_points"], item["shown_contribution"]) == (
        Decimal("12.34"),
        Decimal("12.34"),
    )


def test_the_entries_page_rounds_points_once_to_its_one_place():
    # 12.3499997 points: 12.35 at 6 places, then 12.4 at one; once, it is 12.3.
    assert rounded_points(RUN_CRITERIA, [{"raw": [12349999.7], "points": [12.35]}], 1) == [
        [Decimal("12.3")]
    ]


def test_a_gate_verdict_read_from_a_breakdown_is_the_exact_one():
    criteria = [{**RUN_CRITERIA[0], "gate": "57.00"}]
    (item,) = breakdown_items(criteria, {"raw": [57000000.0], "points": [56.99999999999999]})
    assert item["gate_failed"] is False


@pytest.fixture
def hair_list(org):
    services.criteria_set_load(
        document={
            "year": 2027,
            "scope": {"segment": "AUTO"},
            "name": "points",
            "criteria": [
                {
                    "key": "revenue",
                    "name_zh": "营业收入",
                    "family": "profitability",
                    "source": "revenue",
                    "weight": 100,
                    "rule": LINEAR,
                    "gate": None,
                }
            ],
            "tiers": [{"code": "A", "name_zh": "重点", "rule": {"type": "top_n", "value": 10}}],
        },
        publish=True,
    )
    customer = CustomerFactory(name_zh="hair", business_unit=org.bu1, segments=[org.auto])
    CustomerYear.objects.create(customer=customer, year=2026, revenue=Decimal("12344999.70"))
    return target_list_build(run=score_run_create(segment=org.auto, year=2027))


@pytest.mark.django_db
def test_the_target_list_export_rounds_points_once(hair_list):
    (_header, row) = segment_csv(hair_list)
    assert (row[3], row[-1]) == ("12.34", "12.34")  # total and points:revenue


@pytest.mark.django_db
def test_the_xlsx_export_rounds_points_once(hair_list):
    (sheet,) = [exports.segment_list(hair_list)]
    (row,) = list(sheet.rows)
    assert row[-1] == Decimal("12.34")


@pytest.mark.django_db
def test_the_explanation_shows_what_the_export_shows(hair_list, people):
    customer = hair_list.run.entries.get().customer
    (x,) = explain.customer_explanations(customer, people.alice)
    (item,) = x["items"]
    assert (item["points"], item["contribution"]) == (12.34, 12.34)
