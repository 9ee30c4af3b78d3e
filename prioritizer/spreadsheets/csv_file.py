"""A sheet as CSV: UTF-8 with a BOM (so Chinese Excel reads it), comma-separated, CRLF lines."""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Iterator

from prioritizer.spreadsheets.sheet import Sheet, neutralise

_CHUNK_BYTES = 256 * 1024


def _value(value):
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
        writer.writerow([_value(value) for value in row])
        if buffer.tell() > _CHUNK_BYTES:
            yield buffer.getvalue().encode("utf-8")
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode("utf-8")


def csv_bytes(sheet: Sheet) -> bytes:
    return b"".join(to_csv(sheet))
