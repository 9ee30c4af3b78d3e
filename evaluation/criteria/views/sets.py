"""Criteria pages (2.3.1): permission -> form -> service -> render.

Sets are read along the org tree (Action.VIEW_CRITERIA) and edited by whoever
`services.may_edit_scope` allows; a locked set is read-only everywhere. Every save names the
version the page was loaded with, so a save over someone else's is refused, not lost.
"""

from __future__ import annotations

import json
from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from evaluation.criteria import services
from evaluation.criteria.diff import document_changes
from evaluation.criteria.forms import CopyForm, CriterionForm, NewSetForm, UploadForm, WeightsForm
from evaluation.criteria.services import EditConflict
from evaluation.criteria.sources import available_sources
from evaluation.criteria.summaries import audit_entries, criteria_rows, rule_summary
from evaluation.criteria.tier_texts import tier_rows
from evaluation.models import (
    ATTRACTIVENESS,
    CriteriaSet,
    CriterionTemplate,
    Family,
    Goal,
    TierPolicy,
)
from evaluation.view_helpers import (
    add_errors,
    default_year,
    get_set,
    get_set_for_edit,
    may_edit,
    plain,
)
from organisation import permissions
from organisation.models import BusinessUnit, Segment
from organisation.permissions import Action


def goals_for(year: int, business_units) -> list[Goal]:
    """The BG goals, then the BU goals, of the year for these business units."""
    unit_ids = [unit.pk for unit in business_units]
    group_ids = {unit.business_group_id for unit in business_units}
    bg_goals = Goal.objects.filter(year=year, business_group_id__in=group_ids)
    bu_goals = Goal.objects.filter(year=year, business_unit_id__in=unit_ids)
    return list(bg_goals.select_related("business_group").order_by("business_group__code")) + list(
        bu_goals.select_related("business_unit").order_by("business_unit__code")
    )


# --- Index, library, new sets, upload ---------------------------------------------------------


@require_GET
def criteria_index(request: HttpRequest) -> HttpResponse:
    """The sets of a year the user may see, headed by that year's goals."""
    user = request.user
    if not permissions.has_any_role(user):
        raise PermissionDenied(Action.VIEW_CRITERIA)
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        year = default_year()
    units = list(
        permissions.business_units_where(user, Action.VIEW_CRITERIA)
        .select_related("business_group")
        .order_by("business_group__code", "code")
    )
    segments = permissions.segments_where(user, Action.VIEW_CRITERIA).order_by("code")
    sets = {
        (s.business_unit_id, s.segment_id, s.year): s
        for s in CriteriaSet.objects.filter(year__in=[year, year - 1], business_unit__in=units)
    }
    rows = []
    for unit in units:
        scopes = [(unit, None)] + [
            (unit, seg) for seg in segments if seg.business_unit_id == unit.pk
        ]
        for business_unit, segment in scopes:
            rows.append(
                {
                    "business_unit": business_unit,
                    "segment": segment,
                    "set": sets.get((unit.pk, segment.pk if segment else None, year)),
                    "last_year": sets.get((unit.pk, segment.pk if segment else None, year - 1)),
                    "may_edit": services.may_edit_scope(user, business_unit, segment),
                }
            )
    years = sorted(
        set(CriteriaSet.objects.values_list("year", flat=True))
        | {default_year() - 1, default_year(), year},
        reverse=True,
    )
    groups = {unit.business_group for unit in units}
    return render(
        request,
        "evaluation/criteria_index.html",
        {
            "year": year,
            "years": years,
            "rows": rows,
            "goals": goals_for(year, units),
            "goal_groups": [g for g in groups if permissions.can(user, Action.EDIT_BG_GOALS, g)],
            "goal_units": [u for u in units if permissions.can(user, Action.EDIT_BU_GOALS, u)],
        },
    )


@require_GET
def criteria_library(request: HttpRequest) -> HttpResponse:
    if not permissions.has_any_role(request.user):
        raise PermissionDenied(Action.VIEW_CRITERIA)
    templates = list(CriterionTemplate.objects.all())
    families = [
        {
            "value": value,
            "label": label,
            "group": _("attractiveness") if value in ATTRACTIVENESS else _("feasibility"),
            "templates": [
                {"template": t, "rule": rule_summary(t.rule)}
                for t in templates
                if t.family == value
            ],
        }
        for value, label in Family.choices
    ]
    return render(request, "evaluation/criteria_library.html", {"families": families})


