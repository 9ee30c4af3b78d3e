"""Annual review pages (2.3.6): permission -> form -> service -> render.

Review pages read along the org tree like target lists (reviews.scopes); every write is a
service that checks role and scope again, so a refused POST is a 403 whatever the page showed.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Exists, Max, OuterRef
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from evaluation.models import CriteriaSet, Goal, TargetEntry, TargetList, TierPolicy
from evaluation.services import may_edit_scope
from organisation import permissions
from organisation.models import BusinessGroup, BusinessUnit, Segment
from organisation.permissions import Action
from organisation.services import notification_send
from prioritizer.form_errors import add_service_errors, add_service_messages
from reviews import backtest, backtest_data, exporting, importing, reports, revisions, services
from reviews.forms import ImportForm, ResultForm, SignOffForm, SummaryForm
from reviews.models import DevelopmentResult
from reviews.scopes import (
    ReviewScope,
    approved_lists,
    require_view,
    resolve,
    scopes_visible_to,
)

RESULTS_PAGE_SIZE = 50


def _year(text: str, default: int) -> int:
    try:
        year = int(text)
    except (TypeError, ValueError):
        return default
    return year if 2000 <= year <= timezone.localdate().year + 2 else default


def default_year() -> int:
    """The year under review: the latest planning year up to this one with an approved list,
    else the latest with one at all, else this year."""
    approved = TargetList.objects.filter(state=TargetList.State.APPROVED)
    this_year = timezone.localdate().year
    past = approved.filter(year__lte=this_year).aggregate(y=Max("year"))["y"]
    return past or approved.aggregate(y=Max("year"))["y"] or this_year


def _scope(request: HttpRequest, level: str, code: str) -> ReviewScope:
    scope = resolve(level, code)
    require_view(request.user, scope)
    return scope


def _add_errors(request: HttpRequest, error: ValidationError) -> None:
    add_service_messages(request, error)


def _back(year: int, scope: ReviewScope, name: str = "review") -> HttpResponse:
    return redirect(f"reviews:{name}", year=year, level=scope.level, code=scope.code)


# --- Review pages -----------------------------------------------------------------------------


@require_GET
def review_index(request: HttpRequest) -> HttpResponse:
    scopes = scopes_visible_to(request.user)
    if not scopes:
        if permissions.has_any_role(request.user, {permissions.Role.ACCOUNT_MANAGER}):
            return redirect("reviews:my-results")
        raise PermissionDenied(Action.VIEW_TARGET_LISTS)
    year = _year(request.GET.get("year"), default_year())
    years = sorted(
        set(
            TargetList.objects.filter(state=TargetList.State.APPROVED).values_list(
                "year", flat=True
            )
        )
        | {year},
        reverse=True,
    )
    return render(request, "reviews/index.html", {"scopes": scopes, "year": year, "years": years})


@require_GET
def review_detail(request: HttpRequest, year: int, level: str, code: str) -> HttpResponse:
    scope = _scope(request, level, code)
    review = reports.review(scope, year)
    user = request.user
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
        "may_summarise": scope.level == "segment"
        and permissions.can(user, Action.SUMMARISE_SEGMENT_REVIEW, scope.unit),
        "may_sign_off": scope.level == "bu"
        and permissions.can(user, Action.SIGN_OFF_BU_REVIEW, scope.unit),
        "sign_off_form": SignOffForm(),
        "may_confirm": scope.level == "bg"
        and permissions.can(user, Action.CONFIRM_GOALS, scope.unit),
        "next_goals": Goal.objects.filter(
            business_group=scope.business_group, year=year + 1
        ).select_related("confirmed_by")
        if scope.level == "bg"
        else [],
    }
    return render(request, "reviews/review.html", context)


@require_GET
def review_export(request: HttpRequest, year: int, level: str, code: str) -> HttpResponse:
    scope = _scope(request, level, code)
    content = exporting.review_xlsx(
        reports.review(scope, year), backtest_data.scope_backtests(scope, year)
    )
    response = HttpResponse(content, content_type=exporting.XLSX)
    response["Content-Disposition"] = f'attachment; filename="review-{scope.code}-{year}.xlsx"'
    return response


@require_GET
def backtest_page(request: HttpRequest, year: int, level: str, code: str) -> HttpResponse:
    scope = _scope(request, level, code)
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
    scope = _scope(request, level, code)
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
            _add_errors(request, error)
        else:
            messages.success(request, _("The segment summary was saved."))
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    return redirect("reviews:review", year=year, level="segment", code=code)


@require_POST
def bu_sign_off(request: HttpRequest, year: int, code: str) -> HttpResponse:
    unit = get_object_or_404(BusinessUnit.objects.select_related("business_group"), code=code)
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
            _add_errors(request, error)
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
        _add_errors(request, error)
    else:
        messages.success(request, _("The goals for %(year)d are confirmed.") % {"year": year + 1})
    return redirect("reviews:review", year=year, level="bg", code=code)


# --- Revisions for next year -------------------------------------------------------------------


@require_GET
def revisions_page(request: HttpRequest, year: int, level: str, code: str) -> HttpResponse:
    scope = _scope(request, level, code)
    rows = revisions.revision_rows(scope, year, request.user)
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
    scope = _scope(request, level, code)
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
        _add_errors(request, error)
    else:
        messages.success(request, message % {"year": made.year})
    return _back(year, scope, "revisions")


@require_POST
def criteria_from_suggestion(
    request: HttpRequest, year: int, level: str, code: str, pk: int
) -> HttpResponse:
    """Next year's draft of a set with the back-test's suggested weights, recomputed here."""
    scope = _scope(request, level, code)
    criteria_set = get_object_or_404(
        CriteriaSet.objects.select_related("business_unit", "segment"), pk=pk, year=year
    )
    result = backtest_data.set_backtest(criteria_set, year)
    if result.suggestion is None:
        messages.error(
            request,
            _("The back-test has no weight suggestion for this set: nothing was changed."),
        )
        return _back(year, scope, "backtest")
    existing = revisions.next_year_set(criteria_set)
    try:
        if existing is None:
            made = revisions.criteria_draft_create(
                source=criteria_set, by=request.user, weights=result.suggestion
            )
            message = _(
                "A draft criteria set for %(year)d was made with the suggested weights: review it, then publish."
            )
        else:
            made = revisions.criteria_weights_apply(
                source=criteria_set, weights=result.suggestion, by=request.user
            )
            message = (
                _(
                    "The suggested weights were put into the %(year)d set as draft version %(version)d; version %(in_force)d stays in force until the draft is published."
                )
                if made.has_pending_draft
                else _(
                    "The suggested weights were put into the %(year)d set, now a draft: review it, then publish."
                )
            )
    except ValidationError as error:
        _add_errors(request, error)
        return _back(year, scope, "backtest")
    messages.success(
        request,
        message % {"year": made.year, "version": made.version, "in_force": made.published_version},
    )
    return redirect(made)


# --- Results: owners record, import --------------------------------------------------------------


def _owned_entries(user, year: int):
    """The user's target customers on the year's approved lists (the revisions in force)."""
    segments = TargetList.objects.filter(
        year=year, state=TargetList.State.APPROVED, entries__owner=user
    ).values_list("segment_id", flat=True)
    return (
        TargetEntry.objects.targets()
        .filter(target_list__in=approved_lists(year, set(segments)), owner=user)
        .select_related("customer", "target_list__segment", "target_list__run")
        .order_by("target_list__segment__code", "tier", "rank", "pk")
    )


def _with_result(entries, year: int):
    """Annotate `has_result`: whether the entry's customer has a result of the year in its
    segment (one per segment, year and customer, whichever revision it was recorded on)."""
    return entries.annotate(
        has_result=Exists(
            DevelopmentResult.objects.filter(
                year=year,
                segment_id=OuterRef("target_list__segment_id"),
                customer_id=OuterRef("customer_id"),
            )
        )
    )


def _results_query(params, year: int, page=None) -> QueryDict:
    """The results page's filters (year, only missing) and page, whitelisted from a request:
    kept in the page links and in each row's form, so a save without htmx returns there."""
    query = QueryDict(mutable=True)
    query["year"] = str(year)
    if params.get("missing") == "1":
        query["missing"] = "1"
    page = page if page is not None else params.get("page")
    if str(page or "").isdigit() and int(page) > 1:
        query["page"] = str(page)
    return query


