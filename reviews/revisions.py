"""Revisions for next year (修正的客户发展目标 / 选择标准 / 分级客户管理原则): next year's draft
goals, criteria sets and tier policies made as copies of this year's, each shown as a diff
against this year. The copies go through evaluation.criteria.services, which check rights themselves."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from evaluation.criteria import goals as criteria_goals
from evaluation.criteria import services as criteria_services
from evaluation.criteria import tier_policies
from evaluation.criteria.diff import ADDED, CHANGED, REMOVED, Change, document_changes, show
from evaluation.models import CriteriaSet, Goal, TierPolicy
from organisation import permissions
from organisation.permissions import Action
from reviews.models import ReviewStep
from reviews.scopes import ReviewScope
from reviews.services import step_record

GOAL_FIELDS = ("strategy", "target_customer_count", "target_revenue", "resource_share")


def _locked_message(scope_unit, year: int) -> str:
    return _(
        "The %(year)d criteria set of %(scope)s is locked: an approved target list uses it. Next year's criteria can no longer be revised; nothing was changed."
    ) % {"year": year, "scope": scope_unit}


def _check_next_year_free(business_unit, segment, year: int) -> None:
    existing = CriteriaSet.objects.filter(
        business_unit=business_unit, segment=segment, year=year
    ).first()
    if existing is None:
        return
    if existing.status == CriteriaSet.Status.LOCKED:
        raise ValidationError(_locked_message(segment or business_unit, year))
    raise ValidationError(
        _(
            "%(scope)s already has a %(year)d criteria set (%(status)s): open it to change it. Nothing was copied."
        )
        % {"scope": segment or business_unit, "year": year, "status": existing.get_status_display()}
    )


@transaction.atomic
def criteria_draft_create(
    *, source: CriteriaSet, by, weights: dict[str, int] | None = None
) -> CriteriaSet:
    """Next year's draft of a set, as a copy of it; with `weights`, those replace the copied
    ones (the back-test's suggestion, taken explicitly). Refused whole, with a clear message,
    when next year already has a set (locked or not)."""
    year = source.year + 1
    if not criteria_services.may_edit_scope(by, source.business_unit, source.segment):
        raise PermissionDenied(Action.EDIT_SEGMENT_CRITERIA)
    _check_next_year_free(source.business_unit, source.segment, year)
    if TierPolicy.objects.filter(
        business_unit=source.business_unit, segment=source.segment, year=year
    ).exists():
        # Next year's tier policy was already drafted: copy the criteria only, so the copy's
        # tiers do not overwrite it (criteria_set_copy would load this year's tiers over it).
        document = criteria_services.criteria_set_dump(source) | {"year": year}
        document.pop("tiers", None)
        copy = criteria_services.criteria_set_load(document=document, by=by)
        copy.copied_from = source
        copy.save(update_fields=["copied_from"])
    else:
        copy = criteria_services.criteria_set_copy(source=source, year=year, by=by)
    detail = _("criteria set %(name)s copied to %(year)d") % {"name": copy.name, "year": year}
    if weights is not None:
        criteria = criteria_services.criteria_set_dump(copy)["criteria"]
        _require_weights_for(criteria, weights)
        copy = criteria_services.criteria_set_save(
            criteria_set=copy,
            expected_version=copy.version,
            name=copy.name,
            criteria=[item | {"weight": weights[item["key"]]} for item in criteria],
            by=by,
            note=_("weights suggested by the %(year)d back-test") % {"year": source.year},
        )
        detail = _("criteria set %(name)s copied to %(year)d with the suggested weights") % {
            "name": copy.name,
            "year": year,
        }
    step_record(
        year=source.year,
        kind=ReviewStep.Kind.DRAFT_CREATED,
        by=by,
        unit=source.segment or source.business_unit,
        detail=detail,
    )
    return copy


def _require_weights_for(criteria: list[dict], weights: dict[str, int]) -> None:
    """Suggested weights fit a set when they name exactly its criteria and sum to 100."""
    keys = [item["key"] for item in criteria]
    if set(weights) != set(keys):
        raise ValidationError(
            _(
                "The suggested weights do not match the set's criteria (%(keys)s): set the weights by hand. Nothing was changed."
            )
            % {"keys": ", ".join(keys)}
        )
    if sum(weights.values()) != 100 or any(w < 0 for w in weights.values()):
        raise ValidationError(_("The suggested weights must be whole percentages summing to 100."))


def next_year_set(source: CriteriaSet) -> CriteriaSet | None:
    return CriteriaSet.objects.filter(
        business_unit=source.business_unit, segment=source.segment, year=source.year + 1
    ).first()


@transaction.atomic
def criteria_weights_apply(*, source: CriteriaSet, weights: dict[str, int], by) -> CriteriaSet:
    """The back-test's suggested weights, taken explicitly, into next year's existing set of
    the same scope, as a newer draft version of it: a published set stays published, its
    version in force unchanged until someone publishes the draft. This year's set is never
    changed."""
    if not criteria_services.may_edit_scope(by, source.business_unit, source.segment):
        raise PermissionDenied(Action.EDIT_SEGMENT_CRITERIA)
    target = next_year_set(source)
    year = source.year + 1
    if target is None:
        raise ValidationError(
            _("%(scope)s has no %(year)d criteria set yet: create the draft first.")
            % {"scope": source.scope_unit, "year": year}
        )
    if target.status == CriteriaSet.Status.LOCKED:
        raise ValidationError(_locked_message(source.scope_unit, year))
    criteria = criteria_services.criteria_set_dump(target)["criteria"]
    _require_weights_for(criteria, weights)
    target = criteria_services.criteria_set_save(
        criteria_set=target,
        expected_version=target.version,
        name=target.name,
        criteria=[item | {"weight": weights[item["key"]]} for item in criteria],
        by=by,
        note=_("weights suggested by the %(year)d back-test") % {"year": source.year},
    )
    step_record(
        year=source.year,
        kind=ReviewStep.Kind.DRAFT_CREATED,
        by=by,
        unit=source.segment or source.business_unit,
        detail=_("suggested weights applied to the %(year)d set %(name)s")
        % {"year": year, "name": target.name},
    )
    return target


@transaction.atomic
def tier_policy_draft_create(*, source: TierPolicy, by) -> TierPolicy:
    """Next year's tier policy (tiers and their principles) as a copy of this year's."""
    year = source.year + 1
    if not criteria_services.may_edit_scope(by, source.business_unit, source.segment):
        raise PermissionDenied(Action.EDIT_SEGMENT_CRITERIA)
    scope_unit = source.segment or source.business_unit
    if CriteriaSet.objects.filter(
        business_unit=source.business_unit,
        segment=source.segment,
        year=year,
        status=CriteriaSet.Status.LOCKED,
    ).exists():
        raise ValidationError(_locked_message(scope_unit, year))
    if TierPolicy.objects.filter(
        business_unit=source.business_unit, segment=source.segment, year=year
    ).exists():
        raise ValidationError(
            _(
                "%(scope)s already has a %(year)d tier policy: open it to change it. Nothing was copied."
            )
            % {"scope": scope_unit, "year": year}
        )
    policy = tier_policies.tier_policy_save(
        business_unit=source.business_unit,
        segment=source.segment,
        year=year,
        tiers=[criteria_services.tier_document(tier) for tier in source.tiers.all()],
        expected_version=None,
        by=by,
    )
    step_record(
        year=source.year,
        kind=ReviewStep.Kind.DRAFT_CREATED,
        by=by,
        unit=scope_unit,
        detail=_("tier policy copied to %(year)d") % {"year": year},
    )
    return policy


def may_edit_goal(user, goal: Goal) -> bool:
    if goal.business_group_id:
        return permissions.can(user, Action.EDIT_BG_GOALS, goal.business_group)
    return permissions.can(user, Action.EDIT_BU_GOALS, goal.business_unit)


@transaction.atomic
def goal_draft_create(*, source: Goal, by) -> Goal:
    """Next year's goals of the same BG or BU, as a copy of this year's (unconfirmed)."""
    year = source.year + 1
    unit = source.business_group or source.business_unit
    if not may_edit_goal(by, source):
        raise PermissionDenied(Action.EDIT_BU_GOALS)
    existing = Goal.objects.filter(
        business_group=source.business_group, business_unit=source.business_unit, year=year
    ).first()
    if existing is not None:
        raise ValidationError(
            (
                _("The %(year)d goals of %(unit)s are already confirmed; nothing was copied.")
                if existing.confirmed_at
                else _("%(unit)s already has goals for %(year)d: edit them. Nothing was copied.")
            )
            % {"unit": unit, "year": year}
        )
    goal = criteria_goals.goal_save(
        year=year,
        by=by,
        business_group=source.business_group,
        business_unit=source.business_unit,
        strategy=source.strategy,
        target_customer_count=source.target_customer_count,
        target_revenue=source.target_revenue,
        resource_share=source.resource_share,
    )
    step_record(
        year=source.year,
        kind=ReviewStep.Kind.DRAFT_CREATED,
        by=by,
        unit=unit,
        detail=_("goals copied to %(year)d") % {"year": year},
    )
    return goal


# --- Reading: this year against next year ---------------------------------------------------


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
    following = year + 1
    units = list(scope.business_units())
    goal_rows = []
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
    for key, unit in [(("bg", g.pk), g) for g in groups] + [(("bu", u.pk), u) for u in units]:
        pair = by_unit.get(key, {})
        current, draft = pair.get(year), pair.get(following)
        if current is None and draft is None:
            continue
        reference = current or draft
        editable = may_edit_goal(user, reference)
        goal_rows.append(
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

    sets = CriteriaSet.objects.filter(
        _scope_filter(scope), year__in=[year, following]
    ).select_related("business_unit", "segment")
    pairs: dict[tuple, dict[int, CriteriaSet]] = {}
    for criteria_set in sets:
        pairs.setdefault((criteria_set.business_unit_id, criteria_set.segment_id), {})[
            criteria_set.year
        ] = criteria_set
    set_rows = []
    for _key, pair in sorted(pairs.items(), key=lambda item: (item[0][0], item[0][1] or 0)):
        current, draft = pair.get(year), pair.get(following)
        reference = current or draft
        editable = criteria_services.may_edit_scope(
            user, reference.business_unit, reference.segment
        )
        set_rows.append(
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

    policies = TierPolicy.objects.filter(
        _scope_filter(scope), year__in=[year, following]
    ).select_related("business_unit", "segment")
    policy_pairs: dict[tuple, dict[int, TierPolicy]] = {}
    for policy in policies:
        policy_pairs.setdefault((policy.business_unit_id, policy.segment_id), {})[policy.year] = (
            policy
        )
    locked_next = {
        (s.business_unit_id, s.segment_id)
        for s in sets
        if s.year == following and s.status == CriteriaSet.Status.LOCKED
    }
    next_sets = {(s.business_unit_id, s.segment_id): s for s in sets if s.year == following}
    policy_rows = []
    for key, pair in sorted(policy_pairs.items(), key=lambda item: (item[0][0], item[0][1] or 0)):
        current, draft = pair.get(year), pair.get(following)
        reference = current or draft
        editable = criteria_services.may_edit_scope(
            user, reference.business_unit, reference.segment
        )
        row = RevisionRow(
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
        policy_rows.append(row)
    return {"goals": goal_rows, "criteria": set_rows, "tiers": policy_rows}
