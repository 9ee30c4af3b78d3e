"""Criteria-set pages (2.3.1): the index, the library, new sets and uploads, one set with its
weights, publishing, copying, downloading and versions. Permission -> form -> service -> render.

Sets are read along the org tree (Action.VIEW_CRITERIA) and edited by whoever
`services.may_edit_scope` allows; a locked set is read-only everywhere. Every save names the
version the page was loaded with, so a save over someone else's is refused, not lost.
One criterion's pages are in views/criterion.py.
"""

from __future__ import annotations

import json

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from evaluation.criteria import pages, services
from evaluation.criteria.diff import document_changes
from evaluation.criteria.forms import CopyForm, NewSetForm, UploadForm, WeightsForm
from evaluation.criteria.services import EditConflict
from evaluation.models import CriteriaSet
from evaluation.view_helpers import (
    default_year,
    get_set,
    get_set_for_edit,
    may_edit,
    plain,
    saved_message,
)
from organisation import permissions
from organisation.models import BusinessUnit, Segment
from organisation.permissions import Action
from prioritizer.form_errors import add_service_messages

# --- Index, library, new sets, upload ---------------------------------------------------------


@require_GET
def criteria_index(request: HttpRequest) -> HttpResponse:
    """The sets of a year the user may see, headed by that year's goals."""
    if not permissions.has_any_role(request.user):
        raise PermissionDenied(Action.VIEW_CRITERIA)
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        year = default_year()
    context = pages.index_page(request.user, year)
    return render(request, "evaluation/criteria_index.html", context)


@require_GET
def criteria_library(request: HttpRequest) -> HttpResponse:
    if not permissions.has_any_role(request.user):
        raise PermissionDenied(Action.VIEW_CRITERIA)
    context = {"families": pages.library_families()}
    return render(request, "evaluation/criteria_library.html", context)


def _scope(scope: str) -> tuple[BusinessUnit, Segment | None]:
    """NewSetForm's scope ("bu:CODE" or "segment:CODE") as (business unit, segment or None)."""
    kind, code = scope.split(":", 1)
    if kind == "segment":
        segment = get_object_or_404(Segment.objects.select_related("business_unit"), code=code)
        return segment.business_unit, segment
    return get_object_or_404(BusinessUnit, code=code), None


@require_POST
def criteria_set_new(request: HttpRequest) -> HttpResponse:
    form = NewSetForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a scope, a year and a name."))
        return redirect("evaluation:criteria-index")
    business_unit, segment = _scope(form.cleaned_data["scope"])
    if not services.may_edit_scope(request.user, business_unit, segment):
        raise PermissionDenied(Action.EDIT_SEGMENT_CRITERIA)
    try:
        criteria_set = services.criteria_set_create(
            business_unit=business_unit,
            segment=segment,
            year=form.cleaned_data["year"],
            name=form.cleaned_data["name"],
            by=request.user,
        )
    except ValidationError as error:
        add_service_messages(request, error)
        return redirect(f"{reverse('evaluation:criteria-index')}?year={form.cleaned_data['year']}")
    return redirect(criteria_set)


def criteria_set_upload(request: HttpRequest) -> HttpResponse:
    """Load a JSON file (DESIGN.md's shape); refused whole, with every reason."""
    if not permissions.has_any_role(request.user):
        raise PermissionDenied(Action.EDIT_SEGMENT_CRITERIA)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            criteria_set = services.criteria_set_load(
                document=form.cleaned_data["document"],
                by=request.user,
                publish=form.cleaned_data["publish"],
            )
        except PermissionDenied:
            form.add_error(None, _("You may not change the criteria of the scope this file names."))
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("The file was loaded as version %(version)d.")
                % {"version": criteria_set.version},
            )
            return redirect(criteria_set)
    status = 400 if form.errors else 200
    return render(request, "evaluation/criteria_upload.html", {"form": form}, status=status)


# --- One set --------------------------------------------------------------------------------


def _detail_context(request: HttpRequest, criteria_set: CriteriaSet) -> dict:
    document = services.criteria_set_dump(criteria_set)
    criteria = document["criteria"]
    editable = may_edit(request.user, criteria_set)
    return pages.set_page(request.user, criteria_set, document, editable=editable) | {
        "weights_form": WeightsForm(
            initial={"name": criteria_set.name, "version": criteria_set.version}
            | {f"weight-{c['key']}": c["weight"] for c in criteria},
            keys=[c["key"] for c in criteria],
        ),
        "total": plain(pages.weight_sum(criteria)),
    }


