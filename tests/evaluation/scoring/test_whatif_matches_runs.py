"""The what-if is what a real run would give: other weights tried on a segment, then a run
actually made with them — the same customers change place, with the same new ranks and the
same rank correlation. On the hand-computed example, then on generated segments."""

from decimal import Decimal

import numpy as np
import pytest
from django.db import connection, transaction
from django.utils import translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from customers.models import Attribute, AttributeValue, CustomerYear
from evaluation.models import ScoreRun
from evaluation.scoring.explain import place_label, tier_names
from evaluation.scoring.runs import read_input_columns, score_run_create
from evaluation.scoring.whatif import (
    GENERAL,
    NOT_SCORED,
    SCREENED_OUT,
    Side,
    align,
    compare,
    moved_in_order,
    movement_counts,
    movements,
    paired_ranks,
    ranked_pairs,
    spearman,
)
from tests.factories import CustomerFactory

SAVED = {"revenue": Decimal(30), "employees": Decimal(20), "outsourcing": Decimal(50)}
OTHER = {"revenue": Decimal(50), "employees": Decimal(20), "outsourcing": Decimal(30)}
CLOSED_IS_FIFTY = {"type": "choice", "points": {"open": 100, "neutral": 50, "closed": 50}}


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def really_score(criteria_set, segment, weights: dict, rules: dict) -> ScoreRun:
    """A real run after saving these weights and rules in the set."""
    for criterion in criteria_set.criteria.all():
        criterion.weight = weights[criterion.key]
        criterion.rule = rules.get(criterion.key, criterion.rule)
        criterion.save(update_fields=["weight", "rule"])
    return score_run_create(segment=segment, year=criteria_set.year)


def recorded(run: ScoreRun) -> dict[int, tuple[int | None, str]]:
    return {
        pk: (rank, tier if status == "target" and tier else status)
        for pk, rank, status, tier in run.entries.values_list(
            "customer_id", "rank", "status", "tier"
        )
    }


def expected_comparison(before_run: ScoreRun, after_run: ScoreRun) -> dict:
    """What the what-if should have said, from the two real runs (the second's customers are
    all still active, so none is missing from it)."""
    before, after = recorded(before_run), recorded(after_run)
    names = tier_names(after_run)
    unscored = (None, NOT_SCORED)
    moved = sorted(
        (pk for pk in before.keys() | after.keys() if before.get(pk, unscored)[1] != after[pk][1]),
        key=lambda pk: (after[pk][0] is None, after[pk][0] or 0, pk),
    )
    xs, ys = paired_ranks(
        {pk: rank for pk, (rank, _place) in before.items()},
        {pk: rank for pk, (rank, _place) in after.items()},
    )
    return {
        "changed": [
            (pk, before.get(pk, unscored)[0], after[pk][0], place_label(after[pk][1], names))
            for pk in moved
        ],
        "movements": [
            {"from": place_label(old, names), "to": place_label(new, names), "count": count}
            for old, new, count in movements(
                {pk: place for pk, (_rank, place) in before.items()},
                {pk: place for pk, (_rank, place) in after.items()},
            )
        ],
        "compared": len(xs),
        "spearman": spearman(xs, ys),
    }


def said(result: dict) -> dict:
    return {
        "changed": [
            (row["customer_id"], row["before_rank"], row["after_rank"], row["after"])
            for row in result["changed"]
        ],
        "movements": result["movements"],
        "compared": result["compared"],
        "spearman": result["spearman"],
    }


def tried(criteria_set, segment, weights, rules=None, limit=500):
    return compare(
        criteria_set=criteria_set,
        segment=segment,
        weights=weights,
        rules=rules or {},
        facts_year=2026,
        limit=limit,
    )


# --- The hand-computed example ----------------------------------------------------------------


