"""Reading an uploaded table (CSV or XLSX) into numbered rows keyed by column, for the importers
(customers.imports, reviews.importing).

- The file: XLSX (a zip, refused when it would unpack too large) or CSV in UTF-8 (with or
  without BOM), UTF-16 with BOM, else GB18030 (a superset of GBK); comma or tab separated.
- The header: the first row, its cells matched to column keys whatever the case, width or
  spacing (`header_key`), so English and Chinese headers, and other spellings, all work.
- Problems are collected (`Problem`, numbered as in the user's spreadsheet, the header is
  row 1); a file that cannot be read at all raises `Refused` with its one problem.

What a column means, and which are required, is the importer's.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from prioritizer.text import control_character

MAX_FILE_BYTES = 20 * 1024 * 1024
# An XLSX is a zip: refuse one that would unpack to more than this (a "zip bomb").
MAX_UNPACKED_BYTES = 300 * 1024 * 1024
MAX_ROWS = 500_000
MAX_CELL = 1000  # longer than this, a cell is never a valid value (nor a header a column)
# Written by a spreadsheet as text so it is not run as a formula; the importer takes it off again.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Problem:
    """Why a file cannot be imported: `row` as numbered in the file (the header is row 1)."""

    row: int
    column: str
    message: str

    def __str__(self) -> str:
        return _("row %(row)d, column %(column)s: %(message)s") % {
            "row": self.row,
            "column": self.column,
            "message": self.message,
        }


class Refused(Exception):
    """The file cannot be read at all (one problem, nothing else to check)."""

    def __init__(self, row: int, column: str, message: str):
        super().__init__(message)
        self.problem = Problem(row, column, message)


# --- The file ------------------------------------------------------------------------------


def file_too_large() -> Problem:
    """Refused before anything is parsed."""
    return Problem(
        1, "—", _("The file is larger than %(max)d MB.") % {"max": MAX_FILE_BYTES // 1024 // 1024}
    )


def refusal(file_bytes: bytes) -> Problem | None:
    """Why the file is refused before it is parsed (too large, or nothing but a BOM and
    blanks), or None."""
    if len(file_bytes) > MAX_FILE_BYTES:
        return file_too_large()
    if not file_bytes.strip(b"\xef\xbb\xbf \r\n\t"):
        return Problem(1, "—", _("The file is empty."))
    return None


def decode(file_bytes: bytes) -> str:
    """UTF-8 (with or without BOM), UTF-16 with BOM, else GB18030 (a superset of GBK)."""
    if file_bytes.startswith(b"\xef\xbb\xbf"):
        encodings = ["utf-8-sig"]
    elif file_bytes.startswith((b"\xff\xfe", b"\xfe\xff")):
        encodings = ["utf-16"]
    else:
        encodings = ["utf-8", "gb18030"]
    for encoding in encodings:
        try:
            return file_bytes.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise Refused(
        1,
        "—",
        _("The file cannot be read as text: save it as CSV in UTF-8 or GB18030/GBK, or as XLSX."),
    )


def csv_rows(file_bytes: bytes):
    text = decode(file_bytes)
    first_line = text.split("\n", 1)[0]
    delimiter = "\t" if first_line.count("\t") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    number = 0
    try:
        for number, record in enumerate(reader, start=1):  # noqa: B007 - used after the loop
            yield number, record
    except csv.Error as exc:
        raise Refused(
            number + 1,
            "—",
            _("The CSV file is malformed here (%(detail)s): check its quotes.") % {"detail": exc},
        ) from exc


def xlsx_rows(file_bytes: bytes):
    import openpyxl  # defusedxml is installed, which makes openpyxl safe from XML bombs

    try:
        with zipfile.ZipFile(io.BytesIO(file_bytes)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile as exc:
        raise Refused(1, "—", _("The file is not a valid XLSX workbook.")) from exc
    if unpacked > MAX_UNPACKED_BYTES:
        raise Refused(1, "—", _("The workbook is too large once unpacked."))
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(file_bytes), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise Refused(1, "—", _("The file is not a valid XLSX workbook.")) from exc
    try:
        sheet = workbook.worksheets[0]
        sheet.reset_dimensions()  # some writers store a wrong size; read every row there is
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            yield number, list(values)
    except Exception as exc:
        raise Refused(1, "—", _("The file is not a valid XLSX workbook.")) from exc
    finally:
        workbook.close()


def rows_of(file_bytes: bytes, filename: str):
    """(row number, cells) of every row of the file, blank ones included."""
    lower = filename.lower()
    if file_bytes.startswith(b"PK\x03\x04") or lower.endswith((".xlsx", ".xlsm")):
        return xlsx_rows(file_bytes)
    if file_bytes.startswith(b"\xd0\xcf\x11\xe0") or lower.endswith(".xls"):
        raise Refused(
            1, "—", _("Old Excel files (.xls) are not supported: save the file as XLSX or CSV.")
        )
    return csv_rows(file_bytes)


# --- Cells -------------------------------------------------------------------------------


def cell_text(value: Any) -> str:
    """A cell as trimmed text; a number from a spreadsheet as written, without a trailing .0."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    text = str(value).strip()
    if len(text) > 1 and text[0] == "'" and text[1] in FORMULA_START:
        text = text[1:]  # taken off again: the exporter's formula guard
    return text


