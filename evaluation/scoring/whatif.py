"""What-if: a segment's current data scored with other weights (or rules), compared with its
latest run — which customers would change place, and how much the ranking would change.
Nothing is written.

The maths comes first and is pure (plain data or numpy arrays in, plain data out). `compare()`
at the end is what the page calls: it reads the segment's inputs as a run reads them (arrays,
a binary COPY on PostgreSQL) and scores, ranks and tiers them with the run's own code, so the
result is what a real run with those weights would give; the comparison is numpy over whole
columns, aligned by customer id.

A customer's *place* is its tier code, or GENERAL (eligible, not tiered), or SCREENED_OUT, or
NOT_SCORED (absent from one side, e.g. a customer added since the last run).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

import numpy as np
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from customers.models import Customer
from evaluation.models import ScoreEntry, ScoreRun, TierPolicy
from evaluation.scoring import explain, ranking
from evaluation.scoring.points import CriterionSpec, score
from evaluation.scoring.runs import read_input_columns
from evaluation.scoring.tiering import TierRule
from organisation.models import localised

GENERAL = "general"
SCREENED_OUT = "screened_out"
NOT_SCORED = "not_scored"


def movements(
    before: Mapping[Hashable, str], after: Mapping[Hashable, str]
) -> list[tuple[str, str, int]]:
    """(from place, to place, how many customers) for each change of place, largest first.

    Customers on one side only count as coming from, or going to, NOT_SCORED; customers that
    kept their place are not movements.
    """
    counts: Counter[tuple[str, str]] = Counter()
    for customer in before.keys() | after.keys():
        old = before.get(customer, NOT_SCORED)
        new = after.get(customer, NOT_SCORED)
        if old != new:
            counts[(old, new)] += 1
    return sorted(
        ((old, new, count) for (old, new), count in counts.items()),
        key=lambda item: (-item[2], item[0], item[1]),
    )


def _average_ranks(values) -> np.ndarray:
    values = np.asarray(values, dtype=float)
    count = len(values)
    order = np.argsort(values, kind="mergesort")
    ordered = values[order]
    # Runs of equal values in sorted order: [starts[k], ends[k]) share one rank.
    breaks = np.flatnonzero(np.diff(ordered)) + 1
    starts = np.concatenate(([0], breaks))
    ends = np.concatenate((breaks, [count]))
    ranks = np.empty(count)
    ranks[order] = np.repeat((starts + ends - 1) / 2 + 1, ends - starts)
    return ranks


def average_ranks(values: Sequence[float]) -> list[float]:
    """Rank 1 for the smallest value; tied values share the mean of the ranks they span."""
    return _average_ranks(values).tolist() if len(values) else []


def spearman(xs: Sequence[float], ys: Sequence[float]) -> float | None:
    """Spearman's rank correlation: Pearson's correlation of the average ranks (ties handled).

    None when it is undefined: fewer than two pairs, or one side all tied.
    """
    if len(xs) != len(ys):
        raise ValueError("xs and ys differ in length")
    if len(xs) < 2:
        return None
    rx, ry = _average_ranks(xs), _average_ranks(ys)
    dx, dy = rx - rx.mean(), ry - ry.mean()
    sxx, syy = float(dx @ dx), float(dy @ dy)
    if sxx == 0 or syy == 0:
        return None
    return float(dx @ dy) / math.sqrt(sxx * syy)


def paired_ranks(
    before: Mapping[Hashable, int | None], after: Mapping[Hashable, int | None]
) -> tuple[list[int], list[int]]:
    """The ranks of the customers ranked on both sides (screened-out ones have no rank), in
    the order of the ranks before."""
    pairs = sorted(
        (rank, new)
        for customer, rank in before.items()
        if rank is not None and (new := after.get(customer)) is not None
    )
    return [rank for rank, _new in pairs], [new for _rank, new in pairs]


# --- The same over arrays: one scoring of a segment per side, aligned by customer -------------


@dataclass(frozen=True)
class Side:
    """One scoring of a segment, per customer: its id, rank (0 = not ranked) and place, as an
    index into the comparison's place names."""

    customer_ids: np.ndarray
    rank: np.ndarray
    place: np.ndarray


def align(before: Side, after: Side, not_scored: int) -> tuple[Side, Side]:
    """Both sides over the customers of either, in ascending id order; a customer missing from
    one side is unranked there, in place `not_scored`."""
    ids = np.union1d(before.customer_ids, after.customer_ids).astype(np.int64)

    def spread(side: Side) -> Side:
        at = np.searchsorted(ids, side.customer_ids)
        rank = np.zeros(len(ids), dtype=np.int64)
        rank[at] = side.rank
        place = np.full(len(ids), not_scored, dtype=np.int64)
        place[at] = side.place
        return Side(ids, rank, place)

    return spread(before), spread(after)


