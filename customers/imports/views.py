"""Customer import in the browser (upload, preview, confirm, run) and the customer export.

The uploaded file is kept under MEDIA_ROOT/imports/ with a random name that is remembered in
the uploader's session, so "Import" imports exactly the file the preview showed, and nobody
else can confirm it. "Import" queues the import (customers.imports.jobs): a large file takes
longer than a web request may last, so the run page follows it until it is done.
"""

from __future__ import annotations

from pathlib import Path

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from customers.exporting import customers_export
from customers.filters import CustomerFilter, year_from
from customers.imports.forms import CustomerImportForm
from customers.imports.jobs import import_run_start, imports_dir
from customers.imports.runs import ImportRun
from customers.imports.service import customers_import
from customers.models import Customer
from organisation import permissions
from organisation.permissions import Action
from prioritizer.uploads import upload_forget, upload_keep, upload_pending

SESSION_KEY = "customer_imports"
SHOWN_PROBLEMS = 1000


def _require_researcher(request: HttpRequest) -> None:
    """Researchers of some BU (and superusers); the rows' BUs are checked by the service."""
    if not permissions.business_units_where(request.user, Action.EDIT_CUSTOMERS).exists():
        raise PermissionDenied(Action.EDIT_CUSTOMERS)


def _pending(request: HttpRequest, token: str) -> tuple[dict, Path]:
    return upload_pending(request, token, session_key=SESSION_KEY)


def customer_import(request: HttpRequest) -> HttpResponse:
    _require_researcher(request)
    form = CustomerImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        token = upload_keep(
            request,
            form.cleaned_data["file"],
            session_key=SESSION_KEY,
            year=form.cleaned_data["year"],
        )
        return redirect("customers:customer-import-preview", token=token)
    return render(request, "customers/import_upload.html", {"form": form})


def customer_import_preview(request: HttpRequest, token: str) -> HttpResponse:
    _require_researcher(request)
    entry, path = _pending(request, token)
    result = customers_import(
        file_bytes=path.read_bytes(),
        filename=entry["filename"],
        default_year=entry["year"],
        by=request.user,
        dry_run=True,
    )
    return render(
        request,
        "customers/import_preview.html",
        {
            "result": result,
            "token": token,
            "entry": entry,
            "problems": result.problems[:SHOWN_PROBLEMS],
            "more_problems": max(0, len(result.problems) - SHOWN_PROBLEMS),
            "ratings_shown": any(row["ratings"] for row in result.preview),
        },
    )


@require_POST
def customer_import_confirm(request: HttpRequest, token: str) -> HttpResponse:
    """Queue the import of the previewed file (once, however often this is posted)."""
    _require_researcher(request)
    entry, _path = _pending(request, token)
    run = import_run_start(
        user=request.user,
        token=token,
        filename=entry["filename"],
        year=entry["year"],
        language=get_language(),
    )
    return redirect(run)


def imported_message(run: ImportRun) -> str:
    return _(
        "Imported %(rows)d rows: %(created)d customers created, %(updated)d updated; "
        "%(facts)d yearly facts and %(ratings)d ratings written."
    ) % {
        "rows": run.rows,
        "created": run.customers_created,
        "updated": run.customers_updated,
        "facts": run.facts_written,
        "ratings": run.ratings_written,
    }


def _run_state(run: ImportRun) -> dict:
    """What the progress box says, and how it looks."""
    if run.state == ImportRun.State.DONE:
        return {"level": "success", "message": imported_message(run)}
    if run.state == ImportRun.State.FAILED:
        return {"level": "danger", "message": run.error}
    if run.state == ImportRun.State.RUNNING:
        return {"level": "info", "message": _("Importing… this page updates by itself.")}
    if run.waits_for_job_queue():
        return {"level": "info", "message": _("Waiting for the job queue…")}
    return {"level": "info", "message": _("Queued: the import starts as soon as a worker is free.")}


@require_GET
def customer_import_run(request: HttpRequest, pk: int) -> HttpResponse:
    """A confirmed import's progress and outcome, for its uploader (and superusers) only;
    htmx polls the same URL for the box alone until the run is finished."""
    run = get_object_or_404(ImportRun.objects.visible_to(request.user), pk=pk)
    if run.state == ImportRun.State.DONE and run.user_id == request.user.pk:
        upload_forget(request, run.token, session_key=SESSION_KEY)
    context = {
        "run": run,
        "state": _run_state(run),
        # A failed run's file is kept: its uploader can look at the preview again.
        "preview_url": (
            reverse("customers:customer-import-preview", args=[run.token])
            if run.state == ImportRun.State.FAILED
            and run.user_id == request.user.pk
            and (imports_dir() / run.token).is_file()
            else None
        ),
    }
    template = (
        "customers/_import_run_progress.html" if request.htmx else "customers/import_run.html"
    )
    return render(request, template, context)


def customer_export(request: HttpRequest) -> HttpResponse:
    """What the user's filtered customer list shows, with that year's facts and ratings."""
    if not permissions.has_any_role(request.user):
        raise PermissionDenied
    year = year_from(request.GET)
    fmt = "xlsx" if request.GET.get("format") == "xlsx" else "csv"
    queryset = CustomerFilter(
        request.GET, Customer.objects.visible_to(request.user), request=request, year=year
    ).qs
    content, content_type, filename = customers_export(queryset, year=year, fmt=fmt)
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
