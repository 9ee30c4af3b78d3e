"""Tier policy, yearly goals and AHP weights: permission -> form -> service -> render."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from evaluation.criteria import ahp, goals, services, tier_policies
from evaluation.criteria.models import TIER_SHOWN_FIELDS
from evaluation.criteria.policy_forms import AhpForm, GoalForm, TierFormSet
from evaluation.criteria.services import EditConflict
from evaluation.criteria.tier_texts import tier_rows
from evaluation.models import Goal, TierPolicy
from evaluation.view_helpers import get_set, get_set_for_edit, may_edit
from organisation import permissions
from organisation.models import BusinessGroup, BusinessUnit
from organisation.permissions import Action

TIER_FIELDS = ("code", *TIER_SHOWN_FIELDS)


def _scope_of(criteria_set) -> dict:
    return {
        "business_unit": criteria_set.business_unit,
        "segment": criteria_set.segment,
        "year": criteria_set.year,
    }


def _tier_policy_save(
    request: HttpRequest, scope: dict, formset, version: str
) -> tuple[bool, str | None]:
    """Save the tiers typed: (saved, the conflict message when someone saved first). A saved
    policy warns of each tier that needs it; a refusal's reasons are shown as messages."""
    try:
        tier_policies.tier_policy_save(
            **scope,
            tiers=formset.tiers(),
            expected_version=int(version) if version.isdigit() else None,
            by=request.user,
        )
    except EditConflict as error:
        return False, error.messages[0]
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return False, None
    messages.success(request, _("The tier policy was saved."))
    _warn_about_tiers(request, TierPolicy.objects.for_scope(**scope).first())
    return True, None


def tier_policy_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """The ordered tiers of the set's scope and year, edited next to its criteria."""
    criteria_set = get_set(request, pk)
    scope = _scope_of(criteria_set)
    policy = TierPolicy.objects.for_scope(**scope).first()
    editable = may_edit(request.user, criteria_set)
    conflict = None
    if request.method == "POST":
        if not editable:
            raise PermissionDenied(Action.EDIT_SEGMENT_CRITERIA)
        formset = TierFormSet(request.POST, prefix="tiers")
        version = request.POST.get("version", "")
        if formset.is_valid():
            saved, conflict = _tier_policy_save(request, scope, formset, version)
            if saved:
                return redirect(criteria_set)
    else:
        version = policy.version if policy else ""
        tiers = policy.tiers.all() if policy else []
        initial = [{name: getattr(tier, name) for name in TIER_FIELDS} for tier in tiers]
        formset = TierFormSet(initial=initial, prefix="tiers")
    status = 409 if conflict else (400 if request.method == "POST" else 200)
    context = {
        "set": criteria_set,
        "policy": policy,
        "tier_rows": tier_rows(policy.tiers.all()) if policy else [],
        "move_buttons": [
            ("up", _("Move up"), "bi-arrow-up"),
            ("down", _("Move down"), "bi-arrow-down"),
        ],
        "formset": formset,
        "version": version,
        "may_edit": editable,
        "conflict": conflict,
    }
    return render(request, "evaluation/tier_policy_form.html", context, status=status)


def _warn_about_tiers(request: HttpRequest, policy) -> None:
    for row in tier_rows(policy.tiers.all()) if policy else []:
        if row["warning"]:
            messages.warning(
                request,
                _("Tier %(code)s: %(warning)s")
                % {"code": row["tier"].code, "warning": row["warning"]},
            )


@require_POST
def tier_policy_move(request: HttpRequest, pk: int) -> HttpResponse:
    """The up and down buttons of the tier policy page: one tier one place earlier or later."""
    criteria_set = get_set(request, pk)
    if not may_edit(request.user, criteria_set):
        raise PermissionDenied(Action.EDIT_SEGMENT_CRITERIA)
    version = request.POST.get("version", "")
    code = request.POST.get("code", "")
    step = {"up": -1, "down": 1}.get(request.POST.get("direction", ""), 0)
    try:
        tier_policies.tier_policy_move(
            business_unit=criteria_set.business_unit,
            segment=criteria_set.segment,
            year=criteria_set.year,
            code=code,
            step=step,
            expected_version=int(version) if version.isdigit() else None,
            by=request.user,
        )
    except ValidationError as error:  # EditConflict included
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(
            request,
            (_("Tier %(code)s moved up.") if step < 0 else _("Tier %(code)s moved down."))
            % {"code": code},
        )
    return redirect("evaluation:tier-policy-edit", pk=criteria_set.pk)


