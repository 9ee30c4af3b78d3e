"""The one place spreadsheets are written. Every export (a segment's target list and the BU/BG
documents, customers, inquiries, the review) builds `Sheet`s and hands them to `to_csv` /
`csv_bytes` (one sheet; UTF-8 with a BOM, so Chinese Excel reads it; CRLF lines) or `to_xlsx`
(a worksheet per sheet). Text a spreadsheet would run as a formula is written as text
(`neutralise`); sheet titles follow Excel's rules (`sheet_titles`). Spreadsheets are read in
`prioritizer.tabular` (openpyxl, read-only).

XLSX is written directly: a zip of a few XML parts, each worksheet streamed into the zip row by
row, so memory stays flat whatever the row count. openpyxl's write-only mode cost about 35 µs a
cell (100,000 rows × 13 columns took some 45 s, past gunicorn's 30 s timeout). XlsxWriter in
its constant-memory mode, tuned (no guessing of numbers, formulas or links, a typed call per
cell, formats made once), was measured against this writer: a 100,000-customer target list on
PostgreSQL took 6.9 s against 3.1 s end to end (the rows' read alone, the floor, 1.9 s), 3.9 s
against 1.2 s for the writing alone; it keeps a tuple per cell and escapes each attribute, and
in that mode writes a text of the form "<r>…</r>" into the file as raw XML. `python -m bench
exports` measures both every run. Tests read every file back with openpyxl.
"""

from __future__ import annotations

import csv
import datetime
import io
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from xml.sax.saxutils import escape, quoteattr

from prioritizer.tabular import FORMULA_START
from prioritizer.text import printable

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
FORMATS = tuple(CONTENT_TYPES)


@dataclass
class Sheet:
    """One table of a document (one worksheet in XLSX, the whole file in CSV).

    `rows` may be a generator: it is read once. A cell is text (`str`), a number (`int`,
    `float`, `Decimal`), a `date` or `datetime`, a `bool`, or None / "" for an empty cell; an
    empty row is a blank line. With `headers`, the header row comes first, bold and frozen in
    XLSX unless `plain`; without, the rows are all there is (a sheet of several small tables)."""

    key: str
    title: str
    headers: list[str]
    rows: Iterable[list]
    widths: list[int] = field(default_factory=list)
    # Column index -> number format of the numbers in that column (XLSX only).
    formats: dict[int, str] = field(default_factory=dict)
    # Lines written above the header row, then a blank line (XLSX only; CSV is a plain table).
    heading: list[str] = field(default_factory=list)
    # The header row as an ordinary row: not bold, not frozen (XLSX only).
    plain: bool = False


def neutralise(text: str) -> str:
    """Text as a spreadsheet cell holds it: without the control characters an XLSX cannot
    hold (stored before input refused them), and plain text where it would start a formula
    (a leading single quote, which the importers take off again)."""
    text = printable(text)
    return "'" + text if text.startswith(FORMULA_START) else text


# --- Sheet titles -------------------------------------------------------------------------------

# Excel's rules: at most 31 characters counted in UTF-16 code units, none of these, no
# apostrophe first or last, unique without regard to case, and "History" is its own.
TITLE_LENGTH = 31
NOT_IN_TITLE = "[]:*?/\\"
RESERVED_TITLES = frozenset({"history"})


