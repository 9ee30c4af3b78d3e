"""What-if maths: how a re-scoring moves customers between tiers and how much the ranking
changes. Pure: no Django; plain data (or numpy arrays) in, plain data out.

A customer's *place* is its tier code, or GENERAL (eligible, not tiered), or SCREENED_OUT, or
NOT_SCORED (absent from one side, e.g. a customer added since the last run).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Hashable, Mapping, Sequence

import numpy as np

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
