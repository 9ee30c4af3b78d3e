"""The one XLSX writer's files open in LibreOffice with every value, number, date and title
as openpyxl reads them (tests/libreoffice.py)."""

import datetime
from decimal import Decimal

from prioritizer.spreadsheets import Sheet, to_xlsx
from tests.libreoffice import reopened_by_libreoffice, sheets_of


def test_a_workbook_of_every_kind_of_cell_opens_in_libreoffice_unchanged(tmp_path):
    sheets = [
        Sheet(
            key="list",
            title="2027年度汽车零部件细分市场重点客户分级名单（第二版）",
            headers=["排名", "客户名称", "营业收入（元）", "得分", "下次跟进", "备注"],
            rows=[
                [
                    1,
                    "上海汽车集团股份有限公司",
                    Decimal("421980649.00"),
                    Decimal("77.25"),
                    datetime.date(2027, 3, 1),
                    '=HYPERLINK("http://x")',
                ],
                [2, 'Ünïcödé & <markup> "quoted"', Decimal("-1234.5"), 0, None, "第一行\n第二行"],
                [
                    3,
                    "𠀀 outside the BMP",
                    None,
                    Decimal("100"),
                    datetime.datetime(2027, 12, 31, 8, 30),  # noqa: DTZ001 - a cell has no time zone
                    "+86 21 5555",
                ],
            ],
            widths=[6, 30, 16, 8, 12, 20],
            formats={2: "#,##0.00", 3: "0.00", 4: "yyyy-mm-dd"},
            heading=["年度BU重要客户分级名单", "2027"],
        ),
        Sheet(
            key="again",
            title="2027年度汽车零部件细分市场重点客户分级名单（第二版）",
            headers=["a"],
            rows=[[1.5], [True]],
        ),
    ]
    content = to_xlsx(sheets)
    assert reopened_by_libreoffice(content, tmp_path) == sheets_of(content)
