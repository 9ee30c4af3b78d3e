"""Reads behind the run pages: breakdown shapes, funnel, charts and a customer's explanation."""

from decimal import Decimal

import pytest
from django.utils import translation

from evaluation.models import ScoreEntry, ScoreRun
from evaluation.scoring import explain
from tests.factories import CustomerFactory


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def run(example_list):
    return example_list.run


def entry_of(run, name):
    return run.entries.select_related("run__segment").get(customer__name_zh=name)


# --- Funnel and charts ------------------------------------------------------------------------


def test_the_funnel_names_the_gate_and_counts_each_layer(run):
    funnel = explain.funnel_layers(run)
    assert (funnel["evaluated"], funnel["passed"], funnel["screened"]) == (8, 7, 1)
    assert [(g["name"], g["count"]) for g in funnel["gates"]] == [("Outsourcing attitude", 1)]
    assert [(t["code"], t["name"], t["count"]) for t in funnel["tiers"]] == [
        ("A", "Key", 1),
        ("B", "Develop", 3),
        ("C", "Maintain", 2),
    ]
    assert (funnel["targets"], funnel["general"]) == (6, 1)


def test_list_chart_data_counts_tiers_and_ten_point_bins(run, django_assert_num_queries):
    with django_assert_num_queries(1):
        data = explain.list_chart_data(run)
    assert data["pyramid"]["keys"] == ["A", "B", "C", "general", "screened_out"]
    assert data["pyramid"]["counts"] == [1, 3, 2, 1, 1]
    bins = {d["key"]: d["data"] for d in data["histogram"]["datasets"]}
    # G 77 → A; A, F 77 and E 70 → B; B 51 and C 49 → C; H 29.05 general; D 44 screened out.
    assert bins["A"] == [0, 0, 0, 0, 0, 0, 0, 1, 0, 0]
    assert bins["B"] == [0, 0, 0, 0, 0, 0, 0, 3, 0, 0]
    assert bins["C"] == [0, 0, 0, 0, 1, 1, 0, 0, 0, 0]
    assert bins["general"] == [0, 0, 1, 0, 0, 0, 0, 0, 0, 0]
    assert bins["screened_out"] == [0, 0, 0, 0, 1, 0, 0, 0, 0, 0]


def test_a_runs_chart_data_is_read_once(run, django_assert_num_queries):
    explain.list_chart_data(run)
    with django_assert_num_queries(0):  # a run never changes: its histogram is cached
        assert explain.list_chart_data(run)["pyramid"]["counts"] == [1, 3, 2, 1, 1]


def test_a_total_of_100_falls_in_the_last_bin(run):
    run.entries.filter(customer__name_zh="G").update(total=Decimal("100.00"))
    bins = {d["key"]: d["data"] for d in explain.list_chart_data(run)["histogram"]["datasets"]}
    assert bins["A"][9] == 1


def test_entry_counts_come_from_the_funnel(run, django_assert_num_queries):
    with django_assert_num_queries(0):
        counts = [
            explain.entry_count(run),
            explain.entry_count(run, status="target"),
            explain.entry_count(run, status="general"),
            explain.entry_count(run, status="screened_out"),
            explain.entry_count(run, tier="B"),
            explain.entry_count(run, status="general", tier="B"),
        ]
    assert counts == [8, 6, 1, 1, 3, 0]


def test_entries_come_in_rank_order_with_screened_out_last(run):
    names = [e.customer.name_zh for e in explain.run_entries(run)]
    assert names == ["G", "A", "F", "E", "B", "C", "H", "D"]


# --- A customer's explanation -----------------------------------------------------------------


def test_missing_revenue_cost_e_thirty_points(run, example_customers, people):
    (x,) = explain.customer_explanations(example_customers["E"], people.alice)
    assert [item["name"] for item in x["missing"]] == ["Revenue"]
    assert x["missing_points"] == 30
    assert (x["entry"].rank, x["entry"].tier, x["tier_name"], x["eligible"]) == (
        4,
        "B",
        "Develop",
        7,
    )


