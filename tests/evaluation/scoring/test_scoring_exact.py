"""Issue 12, "scores decided exactly": every decision of the scoring (points against a gate, the
total rounded half up to cents, ranks and tiers) is what exact rational arithmetic gives, for
the values that float arithmetic gets wrong."""

from decimal import Decimal

import numpy as np
import pytest
from django.db import connection

from customers.models import CustomerYear
from evaluation.criteria import services
from evaluation.scoring.points import Categories, CriterionSpec, score
from evaluation.scoring.runs import score_run_create
from tests.factories import CustomerFactory


def linear(lo, hi, direction="higher_better") -> dict:
    return {"type": "linear", "lo": lo, "hi": hi, "direction": direction}


NOTHING = {"type": "choice", "points": {"x": 0}}  # the rest of the weight, scoring nothing


def revenue_spec(rule, weight=Decimal(100), gate=None) -> CriterionSpec:
    return CriterionSpec("revenue", "revenue", weight, rule, gate)


# --- A customer exactly at a gate -------------------------------------------------------------


def test_revenue_exactly_at_a_gate_of_57_points_passes_it():
    # 100 × (57,000,000 / 100,000,000) is 56.99999999999999 in float.
    spec = revenue_spec(linear(0, 100_000_000), gate=Decimal(57))
    scores = score([spec], {"revenue": np.array([57_000_000.0])}, 1)
    assert scores.gate_failed == [None]
    assert scores.total == [Decimal("57.00")]


def test_a_cent_below_the_gate_is_still_screened_out():
    spec = revenue_spec(linear(0, 100_000_000), gate=Decimal(57))
    scores = score([spec], {"revenue": np.array([56_999_999.99])}, 1)
    assert scores.gate_failed == ["revenue"]


def test_a_lower_better_value_exactly_at_its_gate_passes_it():
    # 100 − 100 × 0.55 = 45 points exactly; float makes it 44.99999999999999.
    spec = revenue_spec(linear(0, 100_000_000, "lower_better"), gate=Decimal(45))
    scores = score([spec], {"revenue": np.array([55_000_000.0])}, 1)
    assert scores.gate_failed == [None]


def test_a_value_float_rounds_onto_a_band_edge_stays_below_it():
    rule = {
        "type": "bands",
        "bands": [
            {"min": None, "max": 5_700_000_000_000_000, "points": 10},
            {"min": 5_700_000_000_000_000, "max": None, "points": 90},
        ],
    }
    exact = Decimal("5699999999999999.99")  # 5.7e15 in float: on the edge

    def exact_values(rows, sources):
        return {"revenue": [exact for _row in rows]}

    spec = revenue_spec(rule, gate=Decimal(50))
    scores = score([spec], {"revenue": np.array([float(exact)])}, 1, exact_values)
    assert scores.gate_failed == ["revenue"] and scores.total == [Decimal("10.00")]


def test_an_amount_float_cannot_hold_is_decided_from_its_exact_value():
    # 5,699,999,999,999,999.99 is 5.7e15 in float: 57 points, but exactly it is a hair below.
    exact = Decimal("5699999999999999.99")
    spec = revenue_spec(linear(0, 10**16), gate=Decimal(57))
    column = np.array([float(exact)])

    def exact_values(rows, sources):
        return {"revenue": [exact for _row in rows]}

    assert score([spec], {"revenue": column}, 1).gate_failed == [None]  # as float holds it
    assert score([spec], {"revenue": column}, 1, exact_values).gate_failed == ["revenue"]


# --- Totals rounded half up to cents, exactly -------------------------------------------------


def test_a_total_a_hair_below_a_half_cent_rounds_down():
    # 1,823,499,999,999.75 of 10,000,000,000,000 is exactly 18.2349999999975 points.
    spec = revenue_spec(linear(0, 10_000_000_000_000))
    scores = score([spec], {"revenue": np.array([1_823_499_999_999.75])}, 1)
    assert scores.total == [Decimal("18.23")]


def test_a_total_exactly_on_a_half_cent_rounds_up():
    specs = [
        CriterionSpec(
            "attitude", "attitude", Decimal("33.33"), {"type": "choice", "points": {"open": 50}}
        ),
        CriterionSpec("rest", "rest", Decimal("66.67"), NOTHING),
    ]
    scores = score(specs, {"attitude": Categories.of(["open"]), "rest": Categories.of(["x"])}, 1)
    assert scores.total == [Decimal("16.67")]  # 33.33 × 50 / 100 = 16.665


