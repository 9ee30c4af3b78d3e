"""Revisions for next year (修正的客户发展目标 / 选择标准 / 分级客户管理原则): next year's draft
goals, criteria sets and tier policies made as copies of this year's, each shown as a diff
against this year (reviews.revision_rows reads the pairs). The copies go through
evaluation.criteria.services, which check rights themselves."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from evaluation.criteria import goals as criteria_goals
from evaluation.criteria import services as criteria_services
from evaluation.criteria import tier_policies
from evaluation.models import CriteriaSet, Goal, TierPolicy
from organisation import permissions
from organisation.permissions import Action
from reviews.models import ReviewStep
from reviews.services import step_record


def _draft_recorded(source, *, by, unit, detail: str) -> None:
    """The review trail of `source`'s year notes that next year's draft was made."""
    step_record(
        year=source.year, kind=ReviewStep.Kind.DRAFT_CREATED, by=by, unit=unit, detail=detail
    )


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
        copy = _weights_save(copy, weights, by=by, backtest_year=source.year)
        detail = _("criteria set %(name)s copied to %(year)d with the suggested weights") % {
            "name": copy.name,
            "year": year,
        }
    _draft_recorded(source, by=by, unit=source.segment or source.business_unit, detail=detail)
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


def _weights_save(criteria_set: CriteriaSet, weights: dict[str, int], *, by, backtest_year: int):
    """A newer version of the set with the back-test's suggested weights in place of its own."""
    criteria = criteria_services.criteria_set_dump(criteria_set)["criteria"]
    _require_weights_for(criteria, weights)
    return criteria_services.criteria_set_save(
        criteria_set=criteria_set,
        expected_version=criteria_set.version,
        name=criteria_set.name,
        criteria=[item | {"weight": weights[item["key"]]} for item in criteria],
        by=by,
        note=_("weights suggested by the %(year)d back-test") % {"year": backtest_year},
    )


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
    target = _weights_save(target, weights, by=by, backtest_year=source.year)
    _draft_recorded(
        source,
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
    _draft_recorded(
        source, by=by, unit=scope_unit, detail=_("tier policy copied to %(year)d") % {"year": year}
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
    _draft_recorded(source, by=by, unit=unit, detail=_("goals copied to %(year)d") % {"year": year})
    return goal
