import math
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.utils import translation

from customers.models import AttributeValue, Customer, CustomerYear
from evaluation.criteria import services
from evaluation.models import ScoreEntry, ScoreRun
from evaluation.scoring import runs as score_runs
from evaluation.scoring.runs import read_input_columns, score_run_create
from tests.evaluation.scoring.test_scoring import CUSTOMERS
from tests.factories import CustomerFactory


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def published(document):
    document["tiers"] = [
        {"code": "A", "name_zh": "重点", "rule": {"type": "top_percent", "value": 10}},
        {"code": "B", "name_zh": "发展", "rule": {"type": "min_score", "value": 60}},
        {"code": "C", "name_zh": "维持", "rule": {"type": "top_n", "value": 2}},
    ]
    return services.criteria_set_load(document=document, publish=True)


@pytest.fixture
def customers(org, published):
    from customers.models import Attribute

    attribute = Attribute.objects.get(key="outsourcing_attitude")
    made = {}
    for name, code, revenue, employees, attitude in CUSTOMERS:
        customer = CustomerFactory(
            name_zh=name, credit_code=code, business_unit=org.bu1, segments=[org.auto]
        )
        CustomerYear.objects.create(
            customer=customer, year=2026, revenue=revenue, employees=employees
        )
        AttributeValue.objects.create(
            customer=customer,
            year=2026,
            attribute=attribute,
            option=attribute.options.get(key=attitude),
        )
        made[name] = customer
    return made


def entries(run):
    return {e.customer.name_zh: e for e in run.entries.select_related("customer")}


def test_a_run_reproduces_the_hand_computed_example(customers, org):
    run = score_run_create(segment=org.auto, year=2027)
    got = {
        name: (e.total, e.rank, e.status, e.tier, e.screened_by) for name, e in entries(run).items()
    }
    assert got == {
        "G": (Decimal("77.00"), 1, "target", "A", ""),
        "A": (Decimal("77.00"), 2, "target", "B", ""),
        "F": (Decimal("77.00"), 3, "target", "B", ""),
        "E": (Decimal("70.00"), 4, "target", "B", ""),
        "B": (Decimal("51.00"), 5, "target", "C", ""),
        "C": (Decimal("49.00"), 6, "target", "C", ""),
        "H": (Decimal("29.05"), 7, "general", "", ""),
        "D": (Decimal("44.00"), None, "screened_out", "", "outsourcing"),
    }


def test_each_score_keeps_its_breakdown(customers, org):
    entry = entries(score_run_create(segment=org.auto, year=2027))["E"]
    # Aligned with run.criteria: revenue (missing), employees, outsourcing.
    assert entry.breakdown == {"raw": [None, 1000, "open"], "points": [0.0, 100.0, 100.0]}
    assert entry.completeness == Decimal("0.7000")


def test_the_funnel_counts_each_layer(customers, org):
    run = score_run_create(segment=org.auto, year=2027)
    assert run.funnel == {
        "evaluated": 8,
        "passed_gates": 7,
        "stopped_by_gate": {"outsourcing": 1},
        "tiers": {"A": 1, "B": 3, "C": 2},
        "general": 1,
    }


def test_the_same_inputs_give_identical_results(customers, org):
    first = score_run_create(segment=org.auto, year=2027)
    second = score_run_create(segment=org.auto, year=2027)
    fields = (
        "customer_id",
        "total",
        "completeness",
        "rank",
        "status",
        "tier",
        "screened_by",
        "breakdown",
    )
    assert list(first.entries.order_by("customer_id").values_list(*fields)) == list(
        second.entries.order_by("customer_id").values_list(*fields)
    )


def test_the_run_records_the_criteria_set_version(customers, org, published):
    run = score_run_create(segment=org.auto, year=2027)
    assert run.criteria_set == published and run.criteria_set_version == published.version
    assert [c["key"] for c in run.criteria] == ["revenue", "employees", "outsourcing"]


def test_the_facts_year_can_be_changed(customers, org):
    run = score_run_create(segment=org.auto, year=2027, facts_year=2025)
    assert run.facts_year == 2025
    assert set(run.entries.values_list("status", flat=True)) == {"screened_out"}  # no 2025 facts


