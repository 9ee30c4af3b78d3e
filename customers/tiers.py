"""The tiers the customer list shows and filters by.

Tiers live on target lists, in `evaluation`, a step above `customers`: this app does not
import it. Evaluation provides the source (`evaluation/lists/customer_tiers.py`, handed over by
its AppConfig.ready()); with no source the list shows no tiers.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class TierSource:
    # Every tier code in use, in tier order (A, B, C …).
    codes: Callable[[], list[str]]
    # The ids (a values() query, for `pk__in`) of the customers in `tier` on the lists in force
    # of `segments` whose run read `facts_year`'s facts.
    customers_in_tier: Callable[[str, int, object], object]
    # Each customer's (segment code, tier) on those lists, by segment code.
    tiers_of: Callable[[Iterable[int], int, object], dict[int, list[tuple[str, str]]]]


NO_TIERS = TierSource(
    codes=list,
    customers_in_tier=lambda tier, facts_year, segments: [],
    tiers_of=lambda customer_ids, facts_year, segments: {},
)
_source = NO_TIERS


def tier_source_provide(source: TierSource) -> None:
    global _source
    _source = source


def tier_codes() -> list[str]:
    return _source.codes()


def customers_in_tier(tier: str, facts_year: int, segments):
    return _source.customers_in_tier(tier, facts_year, segments)


def tiers_of(customer_ids: Iterable[int], facts_year: int, segments) -> dict:
    return _source.tiers_of(customer_ids, facts_year, segments)