def _require_recorder(user) -> None:
    if not permissions.has_any_role(user, {permissions.Role.ACCOUNT_MANAGER}) and not (
        user.is_superuser
    ):
        raise PermissionDenied(Action.RECORD_RESULTS)


def _result_row(entry: TargetEntry, result, form=None) -> dict:
    if form is None:
        initial = (
            {
                "revenue_won": result.revenue_won,
                "contracts_signed": result.contracts_signed,
                "stage": result.stage,
                "notes": result.notes,
            }
            if result
            else {}
        )
        form = ResultForm(initial=initial, prefix=f"r{entry.pk}")
    return {"entry": entry, "result": result, "form": form}


@require_GET
def my_results(request: HttpRequest) -> HttpResponse:
    """The owner's target customers, RESULTS_PAGE_SIZE a page (each row a form: rendering
    them is what costs); the missing count is over every page."""
    _require_recorder(request.user)
    years = sorted(
        set(
            TargetEntry.objects.filter(
                owner=request.user, target_list__state=TargetList.State.APPROVED
            ).values_list("target_list__year", flat=True)
        ),
        reverse=True,
    )
    this_year = timezone.localdate().year
    fallback = this_year if this_year in years or not years else years[0]
    year = _year(request.GET.get("year"), fallback)
    owned = _with_result(_owned_entries(request.user, year), year)
    missing = owned.filter(has_result=False).count()
    only_missing = request.GET.get("missing") == "1"
    shown = owned.filter(has_result=False) if only_missing else owned
    page = Paginator(shown, RESULTS_PAGE_SIZE).get_page(request.GET.get("page"))
    entries = list(page.object_list)
    results = reports.results_for([e.target_list for e in entries], entries)
    rows = [_result_row(e, results.get((e.target_list.segment_id, e.customer_id))) for e in entries]
    filters = _results_query(request.GET, year, page=1)
    return render(
        request,
        "reviews/my_results.html",
        {
            "rows": rows,
            "page": page,
            "year": year,
            "years": sorted(set(years) | {year}, reverse=True),
            "missing": missing,
            "only_missing": only_missing,
            "filters": filters,
            "back": _results_query(request.GET, year, page=page.number),
        },
    )