def test_an_unpublished_set_is_refused(document, org):
    services.criteria_set_load(document=document)
    CustomerFactory(business_unit=org.bu1, segments=[org.auto])
    with pytest.raises(ValidationError, match="no published criteria set"):
        score_run_create(segment=org.auto, year=2027)
    assert not ScoreRun.objects.exists()


def test_a_segment_without_customers_is_refused(published, org):
    with pytest.raises(ValidationError, match="no customers"):
        score_run_create(segment=org.auto, year=2027)
    assert not ScoreRun.objects.exists()


def test_archived_customers_are_not_scored(customers, org):
    Customer.objects.filter(name_zh="H").update(archived_at="2026-01-01T00:00:00Z")
    run = score_run_create(segment=org.auto, year=2027)
    assert run.entries.count() == 7


def test_the_bu_default_applies_when_the_segment_has_no_override(document, org):
    document["scope"] = {"bu": "BU1"}
    services.criteria_set_load(document=document, publish=True)
    CustomerFactory(business_unit=org.bu1, segments=[org.elec])
    run = score_run_create(segment=org.elec, year=2027)
    assert run.criteria_set.segment is None


@pytest.mark.parametrize("username", ["eve", "grace", "bob", "carol", "dave", "erin", "judy"])
def test_only_the_segments_manager_runs_scoring(customers, org, people, username):
    with pytest.raises(PermissionDenied):
        score_run_create(segment=org.auto, year=2027, by=getattr(people, username))
    assert not ScoreEntry.objects.exists()


def test_the_segment_manager_runs_it(customers, org, people):
    assert score_run_create(segment=org.auto, year=2027, by=people.alice).created_by == people.alice


def add_customer(org, name, revenue=250_000_000, employees=500, attitude="open"):
    from customers.models import Attribute

    attribute = Attribute.objects.get(key="outsourcing_attitude")
    customer = CustomerFactory(
        name_zh=name, credit_code=None, business_unit=org.bu1, segments=[org.auto]
    )
    CustomerYear.objects.create(customer=customer, year=2026, revenue=revenue, employees=employees)
    AttributeValue.objects.create(
        customer=customer,
        year=2026,
        attribute=attribute,
        option=attribute.options.get(key=attitude),
    )
    return customer


def test_ties_without_a_credit_code_go_by_name_then_by_customer(customers, org):
    second_z, first_z = add_customer(org, "Zz"), add_customer(org, "Zz")
    add_customer(org, "Aa")
    run = score_run_create(segment=org.auto, year=2027)
    tied = run.entries.filter(total=Decimal("77.00")).order_by("rank")
    assert [(e.customer.name_zh, e.customer_id) for e in tied] == [
        ("G", customers["G"].pk),
        ("A", customers["A"].pk),
        ("Aa", tied[2].customer_id),
        ("F", customers["F"].pk),
        ("Zz", min(first_z.pk, second_z.pk)),
        ("Zz", max(first_z.pk, second_z.pk)),
    ]


def test_the_input_columns_hold_each_customers_raw_values(customers, org):
    inputs = read_input_columns(org.auto, 2026, ["revenue", "outsourcing_attitude"])
    position = {pk: i for i, pk in enumerate(inputs.customer_ids.tolist())}
    at = [position[customers[name].pk] for name in "HEA"]
    revenue = inputs.columns["revenue"][at].tolist()
    assert [None if math.isnan(v) else v for v in revenue] == [750_000, None, 250_000_000]
    attitude = inputs.columns["outsourcing_attitude"]
    assert [attitude.labels[code] for code in attitude.codes[at].tolist()] == [
        "neutral",
        "open",
        "open",
    ]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="compares PostgreSQL's COPY path")
def test_the_copy_path_gives_what_the_plain_path_gives(customers, org, monkeypatch):
    copied = score_run_create(segment=org.auto, year=2027)
    monkeypatch.setattr(score_runs, "_copies", lambda: False)
    plain = score_run_create(segment=org.auto, year=2027)
    fields = ("customer_id", "total", "completeness", "rank", "status", "tier", "screened_by")
    assert list(copied.entries.order_by("customer_id").values_list(*fields)) == list(
        plain.entries.order_by("customer_id").values_list(*fields)
    )
    assert dict(copied.entries.values_list("customer_id", "breakdown")) == dict(
        plain.entries.values_list("customer_id", "breakdown")
    )
    assert copied.funnel == plain.funnel
