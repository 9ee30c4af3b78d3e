from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from organisation import permissions
from organisation.models import BusinessGroup, BusinessUnit, RoleMembership, Segment
from organisation.permissions import Action

LEVEL_MODELS = {"bg": BusinessGroup, "bu": BusinessUnit, "segment": Segment}


def unit_list(request: HttpRequest) -> HttpResponse:
    """The org tree, pruned to the units the user may see."""
    user = request.user
    # Each ordered by code, the models' default order.
    groups = permissions.business_groups_where(user, Action.VIEW_ORG)
    units = permissions.business_units_where(user, Action.VIEW_ORG)
    segments = permissions.segments_where(user, Action.VIEW_ORG)
    tree = [
        {
            "group": group,
            "units": [
                {"unit": unit, "segments": [s for s in segments if s.business_unit_id == unit.pk]}
                for unit in units
                if unit.business_group_id == group.pk
            ],
        }
        for group in groups
    ]
    return render(request, "organisation/unit_list.html", {"tree": tree})


def unit_detail(request: HttpRequest, level: str, code: str) -> HttpResponse:
    model = LEVEL_MODELS.get(level)
    if model is None:
        raise Http404
    queryset = Segment.objects.with_org() if model is Segment else model.objects.all()
    unit = get_object_or_404(queryset, code=code)
    permissions.require(request.user, Action.VIEW_ORG, unit)
    return render(
        request,
        "organisation/unit_detail.html",
        {
            "unit": unit,
            "level": level,
            "members": RoleMembership.objects.held_over(unit),
            "children": _children_shown(request.user, level, unit),
        },
    )


def _children_shown(user, level: str, unit) -> list:
    """A BG's BUs or a BU's segments, those the user may see; a segment has none."""
    if level == "bg":
        return permissions.business_units_where(user, Action.VIEW_ORG).in_group(unit)
    if level == "bu":
        return permissions.segments_where(user, Action.VIEW_ORG).in_unit(unit)
    return []