@pytest.mark.parametrize(
    ("weight", "revenue", "expected"),
    [("0.75", 1_000_000.70, "0.18"), ("0.70", 1_000_000.45, "0.11")],
)
def test_a_narrow_linear_range_keeps_its_cents(weight, revenue, expected):
    # 1,000,000 … 1,000,003: 0.75 × 100 × 0.70 / 3 / 100 = 0.175 exactly, half up 0.18.
    specs = [
        revenue_spec(linear(1_000_000, 1_000_003), weight=Decimal(weight)),
        CriterionSpec("rest", "rest", Decimal(100) - Decimal(weight), NOTHING),
    ]
    columns = {"revenue": np.array([revenue]), "rest": Categories.of(["x"])}
    assert score(specs, columns, 1).total == [Decimal(expected)]


def test_only_customers_near_a_decision_are_checked_exactly():
    spec = revenue_spec(linear(0, 100_000_000), gate=Decimal(57))
    values = np.array([57_000_000.0, 12_345_678.0, 98_765_432.0, np.nan])
    scores = score([spec], {"revenue": values}, 4)
    assert scores.exact_rows.tolist() == [0]


def test_completeness_is_stored_rounded_half_up_in_integers():
    # Weights 0.02 of 80 present: 0.00025 exactly, half up 0.0003.
    specs = [
        CriterionSpec("a", "a", Decimal("0.02"), NOTHING),
        CriterionSpec("b", "b", Decimal("79.98"), NOTHING),
    ]
    scores = score(specs, {"a": Categories.of(["x"]), "b": Categories.of([None])}, 1)
    assert scores.completeness_units(4).tolist() == [3]


# --- Through a run, on either database -------------------------------------------------------


def gate_document(segment_code: str, *, hi=100_000_000, gate=57) -> dict:
    return {
        "year": 2027,
        "scope": {"segment": segment_code},
        "name": "gate",
        "criteria": [
            {
                "key": "revenue",
                "name_zh": "营业收入",
                "family": "profitability",
                "source": "revenue",
                "weight": 100,
                "rule": linear(0, hi),
                "gate": gate,
            }
        ],
        "tiers": [{"code": "A", "name_zh": "重点", "rule": {"type": "top_n", "value": 10}}],
    }


def customer_with_revenue(org, name, revenue):
    customer = CustomerFactory(name_zh=name, business_unit=org.bu1, segments=[org.auto])
    CustomerYear.objects.create(customer=customer, year=2026, revenue=revenue)
    return customer


@pytest.mark.django_db
def test_a_run_keeps_a_customer_exactly_at_the_gate_and_ranks_it(org):
    services.criteria_set_load(document=gate_document("AUTO"), publish=True)
    customer_with_revenue(org, "at the gate", Decimal("57000000.00"))
    customer_with_revenue(org, "below", Decimal("56999999.99"))
    customer_with_revenue(org, "above", Decimal("58000000.00"))
    run = score_run_create(segment=org.auto, year=2027)
    entries = {e.customer.name_zh: e for e in run.entries.select_related("customer")}
    assert (entries["at the gate"].status, entries["at the gate"].rank) == ("target", 2)
    assert entries["at the gate"].total == Decimal("57.00")
    assert (entries["below"].status, entries["below"].screened_by) == ("screened_out", "revenue")
    assert run.funnel["stopped_by_gate"] == {"revenue": 1}


@pytest.mark.django_db
def test_a_run_rounds_a_total_a_hair_below_a_half_cent_down(org):
    services.criteria_set_load(
        document=gate_document("AUTO", hi=10_000_000_000_000, gate=None), publish=True
    )
    customer_with_revenue(org, "hair", Decimal("1823499999999.75"))
    run = score_run_create(segment=org.auto, year=2027)
    assert run.entries.get().total == Decimal("18.23")


@pytest.mark.django_db
@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="SQLite keeps 18 digits only as a float"
)
def test_a_run_decides_an_amount_float_cannot_hold_from_the_stored_decimal(org):
    services.criteria_set_load(document=gate_document("AUTO", hi=10**16), publish=True)
    customer_with_revenue(org, "hair below", Decimal("5699999999999999.99"))
    customer_with_revenue(org, "at", Decimal("5700000000000000.00"))
    run = score_run_create(segment=org.auto, year=2027)
    entries = {e.customer.name_zh: e for e in run.entries.select_related("customer")}
    assert entries["hair below"].screened_by == "revenue"
    assert entries["at"].status == "target"


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's COPY path")
def test_a_fact_changed_since_the_run_read_it_is_taken_from_what_the_run_read(org, monkeypatch):
    from evaluation.scoring import runs as score_runs

    monkeypatch.setattr(score_runs, "_same_as_read", lambda *args: False)
    services.criteria_set_load(document=gate_document("AUTO", hi=10**16), publish=True)
    customer_with_revenue(org, "hair below", Decimal("5699999999999999.99"))
    run = score_run_create(segment=org.auto, year=2027)
    assert run.entries.get().screened_by == "revenue"
