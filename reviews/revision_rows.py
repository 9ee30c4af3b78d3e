"""The revision page's rows: this year's goals, criteria sets and tier policies of a review
scope beside next year's drafts (reviews.revisions makes those), with what changed between them."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q

from evaluation.criteria import services as criteria_services
from evaluation.criteria.diff import ADDED, CHANGED, REMOVED, Change, document_changes, show
from evaluation.models import CriteriaSet, Goal, TierPolicy
from reviews.revisions import may_edit_goal
from reviews.scopes import ReviewScope

GOAL_FIELDS = ("strategy", "target_customer_count", "target_revenue", "resource_share")


def _set_document(criteria_set: CriteriaSet | None) -> dict:
    if criteria_set is None:
        return {}
    document = criteria_services.criteria_set_dump(criteria_set)
    document.pop("tiers", None)
    document.pop("year", None)  # always differs; not a change worth listing
    return document


def _tiers_document(policy: TierPolicy | None) -> dict:
    if policy is None:
        return {"tiers": []}
    return {"tiers": [criteria_services.tier_document(tier) for tier in policy.tiers.all()]}


def _goal_value(goal: Goal, name: str):
    value = getattr(goal, name)
    if isinstance(value, Decimal):
        return criteria_services.plain_number(value)
    return value


def goal_changes(before: Goal | None, after: Goal | None) -> list[Change]:
    if before is None or after is None:
        return []
    changes = []
    for name in GOAL_FIELDS:
        old, new = _goal_value(before, name), _goal_value(after, name)
        if old != new:
            changes.append(
                Change(
                    CHANGED,
                    "goal",
                    "",
                    str(Goal._meta.get_field(name).verbose_name),
                    show(old),
                    show(new),
                )
            )
    return changes


@dataclass
class RevisionRow:
    kind: str  # "goal", "criteria" or "tiers"
    scope_unit: object
    this_year: object | None
    next_year: object | None
    changes: list = field(default_factory=list)
    may_create: bool = False
    may_edit: bool = False
    locked: bool = False
    next_set: CriteriaSet | None = None  # tier rows: the tier editor lives on this set's page

    @property
    def added(self) -> int:
        return sum(1 for change in self.changes if change.kind == ADDED)

    @property
    def removed(self) -> int:
        return sum(1 for change in self.changes if change.kind == REMOVED)


def _scope_filter(scope: ReviewScope) -> Q:
    segments = scope.segments()
    units = scope.business_units()
    return Q(segment__in=segments) | Q(segment__isnull=True, business_unit__in=units)


def revision_rows(scope: ReviewScope, year: int, user) -> dict[str, list[RevisionRow]]:
    """For the scope's goals, criteria sets and tier policies: this year's, next year's draft
    (when made), and the differences between them."""
    sets = CriteriaSet.objects.filter(
        _scope_filter(scope), year__in=[year, year + 1]
    ).select_related("business_unit", "segment")
    return {
        "goals": _goal_rows(scope, year, user),
        "criteria": _set_rows(sets, year, user),
        "tiers": _policy_rows(scope, sets, year, user),
    }


def _year_pairs(items) -> list[tuple[tuple, dict]]:
    """Criteria sets or tier policies by scope (BU id, segment id or None), each scope's
    {year: item}; BU-wide scopes before their segments."""
    pairs: dict[tuple, dict] = {}
    for item in items:
        pairs.setdefault((item.business_unit_id, item.segment_id), {})[item.year] = item
    return sorted(pairs.items(), key=lambda pair: (pair[0][0], pair[0][1] or 0))


def _goal_rows(scope: ReviewScope, year: int, user) -> list[RevisionRow]:
    following = year + 1
    units = list(scope.business_units())
    groups = [scope.business_group]
    goals = Goal.objects.filter(
        Q(business_group__in=groups) | Q(business_unit__in=units), year__in=[year, following]
    ).select_related("business_group", "business_unit", "confirmed_by")
    by_unit: dict[tuple, dict[int, Goal]] = {}
    for goal in goals:
        key = (
            ("bg", goal.business_group_id)
            if goal.business_group_id
            else ("bu", goal.business_unit_id)
        )
        by_unit.setdefault(key, {})[goal.year] = goal
    rows = []
    for key, unit in [(("bg", g.pk), g) for g in groups] + [(("bu", u.pk), u) for u in units]:
        pair = by_unit.get(key, {})
        current, draft = pair.get(year), pair.get(following)
        if current is None and draft is None:
            continue
        reference = current or draft
        editable = may_edit_goal(user, reference)
        rows.append(
            RevisionRow(
                "goal",
                unit,
                current,
                draft,
                goal_changes(current, draft),
                may_create=editable and current is not None and draft is None,
                may_edit=editable and draft is not None and draft.confirmed_at is None,
                locked=draft is not None and draft.confirmed_at is not None,
            )
        )
    return rows


def _set_rows(sets, year: int, user) -> list[RevisionRow]:
    rows = []
    for _key, pair in _year_pairs(sets):
        current, draft = pair.get(year), pair.get(year + 1)
        reference = current or draft
        editable = criteria_services.may_edit_scope(
            user, reference.business_unit, reference.segment
        )
        rows.append(
            RevisionRow(
                "criteria",
                reference.scope_unit,
                current,
                draft,
                document_changes(_set_document(current), _set_document(draft))
                if current and draft
                else [],
                may_create=editable and current is not None and draft is None,
                may_edit=editable
                and draft is not None
                and draft.status != CriteriaSet.Status.LOCKED,
                locked=draft is not None and draft.status == CriteriaSet.Status.LOCKED,
            )
        )
    return rows


def _policy_rows(scope: ReviewScope, sets, year: int, user) -> list[RevisionRow]:
    """Tier policies; next year's is locked with next year's criteria set of its scope."""
    following = year + 1
    policies = TierPolicy.objects.filter(
        _scope_filter(scope), year__in=[year, following]
    ).select_related("business_unit", "segment")
    locked_next = {
        (s.business_unit_id, s.segment_id)
        for s in sets
        if s.year == following and s.status == CriteriaSet.Status.LOCKED
    }
    next_sets = {(s.business_unit_id, s.segment_id): s for s in sets if s.year == following}
    rows = []
    for key, pair in _year_pairs(policies):
        current, draft = pair.get(year), pair.get(following)
        reference = current or draft
        editable = criteria_services.may_edit_scope(
            user, reference.business_unit, reference.segment
        )
        rows.append(
            RevisionRow(
                "tiers",
                reference.segment or reference.business_unit,
                current,
                draft,
                document_changes(_tiers_document(current), _tiers_document(draft))
                if current and draft
                else [],
                may_create=editable
                and current is not None
                and draft is None
                and key not in locked_next,
                may_edit=editable and draft is not None and key not in locked_next,
                locked=key in locked_next,
                next_set=next_sets.get(key),
            )
        )
    return rows
