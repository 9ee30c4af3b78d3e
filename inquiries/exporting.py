"""The annual inquiry summary as an Excel workbook."""

from __future__ import annotations

from django.utils.translation import gettext as _

from inquiries.reports import AnnualSummary
from prioritizer.spreadsheets import Sheet, to_xlsx

DETAIL_KEYS = (
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


def annual_summary_xlsx(summary: AnnualSummary) -> bytes:
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
    detail = Sheet(
        key="detail",
        title=_("Inquiries %(year)d") % {"year": summary.year},
        headers=headers,
        rows=([row[key] for key in DETAIL_KEYS] for row in summary.rows),
        plain=True,
    )
    totals: list[list] = []
    for dimension, label in (
        ("business_unit", _("Business unit")),
        ("segment", _("Segment")),
        ("owner", _("Owner")),
        ("channel", _("Channel")),
        ("decision", _("Decision")),
    ):
        totals.append(
            [label, _("Inquiries"), _("Conversions to target prospects"), _("Still open")]
        )
        for row in summary.by[dimension]:
            totals.append(
                [str(row[dimension]), row["count"], row["conversions"], row["still_open"]]
            )
        totals.append([])
    return to_xlsx([detail, Sheet(key="totals", title=_("Totals"), headers=[], rows=totals)])
