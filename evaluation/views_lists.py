"""Target-list pages (2.3.3): a segment's list with owners, plans and overrides; the BU's
consolidation view; the BG's approval view. permission → form → service → render."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import F
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from evaluation import target_lists
from evaluation.explain import list_chart_data
from evaluation.forms_lists import (
    CommentForm,
    OverrideForm,
    OwnerAssignForm,
    PlanForm,
    RankOverrideForm,
    ReasonForm,
)
from evaluation.models import TargetEntry, TargetList
from evaluation.staleness import list_hint
from evaluation.views import add_errors, default_year
from organisation import permissions
from organisation.models import BusinessGroup, BusinessUnit, Segment, localised
from organisation.permissions import Action

State = TargetList.State
PAGE_SIZE = 50


def _year(request: HttpRequest) -> int:
    try:
        return int(request.GET.get("year", ""))
    except ValueError:
        return default_year()


def get_list(request: HttpRequest, pk: int) -> TargetList:
    target_list = get_object_or_404(TargetList.objects.with_org(), pk=pk)
    target_lists.require_view(request.user, target_list)
    return target_list


def _may(user, action: Action, obj) -> bool:
    return permissions.can(user, action, obj)


def target_list_index(request: HttpRequest) -> HttpResponse:
    """Each visible segment's current list for the year, and the BU / BG pages to go to."""
    user = request.user
    if not permissions.has_any_role(user):
        raise PermissionDenied
    year = _year(request)
    segments = (
        permissions.segments_where(user, Action.VIEW_TARGET_LISTS)
        .select_related("business_unit__business_group")
        .order_by("business_unit__code", "code")
    )
    lists = {
        tl.segment_id: tl
        for tl in TargetList.objects.current()
        .filter(year=year, segment__in=segments)
        .select_related("run")
    }
    counts = target_lists.tier_counts_of(lists.values())
    rows = [
        {
            "segment": segment,
            "list": lists.get(segment.pk),
            "counts": counts[lists[segment.pk].pk] if segment.pk in lists else {},
            "may_manage": _may(user, Action.MANAGE_SEGMENT_LIST, segment),
        }
        for segment in segments
    ]
    owned = (
        target_lists.lists_visible_to(user)
        .current()
        .filter(year=year, entries__owner=user)
        .distinct()
    )
    return render(
        request,
        "evaluation/list_index.html",
        {
            "year": year,
            "years": range(year - 3, year + 2),
            "rows": rows,
            "owned": owned,
            "business_units": permissions.business_units_where(
                user, Action.CONSOLIDATE_LISTS
            ).order_by("code"),
            "business_groups": permissions.business_groups_where(
                user, Action.APPROVE_LISTS
            ).order_by("code"),
        },
    )


