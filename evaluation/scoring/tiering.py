"""Assign tiers to ranked customers, exactly as DESIGN.md defines it. Pure: no Django.

Tiers apply in order, each to the eligible customers not yet tiered, in rank order:
- top_n N: the first N of them;
- top_percent P: the first ceil(P% of all eligible customers) of them;
- min_score S: those whose rounded total is at least S.
Eligible customers left over are general customers (None).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction


@dataclass(frozen=True)
class TierRule:
    code: str
    type: str  # top_n, top_percent, min_score
    value: Decimal


def top_percent_count(percent: Decimal, eligible: int) -> int:
    """ceil(percent% × eligible), computed exactly: 10% of 95 is 10."""
    return math.ceil(Fraction(str(percent)) * eligible / 100)


def assign_tiers(ranked_totals: Sequence[Decimal], tiers: Sequence[TierRule]) -> list[str | None]:
    """Tier code (or None for general) per position in the ranked list of eligible customers."""
    count = len(ranked_totals)
    result: list[str | None] = [None] * count
    start = 0  # ranked customers before `start` are tiered; totals descend, so every rule takes a prefix
    for tier in tiers:
        if tier.type == "top_n":
            take = int(tier.value)
        elif tier.type == "top_percent":
            take = top_percent_count(tier.value, count)
        elif tier.type == "min_score":
            take = 0
            while start + take < count and ranked_totals[start + take] >= tier.value:
                take += 1
        else:
            raise ValueError(tier.type)
        end = min(count, start + take)
        for position in range(start, end):
            result[position] = tier.code
        start = end
    return result
