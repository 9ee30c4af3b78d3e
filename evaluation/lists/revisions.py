"""Reading a list beside its revision: which list is in force, which revision is in progress,
and what the revision changes (evaluation/lists/diff.py)."""

from __future__ import annotations

from evaluation.lists.diff import ListDiff, Target, list_diff
from evaluation.models import TargetEntry, TargetList


def pending_revision_of(target_list: TargetList) -> TargetList | None:
    """The revision being worked on beside an approved list in force, if any."""
    if target_list.state != TargetList.State.APPROVED or target_list.superseded_at:
        return None
    return (
        TargetList.objects.working()
        .filter(segment=target_list.segment_id, year=target_list.year)
        .first()
    )


def in_force_beside(target_list: TargetList) -> TargetList | None:
    """For a revision being worked on: the approved list still in force."""
    if target_list.state == TargetList.State.APPROVED or target_list.superseded_at:
        return None
    return (
        TargetList.objects.unsuperseded()
        .filter(
            segment=target_list.segment_id,
            year=target_list.year,
            state=TargetList.State.APPROVED,
        )
        .first()
    )


def pending_by_segment(lists) -> dict[int, TargetList]:
    """Per segment of the given lists in force, its revision in progress (one query)."""
    approved = [tl for tl in lists if tl.state == TargetList.State.APPROVED]
    if not approved:
        return {}
    found = TargetList.objects.pending_revisions().filter(
        segment__in=[tl.segment_id for tl in approved], year__in={tl.year for tl in approved}
    )
    return {tl.segment_id: tl for tl in found.with_last_step()}


def _targets(target_list: TargetList) -> list[Target]:
    rows = (
        TargetEntry.objects.targets()
        .filter(target_list=target_list)
        .values_list("customer_id", "customer__name_zh", "tier", "owner__username")
    )
    return [Target(pk, name, tier, owner or "") for pk, name, tier, owner in rows]


def revision_diff(in_force: TargetList, revision: TargetList) -> ListDiff:
    return list_diff(_targets(in_force), _targets(revision))