@require_GET
def criteria_set_detail(request: HttpRequest, pk: int) -> HttpResponse:
    criteria_set = get_set(request, pk)
    return render(
        request, "evaluation/criteriaset_detail.html", _detail_context(request, criteria_set)
    )


@require_POST
def criteria_set_weights(request: HttpRequest, pk: int) -> HttpResponse:
    """Save the set's name and all weights at once (the table on the set page)."""
    criteria_set = get_set_for_edit(request, pk)
    criteria = services.criteria_set_dump(criteria_set)["criteria"]
    form = WeightsForm(request.POST, keys=[c["key"] for c in criteria])
    if not form.is_valid():
        context = _detail_context(request, criteria_set) | {"weights_form": form}
        return render(request, "evaluation/criteriaset_detail.html", context, status=400)
    weights = form.weights()
    try:
        saved = services.criteria_set_save(
            criteria_set=criteria_set,
            expected_version=form.cleaned_data["version"],
            name=form.cleaned_data["name"],
            criteria=[c | {"weight": services.plain_number(weights[c["key"]])} for c in criteria],
            by=request.user,
            note=_("weights"),
        )
    except EditConflict as error:
        return _conflict(request, criteria_set, error, form)
    except ValidationError as error:
        add_service_messages(request, error)
    else:
        saved_message(request, criteria_set, saved, _("The weights were saved."))
    return redirect(criteria_set)


def _conflict(request, criteria_set, error, form) -> HttpResponse:
    """Someone saved first: show their version and, beside it, what this user typed."""
    criteria_set.refresh_from_db()
    context = _detail_context(request, criteria_set) | {
        "conflict": error.messages[0],
        "unsaved": [(field.label, field.value()) for field in form if not field.is_hidden],
    }
    return render(request, "evaluation/criteriaset_detail.html", context, status=409)


@require_POST
def criteria_set_publish(request: HttpRequest, pk: int) -> HttpResponse:
    criteria_set = get_set_for_edit(request, pk)
    try:
        services.criteria_set_publish(criteria_set=criteria_set, by=request.user)
    except ValidationError as error:
        messages.error(request, _("The set was not published:"))
        add_service_messages(request, error)
    else:
        messages.success(request, _("The set is published."))
    return redirect(criteria_set)


@require_POST
def criteria_set_copy(request: HttpRequest, pk: int) -> HttpResponse:
    """“Copy last year's set”: this set's content as a draft for a later year."""
    criteria_set = get_set(request, pk)
    if not services.may_edit_scope(request.user, criteria_set.business_unit, criteria_set.segment):
        raise PermissionDenied(Action.EDIT_SEGMENT_CRITERIA)
    form = CopyForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a year."))
        return redirect(criteria_set)
    try:
        copy = services.criteria_set_copy(
            source=criteria_set, year=form.cleaned_data["year"], by=request.user
        )
    except ValidationError as error:
        add_service_messages(request, error)
        return redirect(criteria_set)
    messages.success(
        request, _("A draft for %(year)d was made from this set.") % {"year": copy.year}
    )
    return redirect(copy)


@require_GET
def criteria_set_download(request: HttpRequest, pk: int) -> HttpResponse:
    criteria_set = get_set(request, pk)
    document = services.criteria_set_dump(criteria_set)
    body = json.dumps(document, ensure_ascii=False, indent=2)
    response = HttpResponse(body.encode("utf-8"), content_type="application/json; charset=utf-8")
    scope = (
        criteria_set.segment.code if criteria_set.segment_id else criteria_set.business_unit.code
    )
    filename = f"criteria-{scope}-{criteria_set.year}-v{criteria_set.version}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_GET
def criteria_set_versions(request: HttpRequest, pk: int) -> HttpResponse:
    criteria_set = get_set(request, pk)
    versions = list(criteria_set.versions.select_related("created_by"))
    return render(
        request, "evaluation/criteriaset_versions.html", {"set": criteria_set, "versions": versions}
    )


@require_GET
def criteria_set_compare(request: HttpRequest, pk: int) -> HttpResponse:
    """Field-level differences between any two saved versions."""
    criteria_set = get_set(request, pk)
    versions = {v.number: v for v in criteria_set.versions.select_related("created_by")}
    try:
        first, second = (versions[int(request.GET.get(name, ""))] for name in ("a", "b"))
    except (KeyError, ValueError):
        messages.error(request, _("Choose two saved versions to compare."))
        return redirect("evaluation:criteria-set-versions", pk=criteria_set.pk)
    if first.number > second.number:
        first, second = second, first
    return render(
        request,
        "evaluation/criteriaset_compare.html",
        {
            "set": criteria_set,
            "first": first,
            "second": second,
            "changes": document_changes(first.document, second.document),
        },
    )
