"""The target customers of the BU/BG documents: every target of the lists, by list, tier order
and rank, with its tier's document in the run, owner and development plan."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from evaluation.models import TargetEntry, TargetList

CHUNK = 2000


def _full_name(first: str | None, last: str | None) -> str:
    return f"{first or ''} {last or ''}".strip()


@dataclass(frozen=True)
class DocumentTarget:
    target_list: TargetList
    tier: dict  # the tier's document in the run (code, names, principles)
    tier_order: int
    rank: int | None
    total: Decimal
    credit_code: str
    name: str
    owner: str
    owner_name: str
    objective: str
    next_date: datetime.date | None


def document_targets(lists: list[TargetList]) -> list[DocumentTarget]:
    """Every target customer of the lists, by list (BU, segment), tier order, rank."""
    position = {target_list.pk: i for i, target_list in enumerate(lists)}
    by_pk = {target_list.pk: target_list for target_list in lists}
    tiers = {
        target_list.pk: {tier["code"]: (i, tier) for i, tier in enumerate(target_list.run.tiers)}
        for target_list in lists
    }
    rows = (
        TargetEntry.objects.targets()
        .filter(target_list__in=list(by_pk))
        .values_list(
            "target_list_id",
            "tier",
            "rank",
            "total",
            "customer__credit_code",
            "customer__name_zh",
            "owner__username",
            "owner__first_name",
            "owner__last_name",
            "plan_objective",
            "plan_next_date",
        )
    )
    found = []
    for (
        list_pk,
        code,
        rank,
        total,
        credit,
        name,
        owner,
        first,
        last,
        objective,
        next_date,
    ) in rows.iterator(chunk_size=CHUNK):
        order, tier = tiers[list_pk].get(code, (len(tiers[list_pk]), {"code": code}))
        found.append(
            DocumentTarget(
                by_pk[list_pk],
                tier,
                order,
                rank,
                total,
                credit or "",
                name,
                owner or "",
                _full_name(first, last),
                objective,
                next_date,
            )
        )
    found.sort(
        key=lambda t: (
            position[t.target_list.pk],
            t.tier_order,
            t.rank is None,
            t.rank or 0,
            t.name,
        )
    )
    return found
