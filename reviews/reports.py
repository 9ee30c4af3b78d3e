"""Reads behind the year-end evaluation page (no writes): goals against results by tier and
segment, coverage, conversion, revenue, missing results per owner, tier migration year over
year, the year's inquiry summary and the review trail."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db.models import Prefetch, Q
from django.utils.translation import gettext as _

from evaluation.models import Goal, TargetEntry
from inquiries.reports import AnnualSummary, annual_summary
from reviews.models import BUReview, DevelopmentResult, ReviewStep, SegmentReview
from reviews.scopes import ReviewScope, approved_lists, current_lists, target_entries

NOT_TARGET = ""
User = get_user_model()
OWNER_FIELDS = ("username", "first_name", "last_name", "email")
ENTRY_FIELDS = (
    "target_list_id",
    "customer_id",
    "owner_id",
    "rank",
    "total",
    "tier",
    "scored_tier",
    "customer__name_zh",
    "customer__name_en",
    "customer__credit_code",
)


@dataclass
class Figures:
    """Counts and sums over a group of target customers."""

    targets: int = 0
    recorded: int = 0
    active: int = 0
    converted: int = 0
    with_revenue: int = 0
    revenue: Decimal = Decimal(0)
    contracts: int = 0

    def add(self, result: DevelopmentResult | None) -> None:
        self.targets += 1
        if result is None:
            return
        self.recorded += 1
        self.active += result.had_activity
        self.converted += result.converted
        self.with_revenue += result.revenue_won > 0
        self.revenue += result.revenue_won
        self.contracts += result.contracts_signed

    @property
    def missing(self) -> int:
        return self.targets - self.recorded

    @staticmethod
    def _share(part: int, whole: int) -> float | None:
        return round(100 * part / whole, 1) if whole else None

    @property
    def coverage(self) -> float | None:
        """Share of target customers with activity (%)."""
        return self._share(self.active, self.targets)

    @property
    def conversion(self) -> float | None:
        """Share of target customers won (%)."""
        return self._share(self.converted, self.targets)


@dataclass
class Row:
    entry: TargetEntry
    result: DevelopmentResult | None


@dataclass
class GoalRow:
    goal: Goal
    unit: object
    partial: bool  # the page's scope is only part of the goal's unit
    actual: Figures

    @property
    def customers_share(self) -> float | None:
        goal = self.goal.target_customer_count
        return round(100 * self.actual.targets / goal, 1) if goal else None

    @property
    def revenue_share(self) -> float | None:
        goal = self.goal.target_revenue
        return round(float(100 * self.actual.revenue / goal), 1) if goal else None


@dataclass
class Migration:
    """Customers by tier in one year (rows) and the next (columns); "" is "not a target"."""

    from_year: int
    to_year: int
    codes: list[str]
    cells: dict[tuple[str, str], int]
    to_state: str = ""  # set when the later year's lists are not all approved

    def rows(self) -> list[dict]:
        order = [*self.codes, NOT_TARGET]
        peak = max(self.cells.values(), default=0)
        return [
            {
                "code": code,
                "cells": [
                    {
                        "count": self.cells.get((code, other), 0),
                        "heat": _heat(self.cells.get((code, other), 0), peak),
                        "blank": code == NOT_TARGET and other == NOT_TARGET,
                        "same": code == other,
                    }
                    for other in order
                ],
            }
            for code in order
        ]

    @property
    def columns(self) -> list[str]:
        return [*self.codes, NOT_TARGET]

    @property
    def total(self) -> int:
        return sum(self.cells.values())


def _heat(count: int, peak: int) -> int:
    """0..5: how strongly a matrix cell is shaded (CSS classes, no inline style)."""
    if not count or not peak:
        return 0
    return max(1, round(5 * count / peak))


@dataclass
class Review:
    scope: ReviewScope
    year: int
    lists: list
    rows: list[Row]
    totals: Figures
    by_tier: list[tuple[str, str, Figures]]
    by_segment: list[tuple[object, Figures]]
    missing_by_owner: list[tuple[object, list[Row]]]
    goals: list[GoalRow]
    migrations: list[Migration]
    inquiries: AnnualSummary | None
    inquiry_rows: list[dict]
    segment_reviews: dict[int, SegmentReview]
    bu_reviews: dict[int, BUReview]
    steps: list[ReviewStep]
    chart: dict = field(default_factory=dict)

    @property
    def has_lists(self) -> bool:
        return bool(self.lists)

    @property
    def segment_summaries(self) -> list[tuple]:
        """Each segment with an approved list, and its summary (None: not yet)."""
        return [(tl.segment, self.segment_reviews.get(tl.segment_id)) for tl in self.lists]

    @property
    def bu_status(self) -> list[tuple]:
        """Each BU of the scope and its review (None: not signed off)."""
        return [(unit, self.bu_reviews.get(unit.pk)) for unit in self.scope.business_units()]


def results_for(lists, entries) -> dict[tuple[int, int], DevelopmentResult]:
    if not lists:
        return {}
    return {
        (result.segment_id, result.customer_id): result
        for result in DevelopmentResult.objects.filter(
            year=lists[0].year,
            segment_id__in=[target_list.segment_id for target_list in lists],
            customer_id__in={entry.customer_id for entry in entries},
        )
        # Only what the pages show and count: a BG reads thousands (no timestamps to convert).
        .only(
            "segment_id",
            "customer_id",
            "year",
            "revenue_won",
            "contracts_signed",
            "stage",
            "notes",
        )
        .order_by()
    }


def tier_order(lists) -> tuple[list[str], dict[str, str]]:
    codes: list[str] = []
    names: dict[str, str] = {}
    for target_list in lists:
        for tier in target_list.run.tiers:
            if tier["code"] not in names:
                codes.append(tier["code"])
                names[tier["code"]] = tier.get("name_zh") or tier["code"]
    return codes, names


def rows_of(lists) -> list[Row]:
    # The lists (with their segments) are loaded already and owners are few: share those
    # objects instead of joining and building them again for each of a BG's thousands of rows.
    list_of = {target_list.pk: target_list for target_list in lists}
    entries = list(
        target_entries(lists)
        .select_related(None)
        .select_related("customer")
        .prefetch_related(Prefetch("owner", queryset=User.objects.only(*OWNER_FIELDS)))
        .only(*ENTRY_FIELDS)
    )
    for entry in entries:
        entry.target_list = list_of[entry.target_list_id]
    results = results_for(lists, entries)
    return [
        Row(entry, results.get((entry.target_list.segment_id, entry.customer_id)))
        for entry in entries
    ]


def _tiers_by_customer(lists) -> dict[int, str]:
    found: dict[int, str] = {}
    for customer_id, tier in TargetEntry.objects.filter(target_list__in=lists).values_list(
        "customer_id", "tier"
    ):
        if tier or customer_id not in found:
            found[customer_id] = tier
    return found


def migration(before_lists, after_lists, from_year: int, to_year: int, codes) -> Migration:
    before = _tiers_by_customer(before_lists)
    after = _tiers_by_customer(after_lists)
    cells: dict[tuple[str, str], int] = defaultdict(int)
    for customer_id in set(before) | set(after):
        old, new = before.get(customer_id, NOT_TARGET), after.get(customer_id, NOT_TARGET)
        if old == NOT_TARGET and new == NOT_TARGET:
            continue
        cells[(old, new)] += 1
    extra = sorted({code for pair in cells for code in pair} - set(codes) - {NOT_TARGET})
    return Migration(from_year, to_year, [*codes, *extra], dict(cells))


def _goal_rows(scope: ReviewScope, year: int, rows: list[Row]) -> list[GoalRow]:
    units = list(scope.business_units())
    goals = Goal.objects.filter(
        Q(business_group=scope.business_group) | Q(business_unit__in=units), year=year
    ).select_related("business_group", "business_unit")
    goal_rows = []
    for goal in sorted(goals, key=lambda g: (g.business_unit_id is not None, str(g))):
        actual = Figures()
        for row in rows:
            segment = row.entry.target_list.segment
            if goal.business_unit_id and segment.business_unit_id != goal.business_unit_id:
                continue
            actual.add(row.result)
        # The page covers only part of a BG goal below BG level, of a BU goal at segment level.
        partial = scope.level != "bg" if goal.business_group_id else scope.level == "segment"
        goal_rows.append(GoalRow(goal, goal.business_group or goal.business_unit, partial, actual))
    return goal_rows


def _inquiries(scope: ReviewScope, year: int) -> tuple[AnnualSummary | None, list[dict]]:
    summary = annual_summary(scope.business_units(), year)
    rows = summary.by["segment"]
    if scope.level == "segment":
        rows = [row for row in rows if row["segment"] == scope.unit.code]
    return summary, rows


def review(scope: ReviewScope, year: int) -> Review:
    segments = list(scope.segments())
    lists = approved_lists(year, segments)
    rows = rows_of(lists)
    codes, names = tier_order(lists)
    totals = Figures()
    tiers: dict[str, Figures] = {code: Figures() for code in codes}
    by_segment: dict[int, Figures] = {tl.segment_id: Figures() for tl in lists}
    missing: dict[int, list[Row]] = defaultdict(list)
    owners = {}
    for row in rows:
        totals.add(row.result)
        tiers.setdefault(row.entry.tier, Figures()).add(row.result)
        by_segment[row.entry.target_list.segment_id].add(row.result)
        if row.result is None:
            owner_id = row.entry.owner_id or 0
            owners[owner_id] = row.entry.owner
            missing[owner_id].append(row)
    segment_of = {tl.segment_id: tl.segment for tl in lists}
    migrations = []
    if lists:
        previous = approved_lists(year - 1, segments)
        if previous:
            migrations.append(migration(previous, lists, year - 1, year, codes))
        following = current_lists(year + 1, segments)
        if following:
            forward = migration(lists, following, year, year + 1, codes)
            states = {tl.get_state_display() for tl in following}
            forward.to_state = "、".join(sorted(str(s) for s in states))
            migrations.append(forward)
    summary, inquiry_rows = _inquiries(scope, year)
    units = list(scope.business_units())
    steps = ReviewStep.objects.filter(year=year).select_related(
        "by", "business_unit", "segment", "business_group"
    )
    if scope.level == "segment":
        steps = steps.filter(
            Q(segment=scope.unit) | Q(segment__isnull=True, business_unit=scope.unit.business_unit)
        )
    elif scope.level == "bu":
        steps = steps.filter(business_unit=scope.unit)
    else:
        steps = steps.filter(business_group=scope.unit)
    by_tier = [(code, names.get(code, code), tiers[code]) for code in tiers]
    return Review(
        scope=scope,
        year=year,
        lists=lists,
        rows=rows,
        totals=totals,
        by_tier=by_tier,
        by_segment=[(segment_of[pk], figures) for pk, figures in by_segment.items()],
        missing_by_owner=sorted(
            ((owners[pk], found) for pk, found in missing.items()),
            key=lambda item: (-len(item[1]), str(item[0] or "")),
        ),
        goals=_goal_rows(scope, year, rows),
        migrations=migrations,
        inquiries=summary,
        inquiry_rows=inquiry_rows,
        segment_reviews={
            r.segment_id: r
            for r in SegmentReview.objects.filter(year=year, segment__in=segments).select_related(
                "summarised_by"
            )
        },
        bu_reviews={
            r.business_unit_id: r
            for r in BUReview.objects.filter(year=year, business_unit__in=units).select_related(
                "signed_off_by"
            )
        },
        steps=list(steps),
        chart={
            "labels": [f"{code} {name}" for code, name, _f in by_tier],
            "revenue": [float(f.revenue) for _c, _n, f in by_tier],
            "coverage": [f.coverage for _c, _n, f in by_tier],
            "conversion": [f.conversion for _c, _n, f in by_tier],
            "revenue_label": _("Revenue won (CNY)"),
            "coverage_label": _("Coverage (%)"),
            "conversion_label": _("Conversion (%)"),
        },
    )
