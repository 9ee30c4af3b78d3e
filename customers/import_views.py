"""Customer import in the browser (upload, preview, confirm) and the customer export.

The uploaded file is kept under MEDIA_ROOT/imports/ with a random name that is remembered in
the uploader's session, so "Import" imports exactly the file the preview showed, and nobody
else can confirm it.
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
from django.views.decorators.http import require_POST

from customers.exporting import customers_export
from customers.filters import CustomerFilter, year_from
from customers.import_forms import CustomerImportForm
from customers.importing import customers_import
from customers.models import Customer
from organisation import permissions
from organisation.permissions import Action

SESSION_KEY = "customer_imports"
SHOWN_PROBLEMS = 1000
TOKEN = re.compile(r"[A-Za-z0-9_-]{32}")


def _imports_dir() -> Path:
    path = Path(settings.MEDIA_ROOT) / "imports"
    path.mkdir(parents=True, exist_ok=True)
    return path


def _require_researcher(request: HttpRequest) -> None:
    """Researchers of some BU (and superusers); the rows' BUs are checked by the service."""
    if not permissions.business_units_where(request.user, Action.EDIT_CUSTOMERS).exists():
        raise PermissionDenied(Action.EDIT_CUSTOMERS)


def _pending(request: HttpRequest, token: str) -> tuple[dict, Path]:
    """The upload behind `token`, if this user's session made it."""
    entry = request.session.get(SESSION_KEY, {}).get(token)
    if not TOKEN.fullmatch(token) or entry is None or entry.get("user") != request.user.pk:
        raise Http404
    path = _imports_dir() / token
    if not path.is_file():
        raise Http404
    return entry, path


def customer_import(request: HttpRequest) -> HttpResponse:
    _require_researcher(request)
    form = CustomerImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        token = secrets.token_urlsafe(24)
        upload = form.cleaned_data["file"]
        with (_imports_dir() / token).open("wb") as target:
            for chunk in upload.chunks():
                target.write(chunk)
        pending = request.session.get(SESSION_KEY, {})
        pending[token] = {
            "user": request.user.pk,
            "filename": Path(upload.name).name[:200],
            "year": form.cleaned_data["year"],
        }
        request.session[SESSION_KEY] = pending
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
    _require_researcher(request)
    entry, path = _pending(request, token)
    result = customers_import(
        file_bytes=path.read_bytes(),
        filename=entry["filename"],
        default_year=entry["year"],
        by=request.user,
        dry_run=False,
    )
    if not result.ok:  # the database changed since the preview
        return redirect("customers:customer-import-preview", token=token)
    path.unlink(missing_ok=True)
    pending = request.session.get(SESSION_KEY, {})
    pending.pop(token, None)
    request.session[SESSION_KEY] = pending
    messages.success(
        request,
        _(
            "Imported %(rows)d rows: %(created)d customers created, %(updated)d updated; "
            "%(facts)d yearly facts and %(ratings)d ratings written."
        )
        % {
            "rows": result.rows,
            "created": result.customers_created,
            "updated": result.customers_updated,
            "facts": result.facts_created + result.facts_updated,
            "ratings": result.ratings_written,
        },
    )
    return redirect("customers:customer-list")


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
