"""Reading breakdowns: the stored arrays against the run's criteria, re-adding to the total."""

from decimal import ROUND_HALF_UP, Decimal

import pytest

from evaluation.scoring.breakdown import breakdown_items, points_by_key
from evaluation.scoring.runs import score_run_create
from tests.evaluation.scoring.test_scoring import CUSTOMERS

# As ScoreRun.criteria records them (the example set of tests/evaluation/scoring/test_scoring.py).
RUN_CRITERIA = [
    {"key": "revenue", "source": "revenue", "weight": "30.00", "rule": {}, "gate": None},
    {"key": "employees", "source": "employees", "weight": "20.00", "rule": {}, "gate": None},
    {
        "key": "outsourcing",
        "source": "outsourcing_attitude",
        "weight": "50.00",
        "rule": {},
        "gate": "50.00",
    },
]


def re_added(items) -> Decimal:
    return sum(item["contribution"] for item in items).quantize(
        Decimal("0.01"), rounding=ROUND_HALF_UP
    )


def test_c_re_adds_to_its_total():
    # 333,333,333 of 500,000,000: 66.6666666 points, kept as 66.666667.
    breakdown = {"raw": [333333333.0, 50, "neutral"], "points": [66.666667, 20.0, 50.0]}
    items = breakdown_items(RUN_CRITERIA, breakdown)
    assert [item["contribution"] for item in items] == [
        Decimal("20.0000001"),
        Decimal("4"),
        Decimal("25"),
    ]
    assert re_added(items) == Decimal("49.00")


def test_h_re_adds_to_its_total_rounding_half_up():
    breakdown = {"raw": [750000, 50, "neutral"], "points": [0.15, 20, 50]}
    items = breakdown_items(RUN_CRITERIA, breakdown)
    assert items[0]["contribution"] == Decimal("0.045")
    assert re_added(items) == Decimal("29.05")


def test_each_item_carries_what_explains_it():
    breakdown = {"raw": [None, 5000, "closed"], "points": [0, 100, 0]}
    assert breakdown_items(RUN_CRITERIA, breakdown) == [
        {
            "key": "revenue",
            "source": "revenue",
            "raw": None,
            "points": Decimal(0),
            "weight": Decimal(30),
            "contribution": Decimal(0),
            "gate": None,
            "gate_failed": False,
            "shown_points": Decimal(0),
            "gate_points": "0",
            "shown_contribution": Decimal(0),
        },
        {
            "key": "employees",
            "source": "employees",
            "raw": Decimal(5000),
            "points": Decimal(100),
            "weight": Decimal(20),
            "contribution": Decimal(20),
            "gate": None,
            "gate_failed": False,
            "shown_points": Decimal(100),
            "gate_points": "100",
            "shown_contribution": Decimal(20),
        },
        {
            "key": "outsourcing",
            "source": "outsourcing_attitude",
            "raw": "closed",
            "points": Decimal(0),
            "weight": Decimal(50),
            "contribution": Decimal(0),
            "gate": Decimal(50),
            "gate_failed": True,
            "shown_points": Decimal(0),
            "gate_points": "0",
            "shown_contribution": Decimal(0),
        },
    ]


def test_numbers_read_back_exactly():
    (item, *_rest) = breakdown_items(
        RUN_CRITERIA, {"raw": [1234567.89, 1, "open"], "points": [0.246914, 0, 100]}
    )
    assert item["raw"] == Decimal("1234567.89") and item["points"] == Decimal("0.246914")


def test_the_keyed_shape_of_earlier_runs_is_read_too():
    old = {
        "revenue": ["250000000.00", 50.0, 30.0, 15.0],
        "employees": [500, 60.0, 20.0, 12.0],
        "outsourcing": ["open", 100.0, 50.0, 50.0],
    }
    items = breakdown_items(RUN_CRITERIA, old)
    assert [(i["raw"], i["points"], i["contribution"]) for i in items] == [
        ("250000000.00", Decimal(50), Decimal(15)),
        (Decimal(500), Decimal(60), Decimal(12)),
        ("open", Decimal(100), Decimal(50)),
    ]
    assert points_by_key(RUN_CRITERIA, old) == {
        "revenue": 50.0,
        "employees": 60.0,
        "outsourcing": 100.0,
    }


def test_an_empty_breakdown_reads_as_nothing_scored():
    assert points_by_key(RUN_CRITERIA, {}) == {"revenue": 0.0, "employees": 0.0, "outsourcing": 0.0}


def test_points_by_key_gives_floats_from_text_too():
    points = points_by_key(RUN_CRITERIA, '{"raw": [1, 2, "open"], "points": [0.5, 20, 100]}')
    assert points == {"revenue": 0.5, "employees": 20.0, "outsourcing": 100.0}
    assert all(type(value) is float for value in points.values())


@pytest.mark.django_db
def test_every_entry_of_a_run_re_adds_to_its_total(example_customers, org):
    run = score_run_create(segment=org.auto, year=2027)
    for entry in run.entries.all():
        assert re_added(breakdown_items(run.criteria, entry.breakdown)) == entry.total


@pytest.mark.django_db
def test_a_run_records_the_raw_values_it_read(example_customers, org):
    run = score_run_create(segment=org.auto, year=2027)
    raw = {
        e.customer.name_zh: [item["raw"] for item in breakdown_items(run.criteria, e.breakdown)]
        for e in run.entries.select_related("customer")
    }
    assert raw == {
        name: [None if revenue is None else Decimal(revenue), Decimal(employees), attitude]
        for name, _code, revenue, employees, attitude in CUSTOMERS
    }


def _revenue_gate_57(raw):
    criteria = [
        {
            "key": "revenue",
            "source": "revenue",
            "weight": "100",
            "rule": {"type": "linear", "lo": 0, "hi": 100000000, "direction": "higher_better"},
            "gate": "57",
        }
    ]
    return breakdown_items(criteria, {"raw": [raw], "points": [None]})[0]


def test_a_gate_missed_by_less_than_half_a_cent_reads_below_the_gate():
    item = _revenue_gate_57(56999999.99)
    assert item["gate_failed"] and item["shown_points"] == Decimal("57.00")
    assert item["gate_points"] == "56.999999"


def test_a_gate_missed_clearly_reads_the_rounded_points():
    assert _revenue_gate_57(40000000)["gate_points"] == "40"
