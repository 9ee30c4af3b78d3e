"""The review's revisions for next year (2.3.6): the revision page, next year's draft of a goal,
criteria set or tier policy copied from this year's, and criteria drafted from a back-test's
suggestion.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from evaluation.models import CriteriaSet, Goal, TierPolicy
from prioritizer.form_errors import add_service_messages
from reviews import backtest_data, reads, revision_rows, revisions
from reviews.views.common import back_to, scope_for


@require_GET
def revisions_page(request: HttpRequest, year: int, level: str, code: str) -> HttpResponse:
    scope = scope_for(request, level, code)
    rows = revision_rows.revision_rows(scope, year, request.user)
    return render(
        request,
        "reviews/revisions.html",
        {"scope": scope, "year": year, "next_year": year + 1, **rows},
    )


@require_POST
def revision_create(
    request: HttpRequest, year: int, level: str, code: str, kind: str, pk: int
) -> HttpResponse:
    """Next year's draft of one goal, criteria set or tier policy, copied from this year's."""
    scope = scope_for(request, level, code)
    try:
        if kind == "goal":
            source = get_object_or_404(Goal, pk=pk, year=year)
            made = revisions.goal_draft_create(source=source, by=request.user)
            message = _("Goals for %(year)d were drafted from this year's.")
        elif kind == "criteria":
            source = get_object_or_404(CriteriaSet, pk=pk, year=year)
            made = revisions.criteria_draft_create(source=source, by=request.user)
            message = _("A draft criteria set for %(year)d was made from this year's.")
        elif kind == "tiers":
            source = get_object_or_404(TierPolicy, pk=pk, year=year)
            made = revisions.tier_policy_draft_create(source=source, by=request.user)
            message = _("A draft tier policy for %(year)d was made from this year's.")
        else:
            raise PermissionDenied(kind)
    except ValidationError as error:
        add_service_messages(request, error)
    else:
        messages.success(request, message % {"year": made.year})
    return back_to(year, scope, "revisions")


@require_POST
def criteria_from_suggestion(
    request: HttpRequest, year: int, level: str, code: str, pk: int
) -> HttpResponse:
    """Next year's draft of a set with the back-test's suggested weights, recomputed here."""
    scope = scope_for(request, level, code)
    criteria_set = get_object_or_404(reads.criteria_sets_with_scope(), pk=pk, year=year)
    result = backtest_data.set_backtest(criteria_set, year)
    if result.suggestion is None:
        messages.error(
            request,
            _("The back-test has no weight suggestion for this set: nothing was changed."),
        )
        return back_to(year, scope, "backtest")
    try:
        made, message = _suggestion_taken(criteria_set, result.suggestion, request.user)
    except ValidationError as error:
        add_service_messages(request, error)
        return back_to(year, scope, "backtest")
    messages.success(
        request,
        message % {"year": made.year, "version": made.version, "in_force": made.published_version},
    )
    return redirect(made)


def _suggestion_taken(criteria_set, weights: dict[str, int], user) -> tuple:
    """The suggested weights into next year's set: a new draft copy when there is none yet,
    else a newer draft version of it; with the message that says which."""
    if revisions.next_year_set(criteria_set) is None:
        made = revisions.criteria_draft_create(source=criteria_set, by=user, weights=weights)
        return made, _(
            "A draft criteria set for %(year)d was made with the suggested weights: review it, then publish."
        )
    made = revisions.criteria_weights_apply(source=criteria_set, weights=weights, by=user)
    message = (
        _(
            "The suggested weights were put into the %(year)d set as draft version %(version)d; version %(in_force)d stays in force until the draft is published."
        )
        if made.has_pending_draft
        else _(
            "The suggested weights were put into the %(year)d set, now a draft: review it, then publish."
        )
    )
    return made, message
