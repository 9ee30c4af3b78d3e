"""The annual inquiry summary as an Excel workbook."""

from __future__ import annotations

import io

from django.utils.translation import gettext as _

from customers.exporting import neutralise
from inquiries.reports import AnnualSummary

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _cell(sheet, value):
    from openpyxl.cell import WriteOnlyCell

    if isinstance(value, str):
        cell = WriteOnlyCell(sheet, value=neutralise(value))
        cell.data_type = "s"  # never a formula, whatever openpyxl would guess
        return cell
    return WriteOnlyCell(sheet, value=value)


def annual_summary_xlsx(summary: AnnualSummary) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    detail = workbook.create_sheet(_("Inquiries %(year)d") % {"year": summary.year})
    headers = [
        _("Business unit"),
        _("Segment"),
        _("Owner"),
        _("Channel"),
        _("Decision"),
        _("Inquiries"),
        _("Conversions to target prospects"),
        _("Still open"),
        _("Median days to decision"),
    ]
    detail.append([_cell(detail, h) for h in headers])
    for row in summary.rows:
        detail.append(
            [
                _cell(detail, row[key])
                for key in (
                    "business_unit",
                    "segment",
                    "owner",
                    "channel",
                    "decision",
                    "count",
                    "conversions",
                    "still_open",
                    "median_days_to_decision",
                )
            ]
        )
    totals = workbook.create_sheet(_("Totals"))
    for dimension, label in (
        ("business_unit", _("Business unit")),
        ("segment", _("Segment")),
        ("owner", _("Owner")),
        ("channel", _("Channel")),
        ("decision", _("Decision")),
    ):
        totals.append(
            [
                _cell(totals, v)
                for v in (
                    label,
                    _("Inquiries"),
                    _("Conversions to target prospects"),
                    _("Still open"),
                )
            ]
        )
        for row in summary.by[dimension]:
            totals.append(
                [
                    _cell(totals, v)
                    for v in (
                        str(row[dimension]),
                        row["count"],
                        row["conversions"],
                        row["still_open"],
                    )
                ]
            )
        totals.append([])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
