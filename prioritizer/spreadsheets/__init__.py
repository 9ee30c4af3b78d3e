"""The one place spreadsheets are written: every export (target lists and the BU/BG documents,
customers, inquiries, reviews) builds `Sheet`s and hands them to `to_csv` or `to_xlsx`.

- `sheet.py`: `Sheet`, the formula guard `neutralise`, `sheet_titles` (Excel's rules), the
  content types of the formats.
- `csv_file.py`: `to_csv` (UTF-8 with a BOM, in chunks), `csv_bytes`.
- `xlsx_file.py`: `to_xlsx`, written directly as XML (its docstring says why, with figures).

Spreadsheets are read in `prioritizer.tabular` (openpyxl, read-only).
"""

from prioritizer.spreadsheets.csv_file import csv_bytes, to_csv
from prioritizer.spreadsheets.sheet import CONTENT_TYPES, FORMATS, Sheet, neutralise, sheet_titles
from prioritizer.spreadsheets.xlsx_file import to_xlsx

__all__ = [
    "CONTENT_TYPES",
    "FORMATS",
    "Sheet",
    "csv_bytes",
    "neutralise",
    "sheet_titles",
    "to_csv",
    "to_xlsx",
]
