"""The one place that answers "may this user do this action on this object?".

Every role is held over one org unit (its scope). An action is granted to some roles,
and a role's scope must *contain* the object's scope (a BU VP of BU1 acts on BU1 and its
segments), or for read actions merely *overlap* it (a segment manager may read the BU
its segment belongs to). Segment-manager work on a segment that has no segment manager
falls to the BU VP of its BU (the deputy rule in DESIGN.md).

Views, services, exports, API views and tasks call `require()`/`can()`, and list views
narrow their querysets with `segments_where()` and friends, so the rule lives here only.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet

from organisation.models import BusinessGroup, BusinessUnit, Role, RoleMembership, Segment


class Action(enum.StrEnum):
    VIEW_ORG = "view_org"
    VIEW_CUSTOMERS = "view_customers"
    EDIT_CUSTOMERS = "edit_customers"
    EDIT_CUSTOMER_RELATIONSHIP = "edit_customer_relationship"
    VIEW_CRITERIA = "view_criteria"
    EDIT_BU_CRITERIA = "edit_bu_criteria"
    EDIT_SEGMENT_CRITERIA = "edit_segment_criteria"
    EDIT_BG_GOALS = "edit_bg_goals"
    EDIT_BU_GOALS = "edit_bu_goals"
    MANAGE_SEGMENT_LIST = "manage_segment_list"
    SET_QUOTA = "set_quota"
    CONSOLIDATE_LISTS = "consolidate_lists"
    APPROVE_LISTS = "approve_lists"
    VIEW_TARGET_LISTS = "view_target_lists"
    LOG_INQUIRY = "log_inquiry"
    DECIDE_INQUIRY = "decide_inquiry"
    VIEW_INQUIRIES = "view_inquiries"
    SUMMARISE_INQUIRIES = "summarise_inquiries"
    RECORD_RESULTS = "record_results"
    SUMMARISE_SEGMENT_REVIEW = "summarise_segment_review"
    SIGN_OFF_BU_REVIEW = "sign_off_bu_review"
    CONFIRM_GOALS = "confirm_goals"


ALL_ROLES = frozenset(Role)


@dataclass(frozen=True)
class Rule:
    roles: frozenset[Role]
    # "contains": the role's unit must be the object's unit or above it.
    # "overlaps": either contains the other (read access along the hierarchy).
    reach: str = "contains"
    # The BU VP may act where the segment has no segment manager.
    bu_vp_deputises: bool = False


RULES: dict[Action, Rule] = {
    Action.VIEW_ORG: Rule(ALL_ROLES, reach="overlaps"),
    Action.VIEW_CUSTOMERS: Rule(ALL_ROLES),
    Action.EDIT_CUSTOMERS: Rule(frozenset({Role.RESEARCHER})),
    Action.EDIT_CUSTOMER_RELATIONSHIP: Rule(frozenset({Role.ACCOUNT_MANAGER})),
    Action.VIEW_CRITERIA: Rule(ALL_ROLES, reach="overlaps"),
    Action.EDIT_BU_CRITERIA: Rule(frozenset({Role.BU_VP})),
    Action.EDIT_SEGMENT_CRITERIA: Rule(frozenset({Role.SEGMENT_MANAGER, Role.BU_VP})),
    Action.EDIT_BG_GOALS: Rule(frozenset({Role.BG_VP})),
    Action.EDIT_BU_GOALS: Rule(frozenset({Role.BU_VP})),
    Action.MANAGE_SEGMENT_LIST: Rule(frozenset({Role.SEGMENT_MANAGER}), bu_vp_deputises=True),
    Action.SET_QUOTA: Rule(frozenset({Role.BU_VP})),
    Action.CONSOLIDATE_LISTS: Rule(frozenset({Role.BU_VP})),
    Action.APPROVE_LISTS: Rule(frozenset({Role.BG_VP})),
    # Account managers also see the lists where they own a customer (evaluation.lists.people).
    Action.VIEW_TARGET_LISTS: Rule(frozenset({Role.SEGMENT_MANAGER, Role.BU_VP, Role.BG_VP})),
    Action.LOG_INQUIRY: Rule(frozenset({Role.ACCOUNT_MANAGER})),
    Action.DECIDE_INQUIRY: Rule(frozenset({Role.SEGMENT_MANAGER}), bu_vp_deputises=True),
    Action.VIEW_INQUIRIES: Rule(ALL_ROLES - {Role.RESEARCHER}),
    Action.SUMMARISE_INQUIRIES: Rule(frozenset({Role.EXTERNAL_RELATIONS})),
    Action.RECORD_RESULTS: Rule(frozenset({Role.ACCOUNT_MANAGER})),
    Action.SUMMARISE_SEGMENT_REVIEW: Rule(frozenset({Role.SEGMENT_MANAGER}), bu_vp_deputises=True),
    Action.SIGN_OFF_BU_REVIEW: Rule(frozenset({Role.BU_VP})),
    Action.CONFIRM_GOALS: Rule(frozenset({Role.BG_VP})),
}


@dataclass(frozen=True)
class Scope:
    """Where an object sits in the org tree; lower levels are None above their level."""

    bg_id: int | None
    bu_id: int | None = None
    segment_id: int | None = None

    def contains(self, other: Scope) -> bool:
        if self.segment_id is not None:
            return other.segment_id == self.segment_id
        if self.bu_id is not None:
            return other.bu_id == self.bu_id
        return self.bg_id is not None and other.bg_id == self.bg_id


def scopes_of(obj) -> list[Scope]:
    """Every scope an object sits in; most have one, a customer one per segment too."""
    if hasattr(obj, "org_scopes"):
        return obj.org_scopes()
    return [scope_of(obj)]


def scope_of(obj) -> Scope:
    """The org scope of a unit, or of any model that exposes `org_scope()`."""
    if isinstance(obj, Scope):
        return obj
    if isinstance(obj, BusinessGroup):
        return Scope(obj.pk)
    if isinstance(obj, BusinessUnit):
        return Scope(obj.business_group_id, obj.pk)
    if isinstance(obj, Segment):
        return Scope(obj.business_unit.business_group_id, obj.business_unit_id, obj.pk)
    if hasattr(obj, "org_scope"):
        return obj.org_scope()
    raise TypeError(f"No org scope for {type(obj).__name__}")


def _membership_scope(membership: RoleMembership) -> Scope:
    return scope_of(membership.unit)


def memberships(user) -> list[RoleMembership]:
    """The user's role memberships, loaded once per user object (i.e. per request)."""
    cached = getattr(user, "_role_memberships_cache", None)
    if cached is None:
        cached = list(RoleMembership.objects.filter(user=user).with_scope())
        user._role_memberships_cache = cached
    return cached


