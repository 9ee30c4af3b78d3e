"""Development results (2.3.6): owners record the results of their target customers on the
page or by file, and the missing results of a scope with a reminder to their owners.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from evaluation.models import TargetEntry
from organisation import permissions
from organisation.permissions import Action
from organisation.services import notification_send
from prioritizer.form_errors import add_service_errors
from reviews import importing, reads, reports, services
from reviews.forms import ImportForm, ResultForm
from reviews.views.common import back_to, scope_for, year_from

RESULTS_PAGE_SIZE = 50


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
    years = sorted(reads.result_years(request.user), reverse=True)
    this_year = timezone.localdate().year
    fallback = this_year if this_year in years or not years else years[0]
    year = year_from(request.GET.get("year"), fallback)
    owned = reads.owned_entries(request.user, year)
    missing = reads.without_result(owned).count()
    only_missing = request.GET.get("missing") == "1"
    shown = reads.without_result(owned) if only_missing else owned
    page = Paginator(shown, RESULTS_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "reviews/my_results.html",
        {
            "rows": _page_rows(page),
            "page": page,
            "year": year,
            "years": sorted(set(years) | {year}, reverse=True),
            "missing": missing,
            "only_missing": only_missing,
            "filters": _results_query(request.GET, year, page=1),
            "back": _results_query(request.GET, year, page=page.number),
        },
    )


def _page_rows(page) -> list[dict]:
    """A row per entry of the page, with its recorded result (if any) and its form."""
    entries = list(page.object_list)
    results = reports.results_for([e.target_list for e in entries], entries)
    return [_result_row(e, results.get((e.target_list.segment_id, e.customer_id))) for e in entries]


@require_POST
def result_save(request: HttpRequest, pk: int) -> HttpResponse:
    """Save one result (htmx swaps the row; without htmx, back to the page it was on)."""
    entry = get_object_or_404(reads.entries_for_results(), pk=pk)
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
    if request.htmx:
        return _result_row_swapped(request, entry, result, form, saved=saved)
    if saved:
        messages.success(
            request, _("Result saved for %(customer)s.") % {"customer": entry.customer.name}
        )
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, f"{entry.customer.name}: {error}")
    back = _results_query(request.GET, entry.target_list.year)
    return redirect(f"{reverse('reviews:my-results')}?{back.urlencode()}")


def _result_row_swapped(request, entry, result, form, *, saved: bool) -> HttpResponse:
    """The row htmx swaps in: the saved result, or the form with its errors (status 400)."""
    year = entry.target_list.year
    context = _result_row(entry, result, None if saved else form) | {
        "saved": saved,
        "back": _results_query(request.GET, year),
    }
    if saved:  # the page's count of missing results, swapped in out of band
        context |= {
            "oob": True,
            "missing": reads.without_result(reads.owned_entries(request.user, year)).count(),
            "only_missing": request.GET.get("missing") == "1",
            "filters": _results_query(request.GET, year, page=1),
        }
    return render(request, "reviews/_result_form.html", context, status=200 if saved else 400)


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
    scope = scope_for(request, level, code)
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
    return back_to(year, scope, "missing")
