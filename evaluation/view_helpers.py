"""What the evaluation pages share: the year a page opens on, a criteria set read or edited
with its permission checked, a service's refusal shown as messages, and what a set's save did."""

from __future__ import annotations

from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from evaluation.criteria import services
from evaluation.models import CriteriaSet
from organisation import permissions
from organisation.permissions import Action
from prioritizer import years


def default_year() -> int:
    """The planning year being prepared: next year."""
    return years.planning_year()


def plain(value: Decimal) -> Decimal:
    """112.5 rather than 112.50, 100 rather than 1E+2."""
    return Decimal(f"{value.normalize():f}")


def get_set(request: HttpRequest, pk: int) -> CriteriaSet:
    criteria_set = get_object_or_404(
        CriteriaSet.objects.select_related(
            "business_unit__business_group", "segment__business_unit"
        ),
        pk=pk,
    )
    permissions.require(request.user, Action.VIEW_CRITERIA, criteria_set)
    return criteria_set


def may_edit(user, criteria_set: CriteriaSet) -> bool:
    return criteria_set.status != CriteriaSet.Status.LOCKED and services.may_edit_scope(
        user, criteria_set.business_unit, criteria_set.segment
    )


def get_set_for_edit(request: HttpRequest, pk: int) -> CriteriaSet:
    """The set, when the user may change it; PermissionDenied otherwise (locked included)."""
    criteria_set = get_set(request, pk)
    if not services.may_edit_scope(request.user, criteria_set.business_unit, criteria_set.segment):
        raise PermissionDenied(Action.EDIT_SEGMENT_CRITERIA)
    if criteria_set.status == CriteriaSet.Status.LOCKED:
        raise PermissionDenied("locked")
    return criteria_set


def saved_message(request: HttpRequest, before: CriteriaSet, saved: CriteriaSet, text: str) -> None:
    """What a save did: nothing when nothing changed; a draft version beside the one in force."""
    if saved.version == before.version:
        messages.info(request, _("Nothing was changed, so nothing was saved."))
    elif saved.has_pending_draft:
        messages.success(
            request,
            _(
                "%(text)s Version %(version)d is a draft: version %(in_force)d stays in force until you publish the draft."
            )
            % {"text": text, "version": saved.version, "in_force": saved.published_version},
        )
    else:
        messages.success(request, text)
