"""A scope's annual review (2.3.6): the review page and its export, the back-test, the missing
results, and the segment summary, BU sign-off and BG goals confirmation.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from evaluation.criteria.services import may_edit_scope
from organisation import permissions
from organisation.models import BusinessGroup, BusinessUnit, Segment
from organisation.permissions import Action
from prioritizer import spreadsheets
from prioritizer.form_errors import add_service_messages
from reviews import backtest, backtest_data, exporting, reads, reports, revisions, services
from reviews.forms import SignOffForm, SummaryForm
from reviews.scopes import (
    scopes_visible_to,
)
from reviews.views.common import scope_for, year_from

# --- Review pages -----------------------------------------------------------------------------


@require_GET
def review_index(request: HttpRequest) -> HttpResponse:
    scopes = scopes_visible_to(request.user)
    if not scopes:
        if permissions.has_any_role(request.user, {permissions.Role.ACCOUNT_MANAGER}):
            return redirect("reviews:my-results")
        raise PermissionDenied(Action.VIEW_TARGET_LISTS)
    year = year_from(request.GET.get("year"), reads.review_year())
    years = sorted(reads.approved_years() | {year}, reverse=True)
    return render(request, "reviews/index.html", {"scopes": scopes, "year": year, "years": years})


@require_GET
def review_detail(request: HttpRequest, year: int, level: str, code: str) -> HttpResponse:
    scope = scope_for(request, level, code)
    review = reports.review(scope, year)
    context = {
        "review": review,
        "scope": scope,
        "year": year,
        "print_view": request.GET.get("print") == "1",
        "segment_review": review.segment_reviews.get(scope.unit.pk)
        if scope.level == "segment"
        else None,
        "bu_review": review.bu_reviews.get(scope.business_unit.pk)
        if scope.business_unit is not None
        else None,
        "backtests": backtest_data.scope_backtests(scope, year),
        "summary_form": SummaryForm(
            initial={"summary": getattr(review.segment_reviews.get(scope.unit.pk), "summary", "")}
        )
        if scope.level == "segment"
        else None,
        "sign_off_form": SignOffForm(),
        "next_goals": reads.next_goals(scope.business_group, year) if scope.level == "bg" else [],
    }
    return render(request, "reviews/review.html", context | _steps_allowed(request.user, scope))


def _steps_allowed(user, scope) -> dict:
    """Which of the review's steps the user may take here: a segment's summary, a BU's
    sign-off, a BG's confirmation of next year's goals."""
    return {
        "may_summarise": scope.level == "segment"
        and permissions.can(user, Action.SUMMARISE_SEGMENT_REVIEW, scope.unit),
        "may_sign_off": scope.level == "bu"
        and permissions.can(user, Action.SIGN_OFF_BU_REVIEW, scope.unit),
        "may_confirm": scope.level == "bg"
        and permissions.can(user, Action.CONFIRM_GOALS, scope.unit),
    }


@require_GET
def review_export(request: HttpRequest, year: int, level: str, code: str) -> HttpResponse:
    scope = scope_for(request, level, code)
    content = exporting.review_xlsx(
        reports.review(scope, year), backtest_data.scope_backtests(scope, year)
    )
    response = HttpResponse(content, content_type=spreadsheets.CONTENT_TYPES["xlsx"])
    response["Content-Disposition"] = f'attachment; filename="review-{scope.code}-{year}.xlsx"'
    return response


@require_GET
def backtest_page(request: HttpRequest, year: int, level: str, code: str) -> HttpResponse:
    scope = scope_for(request, level, code)
    results = backtest_data.scope_backtests(scope, year)
    for item in results:
        item.may_apply = (
            item.suggestion is not None
            and item.covers_every_list
            and may_edit_scope(
                request.user, item.criteria_set.business_unit, item.criteria_set.segment
            )
        )
        item.next_year_set = revisions.next_year_set(item.criteria_set)
        item.next_year_matches = item.next_year_set is not None and {
            c.key for c in item.next_year_set.criteria.all()
        } == set(item.suggestion or {})
    return render(
        request,
        "reviews/backtest.html",
        {
            "scope": scope,
            "year": year,
            "backtests": results,
            "min_customers": backtest.MIN_CUSTOMERS,
            "trust_customers": backtest.TRUST_CUSTOMERS,
        },
    )


@require_GET
def missing_results(request: HttpRequest, year: int, level: str, code: str) -> HttpResponse:
    scope = scope_for(request, level, code)
    review = reports.review(scope, year)
    return render(request, "reviews/missing.html", {"scope": scope, "year": year, "review": review})


@require_POST
def segment_summary(request: HttpRequest, year: int, code: str) -> HttpResponse:
    segment = get_object_or_404(Segment.objects.with_org(), code=code)
    permissions.require(request.user, Action.SUMMARISE_SEGMENT_REVIEW, segment)
    form = SummaryForm(request.POST)
    if form.is_valid():
        try:
            services.segment_review_summarise(
                segment=segment, year=year, summary=form.cleaned_data["summary"], by=request.user
            )
        except ValidationError as error:
            add_service_messages(request, error)
        else:
            messages.success(request, _("The segment summary was saved."))
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    return redirect("reviews:review", year=year, level="segment", code=code)


@require_POST
def bu_sign_off(request: HttpRequest, year: int, code: str) -> HttpResponse:
    unit = get_object_or_404(BusinessUnit.objects.with_group(), code=code)
    permissions.require(request.user, Action.SIGN_OFF_BU_REVIEW, unit)
    form = SignOffForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The comment is too long."))
    else:
        try:
            services.bu_review_sign_off(
                business_unit=unit, year=year, by=request.user, comment=form.cleaned_data["comment"]
            )
        except ValidationError as error:
            add_service_messages(request, error)
        else:
            messages.success(request, _("The BU review is signed off."))
    return redirect("reviews:review", year=year, level="bu", code=code)


@require_POST
def goals_confirm(request: HttpRequest, year: int, code: str) -> HttpResponse:
    group = get_object_or_404(BusinessGroup, code=code)
    permissions.require(request.user, Action.CONFIRM_GOALS, group)
    try:
        services.goals_confirm(business_group=group, year=year + 1, by=request.user)
    except ValidationError as error:
        add_service_messages(request, error)
    else:
        messages.success(request, _("The goals for %(year)d are confirmed.") % {"year": year + 1})
    return redirect("reviews:review", year=year, level="bg", code=code)