@require_POST
def result_save(request: HttpRequest, pk: int) -> HttpResponse:
    """Save one result (htmx swaps the row; without htmx, back to the page it was on)."""
    entry = get_object_or_404(
        TargetEntry.objects.select_related("customer", "target_list__segment__business_unit"),
        pk=pk,
    )
    if not services.may_record(request.user, entry):
        raise PermissionDenied(Action.RECORD_RESULTS)
    form = ResultForm(request.POST, prefix=f"r{entry.pk}")
    result = None
    saved = False
    if form.is_valid():
        try:
            result = services.result_record(entry=entry, by=request.user, **form.values())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            saved = True
    if result is None:
        result = reports.results_for([entry.target_list], [entry]).get(
            (entry.target_list.segment_id, entry.customer_id)
        )
    status = 200 if saved else 400
    back = _results_query(request.GET, entry.target_list.year)
    if request.htmx:
        context = _result_row(entry, result, None if saved else form) | {
            "saved": saved,
            "back": back,
        }
        if saved:  # the page's count of missing results, swapped in out of band
            year = entry.target_list.year
            owned = _with_result(_owned_entries(request.user, year), year)
            context |= {
                "oob": True,
                "missing": owned.filter(has_result=False).count(),
                "only_missing": request.GET.get("missing") == "1",
                "filters": _results_query(request.GET, year, page=1),
            }
        return render(request, "reviews/_result_form.html", context, status=status)
    if saved:
        messages.success(
            request, _("Result saved for %(customer)s.") % {"customer": entry.customer.name}
        )
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, f"{entry.customer.name}: {error}")
    return redirect(f"{reverse('reviews:my-results')}?{back.urlencode()}")


@require_http_methods(["GET", "POST"])
def results_import(request: HttpRequest) -> HttpResponse:
    _require_recorder(request.user)
    outcome = None
    status = 200
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        if form.is_valid():
            upload = form.cleaned_data["file"]
            outcome = importing.results_import(
                file_bytes=upload.read(),
                filename=upload.name,
                by=request.user,
                dry_run=form.cleaned_data["dry_run"],
            )
            if outcome.ok and not outcome.dry_run:
                messages.success(
                    request,
                    _("%(created)d results recorded, %(updated)d updated.")
                    % {"created": outcome.created, "updated": outcome.updated},
                )
                return redirect("reviews:my-results")
        if not form.is_valid() or not outcome.ok:
            status = 400
    return render(
        request,
        "reviews/import.html",
        {"form": form, "outcome": outcome, "columns": importing.COLUMNS},
        status=status,
    )


@require_POST
def missing_remind(request: HttpRequest, year: int, level: str, code: str) -> HttpResponse:
    """Send each owner with missing results a notification listing how many are missing."""
    scope = _scope(request, level, code)
    review = reports.review(scope, year)
    sent = 0
    for owner, rows in review.missing_by_owner:
        if owner is None or owner.pk == request.user.pk:
            continue
        notification_send(
            recipient=owner,
            text=_("%(count)d of your target customers have no %(year)d result yet.")
            % {"count": len(rows), "year": year},
            url=f"{reverse('reviews:my-results')}?year={year}",
            sender=request.user,
        )
        sent += 1
    messages.success(request, _("%(count)d owners were reminded.") % {"count": sent})
    return _back(year, scope, "missing")
