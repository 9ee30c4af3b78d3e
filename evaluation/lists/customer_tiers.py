"""The customer list's tiers, as evaluation provides them to `customers.tiers`: a customer's
tier on the current target lists whose run read the facts year shown."""

from __future__ import annotations

from customers.tiers import TierSource
from evaluation.models import TargetEntry, Tier


def codes() -> list[str]:
    """Every tier code in use, in tier order: a few dozen rows at most."""
    return list(
        dict.fromkeys(Tier.objects.order_by("order", "code").values_list("code", flat=True))
    )


def customers_in_tier(tier: str, facts_year: int, segments):
    entries = TargetEntry.objects.scored_from(facts_year, segments)
    return entries.filter(tier=tier).values("customer_id")


def tiers_of(customer_ids, facts_year: int, segments) -> dict[int, list[tuple[str, str]]]:
    tiers: dict[int, list[tuple[str, str]]] = {}
    entries = TargetEntry.objects.scored_from(facts_year, segments).filter(
        customer_id__in=list(customer_ids)
    )
    for customer_id, segment, tier in entries.values_list(
        "customer_id", "target_list__segment__code", "tier"
    ).order_by("target_list__segment__code"):
        tiers.setdefault(customer_id, []).append((segment, tier))
    return tiers


SOURCE = TierSource(codes=codes, customers_in_tier=customers_in_tier, tiers_of=tiers_of)
