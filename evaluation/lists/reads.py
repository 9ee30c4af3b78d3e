"""What the target-list pages show, read in as few queries as they can: the index, one list and
its page of entries, a BU's and a BG's table of lists. Nothing here writes."""

from __future__ import annotations

from django.core.paginator import Page, Paginator

from evaluation.lists.revisions import (
    in_force_beside,
    pending_by_segment,
    pending_revision_of,
    revision_diff,
)
from evaluation.models import ScoreEntry, TargetEntry, TargetList
from evaluation.scoring.explain import list_chart_data
from evaluation.scoring.staleness import list_hint
from organisation import permissions
from organisation.models import BusinessGroup, BusinessUnit, localised
from organisation.permissions import Action

State = TargetList.State
PAGE_SIZE = 50


def index(user, year: int) -> dict:
    """Each visible segment's list in force for the year (a revision in progress beside it),
    the lists where the user owns customers, and the BU / BG pages the user may go to."""
    segments = (
        permissions.segments_where(user, Action.VIEW_TARGET_LISTS)
        .select_related("business_unit__business_group")
        .order_by("business_unit__code", "code")
    )
    lists = {
        tl.segment_id: tl
        for tl in TargetList.objects.in_force_for(year, segments)
        .with_last_step()
        .select_related("run")
    }
    pending = pending_by_segment(lists.values())
    counts = TargetEntry.objects.tier_counts_of(lists.values())
    rows = [
        {
            "segment": segment,
            "list": lists.get(segment.pk),
            "pending": pending.get(segment.pk),
            "counts": counts[lists[segment.pk].pk] if segment.pk in lists else {},
            "may_manage": permissions.can(user, Action.MANAGE_SEGMENT_LIST, segment),
        }
        for segment in segments
    ]
    owned = (
        TargetList.objects.visible_to(user)
        .unsuperseded()
        .filter(year=year, entries__owner=user)
        .with_last_step()
        .distinct()
    )
    return {
        "rows": rows,
        "owned": owned,
        "business_units": permissions.business_units_where(user, Action.CONSOLIDATE_LISTS).order_by(
            "code"
        ),
        "business_groups": permissions.business_groups_where(user, Action.APPROVE_LISTS).order_by(
            "code"
        ),
    }


def entries_page(target_list: TargetList, user, *, number, mine: bool) -> Page:
    """One page of the list's entries in rank order (only the user's with `mine`)."""
    entries = target_list.entries.order_by("rank", "customer_id")
    if mine:
        entries = entries.filter(owner=user)
    # Page through the narrow (list, rank, customer) index, then load the rows shown: a deep
    # page then skips index entries, not joined rows.
    page = Paginator(entries.values_list("pk", flat=True), PAGE_SIZE).get_page(number)
    page.object_list = list(
        TargetEntry.objects.filter(pk__in=list(page.object_list))
        .select_related("customer", "owner")
        .order_by("rank", "customer_id")
    )
    return page


def detail(target_list: TargetList, user) -> dict:
    """A list's page beside its entries: tiers with counts, the trail, the other revisions,
    the revision beside it, and which steps the user may take on it now."""
    segment = target_list.segment
    may_manage = permissions.can(user, Action.MANAGE_SEGMENT_LIST, segment)
    counts = TargetEntry.objects.tier_counts_of([target_list])[target_list.pk]
    editable = target_list.is_editable and may_manage
    context = {
        "list": target_list,
        "run": target_list.run,
        "tier_rows": [
            tier
            | {
                "name": localised(tier["name_zh"], tier.get("name_en", "")),
                "count": counts.get(tier["code"], 0),
            }
            for tier in target_list.run.tiers
        ],
        "editable": editable,
        "without_owner": target_list.entries.without_owner().count(),
        "transitions": target_list.transitions.select_related("by"),
        "revisions": TargetList.objects.filter(segment=segment, year=target_list.year).exclude(
            pk=target_list.pk
        ),
        "may_submit": editable,
        "may_consolidate": target_list.state == State.SUBMITTED
        and permissions.can(user, Action.CONSOLIDATE_LISTS, segment),
        "may_approve": target_list.state == State.CONSOLIDATED
        and permissions.can(user, Action.APPROVE_LISTS, segment),
        "pending": pending_revision_of(target_list),
        "in_force": in_force_beside(target_list),
        "charts": list_chart_data(
            target_list.run,
            target_list.entries.overrides().values_list("scored_tier", "tier", "total"),
        ),
        "stale": list_hint(target_list, user),
    }
    context["may_revise"] = (
        target_list.state == State.APPROVED
        and target_list.superseded_at is None
        and context["pending"] is None
        and may_manage
    )
    if context["in_force"] is not None:
        context["diff"] = revision_diff(context["in_force"], target_list)
    context["may_send_back"] = context["may_consolidate"] or context["may_approve"]
    return context


def scored_at_rank(target_list: TargetList, rank: int) -> ScoreEntry | None:
    """The customer at that rank in the list's score run, if any."""
    return target_list.run.entries.filter(rank=rank).first()


def unit_table(unit: BusinessUnit, year: int) -> dict:
    """Each segment's list in force with its count per tier, the totals per tier, and the
    revision in progress beside an approved list (the list the steps then act on)."""
    segments = list(unit.segments.order_by("code"))
    lists = {
        tl.segment_id: tl
        for tl in TargetList.objects.in_force_for(year, segments)
        .with_last_step()
        .select_related("run")
    }
    pending = pending_by_segment(lists.values())
    all_counts = TargetEntry.objects.tier_counts_of(lists.values())
    rows = []
    codes: list[str] = []
    for segment in segments:
        target_list = lists.get(segment.pk)
        counts = all_counts[target_list.pk] if target_list else {}
        codes += [code for code in counts if code not in codes]
        revision = pending.get(segment.pk)
        if revision is not None:  # what the approval would change, at a glance
            revision.diff = revision_diff(target_list, revision)
        rows.append(
            {
                "segment": segment,
                "list": target_list,
                "pending": revision,
                "step_list": revision or target_list,
                "counts": counts,
            }
        )
    totals = {code: sum(row["counts"].get(code, 0) for row in rows) for code in codes}
    for row in rows:
        row["cells"] = [(code, row["counts"].get(code, 0)) for code in codes]
    return {
        "rows": rows,
        "tier_codes": codes,
        "totals": totals,
        "total_cells": list(totals.items()),
    }


def group_table(group: BusinessGroup, year: int) -> dict:
    """Each BU's table, how many of its lists wait for approval, and the BG's totals per tier."""
    units = [
        {"unit": unit, **unit_table(unit, year)} for unit in group.business_units.order_by("code")
    ]
    grand: dict[str, int] = {}
    for unit in units:
        for tier, count in unit["totals"].items():
            grand[tier] = grand.get(tier, 0) + count
        unit["waiting"] = sum(
            1
            for row in unit["rows"]
            if row["step_list"] and row["step_list"].state == State.CONSOLIDATED
        )
    return {"units": units, "totals": grand}


def submitted_of(unit: BusinessUnit, year: int):
    """The BU's lists waiting for consolidation."""
    return TargetList.objects.working_for(year, unit.segments.all()).filter(state=State.SUBMITTED)


def consolidated_of(group: BusinessGroup, year: int, unit: BusinessUnit | None = None):
    """The BG's lists waiting for approval, or only one of its BUs'."""
    lists = TargetList.objects.working().filter(
        year=year, segment__business_unit__business_group=group, state=State.CONSOLIDATED
    )
    if unit is not None:
        lists = lists.filter(segment__business_unit=unit)
    return lists.select_related("segment__business_unit")
