"""The BU VP's consolidation view and the BG VP's approval view: every segment's list in
force, a revision in progress beside it, and the steps on one list, one BU's lists or all.
permission → service → redirect/render; each service checks role, scope and state again."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from evaluation.lists import approval, reads
from evaluation.lists.claims import claimed_twice, target_claim_resolve
from evaluation.lists.forms import CommentForm
from evaluation.lists.views.segment import _downloads, _may
from evaluation.models import TargetList
from organisation import permissions
from organisation.models import BusinessGroup, BusinessUnit
from organisation.permissions import Action
from prioritizer.form_errors import add_service_messages


def _refusals(request: HttpRequest, refusals: list[ValidationError]) -> None:
    for error in refusals:
        add_service_messages(request, error)


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
            **reads.unit_table(unit, year),
            "claims": claimed_twice(unit, year),
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
        target_claim_resolve(
            business_unit=unit,
            year=year,
            customer_id=int(customer) if customer.isdigit() else 0,
            keep=keep,
            by=request.user,
        )
    except ValidationError as error:
        add_service_messages(request, error)
    else:
        messages.success(request, _("Kept on %(segment)s.") % {"segment": keep.segment})
    return redirect("evaluation:bu-lists", code=code, year=year)


@require_POST
def bu_consolidate_all(request: HttpRequest, code: str, year: int) -> HttpResponse:
    """Consolidate every submitted list of the BU at once, each in its own step."""
    unit = get_object_or_404(BusinessUnit, code=code)
    permissions.require(request.user, Action.CONSOLIDATE_LISTS, unit)
    done, refusals = approval.target_lists_move_each(
        approval.target_list_consolidate, reads.submitted_of(unit, year), by=request.user
    )
    _refusals(request, refusals)
    messages.info(request, _("%(count)d lists consolidated.") % {"count": done})
    return redirect("evaluation:bu-lists", code=code, year=year)


def bg_approval(request: HttpRequest, code: str, year: int) -> HttpResponse:
    """The BG VP's view across its BUs, with totals per tier."""
    group = get_object_or_404(BusinessGroup, code=code)
    permissions.require(request.user, Action.APPROVE_LISTS, group)
    return render(
        request,
        "evaluation/list_bg.html",
        {
            "group": group,
            "year": year,
            **reads.group_table(group, year),
            "comment_form": CommentForm(),
            "downloads": _downloads("bg-tiered-export", group.code, year, label=_("Tiered list"))
            + _downloads("bg-owners-export", group.code, year, label=_("Owners")),
        },
    )


def _consolidated_of(request: HttpRequest, group: BusinessGroup, year: int):
    """The group's consolidated lists, or one BU's (`unit` in the form): the BU must be the
    group's, and the user must hold approval over it (role and scope)."""
    permissions.require(request.user, Action.APPROVE_LISTS, group)
    unit = None
    if request.POST.get("unit", ""):
        unit = get_object_or_404(BusinessUnit, business_group=group, code=request.POST["unit"])
        permissions.require(request.user, Action.APPROVE_LISTS, unit)
    return reads.consolidated_of(group, year, unit)


@require_POST
def bg_approve_all(request: HttpRequest, code: str, year: int) -> HttpResponse:
    """Approve every consolidated list of the BG, or of one of its BUs, each in its own step."""
    group = get_object_or_404(BusinessGroup, code=code)
    done, refusals = approval.target_lists_move_each(
        approval.target_list_approve, _consolidated_of(request, group, year), by=request.user
    )
    _refusals(request, refusals)
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
    done, refusals = approval.target_lists_move_each(
        approval.target_list_send_back, lists, by=request.user, comment=comment
    )
    _refusals(request, refusals)
    messages.info(request, _("%(count)d lists sent back.") % {"count": done})
    return redirect("evaluation:bg-lists", code=code, year=year)
