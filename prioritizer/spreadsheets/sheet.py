"""What every export writes, whatever the file: the `Sheet`, the formula guard on its text, the
rules for sheet titles, and the content types of the two formats."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

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
