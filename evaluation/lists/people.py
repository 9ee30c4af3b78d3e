"""Who a target list concerns: who may see it, who may own its customers, and who acts on it
at each approval step (the people the approval table tells)."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db.models import Q

from evaluation.models import TargetList
from organisation import permissions
from organisation.models import Role, Segment
from organisation.permissions import Action

User = get_user_model()


def can_view(user, target_list: TargetList) -> bool:
    """Managers and VPs over the segment, and account managers owning one of its customers."""
    return permissions.can(user, Action.VIEW_TARGET_LISTS, target_list) or (
        getattr(user, "is_authenticated", False) and target_list.entries.filter(owner=user).exists()
    )


def require_view(user, target_list: TargetList) -> None:
    if not can_view(user, target_list):
        raise PermissionDenied(Action.VIEW_TARGET_LISTS)


def account_managers_of(segment: Segment):
    """Who may own the segment's target customers: the account managers of its BU."""
    return (
        User.objects.filter(
            is_active=True,
            role_memberships__role=Role.ACCOUNT_MANAGER,
            role_memberships__business_unit_id=segment.business_unit_id,
        )
        .distinct()
        .order_by("username")
    )


def _people(role: Role, unit_filter: Q):
    return User.objects.filter(
        Q(is_active=True), Q(role_memberships__role=role) & unit_filter
    ).distinct()


def segment_managers_of(segment: Segment):
    """Who does the segment's list work: its segment managers, else the BU VPs (deputies)."""
    managers = _people(Role.SEGMENT_MANAGER, Q(role_memberships__segment=segment))
    return managers if managers.exists() else bu_vps_of(segment)


def bu_vps_of(segment: Segment):
    return _people(Role.BU_VP, Q(role_memberships__business_unit_id=segment.business_unit_id))


def bg_vps_of(segment: Segment):
    return _people(
        Role.BG_VP,
        Q(role_memberships__business_group_id=segment.business_unit.business_group_id),
    )


def owners_on(target_list: TargetList):
    """The account managers owning a customer on the list."""
    return User.objects.filter(owned_target_entries__target_list=target_list).distinct()
