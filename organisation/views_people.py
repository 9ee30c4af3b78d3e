"""The people file in the browser, for superusers: upload, preview (a dry run listing every
problem), confirm; and the dump as a download.

As with the customer import, the upload is kept under MEDIA_ROOT/imports/ (deleted after a day
by clean_import_uploads) with a random name remembered in the uploader's session, so "Load"
loads exactly the previewed file and nobody else can confirm it.
"""

from __future__ import annotations

import re
import secrets
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from organisation.forms import PeopleImportForm
from organisation.people import PeopleLoadResult, people_load, people_sheet
from prioritizer.spreadsheets import CONTENT_TYPES, csv_bytes

SESSION_KEY = "people_imports"
TOKEN = re.compile(r"[A-Za-z0-9_-]{32}")


def imports_dir() -> Path:
    """The customer import's folder (customers.imports.jobs), so its daily clean-up also
    deletes people files nobody confirmed; organisation may not import customers."""
    path = Path(settings.MEDIA_ROOT) / "imports"
    path.mkdir(parents=True, exist_ok=True)
    return path


def _require_admin(request: HttpRequest) -> None:
    if not request.user.is_superuser:
        raise PermissionDenied


def _pending(request: HttpRequest, token: str) -> tuple[dict, Path]:
    """The upload behind `token`, if this user's session made it."""
    entry = request.session.get(SESSION_KEY, {}).get(token)
    if not TOKEN.fullmatch(token) or entry is None or entry.get("user") != request.user.pk:
        raise Http404
    path = imports_dir() / token
    if not path.is_file():
        raise Http404
    return entry, path


def people_import(request: HttpRequest) -> HttpResponse:
    _require_admin(request)
    form = PeopleImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        token = secrets.token_urlsafe(24)
        upload = form.cleaned_data["file"]
        with (imports_dir() / token).open("wb") as target:
            for chunk in upload.chunks():
                target.write(chunk)
        pending = request.session.get(SESSION_KEY, {})
        pending[token] = {"user": request.user.pk, "filename": Path(upload.name).name[:200]}
        request.session[SESSION_KEY] = pending
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
    pending = request.session.get(SESSION_KEY, {})
    pending.pop(token, None)
    request.session[SESSION_KEY] = pending
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
