"""What-if maths: how a re-scoring moves customers between tiers and how much the ranking
changes. Pure: no Django, plain data in, plain data out.

A customer's *place* is its tier code, or GENERAL (eligible, not tiered), or SCREENED_OUT, or
NOT_SCORED (absent from one side, e.g. a customer added since the last run).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Hashable, Mapping, Sequence

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


def average_ranks(values: Sequence[float]) -> list[float]:
    """Rank 1 for the smallest value; tied values share the mean of the ranks they span."""
    order = sorted(range(len(values)), key=lambda i: values[i])
    ranks = [0.0] * len(values)
    start = 0
    while start < len(order):
        end = start
        while end + 1 < len(order) and values[order[end + 1]] == values[order[start]]:
            end += 1
        shared = (start + end) / 2 + 1  # mean of the 1-based positions start..end
        for position in range(start, end + 1):
            ranks[order[position]] = shared
        start = end + 1
    return ranks


def spearman(xs: Sequence[float], ys: Sequence[float]) -> float | None:
    """Spearman's rank correlation: Pearson's correlation of the average ranks (ties handled).

    None when it is undefined: fewer than two pairs, or one side all tied.
    """
    if len(xs) != len(ys):
        raise ValueError("xs and ys differ in length")
    count = len(xs)
    if count < 2:
        return None
    rx, ry = average_ranks(xs), average_ranks(ys)
    mean = (count + 1) / 2  # average ranks always average (n + 1) / 2
    sxy = sum((a - mean) * (b - mean) for a, b in zip(rx, ry, strict=True))
    sxx = sum((a - mean) ** 2 for a in rx)
    syy = sum((b - mean) ** 2 for b in ry)
    if sxx == 0 or syy == 0:
        return None
    return sxy / math.sqrt(sxx * syy)


def paired_ranks(
    before: Mapping[Hashable, int | None], after: Mapping[Hashable, int | None]
) -> tuple[list[int], list[int]]:
    """The ranks of the customers ranked on both sides (screened-out ones have no rank)."""
    both = sorted(
        (c for c in before.keys() & after.keys() if before[c] is not None and after[c] is not None),
        key=lambda c: before[c],
    )
    return [before[c] for c in both], [after[c] for c in both]