def movement_counts(
    before: np.ndarray, after: np.ndarray, names: Sequence[str]
) -> list[tuple[str, str, int]]:
    """`movements` for aligned place indexes into `names`."""
    changed = before != after
    width = max(len(names), 1)
    keys, counts = np.unique(before[changed] * width + after[changed], return_counts=True)
    return sorted(
        (
            (names[key // width], names[key % width], count)
            for key, count in zip(keys.tolist(), counts.tolist(), strict=True)
        ),
        key=lambda item: (-item[2], item[0], item[1]),
    )


def ranked_pairs(before: Side, after: Side) -> tuple[np.ndarray, np.ndarray]:
    """`paired_ranks` for aligned sides."""
    both = np.flatnonzero((before.rank > 0) & (after.rank > 0))
    both = both[np.argsort(before.rank[both], kind="stable")]
    return before.rank[both], after.rank[both]


def moved_in_order(before: Side, after: Side) -> np.ndarray:
    """Indexes of the customers whose place changed, by new rank (unranked last), then id."""
    moved = np.flatnonzero(before.place != after.place)
    rank = after.rank[moved]
    return moved[np.lexsort((after.customer_ids[moved], rank, rank == 0))]


# --- The page's comparison: reads, scores as a run does, writes nothing -----------------------


class _PlaceNames(dict):
    """Place name → index, numbered as they come; list(self) gives the names by index."""

    def index_of(self, place: str) -> int:
        return self.setdefault(place, len(self))


def _scored(specs, tier_rules, inputs, places: _PlaceNames) -> Side:
    """The inputs scored, ranked and tiered by the code a run uses (ranking.rank_and_tier)."""
    results = ranking.rank_and_tier(
        score(specs, inputs.columns, inputs.count, inputs.exact), tier_rules, inputs.tiebreak
    )
    by_tier = np.array([places.index_of(code) for code in results.tier_codes] + [-1], np.int64)
    untiered = np.where(
        results.status == ranking.SCREENED_OUT,
        places.index_of(SCREENED_OUT),
        places.index_of(GENERAL),
    )
    place = np.where(results.tier >= 0, by_tier[results.tier], untiered)
    return Side(inputs.customer_ids, results.rank, place)


def _from_run(run, places: _PlaceNames) -> Side:
    """The places and ranks a run recorded."""
    rows = list(run.entries.order_by().values_list("customer_id", "rank", "status", "tier"))
    ids, ranks, statuses, tiers = zip(*rows, strict=True) if rows else ((), (), (), ())
    target = ScoreEntry.Status.TARGET
    return Side(
        np.array(ids, dtype=np.int64),
        np.array([rank or 0 for rank in ranks], dtype=np.int64),
        np.array(
            [
                places.index_of(tier if status == target and tier else status)
                for status, tier in zip(statuses, tiers, strict=True)
            ],
            dtype=np.int64,
        ),
    )


def _tier_documents(segment, year: int, run) -> list[dict]:
    """The tiers to try: the segment's policy for the year, else those the run used."""
    policy = TierPolicy.objects.in_force_for(segment, year)
    if policy is not None:
        return [
            {
                "code": t.code,
                "name_zh": t.name_zh,
                "name_en": t.name_en,
                "type": t.rule_type,
                "value": t.rule_value,
            }
            for t in policy.tiers.all()
        ]
    return [
        {**t, "type": t["rule"]["type"], "value": Decimal(str(t["rule"]["value"]))}
        for t in (run.tiers if run else [])
    ]


def segments_to_try(criteria_set) -> list:
    """The segments a set can be tried on: its own, or its BU's for a BU default."""
    if criteria_set.segment:
        return [criteria_set.segment]
    return list(criteria_set.business_unit.segments.order_by("code"))


def baseline_run(segment, year: int) -> ScoreRun | None:
    """The segment's latest run for the year, else its latest run of any year."""
    runs = ScoreRun.objects.filter(segment=segment).newest_first()
    return runs.filter(year=year).first() or runs.first()


def compare(
    *, criteria_set, segment, weights: dict, rules: dict, facts_year: int, limit: int = 500
) -> dict:
    """Score the segment's current data with other weights (and rules) and compare each
    customer's rank and place with the segment's latest run (or, without a run, with the set
    as saved). The customers whose place changes are listed by new rank, the first `limit`."""
    criteria = list(criteria_set.criteria.all())
    specs = [
        CriterionSpec(
            c.key, c.source, weights.get(c.key, c.weight), rules.get(c.key, c.rule), c.gate
        )
        for c in criteria
    ]
    run = baseline_run(segment, criteria_set.year)
    tier_docs = _tier_documents(segment, criteria_set.year, run)
    tier_rules = [TierRule(t["code"], t["type"], t["value"]) for t in tier_docs]
    names = {
        t["code"]: localised(t.get("name_zh") or t["code"], t.get("name_en") or "")
        for t in tier_docs
    }
    inputs = read_input_columns(segment, facts_year, [s.source for s in specs])
    if not inputs.count:
        raise ValidationError(_("%(segment)s has no customers to score.") % {"segment": segment})
    places = _PlaceNames()
    after = _scored(specs, tier_rules, inputs, places)
    if run is not None:
        before = _from_run(run, places)
        names = explain.tier_names(run) | names
    else:
        saved = [CriterionSpec(c.key, c.source, c.weight, c.rule, c.gate) for c in criteria]
        before = _scored(saved, tier_rules, inputs, places)
    before, after = align(before, after, places.index_of(NOT_SCORED))
    place_names = list(places)
    labels = [explain.place_label(place, names) for place in place_names]
    xs, ys = ranked_pairs(before, after)
    moved = moved_in_order(before, after)
    shown = moved[:limit]
    shown_ids = before.customer_ids[shown].tolist()
    customer_names = dict(Customer.objects.filter(pk__in=shown_ids).values_list("pk", "name_zh"))
    rows = [
        {
            "customer_id": pk,
            "name": customer_names.get(pk, pk),
            "before_rank": int(before.rank[i]) or None,
            "before": labels[before.place[i]],
            "after_rank": int(after.rank[i]) or None,
            "after": labels[after.place[i]],
        }
        for i, pk in zip(shown.tolist(), shown_ids, strict=True)
    ]
    label_of = dict(zip(place_names, labels, strict=True))
    return {
        "run": run,
        "facts_year": facts_year,
        "customers": inputs.count,
        "movements": [
            {"from": label_of[old], "to": label_of[new], "count": count}
            for old, new, count in movement_counts(before.place, after.place, place_names)
        ],
        "changed": rows,
        "changed_count": len(moved),
        "compared": len(xs),
        "spearman": spearman(xs, ys),
    }
