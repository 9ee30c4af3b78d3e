"""PostgreSQL's binary COPY format for rows of fixed-width, never-NULL fields, read and written
with numpy: the runs' inputs come out this way (evaluation/scoring/inputs.py) and their results
go back in (evaluation/scoring/entries.py)."""

from __future__ import annotations

import numpy as np

COPY_SIGNATURE = b"PGCOPY\n\xff\r\n\x00"
COPY_HEADER = COPY_SIGNATURE + b"\x00\x00\x00\x00" + b"\x00\x00\x00\x00"  # no flags, no extension
COPY_TRAILER = b"\xff\xff"
FLOAT8_OID = 701


def copy_dtype(fields: list[tuple[str, object]]) -> np.dtype:
    """A binary COPY row of fixed-width, never-NULL fields: field count, then each field's
    length and value (big-endian)."""
    layout = [("field_count", ">i2")]
    for name, kind in fields:
        layout += [(f"{name}_length", ">i4"), (name, kind)]
    return np.dtype(layout)


def copy_rows(data: bytes, fields: list[tuple[str, object]]) -> np.ndarray:
    """The rows of a binary COPY's output, checked against the layout `fields` describe."""
    dtype = copy_dtype(fields)
    body = len(data) - len(COPY_HEADER) - len(COPY_TRAILER)
    if not data.startswith(COPY_HEADER) or not data.endswith(COPY_TRAILER) or body % dtype.itemsize:
        raise ValueError("unexpected binary COPY layout")
    rows = np.frombuffer(data, dtype, count=body // dtype.itemsize, offset=len(COPY_HEADER))
    if np.any(rows["field_count"] != len(fields)) or any(
        np.any(rows[f"{name}_length"] != np.dtype(kind).itemsize) for name, kind in fields
    ):
        raise ValueError("unexpected binary COPY layout")
    return rows
