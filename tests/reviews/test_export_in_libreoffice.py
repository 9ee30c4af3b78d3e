"""The review workbook opens in LibreOffice as openpyxl reads it, every sheet."""

from tests.libreoffice import reopened_by_libreoffice, sheets_of
from tests.reviews.test_views import url


def test_the_review_workbook_opens_in_libreoffice_unchanged(
    hand_results, people, client_for, tmp_path
):
    content = client_for(people.bob).get(url("export")).content
    assert reopened_by_libreoffice(content, tmp_path) == sheets_of(content)
