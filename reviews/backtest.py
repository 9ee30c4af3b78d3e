"""The criteria back-test, as pure maths: how well last year's scores predicted this year's
results. No Django here: plain lists in, small result objects out.

- Spearman's rank correlation between a score (the total, or one criterion's points) and the
  revenue won, with average ranks for ties (so tied values share their rank). Below
  MIN_CUSTOMERS customers, or when either side does not vary, it is not computable (None),
  which the pages show as such, never as 0.
- Hit rate per tier: the share of a tier's customers that produced revenue.
- Every figure carries the number of customers behind it; below TRUST_CUSTOMERS it is flagged
  as too small to trust.
- A weight suggestion proportional to the positive correlations, as whole percentages that sum
  to 100. It is only ever a suggestion: applying it is a separate, explicit step.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

# Fewer customers than this and a rank correlation means nothing: not computed at all.
MIN_CUSTOMERS = 5
# Fewer customers than this and a figure is shown with a warning: too small to trust.
TRUST_CUSTOMERS = 20
WEIGHT_TOTAL = 100


@dataclass(frozen=True)
class Correlation:
    """Spearman's rho (None: not computable) and the number of customers behind it."""

    rho: float | None
    n: int

    @property
    def computable(self) -> bool:
        return self.rho is not None

    @property
    def too_small(self) -> bool:
        return self.n < TRUST_CUSTOMERS


@dataclass(frozen=True)
class TierHit:
    """Of `n` customers of a tier, `hits` produced revenue; rate None when n is 0."""

    code: str
    n: int
    hits: int

    @property
    def rate(self) -> float | None:
        return self.hits / self.n if self.n else None

    @property
    def too_small(self) -> bool:
        return self.n < TRUST_CUSTOMERS


def average_ranks(values: Sequence[float]) -> np.ndarray:
    """1-based ranks, ascending; tied values get the mean of the ranks they span."""
    data = np.asarray(values, dtype=float)
    order = np.argsort(data, kind="mergesort")
    ranks = np.empty(len(data), dtype=float)
    sorted_values = data[order]
    start = 0
    while start < len(data):
        end = start
        while end + 1 < len(data) and sorted_values[end + 1] == sorted_values[start]:
            end += 1
        # Positions start..end (0-based) hold ranks start+1..end+1; their mean:
        ranks[order[start : end + 1]] = (start + end) / 2 + 1
        start = end + 1
    return ranks


def spearman(scores: Sequence[float], outcomes: Sequence[float]) -> Correlation:
    """Spearman's rho as the Pearson correlation of the average ranks."""
    if len(scores) != len(outcomes):
        raise ValueError("scores and outcomes must have the same length")
    n = len(scores)
    if n < MIN_CUSTOMERS:
        return Correlation(None, n)
    x = average_ranks(scores)
    y = average_ranks(outcomes)
    dx, dy = x - x.mean(), y - y.mean()
    denominator = math.sqrt(float((dx * dx).sum()) * float((dy * dy).sum()))
    if denominator == 0:  # one side does not vary: no ordering to compare
        return Correlation(None, n)
    rho = float((dx * dy).sum()) / denominator
    return Correlation(round(max(-1.0, min(1.0, rho)), 6), n)


def hit_rates(tiers: Sequence[str], outcomes: Sequence[float], order: Sequence[str]) -> list:
    """A TierHit per code of `order` (and any other code met, after them): a hit is revenue > 0."""
    counts: dict[str, list[int]] = {code: [0, 0] for code in order}
    for tier, outcome in zip(tiers, outcomes, strict=True):
        entry = counts.setdefault(tier, [0, 0])
        entry[0] += 1
        entry[1] += 1 if outcome > 0 else 0
    return [TierHit(code, n, hits) for code, (n, hits) in counts.items()]


def largest_remainder(shares: Mapping[str, float], total: int = WEIGHT_TOTAL) -> dict[str, int]:
    """Whole numbers proportional to `shares`, summing exactly to `total`; the leftover units
    go to the largest fractional parts (ties: the earlier key)."""
    whole = sum(shares.values())
    if whole <= 0:
        raise ValueError("shares must have a positive sum")
    exact = {key: share * total / whole for key, share in shares.items()}
    result = {key: math.floor(value) for key, value in exact.items()}
    leftover = total - sum(result.values())
    by_fraction = sorted(exact, key=lambda key: -(exact[key] - result[key]))
    for key in by_fraction[:leftover]:
        result[key] += 1
    return result


def suggest_weights(
    correlations: Mapping[str, Correlation], weights: Mapping[str, float]
) -> dict[str, int] | None:
    """Weights proportional to max(rho, 0), normalised to 100 in whole percentages.

    A criterion whose rho is not computable (its points did not vary among the customers
    compared, e.g. a gate every target passed) keeps its current weight: the back-test says
    nothing about it. The rest share what remains. None when nothing can be suggested: no
    computable criterion, or none with a positive correlation.
    """
    kept = {key: float(weights[key]) for key, c in correlations.items() if not c.computable}
    positive = {key: max(c.rho, 0.0) for key, c in correlations.items() if c.computable}
    if not positive or sum(positive.values()) <= 0:
        return None
    remaining = max(WEIGHT_TOTAL - sum(kept.values()), 0.0)
    scale = remaining / sum(positive.values())
    shares = kept | {key: value * scale for key, value in positive.items()}
    if sum(shares.values()) <= 0:
        return None
    ordered = {key: shares[key] for key in correlations}
    return largest_remainder(ordered)
