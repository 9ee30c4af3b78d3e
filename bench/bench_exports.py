"""A segment's target list of 100,000 customers (BENCH_EXPORTS_COUNT) exported to XLSX, as the
export view and the `export_target_list` command write it, by the project's writer
(`prioritizer.spreadsheets.to_xlsx`, hand-written XML) and by XlsxWriter in its constant-memory
mode, tuned as far as it goes; each beside the floor measured in the same run.

The floor is the list's rows read and built (the database read, the points recomputed), with
nothing written. CSV is shown for scale. Each writer is also timed alone, on rows read once
beforehand, so that the read does not blur the comparison. The choice between the writers
rests on these figures (prioritizer/spreadsheets.py, docs/architecture.md).
"""

from __future__ import annotations

import datetime
import io
import os
import time
from decimal import Decimal

import xlsxwriter
from django.contrib.auth import get_user_model
from django.db import connection, transaction

from bench import bench_target_list
from evaluation.criteria.services import criteria_set_load
from evaluation.lists.exports import segment_list
from evaluation.lists.services import target_list_build, target_list_owners_assign
from evaluation.scoring.runs import score_run_create
from organisation.demo import seed_org_and_users
from organisation.models import BusinessUnit, Segment
from prioritizer.spreadsheets import Sheet, csv_bytes, neutralise, sheet_titles, to_xlsx

COUNT = int(os.environ.get("BENCH_EXPORTS_COUNT", "100000"))
REPEAT = int(os.environ.get("BENCH_EXPORTS_REPEAT", "2"))
# XlsxWriter keeps each row in a temporary file in constant-memory mode; `in_memory` keeps it
# in memory instead (and then holds the whole sheet, as it overrides constant_memory).
IN_MEMORY = os.environ.get("BENCH_EXPORTS_IN_MEMORY", "") == "1"


def xlsxwriter_xlsx(sheets: list[Sheet]) -> bytes:
    """What `to_xlsx` writes, through XlsxWriter as fast as it goes: constant memory, no
    guessing of numbers, formulas or links, a typed call per cell (the undecorated methods the
    public ones call, which skip the A1-notation check), formats made once."""
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(
        buffer,
        {
            "constant_memory": not IN_MEMORY,
            "in_memory": IN_MEMORY,
            "strings_to_numbers": False,
            "strings_to_formulas": False,
            "strings_to_urls": False,
        },
    )
    bold = workbook.add_format({"bold": True})
    date = workbook.add_format({"num_format": "yyyy-mm-dd"})
    stamp = workbook.add_format({"num_format": "yyyy-mm-dd h:mm:ss"})
    made = {}
    for sheet, title in zip(sheets, sheet_titles(s.title for s in sheets), strict=True):
        worksheet = workbook.add_worksheet(title)
        for column, width in enumerate(sheet.widths):
            worksheet.set_column(column, column, width)
        formats = [None] * (max(sheet.formats, default=-1) + 1)
        for column, code in sheet.formats.items():
            formats[column] = made.setdefault(code, workbook.add_format({"num_format": code}))
        string, number = worksheet._write_string, worksheet._write_number
        row_number = 0
        for line in sheet.heading:
            string(row_number, 0, neutralise(line), bold if row_number == 0 else None)
            row_number += 1
        if sheet.heading:
            row_number += 1
        if sheet.headers:
            for column, header in enumerate(sheet.headers):
                string(row_number, column, neutralise(header), None if sheet.plain else bold)
            if not sheet.plain:
                worksheet.freeze_panes(row_number + 1, 0)
            row_number += 1
        width = len(formats)
        for row in sheet.rows:
            for column, value in enumerate(row):
                kind = value.__class__
                if kind is str:
                    if value:
                        string(row_number, column, neutralise(value))
                elif kind is int or kind is float or kind is Decimal:
                    number(row_number, column, value, formats[column] if column < width else None)
                elif value is None:
                    continue
                elif kind is bool:
                    worksheet.write_boolean(row_number, column, value)
                elif isinstance(value, datetime.datetime):
                    worksheet.write_datetime(row_number, column, value, stamp)
                elif isinstance(value, datetime.date):
                    worksheet.write_datetime(row_number, column, value, date)
                else:
                    string(row_number, column, neutralise(str(value)))
            row_number += 1
    workbook.close()
    return buffer.getvalue()


def _list(count: int):
    seed_org_and_users()
    unit = BusinessUnit.objects.get(code="BU1")
    segment = Segment.objects.create(code="XLBENCH", name_zh="导出基准", business_unit=unit)
    started = time.perf_counter()
    bench_target_list.build(segment, count)
    criteria_set_load(document=bench_target_list.document(segment), publish=True)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    target_list = target_list_build(
        run=score_run_create(segment=segment, year=bench_target_list.YEAR)
    )
    User = get_user_model()
    target_list_owners_assign(
        target_list=target_list,
        entry_ids=list(target_list.entries.values_list("pk", flat=True)),
        owner=User.objects.get(username="gao.peng"),
        by=User.objects.get(username="zhang.wei"),
    )
    print(f"exports: built a list of {count:,} customers in {time.perf_counter() - started:.1f} s")
    return target_list


def _seconds(fn) -> float:
    started = time.perf_counter()
    fn()
    return time.perf_counter() - started


def run() -> None:
    # Rolled back, so the benchmarks after this one do not meet its 100,000 customers.
    with transaction.atomic():
        _measure(_list(COUNT))
        transaction.set_rollback(True)


def _measure(target_list) -> None:

    def rows_read():
        return list(segment_list(target_list).rows)

    read = segment_list(target_list)
    read.rows = rows_read()

    def read_once(writer):
        return lambda: writer([Sheet(**{**read.__dict__, "rows": iter(read.rows)})])

    lines = {
        "floor: rows read and built, nothing written": rows_read,
        "CSV (to_csv)": lambda: csv_bytes(segment_list(target_list)),
        "XLSX, hand-written (to_xlsx)": lambda: to_xlsx([segment_list(target_list)]),
        "XLSX, XlsxWriter": lambda: xlsxwriter_xlsx([segment_list(target_list)]),
        "  to_xlsx alone, rows read beforehand": read_once(to_xlsx),
        "  XlsxWriter alone, rows read beforehand": read_once(xlsxwriter_xlsx),
    }
    times: dict[str, list[float]] = {label: [] for label in lines}
    for _ in range(REPEAT):  # interleaved, so a busy moment hits each alike
        for label, fn in lines.items():
            times[label].append(_seconds(fn))
    best = {label: min(values) for label, values in times.items()}
    floor = best["floor: rows read and built, nothing written"]
    hand = best["XLSX, hand-written (to_xlsx)"]
    hand_alone = best["  to_xlsx alone, rows read beforehand"]
    mode = "in_memory" if IN_MEMORY else "constant_memory"
    print(f"exports: {COUNT:,}-customer target list, best of {REPEAT}; XlsxWriter {mode}")
    for label, seconds in best.items():
        if label.startswith("  "):
            ratio = f"{seconds / hand_alone:5.2f}x to_xlsx alone"
        else:
            ratio = f"{seconds / floor:5.2f}x the floor, {seconds / hand:5.2f}x to_xlsx"
        print(f"exports: {label:<46} {seconds:7.2f} s  {ratio}")
