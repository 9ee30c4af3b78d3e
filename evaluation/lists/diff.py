"""What a revision changes against the list in force: pure, no ORM.

Only target customers count (a tier set): a customer targeted on the revision and not on the
list in force is added, the other way round removed; a customer on both may change tier or
owner (or both, then it is listed under each)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Target:
    customer_id: int
    name: str
    tier: str
    owner: str  # user name, "" without one


@dataclass(frozen=True)
class Change:
    customer_id: int
    name: str
    before: str
    after: str


@dataclass
class ListDiff:
    added: list[Target] = field(default_factory=list)
    removed: list[Target] = field(default_factory=list)
    tier_changes: list[Change] = field(default_factory=list)
    owner_changes: list[Change] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not (self.added or self.removed or self.tier_changes or self.owner_changes)


def list_diff(in_force: Iterable[Target], revision: Iterable[Target]) -> ListDiff:
    before = {t.customer_id: t for t in in_force if t.tier}
    after = {t.customer_id: t for t in revision if t.tier}
    diff = ListDiff()
    for pk, target in after.items():
        old = before.get(pk)
        if old is None:
            diff.added.append(target)
            continue
        if old.tier != target.tier:
            diff.tier_changes.append(Change(pk, target.name, old.tier, target.tier))
        if old.owner != target.owner:
            diff.owner_changes.append(Change(pk, target.name, old.owner, target.owner))
    diff.removed = [target for pk, target in before.items() if pk not in after]
    for rows in (diff.added, diff.removed, diff.tier_changes, diff.owner_changes):
        rows.sort(key=lambda row: (row.name, row.customer_id))
    return diff
