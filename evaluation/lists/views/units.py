"""The BU VP's consolidation view and the BG VP's approval view: every segment's list in
force, a revision in progress beside it, and the steps on one list, one BU's lists or all.
permission → service → redirect/render; each service checks role, scope and state again."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from evaluation.lists import target_lists
from evaluation.lists.forms import CommentForm
from evaluation.lists.revisions import pending_by_segment, revision_diff
from evaluation.lists.views.segment import _downloads, _may
from evaluation.models import TargetList
from evaluation.view_helpers import add_errors
from organisation import permissions
from organisation.models import BusinessGroup, BusinessUnit
from organisation.permissions import Action

State = TargetList.State


def _unit_table(segments, year: int) -> dict:
    """Each segment's list in force with its count per tier, the totals per tier, and the
    revision in progress beside an approved list (the list the steps then act on)."""
    lists = {
        tl.segment_id: tl
        for tl in TargetList.objects.in_force()
        .filter(year=year, segment__in=segments)
        .with_last_step()
        .select_related("run")
    }
    pending = pending_by_segment(lists.values())
    all_counts = target_lists.tier_counts_of(lists.values())
    rows = []
    codes: list[str] = []
    for segment in segments:
        target_list = lists.get(segment.pk)
        counts = all_counts[target_list.pk] if target_list else {}
        codes += [code for code in counts if code not in codes]
        revision = pending.get(segment.pk)
        if revision is not None:  # what the approval would change, at a glance
            revision.diff = revision_diff(target_list, revision)
        rows.append(
            {
                "segment": segment,
                "list": target_list,
                "pending": revision,
                "step_list": revision or target_list,
                "counts": counts,
            }
        )
    totals = {code: sum(row["counts"].get(code, 0) for row in rows) for code in codes}
    for row in rows:
        row["cells"] = [(code, row["counts"].get(code, 0)) for code in codes]
    return {
        "rows": rows,
        "tier_codes": codes,
        "totals": totals,
        "total_cells": list(totals.items()),
    }


def bu_consolidation(request: HttpRequest, code: str, year: int) -> HttpResponse:
    """The BU VP's view across its segments: totals per tier, double claims to resolve."""
    unit = get_object_or_404(BusinessUnit.objects.select_related("business_group"), code=code)
    permissions.require(request.user, Action.VIEW_TARGET_LISTS, unit)
    return render(
        request,
        "evaluation/list_bu.html",
        {
            "unit": unit,
            "year": year,
            **_unit_table(list(unit.segments.order_by("code")), year),
            "claims": target_lists.claimed_twice(unit, year),
            "downloads": _downloads("bu-tiered-export", unit.code, year, label=_("Tiered list"))
            + _downloads("bu-owners-export", unit.code, year, label=_("Owners")),
            "may_consolidate": _may(request.user, Action.CONSOLIDATE_LISTS, unit),
            "comment_form": CommentForm(),
        },
    )


@require_POST
def bu_claim_resolve(request: HttpRequest, code: str, year: int) -> HttpResponse:
    unit = get_object_or_404(BusinessUnit, code=code)
    permissions.require(request.user, Action.CONSOLIDATE_LISTS, unit)
    keep = get_object_or_404(
        TargetList.objects.newest(),
        pk=request.POST.get("keep") or 0,
        segment__business_unit=unit,
    )
    customer = request.POST.get("customer", "")
    try:
        target_lists.claim_resolve(
            business_unit=unit,
            year=year,
            customer_id=int(customer) if customer.isdigit() else 0,
            keep=keep,
            by=request.user,
        )
    except ValidationError as error:
        add_errors(request, error)
    else:
        messages.success(request, _("Kept on %(segment)s.") % {"segment": keep.segment})
    return redirect("evaluation:bu-lists", code=code, year=year)


