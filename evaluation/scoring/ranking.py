"""Ranking and tiering scored customers as a run stores them, and the run's funnel: pure (numpy
arrays in, numbers out, no ORM). A run (evaluation/scoring/runs.py) and the what-if
(evaluation/scoring/whatif.py) both rank with `rank_and_tier`, so the what-if gives what a run
with those weights would give.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from evaluation.scoring.points import Scores, cents_to_decimal, rank_eligible
from evaluation.scoring.tiering import TierRule, assign_tiers

# Entry status and tier as small codes while computing; the texts are put back when writing
# (evaluation/scoring/entries.py STATUSES, in this order).
TARGET, GENERAL, SCREENED_OUT = range(3)
COMPLETENESS_PLACES = 4  # ScoreEntry.completeness


class _RankedTotals(Sequence):
    """Ranked totals as Decimals for `assign_tiers`, made only for the few it looks at (a
    min_score rule reads until the first total below it; the other rules only count)."""

    def __init__(self, cents: np.ndarray):
        self._cents = cents

    def __len__(self) -> int:
        return len(self._cents)

    def __getitem__(self, index):
        return cents_to_decimal(self._cents[index])


@dataclass
class RankedResults:
    """Per customer, in input order: what its entry records, as numbers."""

    scores: Scores
    tier_codes: list[str]
    completeness: np.ndarray  # rounded half up in units of 10⁻⁴, as stored
    rank: np.ndarray  # 1, 2, 3 …; 0 = not ranked (screened out)
    status: np.ndarray  # TARGET, GENERAL or SCREENED_OUT
    tier: np.ndarray  # index into tier_codes, -1 = none


def rank_and_tier(
    scores: Scores, tier_rules: list[TierRule], tiebreak: np.ndarray | None
) -> RankedResults:
    """Ranks and tiers of scored customers, as a run stores them (the what-if uses it too)."""
    count = len(scores.total_cents)
    # Completeness ties are exact: the weight with a value, in integer units.
    order = rank_eligible(scores.total_cents, scores.present_units, scores.eligible, tiebreak)
    rank = np.zeros(count, dtype=np.int64)
    rank[order] = np.arange(1, len(order) + 1)
    codes = [rule.code for rule in tier_rules]
    index = {code: i for i, code in enumerate(codes)}
    tier = np.full(count, -1, dtype=np.int64)
    assigned = assign_tiers(_RankedTotals(scores.total_cents[order]), tier_rules)
    tier[order] = np.fromiter((index.get(code, -1) for code in assigned), np.int64, len(order))
    status = np.where(tier >= 0, TARGET, GENERAL)
    status[~scores.eligible] = SCREENED_OUT
    return RankedResults(
        scores=scores,
        tier_codes=codes,
        completeness=scores.completeness_units(COMPLETENESS_PLACES),
        rank=rank,
        status=status,
        tier=tier,
    )


def points_matrix(scores: Scores) -> np.ndarray:
    """Customers × criteria, points rounded to 6 places as the breakdown keeps them (for
    reading; exports and pages recompute points from the raw values, evaluation/scoring/breakdown.py)."""
    count = len(scores.total_cents)
    if not scores.keys:
        return np.zeros((count, 0))
    return np.round(np.column_stack([scores.points[key] for key in scores.keys]), 6)


def funnel(results: RankedResults, specs, tiers) -> dict:
    """How many customers were evaluated, stopped by each gate, and put in each tier (`specs`
    have .key and .gate, `tiers` have .code)."""
    screened = np.bincount(results.scores.gate_index + 1, minlength=len(specs) + 1)
    per_tier = np.bincount(results.tier + 1, minlength=len(tiers) + 1)
    count = len(results.status)
    return {
        "evaluated": count,
        "passed_gates": count - int(screened[1:].sum()),
        "stopped_by_gate": {
            s.key: int(screened[i + 1]) for i, s in enumerate(specs) if s.gate is not None
        },
        "tiers": {t.code: int(per_tier[i + 1]) for i, t in enumerate(tiers)},
        "general": int(np.count_nonzero(results.status == GENERAL)),
    }
