"""Sheets as an XLSX workbook, written directly: a zip of a few XML parts, each worksheet
streamed into the zip row by row, so memory stays flat whatever the row count.

Why by hand: openpyxl's write-only mode costs about 35 µs a cell here, so 100,000 rows × 13
columns took some 45 s, past gunicorn's 30 s timeout; XlsxWriter in its constant-memory mode,
tuned (typed write calls, formats made once), takes about twice as long as this writer (figures
in docs/architecture.md, "Spreadsheets"; `python -m bench exports` measures both every run).
String building costs about 1 µs a cell. Tests read every file back with openpyxl.
"""

from __future__ import annotations

import datetime
import io
import zipfile
from collections.abc import Iterator
from decimal import Decimal
from xml.sax.saxutils import escape, quoteattr

from prioritizer.spreadsheets.sheet import Sheet, neutralise, sheet_titles

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