def _deputy_segment_ids(user) -> set[int]:
    cached = getattr(user, "_deputy_segments_cache", None)
    if cached is None:
        bu_ids = [m.business_unit_id for m in memberships(user) if m.role == Role.BU_VP]
        cached = set(
            Segment.objects.filter(business_unit_id__in=bu_ids)
            .without_segment_manager()
            .values_list("pk", flat=True)
        )
        user._deputy_segments_cache = cached
    return cached


def can(user, action: Action, obj) -> bool:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.is_superuser:
        return True
    rule = RULES[action]
    targets = scopes_of(obj)
    for membership in memberships(user):
        if membership.role not in rule.roles:
            continue
        held = _membership_scope(membership)
        for target in targets:
            if held.contains(target) or (rule.reach == "overlaps" and target.contains(held)):
                return True
    return rule.bu_vp_deputises and any(
        target.segment_id is not None and target.segment_id in _deputy_segment_ids(user)
        for target in targets
    )


def require(user, action: Action, obj) -> None:
    """Raise PermissionDenied (a 403 page) unless `can()`."""
    if not can(user, action, obj):
        raise PermissionDenied(action)


def has_any_role(user, roles=ALL_ROLES) -> bool:
    return user.is_superuser or any(m.role in roles for m in memberships(user))


def _unit_filter(user, action: Action, level: str) -> Q | None:
    """A Q over the model of `level` matching the units where `action` is allowed.

    None means "everything" (superuser).
    """
    if user.is_superuser:
        return None
    rule = RULES[action]
    # Field paths from each model up to each level of the tree.
    paths = {
        "segment": {
            "segment": "pk",
            "bu": "business_unit_id",
            "bg": "business_unit__business_group_id",
        },
        "bu": {"segment": "segments", "bu": "pk", "bg": "business_group_id"},
        "bg": {"segment": "business_units__segments", "bu": "business_units", "bg": "pk"},
    }[level]
    order = ["bg", "bu", "segment"]
    condition = Q(pk__in=[])
    for membership in memberships(user):
        if membership.role not in rule.roles:
            continue
        held_level = {"bg_vp": "bg", "segment_manager": "segment"}.get(membership.role, "bu")
        held_id = membership.unit.pk
        contains = order.index(held_level) <= order.index(level)
        if contains or rule.reach == "overlaps":
            condition |= Q(**{paths[held_level]: held_id})
    if rule.bu_vp_deputises and level == "segment":
        condition |= Q(pk__in=_deputy_segment_ids(user))
    return condition


def _units_where(user, action: Action, model, level: str) -> QuerySet:
    if not getattr(user, "is_authenticated", False):
        return model.objects.none()
    condition = _unit_filter(user, action, level)
    queryset = model.objects.all()
    return queryset if condition is None else queryset.filter(condition).distinct()


def segments_where(user, action: Action) -> QuerySet[Segment]:
    return _units_where(user, action, Segment, "segment")


def business_units_where(user, action: Action) -> QuerySet[BusinessUnit]:
    return _units_where(user, action, BusinessUnit, "bu")


def business_groups_where(user, action: Action) -> QuerySet[BusinessGroup]:
    return _units_where(user, action, BusinessGroup, "bg")
