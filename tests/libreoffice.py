"""Open an XLSX file in LibreOffice, as a user's office suite would: headless Calc reads it and
saves it again, and openpyxl reads what LibreOffice understood. A file LibreOffice cannot read
gives no output, so the comparison fails.

Skips when LibreOffice is missing, unless REQUIRE_SERVICES=1 (CI installs libreoffice-calc)."""

from __future__ import annotations

import datetime
import io
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from openpyxl import load_workbook


def soffice() -> str:
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found is None:
        if os.environ.get("REQUIRE_SERVICES") == "1":
            pytest.fail("LibreOffice (soffice) is required: apt-get install libreoffice-calc")
        pytest.skip("LibreOffice is not installed (apt-get install libreoffice-calc)")
    return found


def reopened_by_libreoffice(content: bytes, folder: Path) -> list[tuple[str, list[list]]]:
    """The sheets (title, values) of `content` after LibreOffice opened and saved it."""
    source = folder / "export.xlsx"
    source.write_bytes(content)
    out = folder / "libreoffice"
    subprocess.run(
        [
            soffice(),
            f"-env:UserInstallation=file://{folder / 'profile'}",
            "--headless",
            "--convert-to",
            "xlsx:Calc MS Excel 2007 XML",
            "--outdir",
            str(out),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    return sheets_of((out / "export.xlsx").read_bytes())


def _plain(value):
    if value == "":
        return None
    if value in ("=TRUE()", "=FALSE()"):  # how LibreOffice saves a boolean cell again
        return value == "=TRUE()"
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        return round(float(value), 9)
    if isinstance(value, datetime.datetime) and value.time() == datetime.time():
        return value.date()
    return value


def sheets_of(content: bytes) -> list[tuple[str, list[list]]]:
    """Each sheet's title and its values, trailing empty cells and rows dropped."""
    workbook = load_workbook(io.BytesIO(content))
    sheets = []
    for sheet in workbook.worksheets:
        rows = [[_plain(value) for value in row] for row in sheet.iter_rows(values_only=True)]
        rows = [
            row[: max((i + 1 for i, v in enumerate(row) if v is not None), default=0)]
            for row in rows
        ]
        while rows and not rows[-1]:
            rows.pop()
        sheets.append((sheet.title, rows))
    return sheets
