"""export_target_list: the contract's columns to standard output or a file, and clear errors."""

import csv
import io

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation
from openpyxl import load_workbook

from evaluation.lists.approval import target_list_approve, target_list_revise
from evaluation.lists.services import target_entry_tier_override
from evaluation.models import TargetList
from tests.evaluation.lists.test_exports import EXAMPLE_ROWS, HEADERS


def export(*args, stdout=None):
    stdout = stdout if stdout is not None else io.StringIO()
    call_command("export_target_list", *args, stdout=stdout)
    return stdout


def test_csv_goes_to_standard_output_with_the_contracts_keys(example_list):
    with translation.override("zh-hans"):  # the language does not change the contract
        text = export("--year", "2027", "--segment", "AUTO", "--format", "csv").getvalue()
    assert text.startswith("\ufeff")
    assert list(csv.reader(io.StringIO(text[1:]))) == [HEADERS, *EXAMPLE_ROWS]


def test_xlsx_goes_to_a_binary_standard_output(example_list):
    content = export(
        "--year", "2027", "--segment", "AUTO", "--format", "xlsx", stdout=io.BytesIO()
    ).getvalue()
    sheet = load_workbook(io.BytesIO(content)).worksheets[0]
    assert [cell.value for cell in sheet[1]] == HEADERS
    assert [row[2] for row in sheet.iter_rows(min_row=2, values_only=True)] == list("GAFEBCHD")


def test_xlsx_goes_to_the_binary_buffer_of_the_real_standard_output(example_list):
    stdout = io.TextIOWrapper(io.BytesIO(), encoding="utf-8")  # what sys.stdout is
    export("--year", "2027", "--segment", "AUTO", "--format", "xlsx", stdout=stdout)
    sheet = load_workbook(io.BytesIO(stdout.buffer.getvalue())).worksheets[0]
    assert sheet.cell(row=9, column=6).value == "screened_out"


def test_xlsx_is_refused_on_a_text_stream(example_list):
    with pytest.raises(CommandError, match="--output"):
        export("--year", "2027", "--segment", "AUTO", "--format", "xlsx")


def test_output_writes_the_file(example_list, tmp_path):
    path = tmp_path / "auto.xlsx"
    export("--year", "2027", "--segment", "AUTO", "--format", "xlsx", "--output", str(path))
    sheet = load_workbook(path).worksheets[0]
    assert sheet.cell(row=2, column=3).value == "G"
    assert [p.name for p in tmp_path.iterdir()] == ["auto.xlsx"]


def test_output_into_a_missing_folder_is_refused(example_list, tmp_path):
    path = tmp_path / "missing" / "auto.csv"
    with pytest.raises(CommandError, match="No such folder"):
        export("--year", "2027", "--segment", "AUTO", "--format", "csv", "--output", str(path))


def test_an_unknown_segment_is_refused(example_list):
    with pytest.raises(CommandError, match="Unknown segment NOPE"):
        export("--year", "2027", "--segment", "NOPE", "--format", "csv")


def test_a_year_without_a_list_is_refused(example_list):
    with pytest.raises(CommandError, match="AUTO has no target list for 2031"):
        export("--year", "2031", "--segment", "AUTO", "--format", "csv")


def test_a_segment_without_a_list_is_refused(example_list):
    with pytest.raises(CommandError, match="ELEC has no target list for 2027"):
        export("--year", "2027", "--segment", "ELEC", "--format", "csv")


def test_an_unknown_format_is_refused(example_list):
    with pytest.raises(CommandError, match="Unknown format 'pdf': use csv or xlsx"):
        export("--year", "2027", "--segment", "AUTO", "--format", "pdf")


def test_the_list_in_force_is_exported_while_a_revision_is_worked_on(example_list, people):
    TargetList.objects.filter(pk=example_list.pk).update(state=TargetList.State.APPROVED)
    example_list.refresh_from_db()
    revision = target_list_revise(target_list=example_list, by=people.alice, reason="新增客户")
    target_entry_tier_override(
        target_list=revision,
        customer_id=revision.run.entries.get(customer__name_zh="H").customer_id,
        tier="C",
        reason="战略合作",
        by=people.alice,
    )
    text = export("--year", "2027", "--segment", "AUTO", "--format", "csv").getvalue()
    rows = {row[2]: row for row in csv.reader(io.StringIO(text[1:]))}
    assert rows["H"][5:7] == ["general", ""]  # the approved revision 1 is still in force
    TargetList.objects.filter(pk=revision.pk).update(state=TargetList.State.CONSOLIDATED)
    target_list_approve(target_list=revision, by=people.carol)
    text = export("--year", "2027", "--segment", "AUTO", "--format", "csv").getvalue()
    rows = {row[2]: row for row in csv.reader(io.StringIO(text[1:]))}
    assert rows["H"][5:7] == ["target", "C"]
