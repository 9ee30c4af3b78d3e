"""The target-list exports open in LibreOffice as openpyxl reads them: the segment list, a
BG's tiered document (summary, list, principles) and a BU's owners document."""

from evaluation.lists import documents, exports
from tests.evaluation.lists.test_exports import chem_list, elec_list  # noqa: F401 - fixtures
from tests.libreoffice import reopened_by_libreoffice, sheets_of


def test_the_segment_list_opens_in_libreoffice_unchanged(example_list, tmp_path):
    content = exports.render([exports.segment_list(example_list)], "xlsx")
    assert reopened_by_libreoffice(content, tmp_path) == sheets_of(content)


def test_a_bg_tiered_document_opens_in_libreoffice_unchanged(org, elec_list, chem_list, tmp_path):  # noqa: F811
    content = exports.render(documents.tiered_document(org.bg1, 2027), "xlsx")
    assert reopened_by_libreoffice(content, tmp_path) == sheets_of(content)


def test_the_owners_document_opens_in_libreoffice_unchanged(org, example_list, tmp_path):
    content = exports.render(documents.owners_document(org.bu1, 2027), "xlsx")
    assert reopened_by_libreoffice(content, tmp_path) == sheets_of(content)
