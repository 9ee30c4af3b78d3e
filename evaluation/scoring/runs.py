"""Creating score runs: read a segment's inputs in one query (evaluation/scoring/inputs.py),
score, rank and tier them with the pure modules (points, ranking), and write the immutable run
in one transaction (evaluation/scoring/entries.py).

On PostgreSQL the inputs and the results move by binary COPY, and the entries are written from
them in the database; elsewhere (SQLite: tests, `make run`) the same query feeds plain Python.
"""

from __future__ import annotations

import time
from collections.abc import Sequence

import numpy as np
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils.translation import gettext as _

from customers.models import CustomerYear
from evaluation.criteria.services import tier_document
from evaluation.models import CriteriaSet, ScoreRun, TierPolicy
from evaluation.scoring.entries import copy_entries, write_entries
from evaluation.scoring.inputs import (
    NUMERIC_FACTS,
    Inputs,
    InputsQuery,
    copy_inputs,
    inputs_query,
    read_inputs,
    staged_values,
)
from evaluation.scoring.points import CriterionSpec, score
from evaluation.scoring.ranking import funnel, rank_and_tier
from evaluation.scoring.tiering import TierRule
from organisation import permissions
from organisation.permissions import Action
from prioritizer import years

# Tests and the scoring bench replace `_copies`, `_same_as_read` and the steps imported above
# (inputs_query, copy_inputs, score, rank_and_tier, copy_entries) on this module: it calls them
# as its own names.


def _copies() -> bool:
    """Whether runs move their rows with COPY (PostgreSQL) rather than plain queries."""
    return connection.vendor == "postgresql"


def _pg_exact_values(query: InputsQuery, inputs: Inputs, facts_year: int, *, staged: bool):
    """`ExactValues` from PostgreSQL, as numerics (Decimals): the customers' facts read again
    by their (customer, year) index. A run checks them against the floats it scored (`staged`):
    should a fact have changed since (a concurrent commit), it reads them from its temporary
    inputs table instead, the very values its breakdowns record."""

    def exact_values(rows: np.ndarray, sources: list[str]) -> dict[str, list]:
        wanted = [s for s in sources if s in NUMERIC_FACTS and s in query.columns]
        if not wanted or not len(rows):
            return {}
        ids = inputs.customer_ids[rows].tolist()
        found = {
            row[0]: row[1:]
            for row in CustomerYear.objects.filter(year=facts_year, customer_id__in=ids)
            .order_by()
            .values_list("customer_id", *wanted)
        }
        values = {
            source: [found[pk][k] if pk in found else None for pk in ids]
            for k, source in enumerate(wanted)
        }
        if staged and not _same_as_read(values, inputs, rows):
            values = staged_values(query, wanted, ids)
        return values

    return exact_values


def _same_as_read(values: dict[str, list], inputs: Inputs, rows: np.ndarray) -> bool:
    """Whether the facts read again are the floats the run scored."""
    for source, got in values.items():
        read = inputs.columns[source][rows]
        again = np.array([np.nan if v is None else float(v) for v in got])
        if not np.array_equal(read, again, equal_nan=True):
            return False
    return True


def read_input_columns(segment, facts_year: int, sources: Sequence[str]) -> Inputs:
    """The segment's inputs exactly as a run reads them — one column per source as scoring
    takes it, the customer ids, and the rank's tie-break — for a caller that scores without
    writing a run (the what-if). The same query as a run and, on PostgreSQL, the same binary
    COPY; its temporary table is dropped again, and nothing else is written."""
    query = inputs_query(segment, facts_year, list(dict.fromkeys(sources)))
    if not _copies():
        return read_inputs(query)
    # The temporary table lives until the transaction ends (ON COMMIT DROP): hold one open.
    with transaction.atomic(), connection.cursor() as cursor:
        inputs = copy_inputs(query)
        cursor.execute("DROP TABLE pg_temp.score_inputs")
    inputs.exact = _pg_exact_values(query, inputs, facts_year, staged=False)
    return inputs


@transaction.atomic
def score_run_create(*, segment, year: int, facts_year: int | None = None, by=None) -> ScoreRun:
    """Score every active customer of the segment with its published criteria for `year`."""
    if by is not None:
        permissions.require(by, Action.MANAGE_SEGMENT_LIST, segment)
    facts_year = facts_year if facts_year is not None else years.facts_year(year)
    criteria_set = CriteriaSet.objects.in_force_for(segment, year)
    if criteria_set is None:
        raise ValidationError(
            _("%(segment)s has no published criteria set for %(year)d: publish one first.")
            % {"segment": segment, "year": year}
        )
    started = time.perf_counter()
    specs = [
        CriterionSpec(c.key, c.source, c.weight, c.rule, c.gate)
        for c in criteria_set.criteria_in_force()
    ]
    policy = TierPolicy.objects.in_force_for(segment, year)
    tiers = list(policy.tiers.all()) if policy else []
    query = inputs_query(segment, facts_year, list(dict.fromkeys(s.source for s in specs)))
    postgres = _copies()
    inputs = copy_inputs(query) if postgres else read_inputs(query)
    if not inputs.count:
        raise ValidationError(_("%(segment)s has no customers to score.") % {"segment": segment})
    if postgres:
        inputs.exact = _pg_exact_values(query, inputs, facts_year, staged=True)
    scores = score(specs, inputs.columns, inputs.count, inputs.exact)
    tier_rules = [TierRule(t.code, t.rule_type, t.rule_value) for t in tiers]
    results = rank_and_tier(scores, tier_rules, inputs.tiebreak)

    run = ScoreRun.objects.create(
        segment=segment,
        year=year,
        facts_year=facts_year,
        criteria_set=criteria_set,
        criteria_set_version=criteria_set.published_version,
        criteria=[
            {
                "key": s.key,
                "source": s.source,
                "weight": str(s.weight),
                "rule": s.rule,
                "gate": None if s.gate is None else str(s.gate),
            }
            for s in specs
        ],
        tiers=[tier_document(t) for t in tiers],
        created_by=by,
    )
    if postgres:
        copy_entries(run, specs, query, inputs, results)
    else:
        write_entries(run, specs, inputs, results)
    run.funnel = funnel(results, specs, tiers)
    run.duration_ms = int((time.perf_counter() - started) * 1000)
    run.save(update_fields=["funnel", "duration_ms"])
    return run