def test_other_weights_give_what_a_run_with_them_gives(example_list, org):
    criteria_set, first = example_list.run.criteria_set, example_list.run
    result = tried(criteria_set, org.auto, OTHER)
    second = really_score(criteria_set, org.auto, OTHER, {})
    assert said(result) == expected_comparison(first, second)
    # 50/20/30 by hand: G1 A2 F3 C4 E5 B6 H7 (E from B to C, B from C to general).
    names = dict(org.auto.customers.values_list("pk", "name_zh"))
    assert [names[pk] for pk, *_rest in said(result)["changed"]] == ["E", "B"]


def test_a_changed_rule_gives_what_a_run_with_it_gives(example_list, org):
    criteria_set, first = example_list.run.criteria_set, example_list.run
    rules = {"outsourcing": CLOSED_IS_FIFTY}
    result = tried(criteria_set, org.auto, OTHER, rules)
    second = really_score(criteria_set, org.auto, OTHER, rules)
    assert said(result) == expected_comparison(first, second)
    assert any(row["before"] == "Screened out" for row in result["changed"])  # D passes now


def test_tried_against_the_run_made_with_the_same_weights_nothing_moves(example_list, org):
    criteria_set = example_list.run.criteria_set
    really_score(criteria_set, org.auto, OTHER, {})
    result = tried(criteria_set, org.auto, OTHER)
    assert result["movements"] == [] and result["changed_count"] == 0
    assert result["compared"] == 7 and result["spearman"] == pytest.approx(1, abs=1e-12)


def test_ties_without_a_credit_code_rank_as_in_a_run(example_list, org):
    # Three customers like A (77.00 under the saved weights, 67.00 under the other), no credit
    # code, two with the same name: a run orders them by name, then by customer id.
    attitude = Attribute.objects.get(key="outsourcing_attitude").options.get(key="open")
    for name in ("Zz", "Zz", "Aa"):
        customer = CustomerFactory(name_zh=name, business_unit=org.bu1, segments=[org.auto])
        CustomerYear.objects.create(
            customer=customer, year=2026, revenue=250_000_000, employees=500
        )
        AttributeValue.objects.create(
            customer=customer, year=2026, attribute=attitude.attribute, option=attitude
        )
    criteria_set, first = example_list.run.criteria_set, example_list.run
    result = tried(criteria_set, org.auto, OTHER)
    second = really_score(criteria_set, org.auto, OTHER, {})
    assert said(result) == expected_comparison(first, second)
    assert result["customers"] == 11


# --- Generated segments -----------------------------------------------------------------------

WEIGHTS = (
    st.integers(0, 100)
    .flatmap(lambda a: st.tuples(st.just(a), st.integers(0, 100 - a)))
    .map(lambda ab: dict(zip(SAVED, map(Decimal, (ab[0], ab[1], 100 - sum(ab))), strict=True)))
)
CUSTOMERS = st.lists(
    st.tuples(
        st.sampled_from(["甲", "乙", "A"]),  # few names: ties go to the name, then the id
        st.booleans(),  # has a credit code
        st.sampled_from([None, 0, 750_000, 100_000_000, 250_000_000, 500_000_000, 600_000_000]),
        st.sampled_from([None, 50, 100, 999, 1000]),
        st.sampled_from([None, "open", "neutral", "closed"]),
    ),
    min_size=1,
    max_size=12,
)


def make_customers(org, rows) -> None:
    attribute = Attribute.objects.get(key="outsourcing_attitude")
    options = {o.key: o for o in attribute.options.all()}
    for i, (name, coded, revenue, employees, attitude) in enumerate(rows):
        customer = CustomerFactory(
            name_zh=name,
            credit_code=f"91{(i * 7919) % 1000:016d}" if coded else None,
            business_unit=org.bu1,
            segments=[org.auto],
        )
        if revenue is not None or employees is not None:
            CustomerYear.objects.create(
                customer=customer, year=2026, revenue=revenue, employees=employees
            )
        if attitude is not None:
            AttributeValue.objects.create(
                customer=customer, year=2026, attribute=attribute, option=options[attitude]
            )


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    rows=CUSTOMERS,
    saved=WEIGHTS,
    other=WEIGHTS,
    rules=st.sampled_from([{}, {"outsourcing": CLOSED_IS_FIFTY}]),
)
def test_any_weights_give_what_a_run_with_them_gives(example_set, org, rows, saved, other, rules):
    with transaction.atomic():  # each example on its own customers and runs
        make_customers(org, rows)
        first = really_score(example_set, org.auto, saved, {})
        result = tried(example_set, org.auto, other, rules, limit=len(rows))
        second = really_score(example_set, org.auto, other, rules)
        assert said(result) == expected_comparison(first, second)
        assert result["changed_count"] == len(result["changed"])
        transaction.set_rollback(True)


