"""What a review covers: a segment, a BU or a BG, its segments, and the year's approved lists.

Reading rights follow the target lists (Action.VIEW_TARGET_LISTS): a segment manager reviews
their segment, a BU VP their BU and its segments, a BG VP their BG and everything in it.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from evaluation.models import TargetEntry, TargetList
from organisation import permissions
from organisation.models import BusinessGroup, BusinessUnit, Segment
from organisation.permissions import Action

LEVELS = {
    "segment": _("Segment"),
    "bu": _("Business unit"),
    "bg": _("Business group"),
}


@dataclass(frozen=True)
class ReviewScope:
    level: str  # "segment", "bu" or "bg"
    unit: Segment | BusinessUnit | BusinessGroup

    @property
    def code(self) -> str:
        return self.unit.code

    @property
    def level_label(self) -> str:
        return str(LEVELS[self.level])

    def segments(self):
        queryset = Segment.objects.with_org().order_by("code")
        if self.level == "segment":
            return queryset.filter(pk=self.unit.pk)
        if self.level == "bu":
            return queryset.filter(business_unit=self.unit)
        return queryset.filter(business_unit__business_group=self.unit)

    def business_units(self):
        if self.level == "segment":
            return BusinessUnit.objects.filter(pk=self.unit.business_unit_id)
        if self.level == "bu":
            return BusinessUnit.objects.filter(pk=self.unit.pk)
        return BusinessUnit.objects.filter(business_group=self.unit).order_by("code")

    @property
    def business_group(self) -> BusinessGroup:
        if self.level == "bg":
            return self.unit
        if self.level == "bu":
            return self.unit.business_group
        return self.unit.business_unit.business_group

    @property
    def business_unit(self) -> BusinessUnit | None:
        if self.level == "bu":
            return self.unit
        if self.level == "segment":
            return self.unit.business_unit
        return None


def resolve(level: str, code: str) -> ReviewScope:
    models = {"segment": Segment, "bu": BusinessUnit, "bg": BusinessGroup}
    model = models.get(level)
    if model is None:
        raise Http404(level)
    queryset = model.objects.all()
    if model is Segment:
        queryset = Segment.objects.with_org()
    elif model is BusinessUnit:
        queryset = queryset.select_related("business_group")
    unit = queryset.filter(code=code).first()
    if unit is None:
        raise Http404(code)
    return ReviewScope(level, unit)


def scope_of_unit(unit) -> ReviewScope:
    if isinstance(unit, Segment):
        return ReviewScope("segment", unit)
    if isinstance(unit, BusinessUnit):
        return ReviewScope("bu", unit)
    return ReviewScope("bg", unit)


def can_view(user, scope: ReviewScope) -> bool:
    return permissions.can(user, Action.VIEW_TARGET_LISTS, scope.unit)


def require_view(user, scope: ReviewScope) -> None:
    if not can_view(user, scope):
        raise PermissionDenied(Action.VIEW_TARGET_LISTS)


def scopes_visible_to(user) -> list[ReviewScope]:
    """The BGs, BUs and segments the user may review, top down."""
    action = Action.VIEW_TARGET_LISTS
    groups = [
        g
        for g in permissions.business_groups_where(user, action).order_by("code")
        if permissions.can(user, action, g)
    ]
    units = [
        u
        for u in permissions.business_units_where(user, action)
        .select_related("business_group")
        .order_by("code")
        if permissions.can(user, action, u)
    ]
    segments = list(permissions.segments_where(user, action).with_org().order_by("code"))
    return (
        [ReviewScope("bg", g) for g in groups]
        + [ReviewScope("bu", u) for u in units]
        + [ReviewScope("segment", s) for s in segments]
    )


def approved_lists(year: int, segments) -> list[TargetList]:
    """Per segment, the year's approved list: its latest approved revision (a later revision
    still in draft leaves the approved one in force)."""
    found: dict[int, TargetList] = {}
    for target_list in (
        TargetList.objects.filter(year=year, state=TargetList.State.APPROVED, segment__in=segments)
        .with_org()
        .select_related("run__criteria_set")
        .order_by("segment__code", "-revision")
    ):
        found.setdefault(target_list.segment_id, target_list)
    return list(found.values())


def current_lists(year: int, segments) -> list[TargetList]:
    """Per segment, the year's list in force, whatever its state (the approved one while a
    revision is worked on)."""
    return list(
        TargetList.objects.in_force_for(year, segments).with_org().order_by("segment__code")
    )


def target_entries(lists: list[TargetList]):
    """The target customers (tiered entries) of the given lists."""
    return (
        TargetEntry.objects.targets()
        .filter(target_list__in=lists)
        .select_related("customer", "owner", "target_list__segment")
        .only(
            "target_list__segment__code",
            "target_list__segment__name_zh",
            "target_list__segment__name_en",
            "target_list__segment__business_unit_id",
            "target_list__year",
            "target_list__segment_id",
            "customer__name_zh",
            "customer__name_en",
            "customer__credit_code",
            "owner__username",
            "owner__first_name",
            "owner__last_name",
            "owner__email",
            "rank",
            "total",
            "tier",
            "scored_tier",
            "owner_id",
            "customer_id",
        )
        .order_by("target_list__segment__code", "rank", "customer_id")
    )
