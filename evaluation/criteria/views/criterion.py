"""One criterion of a set (2.3.1): adding, editing and removing it, the rule editor that fits its
source, and the weight total as typed. Permission -> form -> service -> render; each save
names the version the page was loaded with (see views/sets.py)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from evaluation.criteria import pages, services
from evaluation.criteria.forms import CriterionForm
from evaluation.criteria.services import EditConflict
from evaluation.criteria.sources import available_sources
from evaluation.models import CriteriaSet, CriterionTemplate
from evaluation.view_helpers import get_set, get_set_for_edit, plain, saved_message
from prioritizer.form_errors import add_service_messages


def _version(request: HttpRequest) -> int:
    """The set version the page was loaded with; -1 (never current) when it sent none."""
    version = request.POST.get("version", "")
    return int(version) if version.isdigit() else -1


def _criterion_save(request, criteria_set, criteria, original, form) -> str | None:
    """Save the criterion typed into `form`, replacing `original` (None: a new one). Returns the
    conflict message when someone saved first; adds a refusal's reasons to the form."""
    new = form.criterion()
    changed = (
        [new if c["key"] == original["key"] else c for c in criteria]
        if original
        else [*criteria, new]
    )
    try:
        saved = services.criteria_set_save(
            criteria_set=criteria_set,
            expected_version=_version(request),
            name=criteria_set.name,
            criteria=changed,
            by=request.user,
            note=_("criterion %(key)s") % {"key": new["key"]},
        )
    except EditConflict as error:
        return error.messages[0]
    except ValidationError as error:
        form.add_error(None, error)
        return None
    text = _("Criterion “%(key)s” saved.") % {"key": new["key"]}
    saved_message(request, criteria_set, saved, text)
    return None


def _criterion_page(request, criteria_set: CriteriaSet, original: dict | None) -> HttpResponse:
    sources = available_sources(criteria_set.business_unit_id)
    criteria = services.criteria_set_dump(criteria_set)["criteria"]
    taken = {c["key"] for c in criteria} - ({original["key"]} if original else set())
    conflict = None
    if request.method == "POST":
        form = CriterionForm(request.POST, sources=sources, taken_keys=taken)
        version = request.POST.get("version", "")
        if form.is_valid():
            conflict = _criterion_save(request, criteria_set, criteria, original, form)
            if conflict is None and not form.errors:  # saved, not refused
                return redirect(criteria_set)
    else:
        version = criteria_set.version
        start = pages.criterion_start(original, request.GET.get("template", ""), taken)
        initial = CriterionForm.initial_for(start) if start else {}
        form = CriterionForm(initial=initial, sources=sources, taken_keys=taken)
    context = {
        "set": criteria_set,
        "form": form,
        "version": version,
        "editing": original["key"] if original else "",
        "conflict": conflict,
        "total": plain(pages.criterion_total(criteria, original, form["weight"].value())),
        "library": CriterionTemplate.objects.all() if not original else [],
    }
    status = 409 if conflict else (400 if form.errors else 200)
    return render(request, "evaluation/criterion_form.html", context, status=status)


def criterion_add(request: HttpRequest, pk: int) -> HttpResponse:
    return _criterion_page(request, get_set_for_edit(request, pk), None)


def criterion_edit(request: HttpRequest, pk: int, key: str) -> HttpResponse:
    criteria_set = get_set_for_edit(request, pk)
    criteria = services.criteria_set_dump(criteria_set)["criteria"]
    original = next((c for c in criteria if c["key"] == key), None)
    if original is None:
        messages.error(request, _("The set has no criterion “%(key)s” any more.") % {"key": key})
        return redirect(criteria_set)
    return _criterion_page(request, criteria_set, original)


@require_POST
def criterion_delete(request: HttpRequest, pk: int, key: str) -> HttpResponse:
    criteria_set = get_set_for_edit(request, pk)
    criteria = services.criteria_set_dump(criteria_set)["criteria"]
    try:
        services.criteria_set_save(
            criteria_set=criteria_set,
            expected_version=_version(request),
            name=criteria_set.name,
            criteria=[c for c in criteria if c["key"] != key],
            by=request.user,
            note=_("removed %(key)s") % {"key": key},
        )
    except ValidationError as error:
        add_service_messages(request, error)
    else:
        messages.success(request, _("Criterion “%(key)s” removed.") % {"key": key})
    return redirect(criteria_set)


@require_GET
def rule_fields(request: HttpRequest, pk: int) -> HttpResponse:
    """htmx: the rule editor that fits the chosen source and rule type."""
    criteria_set = get_set(request, pk)
    try:
        band_rows = int(request.GET.get("band_rows", ""))
    except ValueError:
        band_rows = None
    form = CriterionForm(
        initial=request.GET.dict(),
        sources=available_sources(criteria_set.business_unit_id),
        band_rows=band_rows,
    )
    return render(request, "evaluation/_rule_fields.html", {"form": form, "set": criteria_set})


@require_POST
def weight_total(request: HttpRequest, pk: int) -> HttpResponse:
    """htmx: the weight total as typed, with the weights not on the page from the database."""
    criteria_set = get_set(request, pk)
    total, invalid = pages.typed_weight_total(criteria_set, request.POST)
    context = {"total": plain(total), "invalid": invalid}
    return render(request, "evaluation/_weight_total.html", context)
