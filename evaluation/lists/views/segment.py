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
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from evaluation.lists import target_lists
from evaluation.lists.forms import (
    CommentForm,
    OverrideForm,
    OwnerAssignForm,
    PlanForm,
    RankOverrideForm,
    ReasonForm,
)
from evaluation.lists.revisions import (
    in_force_beside,
    pending_by_segment,
    pending_revision_of,
    revision_diff,
)
from evaluation.models import TargetEntry, TargetList
from evaluation.scoring.explain import list_chart_data
from evaluation.scoring.staleness import list_hint
from evaluation.view_helpers import add_errors, default_year
from organisation import permissions
from organisation.models import Segment, localised
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
    """Each visible segment's list in force for the year (a revision in progress beside it),
    and the BU / BG pages to go to."""
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
        for tl in TargetList.objects.in_force()
        .filter(year=year, segment__in=segments)
        .with_last_step()
        .select_related("run")
    }
    pending = pending_by_segment(lists.values())
    counts = target_lists.tier_counts_of(lists.values())
    rows = [
        {
            "segment": segment,
            "list": lists.get(segment.pk),
            "pending": pending.get(segment.pk),
            "counts": counts[lists[segment.pk].pk] if segment.pk in lists else {},
            "may_manage": _may(user, Action.MANAGE_SEGMENT_LIST, segment),
        }
        for segment in segments
    ]
    owned = (
        target_lists.lists_visible_to(user)
        .unsuperseded()
        .filter(year=year, entries__owner=user)
        .with_last_step()
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
        "pending": pending_revision_of(target_list),
        "in_force": in_force_beside(target_list),
    }
    context["may_revise"] = (
        target_list.state == State.APPROVED
        and target_list.superseded_at is None
        and context["pending"] is None
        and may_manage
    )
    if context["in_force"] is not None:
        context["diff"] = revision_diff(context["in_force"], target_list)
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
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        back = ""
    return redirect(back or target_list.get_absolute_url())


def segment_list_redirect(request: HttpRequest, code: str, year: int) -> HttpResponse:
    """The segment's list in force for a year (a stable link for notifications and docs);
    its page links to a revision in progress."""
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
