"""Spreadsheets uploaded for an import, kept from the preview to the confirmation.

The file is stored under MEDIA_ROOT/imports/ (the customer import's daily clean-up deletes what
is older than a day) with a random name remembered in the uploader's session, so confirming
loads exactly the file the preview showed, and nobody else can confirm it. Shared by the
customer import and the people file.
"""

from __future__ import annotations

import re
import secrets
from pathlib import Path

from django import forms
from django.conf import settings
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _

from prioritizer.tabular import MAX_FILE_BYTES

EXTENSIONS = (".csv", ".txt", ".xlsx")
TOKEN = re.compile(r"[A-Za-z0-9_-]{32}")


def imports_dir() -> Path:
    path = Path(settings.MEDIA_ROOT) / "imports"
    path.mkdir(parents=True, exist_ok=True)
    return path


def clean_spreadsheet(upload):
    """A form's clean_file: the upload when it is a CSV or XLSX within the size limit."""
    if upload.size > MAX_FILE_BYTES:
        raise forms.ValidationError(
            _("The file is larger than %(max)d MB.") % {"max": MAX_FILE_BYTES // 1024 // 1024}
        )
    if not upload.name.lower().endswith(EXTENSIONS):
        raise forms.ValidationError(_("Upload a CSV or XLSX file."))
    return upload


def upload_keep(request: HttpRequest, upload, *, session_key: str, **remembered) -> str:
    """Store the upload and remember it (with `remembered`) in the session; its token."""
    token = secrets.token_urlsafe(24)
    with (imports_dir() / token).open("wb") as target:
        for chunk in upload.chunks():
            target.write(chunk)
    pending = request.session.get(session_key, {})
    pending[token] = {"user": request.user.pk, "filename": Path(upload.name).name[:200]}
    pending[token] |= remembered
    request.session[session_key] = pending
    return token


def upload_pending(request: HttpRequest, token: str, *, session_key: str) -> tuple[dict, Path]:
    """The upload behind `token`, if this user's session made it; 404 otherwise."""
    entry = request.session.get(session_key, {}).get(token)
    if not TOKEN.fullmatch(token) or entry is None or entry.get("user") != request.user.pk:
        raise Http404
    path = imports_dir() / token
    if not path.is_file():
        raise Http404
    return entry, path


def upload_forget(request: HttpRequest, token: str, *, session_key: str) -> bool:
    """Drop the token from the session; whether it was there."""
    pending = request.session.get(session_key, {})
    if pending.pop(token, None) is None:
        return False
    request.session[session_key] = pending
    return True