def _goal_scope(request: HttpRequest, level: str, code: str) -> tuple:
    """The BG ("bg") or BU the goals are of, when the user may edit its goals, and the goal
    service's scope argument."""
    if level == "bg":
        unit = get_object_or_404(BusinessGroup, code=code)
        permissions.require(request.user, Action.EDIT_BG_GOALS, unit)
        return unit, {"business_group": unit}
    unit = get_object_or_404(BusinessUnit, code=code)
    permissions.require(request.user, Action.EDIT_BU_GOALS, unit)
    return unit, {"business_unit": unit}


def goal_edit(request: HttpRequest, year: int, level: str, code: str) -> HttpResponse:
    """The BG VP's goals for the BG, or the BU VP's for the BU, of a year."""
    unit, scope = _goal_scope(request, level, code)
    goal = Goal.objects.filter(**scope, year=year).first()
    form = GoalForm(request.POST or None, instance=goal)
    if request.method == "POST" and form.is_valid():
        try:
            goals.goal_save(year=year, by=request.user, **scope, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The goals were saved."))
            return redirect(f"{reverse('evaluation:criteria-index')}?year={year}")
    return render(
        request,
        "evaluation/goal_form.html",
        {"form": form, "unit": unit, "year": year, "level": level},
        status=400 if form.errors else 200,
    )


def _too_many(criteria: list[dict]) -> str | None:
    if len(criteria) <= ahp.MAX_SIZE:
        return None
    return _("AHP compares at most %(max)d criteria.") % {"max": ahp.MAX_SIZE}


def ahp_weights(request: HttpRequest, pk: int) -> HttpResponse:
    """Weights from pairwise comparisons; inconsistent ones (CR ≥ 0.1) only with confirmation."""
    criteria_set = get_set(request, pk)
    criteria = services.criteria_set_dump(criteria_set)["criteria"]
    editable = may_edit(request.user, criteria_set)
    posted = request.method == "POST"
    if posted and not editable:
        raise PermissionDenied(Action.EDIT_SEGMENT_CRITERIA)
    form = AhpForm(
        request.POST or None, criteria=criteria, initial={"version": criteria_set.version}
    )
    too_many = _too_many(criteria)
    result = shares = None
    status = 400 if posted else 200  # a refused or invalid post
    if posted and not too_many and form.is_valid():
        result = ahp.analyse(form.matrix())
        shares = ahp.percentages(result.weights)
        if request.POST.get("action") != "apply":
            status = 200
        elif response := _apply_ahp(request, criteria_set, criteria, form, result, shares):
            return response
    rows = [
        {"criterion": c, "share": shares[i] if shares else None} for i, c in enumerate(criteria)
    ]
    context = {
        "set": criteria_set,
        "form": form,
        "result": result,
        "rows": rows,
        "may_edit": editable,
        "too_many": too_many,
    }
    return render(request, "evaluation/ahp_form.html", context, status=status)


def _apply_ahp(request, criteria_set, criteria, form, result, shares):
    if not result.consistent and not form.cleaned_data["confirm"]:
        form.add_error(
            "confirm",
            _(
                "The comparisons are inconsistent (CR ≥ 0.1): confirm to apply these weights anyway."
            ),
        )
        return None
    get_set_for_edit(request, criteria_set.pk)
    weighted = [
        c | {"weight": services.plain_number(share)}
        for c, share in zip(criteria, shares, strict=True)
    ]
    try:
        services.criteria_set_save(
            criteria_set=criteria_set,
            expected_version=form.cleaned_data["version"],
            name=criteria_set.name,
            criteria=weighted,
            by=request.user,
            note=_("AHP weights (CR %(cr).3f)") % {"cr": result.cr},
        )
    except ValidationError as error:
        form.add_error(None, error)
        return None
    messages.success(request, _("The AHP weights were applied."))
    return redirect(criteria_set)
