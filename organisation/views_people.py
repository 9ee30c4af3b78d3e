"""The people file in the browser, for superusers: upload, preview (a dry run listing every
problem), confirm; and the dump as a download.

The upload is kept as the customer import keeps its own (prioritizer/uploads.py), so "Load"
loads exactly the previewed file and nobody else can confirm it.
"""

from __future__ import annotations

from pathlib import Path

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from organisation.forms import PeopleImportForm
from organisation.people import PeopleLoadResult, people_load, people_sheet
from prioritizer.spreadsheets import CONTENT_TYPES, csv_bytes
from prioritizer.uploads import upload_forget, upload_keep, upload_pending

SESSION_KEY = "people_imports"


def _require_admin(request: HttpRequest) -> None:
    if not request.user.is_superuser:
        raise PermissionDenied


def _pending(request: HttpRequest, token: str) -> tuple[dict, Path]:
    return upload_pending(request, token, session_key=SESSION_KEY)


def people_import(request: HttpRequest) -> HttpResponse:
    _require_admin(request)
    form = PeopleImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        token = upload_keep(request, form.cleaned_data["file"], session_key=SESSION_KEY)
        return redirect("organisation:people-import-preview", token=token)
    return render(request, "organisation/people_import.html", {"form": form})


def _load(request: HttpRequest, token: str, *, dry_run: bool):
    entry, path = _pending(request, token)
    result = people_load(
        file_bytes=path.read_bytes(), filename=entry["filename"], by=request.user, dry_run=dry_run
    )
    return entry, path, result


def _preview(request, token: str, entry: dict, result: PeopleLoadResult) -> HttpResponse:
    context = {"result": result, "token": token, "entry": entry}
    return render(request, "organisation/people_import_preview.html", context)


@require_GET
def people_import_preview(request: HttpRequest, token: str) -> HttpResponse:
    _require_admin(request)
    entry, _path, result = _load(request, token, dry_run=True)
    return _preview(request, token, entry, result)


@require_POST
def people_import_confirm(request: HttpRequest, token: str) -> HttpResponse:
    """Load the previewed file; refused whole (and shown again) when the database changed so
    that it no longer loads."""
    _require_admin(request)
    entry, path, result = _load(request, token, dry_run=False)
    if not result.ok:
        return _preview(request, token, entry, result)
    path.unlink(missing_ok=True)
    upload_forget(request, token, session_key=SESSION_KEY)
    messages.success(request, loaded_message(result))
    return redirect("organisation:people-import")


def loaded_message(result: PeopleLoadResult) -> str:
    return _(
        "Loaded %(rows)d rows: %(created)d people created, %(updated)d updated, "
        "%(deactivated)d deactivated; %(added)d role memberships added, %(ended)d ended."
    ) % {
        "rows": result.rows,
        "created": result.created,
        "updated": result.updated,
        "deactivated": result.deactivated,
        "added": result.memberships_added,
        "ended": result.memberships_ended,
    }


@require_GET
def people_dump(request: HttpRequest) -> HttpResponse:
    _require_admin(request)
    response = HttpResponse(csv_bytes(people_sheet()), content_type=CONTENT_TYPES["csv"])
    response["Content-Disposition"] = 'attachment; filename="people.csv"'
    return response
