"""Text every store and every export can hold.

On the way in, forms, importers and the API refuse control characters (`control_problem`,
`validate_line`, `validate_multiline`): NUL and the rest of the C0 range, except tab, newline
and carriage return in multi-line text; also what XML 1.0 cannot hold at all (lone surrogates,
U+FFFE and U+FFFF). An XLSX cell cannot hold them (openpyxl raises IllegalCharacterError) and
PostgreSQL refuses a NUL.

On the way out, exports write `printable(text)`: what was stored before these checks, with
the characters an XLSX cannot hold dropped, so an export never fails on old data.

Pure: no ORM.
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# What a spreadsheet cell (XML 1.0) cannot hold: kept out of every export.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
# Refused in a single line of text: the whole C0 range, tab and line breaks too.
_NOT_IN_LINE = re.compile("[\x00-\x1f\ud800-\udfff\ufffe\uffff]")


def control_character(text: str, *, multiline: bool = False) -> str | None:
    """The first character of `text` that is refused, or None."""
    found = (_NOT_XML if multiline else _NOT_IN_LINE).search(text)
    return found.group() if found else None


def any_control_character(values) -> bool:
    """Whether any of the texts among `values` (other values are skipped) has a character a
    single line refuses: one search for a whole row of an import, which is nearly always clean."""
    try:
        joined = "".join(values)
    except TypeError:
        joined = "".join([value for value in values if type(value) is str])
    return _NOT_IN_LINE.search(joined) is not None


def control_problem(text: str, *, multiline: bool = False) -> str | None:
    """The translated reason `text` is refused (naming the character), or None."""
    char = control_character(text, multiline=multiline)
    if char is None:
        return None
    if char in "\t\n\r":
        return _("This field is a single line: remove the tab or line break (%(code)s).") % {
            "code": f"U+{ord(char):04X}"
        }
    return _(
        "This text contains an invisible control character (%(code)s), often pasted in by "
        "mistake: remove it."
    ) % {"code": f"U+{ord(char):04X}"}


def validate_line(value) -> None:
    """Validator of single-line text (names, codes, reasons typed in an input)."""
    if isinstance(value, str) and (problem := control_problem(value)):
        raise ValidationError(problem, code="control_character")


def validate_multiline(value) -> None:
    """Validator of multi-line text (notes, plans, comments): tab and line breaks allowed."""
    if isinstance(value, str) and (problem := control_problem(value, multiline=True)):
        raise ValidationError(problem, code="control_character")


def printable(text: str) -> str:
    """`text` without the characters an XLSX cell (XML 1.0) cannot hold."""
    return _NOT_XML.sub("", text)