def target_list_detail(request: HttpRequest, pk: int) -> HttpResponse:
    target_list = get_list(request, pk)
    user = request.user
    segment = target_list.segment
    may_manage = _may(user, Action.MANAGE_SEGMENT_LIST, segment)
    entries = target_list.entries.order_by("rank", "customer_id")
    if request.GET.get("mine") == "1":
        entries = entries.filter(owner=user)
    # Page through the narrow (list, rank, customer) index, then load the rows shown: a deep
    # page then skips index entries, not joined rows.
    page = Paginator(entries.values_list("pk", flat=True), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    page.object_list = list(
        TargetEntry.objects.filter(pk__in=list(page.object_list))
        .select_related("customer", "owner")
        .order_by("rank", "customer_id")
    )
    editable = target_list.is_editable and may_manage
    owners = target_lists.account_managers_of(segment)
    counts = target_lists.tier_counts(target_list)
    context = {
        "list": target_list,
        "run": target_list.run,
        "tier_rows": [
            tier
            | {
                "name": localised(tier["name_zh"], tier.get("name_en", "")),
                "count": counts.get(tier["code"], 0),
            }
            for tier in target_list.run.tiers
        ],
        "page": page,
        "editable": editable,
        "without_owner": target_lists.entries_without_owner(target_list).count(),
        "transitions": target_list.transitions.select_related("by"),
        "revisions": TargetList.objects.filter(segment=segment, year=target_list.year).exclude(
            pk=target_list.pk
        ),
        "owner_form": OwnerAssignForm(owners=owners, entries=target_list.entries.targets()),
        "rank_form": RankOverrideForm(tiers=target_list.run.tiers),
        "comment_form": CommentForm(),
        "reason_form": ReasonForm(),
        "may_submit": editable,
        "may_consolidate": target_list.state == State.SUBMITTED
        and _may(user, Action.CONSOLIDATE_LISTS, segment),
        "may_approve": target_list.state == State.CONSOLIDATED
        and _may(user, Action.APPROVE_LISTS, segment),
        "may_revise": target_list.state == State.APPROVED
        and target_list.superseded_at is None
        and may_manage,
    }
    context["may_send_back"] = context["may_consolidate"] or context["may_approve"]
    overrides = target_list.entries.exclude(tier=F("scored_tier"))
    context["charts"] = list_chart_data(
        target_list.run, overrides.values_list("scored_tier", "tier", "total")
    )
    context["downloads"] = _downloads("target-list-export", target_list.pk)
    context["stale"] = list_hint(target_list, user)
    return render(request, "evaluation/list_detail.html", context)


def _downloads(name: str, *args, label: str = "") -> list[dict]:
    """Excel and CSV buttons for one export view."""
    url = reverse(f"evaluation:{name}", args=args)
    prefix = f"{label} " if label else ""
    return [
        {"url": f"{url}?format=xlsx", "label": f"{prefix}Excel", "key": f"{name}-xlsx"},
        {"url": f"{url}?format=csv", "label": f"{prefix}CSV", "key": f"{name}-csv"},
    ]


@require_POST
def target_list_owners(request: HttpRequest, pk: int) -> HttpResponse:
    target_list = get_list(request, pk)
    permissions.require(request.user, Action.MANAGE_SEGMENT_LIST, target_list.segment)
    form = OwnerAssignForm(
        request.POST,
        owners=target_lists.account_managers_of(target_list.segment),
        entries=target_list.entries.targets(),
    )
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(target_list)
    try:
        count = target_lists.owners_assign(
            target_list=target_list,
            entry_ids=[entry.pk for entry in form.cleaned_data["entries"]],
            owner=form.cleaned_data["owner"],
            by=request.user,
        )
    except ValidationError as error:
        add_errors(request, error)
    else:
        messages.success(request, _("Owner set for %(count)d customers.") % {"count": count})
    return redirect(target_list)


def target_entry_edit(request: HttpRequest, pk: int, entry_pk: int) -> HttpResponse:
    """One target customer: its development plan and its tier override."""
    target_list = get_list(request, pk)
    entry = get_object_or_404(
        TargetEntry.objects.select_related("customer", "owner"),
        pk=entry_pk,
        target_list=target_list,
    )
    user = request.user
    may_manage = _may(user, Action.MANAGE_SEGMENT_LIST, target_list.segment)
    may_plan = target_list.is_editable and (may_manage or entry.owner_id == user.pk)
    may_override = target_list.is_editable and may_manage
    plan_form = PlanForm(instance=entry, prefix="plan")
    override_form = OverrideForm(
        tiers=target_list.run.tiers,
        initial={"tier": entry.tier, "reason": entry.override_reason},
        prefix="override",
    )
    if request.method == "POST":
        if not (may_plan or may_override):
            raise PermissionDenied
        try:
            if "plan-plan_objective" in request.POST and may_plan:
                plan_form = PlanForm(request.POST, instance=entry, prefix="plan")
                if plan_form.is_valid():
                    target_lists.plan_save(
                        entry=entry,
                        objective=plan_form.cleaned_data["plan_objective"],
                        actions=plan_form.cleaned_data["plan_actions"],
                        next_date=plan_form.cleaned_data["plan_next_date"],
                        by=user,
                    )
                    messages.success(request, _("Plan saved."))
                    return redirect(target_list)
            elif "override-tier" in request.POST and may_override:
                override_form = OverrideForm(
                    request.POST, tiers=target_list.run.tiers, prefix="override"
                )
                if override_form.is_valid():
                    target_lists.tier_override(
                        target_list=target_list,
                        customer_id=entry.customer_id,
                        tier=override_form.cleaned_data["tier"],
                        reason=override_form.cleaned_data["reason"],
                        by=user,
                    )
                    messages.success(request, _("Tier saved."))
                    return redirect(target_list)
            else:
                raise PermissionDenied
        except ValidationError as error:
            add_errors(request, error)
    return render(
        request,
        "evaluation/list_entry.html",
        {
            "list": target_list,
            "entry": entry,
            "plan_form": plan_form,
            "override_form": override_form,
            "may_plan": may_plan,
            "may_override": may_override,
        },
    )


@require_POST
def target_list_rank_override(request: HttpRequest, pk: int) -> HttpResponse:
    """Lift a general customer into a tier by its rank in the run (with a reason)."""
    target_list = get_list(request, pk)
    permissions.require(request.user, Action.MANAGE_SEGMENT_LIST, target_list.segment)
    form = RankOverrideForm(request.POST, tiers=target_list.run.tiers)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(target_list)
    scored = target_list.run.entries.filter(rank=form.cleaned_data["rank"]).first()
    if scored is None:
        messages.error(request, _("No customer has that rank in the score run."))
        return redirect(target_list)
    try:
        target_lists.tier_override(
            target_list=target_list,
            customer_id=scored.customer_id,
            tier=form.cleaned_data["tier"],
            reason=form.cleaned_data["reason"],
            by=request.user,
        )
    except ValidationError as error:
        add_errors(request, error)
    else:
        messages.success(request, _("Tier saved."))
    return redirect(target_list)


STEPS = {
    "submit": target_lists.submit,
    "consolidate": target_lists.consolidate,
    "approve": target_lists.approve,
    "send-back": target_lists.send_back,
}
# Lazy: the message is put into the language of the request, not of the import.
STEP_DONE = {
    "submit": gettext_lazy("Submitted for consolidation."),
    "consolidate": gettext_lazy("Consolidated; the BG VP was told."),
    "approve": gettext_lazy("Approved: the list is frozen and its criteria set locked."),
    "send-back": gettext_lazy("Sent back with your comment."),
}


@require_POST
def target_list_step(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    """One approval step; the service checks role, scope and state."""
    target_list = get_list(request, pk)
    if step == "revise":
        form = ReasonForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Give a reason for the revision."))
            return redirect(target_list)
        try:
            revision = target_lists.revise(
                target_list=target_list, by=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            add_errors(request, error)
            return redirect(target_list)
        messages.success(
            request, _("Revision %(n)d started as a draft.") % {"n": revision.revision}
        )
        return redirect(revision)
    if step not in STEPS:
        raise PermissionDenied
    form = CommentForm(request.POST)
    comment = form.cleaned_data["comment"] if form.is_valid() else ""
    try:
        STEPS[step](target_list=target_list, by=request.user, comment=comment)
    except ValidationError as error:
        add_errors(request, error)
    else:
        messages.success(request, str(STEP_DONE[step]))
    return redirect(request.POST.get("next") or target_list.get_absolute_url())


def _unit_table(segments, year: int) -> dict:
    """Each segment's current list with its count per tier, and the totals per tier."""
    lists = {
        tl.segment_id: tl
        for tl in TargetList.objects.current()
        .filter(year=year, segment__in=segments)
        .select_related("run")
    }
    all_counts = target_lists.tier_counts_of(lists.values())
    rows = []
    codes: list[str] = []
    for segment in segments:
        target_list = lists.get(segment.pk)
        counts = all_counts[target_list.pk] if target_list else {}
        codes += [code for code in counts if code not in codes]
        rows.append({"segment": segment, "list": target_list, "counts": counts})
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
        TargetList.objects.current(), pk=request.POST.get("keep") or 0, segment__business_unit=unit
    )
    try:
        target_lists.claim_resolve(
            business_unit=unit,
            year=year,
            customer_id=int(request.POST.get("customer") or 0),
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
    for target_list in TargetList.objects.current().filter(
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


@require_POST
def bg_approve_all(request: HttpRequest, code: str, year: int) -> HttpResponse:
    group = get_object_or_404(BusinessGroup, code=code)
    permissions.require(request.user, Action.APPROVE_LISTS, group)
    done = 0
    for target_list in TargetList.objects.current().filter(
        year=year,
        segment__business_unit__business_group=group,
        state=State.CONSOLIDATED,
    ):
        try:
            target_lists.approve(target_list=target_list, by=request.user)
            done += 1
        except ValidationError as error:
            add_errors(request, error)
    messages.info(request, _("%(count)d lists approved.") % {"count": done})
    return redirect("evaluation:bg-lists", code=code, year=year)


def segment_list_redirect(request: HttpRequest, code: str, year: int) -> HttpResponse:
    """The segment's current list for a year (a stable link for notifications and docs)."""
    segment = get_object_or_404(Segment, code=code)
    target_list = target_lists.current_list(segment, year)
    if target_list is None:
        permissions.require(request.user, Action.VIEW_TARGET_LISTS, segment)
        messages.info(
            request,
            _("%(segment)s has no target list for %(year)d yet.")
            % {
                "segment": segment,
                "year": year,
            },
        )
        return redirect(f"{_index_url()}?year={year}")
    target_lists.require_view(request.user, target_list)
    return redirect(target_list)


def _index_url() -> str:
    return reverse("evaluation:list-index")
