"""Pages of the preliminary annual lists: permission -> form -> service -> redirect/render."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from customers import preliminary
from customers.models import CustomerYear, Nomination, PreliminaryList
from customers.preliminary.forms import (
    AssignResearcherForm,
    NewCustomerForm,
    NominateExistingForm,
    NudgeForm,
    ProposeQuotaForm,
    ResponsibleForm,
    SetQuotaForm,
    StartListForm,
    user_label,
)
from organisation import permissions
from organisation.models import Segment
from organisation.permissions import Action
from prioritizer.form_errors import add_service_errors as _add_service_errors


def _get_list(request: HttpRequest, segment_code: str, year: int, action=Action.VIEW_CUSTOMERS):
    preliminary_list = get_object_or_404(
        PreliminaryList.objects.with_org(),
        segment__code=segment_code,
        year=year,
    )
    permissions.require(request.user, action, preliminary_list)
    return preliminary_list


def _error_texts(error: ValidationError) -> list[str]:
    return [str(message) for message in error.messages]


def _url(name: str, preliminary_list: PreliminaryList) -> str:
    return reverse(f"customers:{name}", args=[preliminary_list.segment.code, preliminary_list.year])


# --- Index ---------------------------------------------------------------------------------


@require_GET
def preliminary_list_index(request: HttpRequest) -> HttpResponse:
    """The lists of the segments in the user's scope, for one planning year."""
    user = request.user
    if not permissions.has_any_role(user):
        raise PermissionDenied(Action.VIEW_CUSTOMERS)
    visible = PreliminaryList.objects.visible_to(user)
    years = sorted(visible.year_numbers() | set(preliminary.allowed_new_list_years()), reverse=True)
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        year = preliminary.default_planning_year()
    lists = {pl.segment_id: pl for pl in visible.of_year(year).with_responsible()}
    return render(
        request,
        "customers/preliminary_index.html",
        {"rows": _index_rows(user, year, lists), "year": year, "years": years},
    )


def _index_rows(user, year: int, lists: dict[int, PreliminaryList]) -> list[dict]:
    """One row a segment in the user's scope: its list of `year` (if any) and its progress,
    or whether the user may start one."""
    segments = permissions.segments_where(user, Action.VIEW_CUSTOMERS).with_org()
    progress = preliminary.progress_by_list(lists.values())
    may_start = year in preliminary.allowed_new_list_years()
    return [
        {
            "segment": segment,
            "list": lists.get(segment.pk),
            "progress": progress.get(lists[segment.pk].pk) if segment.pk in lists else None,
            "can_start": may_start
            and segment.pk not in lists
            and (
                permissions.can(user, Action.MANAGE_SEGMENT_LIST, segment)
                or permissions.can(user, Action.SET_QUOTA, segment)
            ),
        }
        for segment in segments.in_org_order()
    ]


@require_POST
def preliminary_list_start(request: HttpRequest) -> HttpResponse:
    form = StartListForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a segment and a year."))
        return redirect("customers:preliminary-list-index")
    segment = get_object_or_404(Segment.objects.with_org(), code=form.cleaned_data["segment"])
    permissions.require(request.user, Action.VIEW_CUSTOMERS, segment)
    try:
        preliminary_list = preliminary.preliminary_list_open(
            segment=segment, year=form.cleaned_data["year"], by=request.user
        )
    except ValidationError as error:
        for text in _error_texts(error):
            messages.error(request, text)
        return redirect("customers:preliminary-list-index")
    return redirect(preliminary_list)


# --- Detail --------------------------------------------------------------------------------


