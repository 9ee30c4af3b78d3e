"""The back-test's data: last year's scores behind the year's approved lists, next to the
results recorded during the year. The maths is in reviews/backtest.py.

The unit is a criteria set: every approved list of the year whose score run used that set,
restricted to the segments of the page's scope. Customers compared are the target customers
with a recorded result (a missing result is unknown, not zero); their tier is the tier the
scores gave them (TargetEntry.scored_tier), since it is the scores being tested. A target
whose scored tier is empty is a general customer that an override lifted into a tier.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import prefetch_related_objects
from django.utils.translation import gettext as _

from evaluation.models import CriteriaSet, ScoreEntry, TargetEntry
from evaluation.scoring.breakdown import points_by_key
from organisation.models import Segment
from reviews import backtest
from reviews.backtest import Correlation, TierHit
from reviews.models import DevelopmentResult
from reviews.scopes import ReviewScope, approved_lists


@dataclass
class CriterionFigure:
    key: str
    name: str
    weight: float
    correlation: Correlation
    suggested: int | None = None


@dataclass
class SetBacktest:
    criteria_set: CriteriaSet
    year: int
    segments: list[Segment]
    targets: int
    compared: int  # targets with a recorded result
    total: Correlation
    criteria: list[CriterionFigure]
    hits: list[TierHit]
    tier_names: dict[str, str]
    suggestion: dict[str, int] | None
    covers_every_list: bool  # the scope holds every approved list scored with the set
    chart: dict = field(default_factory=dict)

    @property
    def missing(self) -> int:
        return self.targets - self.compared

    @property
    def computable(self) -> bool:
        return self.total.computable

    @property
    def too_small(self) -> bool:
        return self.compared < backtest.TRUST_CUSTOMERS

    def tier_label(self, code: str) -> str:
        return self.tier_names.get(code, code)

    @property
    def hit_rows(self) -> list[dict]:
        return [
            {
                "code": hit.code or "general",
                "label": self.tier_label(hit.code),
                "n": hit.n,
                "hits": hit.hits,
                "rate": None if hit.rate is None else round(100 * hit.rate, 1),
                "too_small": hit.too_small,
            }
            for hit in self.hits
        ]

    @property
    def chart_id(self) -> str:
        return f"backtest-chart-data-{self.criteria_set.pk}"


def _run_criteria(lists) -> list[dict]:
    """The criteria of the runs, in the first run's order, then any key only later runs had."""
    seen: dict[str, dict] = {}
    for target_list in lists:
        for criterion in target_list.run.criteria:
            seen.setdefault(criterion["key"], criterion)
    return list(seen.values())


def set_backtest(
    criteria_set: CriteriaSet, year: int, segments=None, *, unit_lists=None
) -> SetBacktest:
    """The back-test of one set, over its approved lists of `year` in `segments` (all: None).

    `unit_lists`: the approved lists of `year` in the set's BU, when the caller has them.
    """
    if unit_lists is None:
        unit_lists = approved_lists(
            year, Segment.objects.filter(business_unit_id=criteria_set.business_unit_id)
        )
    every = [tl for tl in unit_lists if tl.run.criteria_set_id == criteria_set.pk]
    allowed = None if segments is None else {s.pk for s in segments}
    lists = [tl for tl in every if allowed is None or tl.segment_id in allowed]
    # Plain values: a BG's sets cover thousands of targets, and only a few fields are needed.
    entries = list(
        TargetEntry.objects.targets()
        .filter(target_list__in=lists)
        .values_list("target_list_id", "customer_id", "scored_tier")
    )
    segment_of = {tl.pk: tl.segment_id for tl in lists}
    customer_ids = [customer_id for _list_id, customer_id, _tier in entries]
    revenue_of = {
        (segment_id, customer_id): revenue
        for segment_id, customer_id, revenue in DevelopmentResult.objects.filter(
            year=year, segment_id__in=set(segment_of.values()), customer_id__in=customer_ids
        ).values_list("segment_id", "customer_id", "revenue_won")
    }
    runs = {tl.pk: tl.run for tl in lists}
    scores = {
        (run_id, customer_id): (total, breakdown)
        for run_id, customer_id, total, breakdown in ScoreEntry.objects.filter(
            run_id__in=[run.pk for run in runs.values()], customer_id__in=customer_ids
        ).values_list("run_id", "customer_id", "total", "breakdown")
    }
    run_criteria = _run_criteria(lists)
    totals, revenue, tiers = [], [], []
    points: dict[str, list[tuple[float, float]]] = {c["key"]: [] for c in run_criteria}
    for list_id, customer_id, scored_tier in entries:
        won = revenue_of.get((segment_of[list_id], customer_id))
        run = runs[list_id]
        score = scores.get((run.pk, customer_id))
        if won is None or score is None:
            continue
        outcome = float(won)
        totals.append(float(score[0]))
        revenue.append(outcome)
        tiers.append(scored_tier)
        for key, value in points_by_key(run.criteria, score[1]).items():
            if key in points:
                points[key].append((value, outcome))
    names = {c.key: c.name for c in criteria_set.criteria.all()}
    figures = [
        CriterionFigure(
            key=c["key"],
            name=names.get(c["key"], c["key"]),
            weight=float(c["weight"]),
            correlation=backtest.spearman(
                [p for p, _o in points[c["key"]]], [o for _p, o in points[c["key"]]]
            ),
        )
        for c in run_criteria
    ]
    total = backtest.spearman(totals, revenue)
    suggestion = None
    if total.computable and figures:
        suggestion = backtest.suggest_weights(
            {f.key: f.correlation for f in figures}, {f.key: f.weight for f in figures}
        )
        for figure in figures:
            figure.suggested = suggestion.get(figure.key) if suggestion else None
    tier_names: dict[str, str] = {}
    for target_list in lists:
        for tier in target_list.run.tiers:
            tier_names.setdefault(tier["code"], f"{tier['code']} {tier.get('name_zh', '')}".strip())
    tier_names[""] = _("General (lifted by an override)")
    hits = backtest.hit_rates(tiers, revenue, [*tier_names.keys()])
    chart = {
        "labels": [tier_names.get(h.code, h.code) for h in hits],
        "rates": [None if h.rate is None else round(h.rate * 100, 1) for h in hits],
        "counts": [h.n for h in hits],
        "label": _("Share of customers with revenue (%)"),
    }
    return SetBacktest(
        criteria_set=criteria_set,
        year=year,
        segments=[tl.segment for tl in lists],
        targets=len(entries),
        compared=len(totals),
        total=total,
        criteria=figures,
        hits=hits,
        tier_names=tier_names,
        suggestion=suggestion,
        covers_every_list={tl.pk for tl in every} <= {tl.pk for tl in lists},
        chart=chart,
    )


def scope_backtests(scope: ReviewScope, year: int) -> list[SetBacktest]:
    """Every set's back-test; the BUs' approved lists and the sets' criteria read once for all
    (a BG has a set per segment, and the query count should not grow with them)."""
    segments = list(scope.segments())
    in_scope = {segment.pk for segment in segments}
    unit_lists = approved_lists(
        year, Segment.objects.filter(business_unit__in=scope.business_units())
    )
    found: dict[int, CriteriaSet] = {}
    for target_list in unit_lists:
        if target_list.segment_id in in_scope:
            found.setdefault(target_list.run.criteria_set_id, target_list.run.criteria_set)
    sets = sorted(found.values(), key=lambda s: (s.business_unit_id, s.segment_id or 0))
    prefetch_related_objects(sets, "criteria")
    return [set_backtest(s, year, segments, unit_lists=unit_lists) for s in sets]