def test_d_was_screened_out_by_the_outsourcing_gate(run, example_customers, people):
    (x,) = explain.customer_explanations(example_customers["D"], people.alice)
    assert x["gate"]["name"] == "Outsourcing attitude"
    assert (x["gate"]["points"], x["gate"]["gate"]) == (0.0, 50.0)
    assert x["entry"].rank is None and x["missing"] == []


def test_contributions_chart_shows_earned_and_unearned_points(run, example_customers, people):
    (x,) = explain.customer_explanations(example_customers["E"], people.alice)
    assert x["chart"]["earned"] == [0.0, 20.0, 50.0]
    assert x["chart"]["lost"] == [30.0, 0.0, 0.0]


def last_year_run(run, org, ranks):
    """A 2026 run of AUTO: ranks {customer: (rank, tier)}."""
    previous = ScoreRun.objects.create(
        segment=org.auto,
        year=2026,
        facts_year=2025,
        criteria_set=run.criteria_set,
        criteria_set_version=run.criteria_set_version,
        criteria=run.criteria,
        tiers=run.tiers,
    )
    for customer, (rank, tier) in ranks.items():
        ScoreEntry.objects.create(
            run=previous,
            customer=customer,
            total=Decimal(50),
            completeness=Decimal(1),
            rank=rank,
            status="target" if tier else "general",
            tier=tier,
            breakdown={},
        )
    return previous


def test_rank_and_tier_are_compared_with_last_year(run, example_customers, org, people):
    last_year_run(run, org, {example_customers["E"]: (6, "C")})
    (x,) = explain.customer_explanations(example_customers["E"], people.alice)
    assert (x["last_year"].rank, x["last_year"].tier, x["rank_up"]) == (6, "C", 2)


def test_the_newest_run_of_the_year_explains(run, example_customers, org, people):
    from evaluation.scoring.runs import score_run_create

    newer = score_run_create(segment=org.auto, year=2027)
    (x,) = explain.customer_explanations(example_customers["E"], people.alice)
    assert x["run"] == newer


def test_only_segments_the_viewer_may_see_are_explained(run, example_customers, org, people):
    customer = example_customers["E"]
    customer.segments.add(org.elec)
    other = last_year_run(run, org, {customer: (1, "A")})
    ScoreRun.objects.filter(pk=other.pk).update(segment=org.elec, year=2027)
    assert {x["segment"].code for x in explain.customer_explanations(customer, people.bob)} == {
        "AUTO",
        "ELEC",
    }
    assert [x["segment"].code for x in explain.customer_explanations(customer, people.alice)] == [
        "AUTO"
    ]


def test_a_customer_never_scored_has_no_explanation(org, people):
    customer = CustomerFactory(business_unit=org.bu1, segments=[org.auto])
    assert explain.customer_explanations(customer, people.alice) == []


def test_raw_values_are_shown_readably():
    assert explain.shown_value("250000000.00") == "250,000,000"
    assert explain.shown_value(12.5) == "12.5"
    assert explain.shown_value("open") == "open"


@pytest.mark.parametrize(
    ("status", "tier"),
    [("", ""), ("target", ""), ("general", ""), ("screened_out", ""), ("", "A"), ("", "B")]
    + [("", "C"), ("target", "B"), ("general", "B"), ("screened_out", "C")],
)
def test_rank_ranges_read_what_the_filter_matches(run, status, tier):
    expected = list(explain.run_entries(run, status=status, tier=tier))
    ranked = explain.RankedEntries(run, status=status, tier=tier)
    assert (len(ranked), ranked[0:50]) == (len(expected), expected)


def test_a_page_across_ranked_and_screened_out_entries(run):
    ranked = explain.RankedEntries(run)
    assert [e.customer.name_zh for e in ranked[5:8]] == ["C", "H", "D"]
    assert [e.customer.name_zh for e in ranked[7:50]] == ["D"]
