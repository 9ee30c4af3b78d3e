"""Score-run pages (2.3.3): the score button and its progress, runs with their screening
funnel and ranked entries, a customer's score explanation, and the what-if of other weights.

Runs are read like target lists (Action.VIEW_TARGET_LISTS on the segment); scoring is the
segment's list work (Action.MANAGE_SEGMENT_LIST); the what-if needs the right to edit the
criteria set's scope, and writes nothing.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from customers.models import Customer
from evaluation.criteria import services
from evaluation.criteria.sources import available_sources
from evaluation.models import CriteriaSet, ScoreEntry, ScoreRun, TargetList
from evaluation.scoring import explain, staleness
from evaluation.scoring.forms import ScoreForm, WhatIfForm
from evaluation.scoring.services import ScoreJob, score_job_enqueue, score_jobs, score_problems
from evaluation.scoring.whatif import compare as whatif_compare
from evaluation.scoring.whatif import segments_to_try
from evaluation.view_helpers import default_year, get_set
from organisation import permissions
from organisation.models import Segment
from organisation.permissions import Action
from outbox.models import Job


def _segment(code: str) -> Segment:
    return get_object_or_404(Segment.objects.with_org(), code=code)


def _list_past_draft(segment: Segment, year: int) -> TargetList | None:
    """The list scoring would reach (a revision being worked on, else the list in force),
    when scoring would leave it as it is (past draft)."""
    target_list = TargetList.objects.newest().filter(segment=segment, year=year).first()
    if target_list is None or target_list.state == TargetList.State.DRAFT:
        return None
    return target_list


def _facts_year(request: HttpRequest, year: int) -> int:
    """The facts year the score form starts with: the one asked for (a stale hint's link to
    score a run's facts again), else the year before the planning year."""
    form = ScoreForm({"facts_year": request.GET.get("facts_year", "")})
    return form.cleaned_data["facts_year"] if form.is_valid() else year - 1


def _list_url(segment: Segment, year: int) -> str | None:
    """The segment's current target list, once the list pages exist."""
    target_list = TargetList.objects.in_force_for(year, [segment]).first()
    try:
        return target_list.get_absolute_url() if target_list else None
    except NoReverseMatch:
        return None


# --- Runs -------------------------------------------------------------------------------------


@require_GET
def score_run_index(request: HttpRequest) -> HttpResponse:
    """The segments the user may see, each with its latest run of the year."""
    if not permissions.has_any_role(request.user):
        raise PermissionDenied(Action.VIEW_TARGET_LISTS)
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        year = default_year()
    segments = list(
        permissions.segments_where(request.user, Action.VIEW_TARGET_LISTS)
        .with_org()
        .order_by("code")
    )
    latest = ScoreRun.objects.filter(year=year, segment__in=segments).latest_per_segment()
    runs = {run.segment_id: run for run in latest}
    rows = [{"segment": segment, "run": runs.get(segment.pk)} for segment in segments]
    return render(request, "evaluation/run_index.html", {"year": year, "rows": rows})


@require_GET
def score_runs(request: HttpRequest, segment: str, year: int) -> HttpResponse:
    """A segment's runs of a year, newest first, with the score button."""
    segment = _segment(segment)
    permissions.require(request.user, Action.VIEW_TARGET_LISTS, segment)
    runs = (
        ScoreRun.objects.filter(segment=segment, year=year)
        .select_related("created_by", "criteria_set")
        .newest_first()[:100]
    )
    may_score = permissions.can(request.user, Action.MANAGE_SEGMENT_LIST, segment)
    kept = _list_past_draft(segment, year)
    return render(
        request,
        "evaluation/run_list.html",
        {
            "segment": segment,
            "year": year,
            "runs": runs,
            "may_score": may_score,
            "form": ScoreForm(initial={"facts_year": _facts_year(request, year)}),
            "kept_list": kept,
            "revise_how": staleness.revise_how(kept),
            "problems": score_problems(segment, year) if may_score else [],
            "criteria_set": CriteriaSet.objects.in_force_for(segment, year),
            "list_url": _list_url(segment, year),
        },
    )


@require_POST
def score_segment(request: HttpRequest, segment: str, year: int) -> HttpResponse:
    """The score button: queue the scoring of the segment and show its progress."""
    segment = _segment(segment)
    permissions.require(request.user, Action.MANAGE_SEGMENT_LIST, segment)
    form = ScoreForm(request.POST, list_past_draft=_list_past_draft(segment, year) is not None)
    problems = score_problems(segment, year)
    if not form.is_valid():
        problems += [error for errors in form.errors.values() for error in errors]
    if problems:
        for problem in problems:
            messages.error(request, problem)
        return redirect("evaluation:score-runs", segment=segment.code, year=year)
    job = score_job_enqueue(
        segment=segment, year=year, facts_year=form.cleaned_data["facts_year"], by=request.user
    )
    return redirect("evaluation:score-job", job=job.pk)


def _job_state(score_job: ScoreJob, segment: Segment) -> dict:
    """What the progress box says: waiting, running, done (with the new run) or failed."""
    job, year = score_job.job, score_job.year
    state = {"finished": job.status in (Job.Status.DONE, Job.Status.FAILED), "job": job}
    if job.status == Job.Status.FAILED:
        return state | {
            "level": "danger",
            "message": _("Scoring failed. Try again, or ask an administrator."),
            "detail": job.last_error,
        }
    if job.status != Job.Status.DONE:
        return state | {
            "level": "info",
            "message": _("Waiting for the job queue…")
            if job.status == Job.Status.PENDING
            else _("Scoring… this page updates by itself."),
        }
    run = score_job.run()
    if run is None:
        problems = score_problems(segment, year) or [_("Scoring finished without a new run.")]
        return state | {"level": "warning", "message": " ".join(problems)}
    return state | {
        "level": "success",
        "message": _("Scored: %(count)d customers evaluated.")
        % {"count": run.funnel.get("evaluated", 0)},
        "run": run,
        "list_url": _list_url(segment, year),
    }


@require_GET
def score_job(request: HttpRequest, job) -> HttpResponse:
    """The progress of a score job; htmx polls the same URL for the box alone."""
    try:
        score_job = ScoreJob.of(get_object_or_404(score_jobs(), pk=job))
    except ValueError as error:
        raise PermissionDenied("job") from error
    segment = get_object_or_404(Segment.objects.with_org(), pk=score_job.segment_id)
    permissions.require(request.user, Action.VIEW_TARGET_LISTS, segment)
    context = {
        "segment": segment,
        "year": score_job.year,
        "state": _job_state(score_job, segment),
    }
    template = "evaluation/_run_progress.html" if request.htmx else "evaluation/run_progress.html"
    return render(request, template, context)


def _entry_filters(request: HttpRequest, run: ScoreRun) -> tuple[str, str]:
    """The status and tier the run's entries are filtered by ("" for one not known: all)."""
    status = request.GET.get("status", "")
    tier = request.GET.get("tier", "")
    return (
        status if status in ScoreEntry.Status.values else "",
        tier if tier in {t["code"] for t in run.tiers} else "",
    )


@require_GET
def score_run(request: HttpRequest, pk: int) -> HttpResponse:
    """One run: its header, the screening funnel, the charts and the ranked entries."""
    run = get_object_or_404(
        ScoreRun.objects.select_related(
            "segment__business_unit__business_group", "criteria_set", "created_by"
        ),
        pk=pk,
    )
    permissions.require(request.user, Action.VIEW_TARGET_LISTS, run)
    status, tier = _entry_filters(request, run)
    names = explain.criterion_names(run)
    paginator, page = explain.entries_page(
        run, status=status, tier=tier, page_number=request.GET.get("page"), names=names
    )
    return render(
        request,
        "evaluation/run_detail.html",
        {
            "run": run,
            "funnel": explain.funnel_layers(run),
            "charts": explain.list_chart_data(run),
            "criteria": [{"key": c["key"], "name": names[c["key"]]} for c in run.criteria],
            "tier_names": explain.tier_names(run),
            "statuses": ScoreEntry.Status.choices,
            "status": status,
            "tier": tier,
            "page": page,
            "paginator": paginator,
            "list_url": _list_url(run.segment, run.year),
            "stale": staleness.run_hint(run, request.user),
        },
    )


# --- A customer's scores ----------------------------------------------------------------------


@require_GET
def customer_scores(request: HttpRequest, pk: int) -> HttpResponse:
    """The explanation of a customer's latest scores: the partial its page loads with htmx."""
    customer = get_object_or_404(
        Customer.objects.select_related("business_unit__business_group"), pk=pk
    )
    permissions.require(request.user, Action.VIEW_CUSTOMERS, customer)
    explanations = explain.customer_explanations(customer, request.user)
    for explanation in explanations:
        explanation["stale"] = staleness.customer_hint(customer, explanation["run"], request.user)
    return render(
        request,
        "evaluation/_customer_scores.html",
        {"customer": customer, "explanations": explanations},
    )


# --- What-if ----------------------------------------------------------------------------------


def _whatif_form(request: HttpRequest, criteria_set, segments: list[Segment]) -> WhatIfForm:
    """Bound once a segment is asked for; else the set's weights on its first segment."""
    return WhatIfForm(
        request.GET if "segment" in request.GET else None,
        initial={
            "segment": segments[0].code if segments else "",
            "facts_year": criteria_set.year - 1,
        },
        criteria=list(criteria_set.criteria.all()),
        segments=segments,
        sources=available_sources(criteria_set.business_unit_id),
    )


@require_GET
def whatif(request: HttpRequest, pk: int) -> HttpResponse:
    """Other weights (and rules) tried on a segment's current data; nothing is saved."""
    criteria_set = get_set(request, pk)
    if not services.may_edit_scope(request.user, criteria_set.business_unit, criteria_set.segment):
        raise PermissionDenied(Action.EDIT_SEGMENT_CRITERIA)
    segments = segments_to_try(criteria_set)
    form = _whatif_form(request, criteria_set, segments)
    result = None
    if form.is_bound and form.is_valid():
        segment = next(s for s in segments if s.code == form.cleaned_data["segment"])
        try:
            result = whatif_compare(
                criteria_set=criteria_set,
                segment=segment,
                weights=form.weights(),
                rules=form.cleaned_data["rules"],
                facts_year=form.cleaned_data["facts_year"],
            )
        except ValidationError as error:
            form.add_error(None, error)
    return render(
        request,
        "evaluation/whatif.html",
        {"set": criteria_set, "form": form, "result": result, "segments": segments},
    )