def header_key(text: str) -> str:
    """What a header (or a name to look up) is compared by: width, case and spacing folded."""
    return re.sub(r"[\s\-]+", "_", unicodedata.normalize("NFKC", text).strip().casefold())


def is_blank(values: list) -> bool:
    try:
        return not "".join(values).strip()  # a CSV row: text only
    except TypeError:
        return all(
            value is None or (isinstance(value, str) and not value.strip()) for value in values
        )


# --- The header ----------------------------------------------------------------------------


def header_lookup(columns: dict[str, str], aliases: dict[str, str]) -> dict[str, str]:
    """Header key -> column key, from the columns (key -> Chinese header) and other spellings;
    a column's own names win over an alias."""
    lookup = {}
    for key, chinese in columns.items():
        lookup[header_key(key)] = key
        lookup[header_key(chinese)] = key
    for alias, key in aliases.items():
        lookup.setdefault(header_key(alias), key)
    return lookup


def map_header(
    header: list,
    lookup: dict[str, str],
    problems: list[Problem],
    unknown: Callable[[int, str], Problem],
) -> tuple[dict[int, str], dict[str, str]]:
    """Column index -> column key, and the header text of each key found.

    A header cell that is no known column gets `unknown(index, text)` (the importer's words:
    where its columns are documented); a column given twice, the second time, a problem.
    """
    columns: dict[int, str] = {}
    labels: dict[str, str] = {}
    for index, cell in enumerate(header):
        text = cell_text(cell)
        if not text:
            continue
        plausible = control_character(text) is None and len(text) <= MAX_CELL
        key = lookup.get(header_key(text)) if plausible else None
        if key is None:
            problems.append(unknown(index, text))
        elif key in labels:
            problems.append(
                Problem(
                    1,
                    text,
                    _("Column “%(column)s” appears twice (also as “%(other)s”).")
                    % {"column": text, "other": labels[key]},
                )
            )
        else:
            columns[index] = key
            labels[key] = text
    return columns, labels


def require_columns(
    labels: dict[str, str], required: Iterable[str], columns: dict[str, str], problems: list
) -> None:
    """A problem for each required column key the header lacks (`columns`: key -> Chinese)."""
    for key in required:
        if key not in labels:
            problems.append(
                Problem(
                    1,
                    key,
                    _("The required column “%(column)s” (%(chinese)s) is missing.")
                    % {"column": key, "chinese": columns[key]},
                )
            )


# --- The whole table ---------------------------------------------------------------------


def read_table(
    file_bytes: bytes,
    filename: str,
    read_header: Callable[[list], tuple[dict[int, str], dict[str, str]]],
    problems: list[Problem],
    *,
    check_width: bool = False,
) -> tuple[list[tuple[int, dict[str, Any]]], dict[str, str]]:
    """The raw cells of each data row, (row number, {column key: value}), and the header text
    of each key. `read_header` maps the first row (see map_header); blank rows are skipped.
    With `check_width`, a row with a value beyond the header's last column is a problem."""
    rows = rows_of(file_bytes, filename)
    header = None
    header_number = 0
    for number, values in rows:
        if not is_blank(values):
            header, header_number = values, number
            break
    if header is None:
        raise Refused(1, "—", _("The file is empty."))
    if header_number != 1:
        raise Refused(
            header_number, "—", _("The first row must be the header with the column names.")
        )
    columns, labels = read_header(header)
    width = len(header)
    data = []
    for number, values in rows:
        if is_blank(values):
            continue
        if len(data) >= MAX_ROWS:
            raise Refused(
                number, "—", _("The file has more than %(max)d rows.") % {"max": MAX_ROWS}
            )
        if len(values) >= width:
            cells = {key: values[index] for index, key in columns.items()}
        else:
            cells = {key: values[index] for index, key in columns.items() if index < len(values)}
        if check_width:
            for index in range(width, len(values)):
                if values[index] not in (None, ""):
                    problems.append(
                        Problem(
                            number,
                            f"#{index + 1}",
                            _("This row has more cells than the header has columns."),
                        )
                    )
                    break
        data.append((number, cells))
    if not data:
        raise Refused(2, "—", _("The file has a header but no rows."))
    return data, labels
