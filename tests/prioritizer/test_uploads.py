"""An upload kept from the preview to the confirmation: only its uploader's session finds it."""

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.core.files.uploadedfile import SimpleUploadedFile
from django.forms import ValidationError
from django.http import Http404
from django.test import RequestFactory

from prioritizer.uploads import clean_spreadsheet, upload_forget, upload_keep, upload_pending
from tests.factories import UserFactory

KEY = "test_uploads"


@pytest.fixture
def request_of(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path

    def make(user):
        request = RequestFactory().get("/")
        request.user, request.session = user, SessionStore()
        return request

    return make


def test_a_kept_upload_is_found_by_its_uploader_with_what_was_remembered(db, request_of):
    request = request_of(UserFactory())
    token = upload_keep(request, SimpleUploadedFile("a.csv", b"x,y\n"), session_key=KEY, year=2026)
    entry, path = upload_pending(request, token, session_key=KEY)
    assert (entry["filename"], entry["year"], path.read_bytes()) == ("a.csv", 2026, b"x,y\n")


def test_another_user_with_the_token_gets_404(db, request_of):
    request = request_of(UserFactory())
    token = upload_keep(request, SimpleUploadedFile("a.csv", b"x"), session_key=KEY)
    other = request_of(UserFactory())
    other.session[KEY] = request.session[KEY]  # even with the entry copied into its session
    with pytest.raises(Http404):
        upload_pending(other, token, session_key=KEY)


def test_a_malformed_or_forgotten_token_gets_404(db, request_of):
    request = request_of(UserFactory())
    token = upload_keep(request, SimpleUploadedFile("a.csv", b"x"), session_key=KEY)
    with pytest.raises(Http404):
        upload_pending(request, "../" + token, session_key=KEY)
    assert upload_forget(request, token, session_key=KEY) is True
    with pytest.raises(Http404):
        upload_pending(request, token, session_key=KEY)


def test_only_csv_and_xlsx_files_are_taken():
    with pytest.raises(ValidationError):
        clean_spreadsheet(SimpleUploadedFile("a.pdf", b"x"))
    assert clean_spreadsheet(SimpleUploadedFile("A.XLSX", b"x")).name == "A.XLSX"