def _detail_context(request: HttpRequest, preliminary_list: PreliminaryList, **forms) -> dict:
    user = request.user
    can_manage = permissions.can(user, Action.MANAGE_SEGMENT_LIST, preliminary_list)
    can_set_quota = permissions.can(user, Action.SET_QUOTA, preliminary_list)
    rows = preliminary.nomination_rows(preliminary_list)
    if request.GET.get("mine"):
        rows = [row for row in rows if row.nomination.researcher_id == user.pk]
    context = {
        "list": preliminary_list,
        "progress": preliminary.preliminary_list_progress(preliminary_list),
        "rows": rows,
        "mine": bool(request.GET.get("mine")),
        "completeness_label": CustomerYear._meta.get_field("completeness").verbose_name,
        "is_assigned_researcher": preliminary_list.nominations.assigned_to(user).exists(),
        "can_manage": can_manage,
        "can_set_quota": can_set_quota,
        "can_name_responsible": can_manage or can_set_quota,
        "can_edit_facts": permissions.can(user, Action.EDIT_CUSTOMERS, preliminary_list),
        "workload": preliminary.researcher_workload(preliminary_list),
        "researchers": [
            (r.pk, user_label(r)) for r in preliminary.researchers_of(preliminary_list.segment)
        ],
    }
    if can_manage:
        context["propose_form"] = forms.get("propose_form") or ProposeQuotaForm(
            initial={"proposed_quota": preliminary_list.proposed_quota},
            action=_url("preliminary-list-propose-quota", preliminary_list),
        )
        context["assign_form"] = forms.get("assign_form")
    if can_set_quota:
        context["quota_form"] = forms.get("quota_form") or SetQuotaForm(
            initial={"quota": preliminary_list.quota or preliminary_list.proposed_quota},
            action=_url("preliminary-list-set-quota", preliminary_list),
        )
    if can_manage or can_set_quota:
        context["responsible_form"] = forms.get("responsible_form") or ResponsibleForm(
            initial={"responsible": preliminary_list.responsible_id},
            preliminary_list=preliminary_list,
            action=_url("preliminary-list-responsible", preliminary_list),
        )
    return context


@require_GET
def preliminary_list_detail(request: HttpRequest, segment_code: str, year: int) -> HttpResponse:
    preliminary_list = _get_list(request, segment_code, year)
    return render(
        request,
        "customers/preliminary_detail.html",
        _detail_context(request, preliminary_list),
    )


def _render_detail_with(request, preliminary_list, **forms) -> HttpResponse:
    return render(
        request,
        "customers/preliminary_detail.html",
        _detail_context(request, preliminary_list, **forms),
        status=400,
    )


def _submit(request, preliminary_list, form, form_name: str, write, success) -> HttpResponse:
    """A form of the list's page: when valid, `write(cleaned_data)` calls the service and
    `success` (a text, or a function of what the service returned) is shown; otherwise, or
    when the service refuses, the page is shown again with the form's errors."""
    if form.is_valid():
        try:
            result = write(form.cleaned_data)
        except ValidationError as error:
            _add_service_errors(form, error)
        else:
            messages.success(request, success(result) if callable(success) else success)
            return redirect(preliminary_list)
    return _render_detail_with(request, preliminary_list, **{form_name: form})


@require_POST
def preliminary_list_propose_quota(request, segment_code: str, year: int) -> HttpResponse:
    preliminary_list = _get_list(request, segment_code, year, Action.MANAGE_SEGMENT_LIST)
    form = ProposeQuotaForm(
        request.POST, action=_url("preliminary-list-propose-quota", preliminary_list)
    )
    return _submit(
        request,
        preliminary_list,
        form,
        "propose_form",
        lambda data: preliminary.preliminary_list_propose_quota(
            preliminary_list=preliminary_list,
            proposed_quota=data["proposed_quota"],
            by=request.user,
        ),
        _("Quota proposed."),
    )


@require_POST
def preliminary_list_set_quota(request, segment_code: str, year: int) -> HttpResponse:
    preliminary_list = _get_list(request, segment_code, year, Action.SET_QUOTA)
    form = SetQuotaForm(request.POST, action=_url("preliminary-list-set-quota", preliminary_list))
    return _submit(
        request,
        preliminary_list,
        form,
        "quota_form",
        lambda data: preliminary.preliminary_list_set_quota(
            preliminary_list=preliminary_list, quota=data["quota"], by=request.user
        ),
        _("Quota set."),
    )


@require_POST
def preliminary_list_responsible(request, segment_code: str, year: int) -> HttpResponse:
    preliminary_list = _get_list(request, segment_code, year)
    if not (
        permissions.can(request.user, Action.MANAGE_SEGMENT_LIST, preliminary_list)
        or permissions.can(request.user, Action.SET_QUOTA, preliminary_list)
    ):
        raise PermissionDenied(Action.MANAGE_SEGMENT_LIST)
    form = ResponsibleForm(request.POST, preliminary_list=preliminary_list)
    return _submit(
        request,
        preliminary_list,
        form,
        "responsible_form",
        lambda data: preliminary.preliminary_list_set_responsible(
            preliminary_list=preliminary_list, responsible=data["responsible"], by=request.user
        ),
        _("Responsible person saved."),
    )


