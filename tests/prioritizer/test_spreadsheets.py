"""The one spreadsheet module: Excel's sheet-title rules, CSV with a BOM, the formula guard in
both formats, and XLSX files that openpyxl reads back with numbers, dates and layout intact."""

import csv
import datetime
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from prioritizer.spreadsheets import Sheet, csv_bytes, neutralise, sheet_titles, to_xlsx

FORMULA_STARTS = ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"]


def utf16_units(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def valid_title(title: str) -> bool:
    return (
        0 < utf16_units(title) <= 31
        and not any(char in "[]:*?/\\" for char in title)
        and not title.startswith("'")
        and not title.endswith("'")
    )


def workbook_of(*sheets: Sheet):
    return load_workbook(io.BytesIO(to_xlsx(list(sheets))))


def table(rows, **fields) -> Sheet:
    return Sheet(**({"key": "t", "title": "T", "headers": ["a", "b"], "rows": rows} | fields))


# --- Sheet titles ------------------------------------------------------------------------------


def test_a_title_is_cut_to_31_utf16_units_counting_a_character_outside_the_bmp_twice():
    wide = "\U00020000"  # 𠀀, CJK Extension B: two UTF-16 units
    assert sheet_titles([wide * 20]) == [wide * 15]
    assert sheet_titles(["a" + wide * 20]) == ["a" + wide * 15]
    assert sheet_titles(["年度重点客户" * 10]) == [("年度重点客户" * 10)[:31]]


def test_a_title_has_no_forbidden_character_nor_an_apostrophe_at_either_end():
    assert sheet_titles(["a[b]c:d*e?f/g\\h"]) == ["a_b_c_d_e_f_g_h"]
    assert sheet_titles(["'quoted'"]) == ["quoted"]
    assert sheet_titles(["x" * 30 + "'y"]) == ["x" * 30]  # the cut leaves no apostrophe last
    assert sheet_titles(["''", "\x01"]) == ["Sheet", "Sheet 2"]


def test_titles_are_unique_without_regard_to_case_and_history_is_excel_s():
    assert sheet_titles(["List", "list", "LIST", "History"]) == [
        "List",
        "list 2",
        "LIST 3",
        "History 2",
    ]


def test_ten_sheets_with_the_same_long_chinese_title_get_distinct_valid_titles():
    title = "年度事业部重要客户分级名单及客户发展负责人名单汇总表（二〇二七年）"
    titles = sheet_titles([title] * 10)
    assert len({t.casefold() for t in titles}) == 10
    assert all(valid_title(t) for t in titles), titles
    workbook = workbook_of(*(table([], key=f"k{i}", title=title) for i in range(10)))
    assert workbook.sheetnames == titles


# --- CSV ---------------------------------------------------------------------------------------


def test_csv_is_utf8_with_a_bom_and_crlf_lines():
    content = csv_bytes(table([["甲", 1], [None, datetime.date(2027, 1, 2)]]))
    assert content.startswith(b"\xef\xbb\xbf")
    assert content.decode("utf-8-sig") == "a,b\r\n甲,1\r\n,2027-01-02\r\n"


@pytest.mark.parametrize("text", FORMULA_STARTS)
def test_formula_looking_text_is_neutralised_in_csv_and_xlsx(text):
    sheet = lambda: table([[text, 1]], headers=[text, "b"])  # noqa: E731
    rows = list(csv.reader(io.StringIO(csv_bytes(sheet()).decode("utf-8-sig"), newline="")))
    assert rows == [["'" + text, "b"], ["'" + text, "1"]]
    worksheet = workbook_of(sheet()).worksheets[0]
    for row in (1, 2):
        cell = worksheet.cell(row=row, column=1)
        assert (cell.value, cell.data_type) == ("'" + text, "s")
    assert neutralise(text) == "'" + text


# --- XLSX --------------------------------------------------------------------------------------


def test_numbers_stay_numbers_and_dates_stay_dates():
    day = datetime.date(2027, 3, 31)
    moment = datetime.datetime(2027, 3, 31, 14, 30, 15, tzinfo=datetime.UTC)  # written as read
    sheet = table(
        [[7, Decimal("77.50"), 0.25, day, moment, True, "text"]],
        headers=[],
        formats={1: "#,##0.00"},
    )
    worksheet = workbook_of(sheet).worksheets[0]
    values = [cell.value for cell in worksheet[1]]
    assert values[:3] + values[5:] == [7, 77.5, 0.25, True, "text"]
    assert isinstance(values[0], int) and isinstance(values[1], float)
    assert values[3].date() == day and values[4] == moment.replace(tzinfo=None)
    assert worksheet["B1"].number_format == "#,##0.00"
    assert (worksheet["D1"].is_date, worksheet["D1"].number_format) == (True, "yyyy-mm-dd")
    assert worksheet["E1"].is_date


def test_the_header_is_bold_and_frozen_below_the_heading_with_widths():
    sheet = table([["x", 1]], heading=["Title", "Lists: AUTO"], widths=[12, 30])
    worksheet = workbook_of(sheet).worksheets[0]
    rows = list(worksheet.iter_rows(values_only=True))
    assert rows == [("Title", None), ("Lists: AUTO", None), (None, None), ("a", "b"), ("x", 1)]
    assert worksheet.freeze_panes == "A5"
    assert worksheet["A1"].font.bold and not worksheet["A2"].font.bold
    assert worksheet["A4"].font.bold and worksheet["B4"].font.bold
    assert worksheet.column_dimensions["B"].width == 30


def test_a_plain_sheet_has_neither_bold_nor_frozen_header_and_keeps_blank_rows():
    plain = workbook_of(table([["x", 1]], plain=True)).worksheets[0]
    assert plain.freeze_panes is None and not plain["A1"].font.bold
    rows = workbook_of(table([["x"], [], ["y"]], headers=[])).worksheets[0]
    assert list(rows.iter_rows(values_only=True)) == [("x",), (None,), ("y",)]


def test_text_keeps_its_line_breaks_and_spaces_and_loses_what_xml_cannot_hold():
    sheet = table([["a\r\nb", " padded ", "甲\x0b公司\x01", "<r>x</r> & <b>"]], headers=[])
    assert [c.value for c in workbook_of(sheet).worksheets[0][1]] == [
        "a\r\nb",
        " padded ",
        "甲公司",
        "<r>x</r> & <b>",
    ]