def _utf16_units(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _cut(text: str, units: int) -> str:
    """The longest start of `text` of at most `units` UTF-16 code units (never half a pair)."""
    if _utf16_units(text) <= units:
        return text
    used = 0
    for index, char in enumerate(text):
        used += 2 if ord(char) > 0xFFFF else 1
        if used > units:
            return text[:index]
    return text


def _valid(text: str, units: int = TITLE_LENGTH) -> str:
    return _cut(text, units).strip("'")


def sheet_titles(titles: Iterable[str]) -> list[str]:
    """Titles Excel accepts for the sheets of one workbook, in order: each cleaned and cut to
    31 UTF-16 code units, and numbered (" 2", " 3", ...) where it would repeat an earlier one
    without regard to case."""
    taken = set(RESERVED_TITLES)
    found = []
    for title in titles:
        clean = "".join("_" if char in NOT_IN_TITLE else char for char in printable(title))
        base = _valid(clean.strip()) or "Sheet"
        candidate, number = base, 2
        while candidate.casefold() in taken:
            suffix = f" {number}"
            candidate = _valid(base, TITLE_LENGTH - len(suffix)).rstrip() + suffix
            number += 1
        taken.add(candidate.casefold())
        found.append(candidate)
    return found


# --- CSV ---------------------------------------------------------------------------------------

_CHUNK_BYTES = 256 * 1024


def _csv_value(value):
    if value is None:
        return ""
    if isinstance(value, str):
        return neutralise(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def to_csv(sheet: Sheet) -> Iterator[bytes]:
    """The sheet's table (headers, then rows; no title lines), in chunks of bytes."""
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer, lineterminator="\r\n")
    if sheet.headers:
        writer.writerow([neutralise(header) for header in sheet.headers])
    for row in sheet.rows:
        writer.writerow([_csv_value(value) for value in row])
        if buffer.tell() > _CHUNK_BYTES:
            yield buffer.getvalue().encode("utf-8")
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode("utf-8")


def csv_bytes(sheet: Sheet) -> bytes:
    return b"".join(to_csv(sheet))


# --- XLSX --------------------------------------------------------------------------------------

_MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
_XML_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml"
DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd h:mm:ss"
_EXCEL_EPOCH = datetime.date(1899, 12, 30)
_BOLD = 1  # cellXfs index; 0 is plain, number formats follow
# A carriage return as a character reference: XML readers turn a literal one into a newline.
_KEEP_CR = {"\r": "&#13;"}


class _Styles:
    """The workbook's cell styles: plain, bold, then one per number format the sheets use."""

    def __init__(self, sheets: list[Sheet]):
        codes = dict.fromkeys([DATE_FORMAT, DATETIME_FORMAT])
        for sheet in sheets:
            codes |= dict.fromkeys(sheet.formats.values())
        self.index = {code: 2 + i for i, code in enumerate(codes)}

    def xml(self) -> str:
        formats = "".join(
            f"<numFmt numFmtId={quoteattr(str(162 + i))} formatCode={quoteattr(code)}/>"
            for code, i in self.index.items()
        )
        number_xfs = "".join(
            f'<xf numFmtId="{162 + i}" fontId="0" fillId="0" borderId="0" xfId="0" '
            'applyNumberFormat="1"/>'
            for i in self.index.values()
        )
        font = '<sz val="11"/><name val="Calibri"/><family val="2"/>'
        return (
            f'{_XML_HEAD}<styleSheet xmlns="{_MAIN_NS}">'
            f'<numFmts count="{len(self.index)}">{formats}</numFmts>'
            f'<fonts count="2"><font>{font}</font><font><b/>{font}</font></fonts>'
            '<fills count="2"><fill><patternFill patternType="none"/></fill>'
            '<fill><patternFill patternType="gray125"/></fill></fills>'
            '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border>'
            "</borders>"
            '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/>'
            "</cellStyleXfs>"
            f'<cellXfs count="{2 + len(self.index)}">'
            '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
            '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>'
            f"{number_xfs}</cellXfs>"
            '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
            "</styleSheet>"
        )


def _column_letters(count: int) -> list[str]:
    letters = []
    for number in range(1, count + 1):
        name = ""
        while number:
            number, remainder = divmod(number - 1, 26)
            name = chr(65 + remainder) + name
        letters.append(name)
    return letters


def _text_cell(ref: str, text: str, style: int = 0) -> str:
    """An inline string cell; neutralised, so it never starts a formula."""
    text = neutralise(text)
    space = ' xml:space="preserve"' if text != text.strip() else ""
    text = escape(text, _KEEP_CR)
    styled = f' s="{style}"' if style else ""
    return f'<c r="{ref}" t="inlineStr"{styled}><is><t{space}>{text}</t></is></c>'


def _serial(value: datetime.date) -> str:
    """Excel's day number (and fraction of a day) of a date or a datetime."""
    if isinstance(value, datetime.datetime):  # as the clock on the wall read, zone left out
        days = (value.date() - _EXCEL_EPOCH).days
        seconds = value.hour * 3600 + value.minute * 60 + value.second + value.microsecond / 1e6
        return repr(days + seconds / 86400)
    return str((value - _EXCEL_EPOCH).days)


def _sheet_xml(sheet: Sheet, styles: _Styles) -> Iterator[str]:
    frozen = bool(sheet.headers) and not sheet.plain
    header_row = len(sheet.heading) + (2 if sheet.heading else 1)
    yield f'{_XML_HEAD}<worksheet xmlns="{_MAIN_NS}" xmlns:r="{_REL_NS}">'
    if frozen:
        yield (
            '<sheetViews><sheetView workbookViewId="0">'
            f'<pane ySplit="{header_row}" topLeftCell="A{header_row + 1}" activePane="bottomLeft" '
            'state="frozen"/><selection pane="bottomLeft"/></sheetView></sheetViews>'
        )
    yield '<sheetFormatPr defaultRowHeight="15"/>'
    if sheet.widths:
        yield "<cols>"
        yield "".join(
            f'<col min="{i}" max="{i}" width="{w}" customWidth="1"/>'
            for i, w in enumerate(sheet.widths, start=1)
        )
        yield "</cols>"
    yield "<sheetData>"
    number = 0
    for line in sheet.heading:
        number += 1
        style = _BOLD if number == 1 else 0
        yield f'<row r="{number}">{_text_cell(f"A{number}", line, style)}</row>'
    if sheet.heading:
        number += 1  # a blank row before the headers
    letters = _column_letters(max(len(sheet.headers), len(sheet.widths)) + 1)
    if sheet.headers:
        number += 1
        style = 0 if sheet.plain else _BOLD
        yield (
            f'<row r="{number}">'
            + "".join(
                _text_cell(f"{letters[i]}{number}", header, style)
                for i, header in enumerate(sheet.headers)
            )
            + "</row>"
        )
    number_styles = {index: styles.index[code] for index, code in sheet.formats.items()}
    date_style, datetime_style = styles.index[DATE_FORMAT], styles.index[DATETIME_FORMAT]
    chunk: list[str] = []
    for row in sheet.rows:
        number += 1
        cells = []
        for index, value in enumerate(row):
            if value is None or value == "":
                continue
            if index >= len(letters):
                letters = _column_letters(index + 10)
            ref = f"{letters[index]}{number}"
            if isinstance(value, str):
                cells.append(_text_cell(ref, value))
            elif isinstance(value, bool):
                cells.append(f'<c r="{ref}" t="b"><v>{int(value)}</v></c>')
            elif isinstance(value, (int, float, Decimal)):
                style = number_styles.get(index)
                styled = f' s="{style}"' if style else ""
                cells.append(f'<c r="{ref}"{styled}><v>{value}</v></c>')
            elif isinstance(value, datetime.date):
                style = datetime_style if isinstance(value, datetime.datetime) else date_style
                cells.append(f'<c r="{ref}" s="{style}"><v>{_serial(value)}</v></c>')
            else:  # a lazy translation, say: its text
                cells.append(_text_cell(ref, str(value)))
        chunk.append(f'<row r="{number}">{"".join(cells)}</row>')
        if len(chunk) == 1000:
            yield "".join(chunk)
            chunk = []
    yield "".join(chunk)
    yield "</sheetData></worksheet>"


def _content_types(count: int) -> str:
    return (
        f'{_XML_HEAD}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/xl/workbook.xml" ContentType="{_TYPE}.sheet.main+xml"/>'
        + "".join(
            f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="{_TYPE}.worksheet+xml"/>'
            for i in range(1, count + 1)
        )
        + f'<Override PartName="/xl/styles.xml" ContentType="{_TYPE}.styles+xml"/>'
        "</Types>"
    )


def _workbook(titles: list[str]) -> tuple[str, str]:
    """The workbook part and its relationships."""
    count = len(titles)
    workbook = (
        f'{_XML_HEAD}<workbook xmlns="{_MAIN_NS}" xmlns:r="{_REL_NS}"><sheets>'
        + "".join(
            f'<sheet name={quoteattr(title)} sheetId="{i}" r:id="rId{i}"/>'
            for i, title in enumerate(titles, start=1)
        )
        + "</sheets></workbook>"
    )
    relationships = (
        f'{_XML_HEAD}<Relationships xmlns="{_PKG_REL_NS}">'
        + "".join(
            f'<Relationship Id="rId{i}" Type="{_REL_NS}/worksheet" Target="worksheets/sheet{i}.xml"/>'
            for i in range(1, count + 1)
        )
        + f'<Relationship Id="rId{count + 1}" Type="{_REL_NS}/styles" Target="styles.xml"/>'
        "</Relationships>"
    )
    return workbook, relationships


def to_xlsx(sheets: list[Sheet]) -> bytes:
    """A workbook with a worksheet per sheet, titled by `sheet_titles`: title lines, the header
    row (bold and frozen unless `plain`), column widths, number and date formats."""
    styles = _Styles(sheets)
    workbook, workbook_rels = _workbook(sheet_titles(sheet.title for sheet in sheets))
    package_rels = (
        f'{_XML_HEAD}<Relationships xmlns="{_PKG_REL_NS}">'
        f'<Relationship Id="rId1" Type="{_REL_NS}/officeDocument" Target="xl/workbook.xml"/>'
        "</Relationships>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", _content_types(len(sheets)))
        archive.writestr("_rels/.rels", package_rels)
        archive.writestr("xl/workbook.xml", workbook)
        archive.writestr("xl/_rels/workbook.xml.rels", workbook_rels)
        archive.writestr("xl/styles.xml", styles.xml())
        for i, sheet in enumerate(sheets, start=1):
            with archive.open(f"xl/worksheets/sheet{i}.xml", "w") as part:
                for text in _sheet_xml(sheet, styles):
                    part.write(text.encode("utf-8"))
    return buffer.getvalue()