@require_POST
def bu_consolidate_all(request: HttpRequest, code: str, year: int) -> HttpResponse:
    """Consolidate every submitted list of the BU at once, each in its own step."""
    unit = get_object_or_404(BusinessUnit, code=code)
    permissions.require(request.user, Action.CONSOLIDATE_LISTS, unit)
    done = 0
    for target_list in TargetList.objects.working().filter(
        year=year, segment__business_unit=unit, state=State.SUBMITTED
    ):
        try:
            target_lists.consolidate(target_list=target_list, by=request.user)
            done += 1
        except ValidationError as error:
            add_errors(request, error)
    messages.info(request, _("%(count)d lists consolidated.") % {"count": done})
    return redirect("evaluation:bu-lists", code=code, year=year)


def bg_approval(request: HttpRequest, code: str, year: int) -> HttpResponse:
    """The BG VP's view across its BUs, with totals per tier."""
    group = get_object_or_404(BusinessGroup, code=code)
    permissions.require(request.user, Action.APPROVE_LISTS, group)
    units = [
        {"unit": unit, **_unit_table(list(unit.segments.order_by("code")), year)}
        for unit in group.business_units.order_by("code")
    ]
    grand: dict[str, int] = {}
    for unit in units:
        for tier, count in unit["totals"].items():
            grand[tier] = grand.get(tier, 0) + count
        unit["waiting"] = sum(
            1
            for row in unit["rows"]
            if row["step_list"] and row["step_list"].state == State.CONSOLIDATED
        )
    return render(
        request,
        "evaluation/list_bg.html",
        {
            "group": group,
            "year": year,
            "units": units,
            "totals": grand,
            "comment_form": CommentForm(),
            "downloads": _downloads("bg-tiered-export", group.code, year, label=_("Tiered list"))
            + _downloads("bg-owners-export", group.code, year, label=_("Owners")),
        },
    )


def _consolidated_of(request: HttpRequest, group: BusinessGroup, year: int):
    """The group's consolidated lists, or one BU's (`unit` in the form): the BU must be the
    group's, and the user must hold approval over it (role and scope)."""
    permissions.require(request.user, Action.APPROVE_LISTS, group)
    lists = TargetList.objects.working().filter(
        year=year, segment__business_unit__business_group=group, state=State.CONSOLIDATED
    )
    unit_code = request.POST.get("unit", "")
    if unit_code:
        unit = BusinessUnit.objects.filter(business_group=group, code=unit_code).first()
        if unit is None:
            raise Http404
        permissions.require(request.user, Action.APPROVE_LISTS, unit)
        lists = lists.filter(segment__business_unit=unit)
    return lists.select_related("segment__business_unit")


@require_POST
def bg_approve_all(request: HttpRequest, code: str, year: int) -> HttpResponse:
    """Approve every consolidated list of the BG, or of one of its BUs, each in its own step."""
    group = get_object_or_404(BusinessGroup, code=code)
    done = 0
    for target_list in _consolidated_of(request, group, year):
        try:
            target_lists.approve(target_list=target_list, by=request.user)
            done += 1
        except ValidationError as error:
            add_errors(request, error)
    messages.info(request, _("%(count)d lists approved.") % {"count": done})
    return redirect("evaluation:bg-lists", code=code, year=year)


@require_POST
def bg_send_back_all(request: HttpRequest, code: str, year: int) -> HttpResponse:
    """Send back every consolidated list of the BG, or of one of its BUs, with one comment."""
    group = get_object_or_404(BusinessGroup, code=code)
    lists = _consolidated_of(request, group, year)
    form = CommentForm(request.POST)
    comment = form.cleaned_data["comment"].strip() if form.is_valid() else ""
    if not comment:
        messages.error(request, _("Say what should change: a comment is required."))
        return redirect("evaluation:bg-lists", code=code, year=year)
    done = 0
    for target_list in lists:
        try:
            target_lists.send_back(target_list=target_list, by=request.user, comment=comment)
            done += 1
        except ValidationError as error:
            add_errors(request, error)
    messages.info(request, _("%(count)d lists sent back.") % {"count": done})
    return redirect("evaluation:bg-lists", code=code, year=year)