def test_without_a_run_the_saved_set_is_scored_as_a_run_would(example_set, example_customers, org):
    result = tried(example_set, org.auto, OTHER)
    first = really_score(example_set, org.auto, SAVED, {})
    second = really_score(example_set, org.auto, OTHER, {})
    assert said(result) == expected_comparison(first, second)
    assert result["run"] is None


# --- Reading the inputs as arrays -------------------------------------------------------------


def test_the_input_columns_carry_the_rank_tie_break(example_customers, org):
    # G and A have credit codes (G's first), then the others by name.
    inputs = read_input_columns(org.auto, 2026, ["revenue"])
    tiebreak = inputs.tiebreak if inputs.tiebreak is not None else np.arange(inputs.count)
    by_place = inputs.customer_ids[np.argsort(tiebreak)].tolist()
    names = {c.pk: name for name, c in example_customers.items()}
    assert [names[pk] for pk in by_place] == ["G", "A", "B", "C", "D", "E", "F", "H"]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's COPY path")
def test_reading_the_input_columns_leaves_no_temporary_table(example_customers, org):
    read_input_columns(org.auto, 2026, ["revenue", "outsourcing_attitude"])
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass('pg_temp.score_inputs')")
        assert cursor.fetchone() == (None,)


# --- The array versions of the maths agree with the plain ones --------------------------------

PLACES = ["A", "B", GENERAL, SCREENED_OUT]
NAMES = [*PLACES, NOT_SCORED]
# {customer id: (place, rank)}: distinct ranks, none (0) for the screened-out ones.
SIDE = st.dictionaries(st.integers(1, 30), st.sampled_from(PLACES), max_size=20).flatmap(
    lambda places: st.permutations(range(1, len(places) + 1)).map(
        lambda ranks: {
            pk: (place, 0 if place == SCREENED_OUT else rank)
            for (pk, place), rank in zip(places.items(), ranks, strict=True)
        }
    )
)


def as_side(scored: dict) -> Side:
    ids = sorted(scored)
    return Side(
        np.array(ids, dtype=np.int64),
        np.array([scored[pk][1] for pk in ids], dtype=np.int64),
        np.array([NAMES.index(scored[pk][0]) for pk in ids], dtype=np.int64),
    )


@given(before=SIDE, after=SIDE)
def test_aligned_arrays_count_movements_and_pair_ranks_as_the_mappings_do(before, after):
    old, new = align(as_side(before), as_side(after), NAMES.index(NOT_SCORED))
    assert movement_counts(old.place, new.place, NAMES) == movements(
        {pk: place for pk, (place, _rank) in before.items()},
        {pk: place for pk, (place, _rank) in after.items()},
    )
    xs, ys = ranked_pairs(old, new)
    # Rank 0 is "not ranked" in the arrays, None in the mappings.
    assert (xs.tolist(), ys.tolist()) == paired_ranks(
        {pk: rank or None for pk, (_place, rank) in before.items()},
        {pk: rank or None for pk, (_place, rank) in after.items()},
    )


def test_moved_customers_come_by_new_rank_unranked_last_then_by_id():
    before = as_side({1: ("A", 1), 2: ("B", 2), 3: ("B", 3), 4: ("A", 4), 5: ("B", 5)})
    after = as_side({1: ("A", 1), 2: (SCREENED_OUT, 0), 3: ("A", 2), 5: ("A", 3), 6: ("B", 4)})
    old, new = align(before, after, NAMES.index(NOT_SCORED))
    assert new.customer_ids[moved_in_order(old, new)].tolist() == [3, 5, 6, 2, 4]