@require_POST
def preliminary_list_assign(request, segment_code: str, year: int) -> HttpResponse:
    """Single (one row's menu) and bulk (ticked rows) assignment share this view."""
    preliminary_list = _get_list(request, segment_code, year, Action.MANAGE_SEGMENT_LIST)
    form = AssignResearcherForm(request.POST, preliminary_list=preliminary_list)
    return _submit(
        request,
        preliminary_list,
        form,
        "assign_form",
        lambda data: preliminary.nominations_assign_researcher(
            preliminary_list=preliminary_list,
            nominations=data["nominations"],
            researcher=data["researcher"],
            by=request.user,
        ),
        lambda count: _("%(count)d nominations updated.") % {"count": count},
    )


@require_POST
def preliminary_list_nudge(request, segment_code: str, year: int) -> HttpResponse:
    preliminary_list = _get_list(request, segment_code, year, Action.MANAGE_SEGMENT_LIST)
    form = NudgeForm(request.POST, preliminary_list=preliminary_list)
    if not form.is_valid():
        for errors in form.errors.values():
            for text in errors:
                messages.error(request, text)
        return redirect(preliminary_list)
    researcher = form.cleaned_data["researcher"]
    try:
        preliminary.researcher_nudge(
            preliminary_list=preliminary_list, researcher=researcher, by=request.user
        )
    except ValidationError as error:
        for text in _error_texts(error):
            messages.error(request, text)
    else:
        messages.success(
            request, _("A reminder was sent to %(user)s.") % {"user": user_label(researcher)}
        )
    return redirect(preliminary_list)


@require_POST
def preliminary_list_remove(request, segment_code: str, year: int, pk: int) -> HttpResponse:
    preliminary_list = _get_list(request, segment_code, year, Action.MANAGE_SEGMENT_LIST)
    nomination = get_object_or_404(Nomination, pk=pk, preliminary_list=preliminary_list)
    preliminary.nomination_remove(nomination=nomination, by=request.user)
    messages.success(
        request, _("%(customer)s was taken off the list.") % {"customer": nomination.customer}
    )
    return redirect(preliminary_list)


# --- Nominating ----------------------------------------------------------------------------


def _nominate_context(request, preliminary_list, query: str, **forms) -> dict:
    return {
        "list": preliminary_list,
        "query": query,
        "candidates": preliminary.nomination_candidates(preliminary_list, query),
        "progress": preliminary.preliminary_list_progress(preliminary_list),
        "new_form": forms.get("new_form")
        or NewCustomerForm(action=_url("preliminary-list-nominate-new", preliminary_list)),
        "existing_form": forms.get("existing_form"),
        "this_year": timezone.localdate().year,
    }


def preliminary_list_nominate(request, segment_code: str, year: int) -> HttpResponse:
    """Search the BU's customers (GET ?q=) and nominate one of them (POST)."""
    preliminary_list = _get_list(request, segment_code, year, Action.MANAGE_SEGMENT_LIST)
    query = request.GET.get("q", "")[:100]
    if request.method == "POST":
        form = NominateExistingForm(request.POST)
        if form.is_valid():
            customer = form.cleaned_data["customer"]
            try:
                preliminary.nomination_add(
                    preliminary_list=preliminary_list, customer=customer, by=request.user
                )
            except ValidationError as error:
                _add_service_errors(form, error)
            else:
                messages.success(request, _("%(customer)s nominated.") % {"customer": customer})
                nominate_url = _url("preliminary-list-nominate", preliminary_list)
                return redirect(f"{nominate_url}?{urlencode({'q': query})}")
        context = _nominate_context(request, preliminary_list, query, existing_form=form)
        return render(request, "customers/preliminary_nominate.html", context, status=400)
    template = (
        "customers/preliminary_candidates.html"
        if request.htmx
        else "customers/preliminary_nominate.html"
    )
    return render(request, template, _nominate_context(request, preliminary_list, query))


@require_POST
def preliminary_list_nominate_new(request, segment_code: str, year: int) -> HttpResponse:
    preliminary_list = _get_list(request, segment_code, year, Action.MANAGE_SEGMENT_LIST)
    form = NewCustomerForm(
        request.POST, action=_url("preliminary-list-nominate-new", preliminary_list)
    )
    if form.is_valid():
        try:
            nomination = preliminary.nomination_add_new_customer(
                preliminary_list=preliminary_list, by=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            _add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("%(customer)s was created and nominated.") % {"customer": nomination.customer},
            )
            return redirect(_url("preliminary-list-nominate", preliminary_list))
    context = _nominate_context(request, preliminary_list, "", new_form=form)
    return render(request, "customers/preliminary_nominate.html", context, status=400)