@require_POST
def criteria_set_new(request: HttpRequest) -> HttpResponse:
    form = NewSetForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a scope, a year and a name."))
        return redirect("evaluation:criteria-index")
    kind, code = form.cleaned_data["scope"].split(":", 1)
    if kind == "segment":
        segment = get_object_or_404(Segment.objects.select_related("business_unit"), code=code)
        business_unit = segment.business_unit
    else:
        segment, business_unit = None, get_object_or_404(BusinessUnit, code=code)
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
        add_errors(request, error)
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
    return render(
        request,
        "evaluation/criteria_upload.html",
        {"form": form},
        status=400 if form.errors else 200,
    )


# --- One set --------------------------------------------------------------------------------


def _detail_context(request: HttpRequest, criteria_set: CriteriaSet) -> dict:
    document = services.criteria_set_dump(criteria_set)
    criteria = document["criteria"]
    default = None
    if criteria_set.segment_id:
        default = CriteriaSet.objects.filter(
            business_unit=criteria_set.business_unit, segment=None, year=criteria_set.year
        ).first()
    policy = TierPolicy.objects.for_scope(
        business_unit=criteria_set.business_unit,
        segment=criteria_set.segment,
        year=criteria_set.year,
    ).first()
    editable = may_edit(request.user, criteria_set)
    return {
        "set": criteria_set,
        "may_edit": editable,
        "rows": criteria_rows(criteria, available_sources(criteria_set.business_unit_id)),
        "weights_form": WeightsForm(
            initial={"name": criteria_set.name, "version": criteria_set.version}
            | {f"weight-{c['key']}": c["weight"] for c in criteria},
            keys=[c["key"] for c in criteria],
        ),
        "total": plain(sum((Decimal(str(c["weight"])) for c in criteria), Decimal(0))),
        "goals": goals_for(criteria_set.year, [criteria_set.business_unit]),
        "default": default,
        "default_changes": (
            document_changes(services.criteria_set_dump(default), document, criteria_only=True)
            if default
            else None
        ),
        "policy": policy,
        "tier_rows": tier_rows(policy.tiers.all()) if policy else [],
        "audit": audit_entries(criteria_set, policy),
        "next_year": criteria_set.year + 1,
        "may_copy": editable
        or services.may_edit_scope(request.user, criteria_set.business_unit, criteria_set.segment),
        "has_next_year": CriteriaSet.objects.filter(
            business_unit=criteria_set.business_unit,
            segment=criteria_set.segment,
            year=criteria_set.year + 1,
        ).exists(),
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
    if form.is_valid():
        weights = form.weights()
        changed = [c | {"weight": services.plain_number(weights[c["key"]])} for c in criteria]
        try:
            saved = services.criteria_set_save(
                criteria_set=criteria_set,
                expected_version=form.cleaned_data["version"],
                name=form.cleaned_data["name"],
                criteria=changed,
                by=request.user,
                note=_("weights"),
            )
        except EditConflict as error:
            return _conflict(request, criteria_set, error, form)
        except ValidationError as error:
            add_errors(request, error)
        else:
            _saved_message(request, criteria_set, saved, _("The weights were saved."))
        return redirect(criteria_set)
    context = _detail_context(request, criteria_set) | {"weights_form": form}
    return render(request, "evaluation/criteriaset_detail.html", context, status=400)


def _saved_message(request, before: CriteriaSet, saved: CriteriaSet, text: str) -> None:
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


def _conflict(request, criteria_set, error, form) -> HttpResponse:
    """Someone saved first: show their version and, beside it, what this user typed."""
    criteria_set.refresh_from_db()
    context = _detail_context(request, criteria_set) | {
        "conflict": error.messages[0],
        "unsaved": [(field.label, field.value()) for field in form if not field.is_hidden],
    }
    return render(request, "evaluation/criteriaset_detail.html", context, status=409)


@require_POST
def weight_total(request: HttpRequest, pk: int) -> HttpResponse:
    """htmx: the weight total as typed, with the weights not on the page from the database."""
    criteria_set = get_set(request, pk)
    weights = {c.key: c.weight for c in criteria_set.criteria.all()}
    invalid = False
    posted = {
        k.removeprefix("weight-"): v for k, v in request.POST.items() if k.startswith("weight-")
    }
    if "weight" in request.POST:
        posted[request.POST.get("editing") or "\0new"] = request.POST["weight"]
    for key, text in posted.items():
        try:
            value = Decimal(text.strip() or "0")
        except InvalidOperation:
            invalid = True
            continue
        if not value.is_finite() or value < 0:
            invalid = True
            continue
        weights[key] = value
    total = plain(sum(weights.values(), Decimal(0)))
    return render(request, "evaluation/_weight_total.html", {"total": total, "invalid": invalid})


def _criterion_page(request, criteria_set: CriteriaSet, original: dict | None) -> HttpResponse:
    sources = available_sources(criteria_set.business_unit_id)
    criteria = services.criteria_set_dump(criteria_set)["criteria"]
    taken = {c["key"] for c in criteria} - ({original["key"]} if original else set())
    conflict = None
    if request.method == "POST":
        form = CriterionForm(request.POST, sources=sources, taken_keys=taken)
        version = request.POST.get("version", "")
        if form.is_valid():
            new = form.criterion()
            changed = (
                [new if c["key"] == original["key"] else c for c in criteria]
                if original
                else [*criteria, new]
            )
            try:
                saved = services.criteria_set_save(
                    criteria_set=criteria_set,
                    expected_version=int(version) if version.isdigit() else -1,
                    name=criteria_set.name,
                    criteria=changed,
                    by=request.user,
                    note=_("criterion %(key)s") % {"key": new["key"]},
                )
            except EditConflict as error:
                conflict = error.messages[0]
            except ValidationError as error:
                form.add_error(None, error)
            else:
                _saved_message(
                    request,
                    criteria_set,
                    saved,
                    _("Criterion “%(key)s” saved.") % {"key": new["key"]},
                )
                return redirect(criteria_set)
    else:
        version = criteria_set.version
        template = CriterionTemplate.objects.filter(key=request.GET.get("template", "")).first()
        if original:
            initial = CriterionForm.initial_for(original)
        elif template:
            initial = CriterionForm.initial_for(
                {
                    "key": template.key if template.key not in taken else "",
                    "name_zh": template.name_zh,
                    "name_en": template.name_en,
                    "family": template.family,
                    "source": template.source,
                    "rule": template.rule,
                }
            )
        else:
            initial = {}
        form = CriterionForm(initial=initial, sources=sources, taken_keys=taken)
    others = sum(
        (
            Decimal(str(c["weight"]))
            for c in criteria
            if not original or c["key"] != original["key"]
        ),
        Decimal(0),
    )
    weight = form["weight"].value()
    try:
        total = others + Decimal(str(weight or 0))
    except InvalidOperation:
        total = others
    status = 409 if conflict else (400 if form.errors else 200)
    return render(
        request,
        "evaluation/criterion_form.html",
        {
            "set": criteria_set,
            "form": form,
            "version": version,
            "editing": original["key"] if original else "",
            "conflict": conflict,
            "total": plain(total),
            "library": CriterionTemplate.objects.all() if not original else [],
        },
        status=status,
    )


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
def criterion_delete(request: HttpRequest, pk: int, key: str) -> HttpResponse:
    criteria_set = get_set_for_edit(request, pk)
    criteria = services.criteria_set_dump(criteria_set)["criteria"]
    version = request.POST.get("version", "")
    try:
        services.criteria_set_save(
            criteria_set=criteria_set,
            expected_version=int(version) if version.isdigit() else -1,
            name=criteria_set.name,
            criteria=[c for c in criteria if c["key"] != key],
            by=request.user,
            note=_("removed %(key)s") % {"key": key},
        )
    except ValidationError as error:
        add_errors(request, error)
    else:
        messages.success(request, _("Criterion “%(key)s” removed.") % {"key": key})
    return redirect(criteria_set)


@require_POST
def criteria_set_publish(request: HttpRequest, pk: int) -> HttpResponse:
    criteria_set = get_set_for_edit(request, pk)
    try:
        services.criteria_set_publish(criteria_set=criteria_set, by=request.user)
    except ValidationError as error:
        messages.error(request, _("The set was not published:"))
        add_errors(request, error)
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
        add_errors(request, error)
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
