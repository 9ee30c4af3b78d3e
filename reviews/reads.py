"""Reads for the review pages besides the review itself (reviews.reports): the years under
review, next year's goals, and an owner's target customers with whether each has a result.

The target lists and goals are evaluation's models; these reads are the review's questions of
them, so they live here rather than on evaluation's querysets.
"""

from __future__ import annotations

from django.db.models import Exists, Max, OuterRef
from django.utils import timezone

from evaluation.models import CriteriaSet, Goal, TargetEntry, TargetList
from reviews.models import DevelopmentResult
from reviews.scopes import approved_lists


def criteria_sets_with_scope():
    """Criteria sets with their BU and segment (the scope a back-test's suggestion is for)."""
    return CriteriaSet.objects.select_related("business_unit", "segment")


def approved_years() -> set[int]:
    """The planning years that have an approved target list."""
    return set(
        TargetList.objects.filter(state=TargetList.State.APPROVED).values_list("year", flat=True)
    )


def review_year() -> int:
    """The year under review: the latest planning year up to this one with an approved list,
    else the latest with one at all, else this year."""
    approved = TargetList.objects.filter(state=TargetList.State.APPROVED)
    this_year = timezone.localdate().year
    past = approved.filter(year__lte=this_year).aggregate(y=Max("year"))["y"]
    return past or approved.aggregate(y=Max("year"))["y"] or this_year


def next_goals(business_group, year: int):
    """The BG's goals for the year after `year`, with who confirmed them."""
    return Goal.objects.filter(business_group=business_group, year=year + 1).select_related(
        "confirmed_by"
    )


def result_years(owner) -> set[int]:
    """The planning years in which `owner` has target customers on an approved list."""
    return set(
        TargetEntry.objects.filter(
            owner=owner, target_list__state=TargetList.State.APPROVED
        ).values_list("target_list__year", flat=True)
    )


def owned_entries(owner, year: int):
    """The owner's target customers on the year's approved lists (the revisions in force),
    each annotated `has_result`: whether its customer has a result of the year in its segment
    (one per segment, year and customer, whichever revision it was recorded on)."""
    segments = TargetList.objects.filter(
        year=year, state=TargetList.State.APPROVED, entries__owner=owner
    ).values_list("segment_id", flat=True)
    return (
        TargetEntry.objects.targets()
        .filter(target_list__in=approved_lists(year, set(segments)), owner=owner)
        .select_related("customer", "target_list__segment", "target_list__run")
        .order_by("target_list__segment__code", "tier", "rank", "pk")
        .annotate(
            has_result=Exists(
                DevelopmentResult.objects.filter(
                    year=year,
                    segment_id=OuterRef("target_list__segment_id"),
                    customer_id=OuterRef("customer_id"),
                )
            )
        )
    )


def without_result(entries):
    """Of `owned_entries(...)`, those whose result is still missing."""
    return entries.filter(has_result=False)


def entries_for_results():
    """Target entries as a result is saved against them: with customer, segment and BU."""
    return TargetEntry.objects.select_related("customer", "target_list__segment__business_unit")
