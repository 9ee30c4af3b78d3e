"""Inquiry pages: permission -> form -> service -> redirect/render."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from customers.models import Customer
from inquiries import exporting, matching, reports, services
from inquiries.forms import DecisionForm, FollowUpForm, InquiryFilterForm, InquiryForm
from inquiries.models import Inquiry, review_days
from organisation import permissions
from organisation.models import Segment
from organisation.permissions import Action
from prioritizer import spreadsheets
from prioritizer.form_errors import add_service_errors


def _inquiry_form(request, data=None, instance=None) -> InquiryForm:
    # A new inquiry starts in the segment the person logged their last one for.
    last_segment = Inquiry.objects.last_segment_id_logged_by(request.user)
    return InquiryForm(
        data,
        instance=instance,
        initial={"segment": last_segment} if instance is None and last_segment else None,
        segments=permissions.segments_where(request.user, Action.LOG_INQUIRY),
        customers=Customer.objects.active().visible_to(request.user),
    )


def _get_inquiry(request, pk: int) -> Inquiry:
    inquiry = get_object_or_404(Inquiry.objects.with_org(), pk=pk)
    if inquiry.logged_by_id != request.user.pk:
        permissions.require(request.user, Action.VIEW_INQUIRIES, inquiry)
    return inquiry


@require_GET
def inquiry_list(request: HttpRequest) -> HttpResponse:
    if not permissions.has_any_role(request.user) and not request.user.is_superuser:
        raise PermissionDenied(Action.VIEW_INQUIRIES)
    form = InquiryFilterForm(request.GET or None)
    inquiries = Inquiry.objects.visible_to(request.user).with_org()
    if form.is_valid():
        inquiries = inquiries.in_status(form.cleaned_data["status"])
        if query := form.cleaned_data["q"].strip():
            inquiries = inquiries.named_like(query)
        if form.cleaned_data["mine"]:
            inquiries = inquiries.logged_by(request.user)
    page = Paginator(inquiries, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "inquiries/inquiry_list.html",
        {
            "page": page,
            "form": form,
            "may_log": permissions.segments_where(request.user, Action.LOG_INQUIRY).exists(),
            "review_days": review_days(),
        },
    )


@require_http_methods(["GET", "POST"])
def inquiry_create(request: HttpRequest) -> HttpResponse:
    if not permissions.segments_where(request.user, Action.LOG_INQUIRY).exists():
        raise PermissionDenied(Action.LOG_INQUIRY)
    form = _inquiry_form(request, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            inquiry = services.inquiry_log(by=request.user, data=form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, _("Inquiry from %(company)s logged.") % {"company": inquiry.company_name}
            )
            if "another" in request.POST:
                return redirect("inquiries:inquiry-create")
            return redirect(inquiry)
    return render(request, "inquiries/inquiry_form.html", {"form": form, "suggestions": None})


@require_GET
def inquiry_suggestions(request: HttpRequest) -> HttpResponse:
    """Live, while the company name is typed: likely customers and a possible duplicate."""
    if not permissions.segments_where(request.user, Action.LOG_INQUIRY).exists():
        raise PermissionDenied(Action.LOG_INQUIRY)
    name = request.GET.get("company_name", "")[:200]
    code = request.GET.get("credit_code", "")[:18].strip().upper()
    customers = Customer.objects.active().visible_to(request.user).with_business_unit()
    matches = matching.customer_matches(customers, name=name, credit_code=code)
    duplicate = matching.recent_duplicate(
        Inquiry.objects.visible_to(request.user),
        normalised_name=matching.normalise_name(name),
        credit_code=code,
    )
    return render(
        request,
        "inquiries/_suggestions.html",
        {"matches": matches, "duplicate": duplicate, "chosen": request.GET.get("customer", "")},
    )


@require_GET
def inquiry_detail(request: HttpRequest, pk: int) -> HttpResponse:
    inquiry = _get_inquiry(request, pk)
    user = request.user
    may_decide = inquiry.is_open and permissions.can(user, Action.DECIDE_INQUIRY, inquiry)
    return render(
        request,
        "inquiries/inquiry_detail.html",
        _detail_context(inquiry)
        | {
            "decision_form": _decision_form(inquiry) if may_decide else None,
            "follow_up_form": FollowUpForm() if services.may_follow_up(user, inquiry) else None,
            "may_edit": services.may_edit(user, inquiry),
        },
    )


def _detail_context(inquiry: Inquiry) -> dict:
    """What the inquiry page shows whoever looks: its history, follow-ups and referrals."""
    return {
        "inquiry": inquiry,
        "events": inquiry.events.with_author(),
        "follow_ups": inquiry.follow_ups.with_author(),
        "referrals": inquiry.referrals.with_segment(),
    }


def _decision_form(inquiry: Inquiry, data=None) -> DecisionForm:
    return DecisionForm(
        data,
        owners=services.owner_candidates(inquiry.business_unit_id),
        segments=Segment.objects.other_than(inquiry.segment_id).in_org_order(),
    )


@require_http_methods(["GET", "POST"])
def inquiry_edit(request: HttpRequest, pk: int) -> HttpResponse:
    inquiry = _get_inquiry(request, pk)
    if not services.may_edit(request.user, inquiry):
        raise PermissionDenied(Action.LOG_INQUIRY)
    form = _inquiry_form(request, request.POST or None, instance=Inquiry.objects.get(pk=pk))
    if request.method == "POST" and form.is_valid():
        try:
            services.inquiry_update(inquiry=inquiry, by=request.user, data=form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Inquiry saved."))
            return redirect(inquiry)
    return render(request, "inquiries/inquiry_form.html", {"form": form, "inquiry": inquiry})


@require_POST
def inquiry_decide(request: HttpRequest, pk: int) -> HttpResponse:
    inquiry = _get_inquiry(request, pk)
    permissions.require(request.user, Action.DECIDE_INQUIRY, inquiry)
    form = _decision_form(inquiry, request.POST)
    if form.is_valid():
        try:
            services.inquiry_decide(inquiry=inquiry, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Decision recorded."))
            return redirect(inquiry)
    return render(
        request,
        "inquiries/inquiry_detail.html",
        _detail_context(inquiry) | {"decision_form": form},
        status=400,
    )


@require_POST
def follow_up_add(request: HttpRequest, pk: int) -> HttpResponse:
    inquiry = _get_inquiry(request, pk)
    if not services.may_follow_up(request.user, inquiry):
        raise PermissionDenied(Action.VIEW_INQUIRIES)
    form = FollowUpForm(request.POST)
    if form.is_valid():
        try:
            services.inquiry_follow_up_add(inquiry=inquiry, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Follow-up recorded."))
            return redirect(inquiry)
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, error)
    return redirect(inquiry)


@require_GET
def review_queue(request: HttpRequest) -> HttpResponse:
    if not permissions.segments_where(request.user, Action.DECIDE_INQUIRY).exists():
        raise PermissionDenied(Action.DECIDE_INQUIRY)
    queue = Inquiry.objects.to_decide_by(request.user).with_org()
    return render(
        request,
        "inquiries/review_queue.html",
        {
            "inquiries": queue[:500],
            "overdue": queue.overdue().count(),
            "review_days": review_days(),
        },
    )


@require_GET
def rollup_report(request: HttpRequest) -> HttpResponse:
    if not permissions.segments_where(request.user, Action.VIEW_INQUIRIES).exists():
        raise PermissionDenied(Action.VIEW_INQUIRIES)
    report = reports.monthly_report(
        request.user, month_text=request.GET.get("month", ""), bu_code=request.GET.get("bu", "")
    )
    return render(
        request, "inquiries/rollup_report.html", {"report": report, "chart": report.chart}
    )


@require_GET
def annual_summary(request: HttpRequest) -> HttpResponse:
    units = permissions.business_units_where(request.user, Action.SUMMARISE_INQUIRIES)
    if not units.exists():
        raise PermissionDenied(Action.SUMMARISE_INQUIRIES)
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        year = timezone.localdate().year
    year = min(max(year, 2000), timezone.localdate().year)
    summary = reports.annual_summary(units, year)
    if request.GET.get("format") == "xlsx":
        content = exporting.annual_summary_xlsx(summary)
        response = HttpResponse(content, content_type=spreadsheets.CONTENT_TYPES["xlsx"])
        response["Content-Disposition"] = f'attachment; filename="inquiries-{year}.xlsx"'
        return response
    return render(request, "inquiries/annual_summary.html", {"summary": summary})
