"""Target-list pages (2.3.3): the index, a segment's list with owners, plans and overrides, and
its approval steps. permission → form → service → render; the reads are in lists/reads.py."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from evaluation.lists import approval, reads, services
from evaluation.lists.forms import (
    CommentForm,
    OverrideForm,
    OwnerAssignForm,
    PlanForm,
    RankOverrideForm,
    ReasonForm,
)
from evaluation.lists.people import account_managers_of, require_view
from evaluation.models import TargetEntry, TargetList
from evaluation.view_helpers import default_year
from organisation import permissions
from organisation.models import Segment
from organisation.permissions import Action
from prioritizer.form_errors import add_service_messages


def _year(request: HttpRequest) -> int:
    try:
        return int(request.GET.get("year", ""))
    except ValueError:
        return default_year()


def get_list(request: HttpRequest, pk: int) -> TargetList:
    target_list = get_object_or_404(TargetList.objects.with_org(), pk=pk)
    require_view(request.user, target_list)
    return target_list


def _may(user, action: Action, obj) -> bool:
    return permissions.can(user, action, obj)


def _form_errors(request: HttpRequest, form) -> None:
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, error)


def target_list_index(request: HttpRequest) -> HttpResponse:
    """Each visible segment's list in force for the year (a revision in progress beside it),
    and the BU / BG pages to go to."""
    if not permissions.has_any_role(request.user):
        raise PermissionDenied
    year = _year(request)
    return render(
        request,
        "evaluation/list_index.html",
        {"year": year, "years": range(year - 3, year + 2), **reads.index(request.user, year)},
    )


def target_list_detail(request: HttpRequest, pk: int) -> HttpResponse:
    target_list = get_list(request, pk)
    context = reads.detail(target_list, request.user)
    context |= {
        "page": reads.entries_page(
            target_list,
            request.user,
            number=request.GET.get("page"),
            mine=request.GET.get("mine") == "1",
        ),
        "owner_form": OwnerAssignForm(
            owners=account_managers_of(target_list.segment),
            entries=target_list.entries.targets(),
        ),
        "rank_form": RankOverrideForm(tiers=target_list.run.tiers),
        "comment_form": CommentForm(),
        "reason_form": ReasonForm(),
        "downloads": _downloads("target-list-export", target_list.pk),
    }
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
        owners=account_managers_of(target_list.segment),
        entries=target_list.entries.targets(),
    )
    if not form.is_valid():
        _form_errors(request, form)
        return redirect(target_list)
    try:
        count = services.target_list_owners_assign(
            target_list=target_list,
            entry_ids=[entry.pk for entry in form.cleaned_data["entries"]],
            owner=form.cleaned_data["owner"],
            by=request.user,
        )
    except ValidationError as error:
        add_service_messages(request, error)
    else:
        messages.success(request, _("Owner set for %(count)d customers.") % {"count": count})
    return redirect(target_list)


def _plan_saved(request: HttpRequest, entry: TargetEntry, form: PlanForm) -> bool:
    if not form.is_valid():
        return False
    services.target_entry_plan_save(
        entry=entry,
        objective=form.cleaned_data["plan_objective"],
        actions=form.cleaned_data["plan_actions"],
        next_date=form.cleaned_data["plan_next_date"],
        by=request.user,
    )
    messages.success(request, _("Plan saved."))
    return True


def _override_saved(request: HttpRequest, entry: TargetEntry, form: OverrideForm) -> bool:
    if not form.is_valid():
        return False
    services.target_entry_tier_override(
        target_list=entry.target_list,
        customer_id=entry.customer_id,
        tier=form.cleaned_data["tier"],
        reason=form.cleaned_data["reason"],
        by=request.user,
    )
    messages.success(request, _("Tier saved."))
    return True


def _entry_forms(entry: TargetEntry, data=None, bound: str = "") -> dict:
    """The plan and override forms; `bound` names the one the POST is for."""
    initial = {"tier": entry.tier, "reason": entry.override_reason}
    return {
        "plan_form": PlanForm(data if bound == "plan" else None, instance=entry, prefix="plan"),
        "override_form": OverrideForm(
            data if bound == "override" else None,
            tiers=entry.target_list.run.tiers,
            initial=initial,
            prefix="override",
        ),
    }


def _entry_save(request: HttpRequest, entry: TargetEntry, may: dict) -> tuple[bool, dict]:
    """Save the plan or the override the POST is for; else the forms to show again."""
    if "plan-plan_objective" in request.POST and may["may_plan"]:
        bound, save = "plan", _plan_saved
    elif "override-tier" in request.POST and may["may_override"]:
        bound, save = "override", _override_saved
    else:
        raise PermissionDenied
    forms = _entry_forms(entry, request.POST, bound)
    try:
        return save(request, entry, forms[f"{bound}_form"]), forms
    except ValidationError as error:
        add_service_messages(request, error)
        return False, forms


def target_entry_edit(request: HttpRequest, pk: int, entry_pk: int) -> HttpResponse:
    """One target customer: its development plan and its tier override."""
    target_list = get_list(request, pk)
    entry = get_object_or_404(
        TargetEntry.objects.select_related("customer", "owner"),
        pk=entry_pk,
        target_list=target_list,
    )
    entry.target_list = target_list  # the one read with its org, for the services' checks
    may_manage = _may(request.user, Action.MANAGE_SEGMENT_LIST, target_list.segment)
    may = {
        "may_plan": target_list.is_editable and (may_manage or entry.owner_id == request.user.pk),
        "may_override": target_list.is_editable and may_manage,
    }
    forms = _entry_forms(entry)
    if request.method == "POST":
        saved, forms = _entry_save(request, entry, may)
        if saved:
            return redirect(target_list)
    context = {"list": target_list, "entry": entry, **forms, **may}
    return render(request, "evaluation/list_entry.html", context)


@require_POST
def target_list_rank_override(request: HttpRequest, pk: int) -> HttpResponse:
    """Lift a general customer into a tier by its rank in the run (with a reason)."""
    target_list = get_list(request, pk)
    permissions.require(request.user, Action.MANAGE_SEGMENT_LIST, target_list.segment)
    form = RankOverrideForm(request.POST, tiers=target_list.run.tiers)
    if not form.is_valid():
        _form_errors(request, form)
        return redirect(target_list)
    scored = reads.scored_at_rank(target_list, form.cleaned_data["rank"])
    if scored is None:
        messages.error(request, _("No customer has that rank in the score run."))
        return redirect(target_list)
    try:
        services.target_entry_tier_override(
            target_list=target_list,
            customer_id=scored.customer_id,
            tier=form.cleaned_data["tier"],
            reason=form.cleaned_data["reason"],
            by=request.user,
        )
    except ValidationError as error:
        add_service_messages(request, error)
    else:
        messages.success(request, _("Tier saved."))
    return redirect(target_list)


STEPS = {
    "submit": approval.target_list_submit,
    "consolidate": approval.target_list_consolidate,
    "approve": approval.target_list_approve,
    "send-back": approval.target_list_send_back,
}
# Lazy: the message is put into the language of the request, not of the import.
STEP_DONE = {
    "submit": gettext_lazy("Submitted for consolidation."),
    "consolidate": gettext_lazy("Consolidated; the BG VP was told."),
    "approve": gettext_lazy("Approved: the list is frozen and its criteria set locked."),
    "send-back": gettext_lazy("Sent back with your comment."),
}


def _revise(request: HttpRequest, target_list: TargetList) -> HttpResponse:
    form = ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give a reason for the revision."))
        return redirect(target_list)
    try:
        revision = approval.target_list_revise(
            target_list=target_list, by=request.user, reason=form.cleaned_data["reason"]
        )
    except ValidationError as error:
        add_service_messages(request, error)
        return redirect(target_list)
    messages.success(request, _("Revision %(n)d started as a draft.") % {"n": revision.revision})
    return redirect(revision)


@require_POST
def target_list_step(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    """One approval step; the service checks role, scope and state."""
    target_list = get_list(request, pk)
    if step == "revise":
        return _revise(request, target_list)
    if step not in STEPS:
        raise PermissionDenied
    form = CommentForm(request.POST)
    comment = form.cleaned_data["comment"] if form.is_valid() else ""
    try:
        STEPS[step](target_list=target_list, by=request.user, comment=comment)
    except ValidationError as error:
        add_service_messages(request, error)
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
    target_list = TargetList.objects.in_force_for(year, [segment]).first()
    if target_list is None:
        permissions.require(request.user, Action.VIEW_TARGET_LISTS, segment)
        messages.info(
            request,
            _("%(segment)s has no target list for %(year)d yet.")
            % {"segment": segment, "year": year},
        )
        return redirect(f"{reverse('evaluation:list-index')}?year={year}")
    require_view(request.user, target_list)
    return redirect(target_list)
