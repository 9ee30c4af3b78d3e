"""Reads behind the roll-up report page and the annual summary (no writes here)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from inquiries import rollup
from inquiries.models import Channel, Decision, Inquiry, InquiryRollup, InquiryRollupLine
from organisation import permissions
from organisation.models import BusinessUnit, Segment
from organisation.permissions import Action

User = get_user_model()


def decision_label(value: str) -> str:
    return Decision(value).label if value else _("Still open")


def owner_label(user) -> str:
    if user is None:
        return _("(nobody)")
    return user.get_full_name() or user.username


@dataclass
class MonthlyReport:
    month: date
    rollup: InquiryRollup | None
    lines: list
    by_segment: list
    units: list
    bu_code: str
    chart: dict
    months: list = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(line.count for line in self.lines)


def monthly_report(user, *, month_text: str, bu_code: str) -> MonthlyReport:
    latest = InquiryRollup.objects.order_by("-month").first()
    try:
        month = rollup.parse_month(month_text)
    except ValueError:
        month = latest.month if latest else rollup.previous_month(timezone.localdate())
    units = list(permissions.business_units_where(user, Action.VIEW_INQUIRIES).order_by("code"))
    if not units:  # a segment manager reads only their segments, within their BU
        units = list(
            BusinessUnit.objects.filter(
                segments__in=permissions.segments_where(user, Action.VIEW_INQUIRIES)
            )
            .distinct()
            .order_by("code")
        )
    lines = InquiryRollupLine.objects.visible_to(user)
    if bu_code:
        lines = lines.filter(business_unit__code=bu_code)
    month_lines = list(
        lines.filter(rollup__month=month).select_related("business_unit", "segment", "owner")
    )
    for line in month_lines:
        line.decision_label = decision_label(line.decision)
        line.owner_label = owner_label(line.owner)
    by_segment = rollup.totals(
        [
            {
                "segment": line.segment,
                "count": line.count,
                "conversions": line.conversions,
                "still_open": line.still_open,
            }
            for line in month_lines
        ],
        "segment",
    )
    return MonthlyReport(
        month=month,
        rollup=InquiryRollup.objects.filter(month=month).first(),
        lines=month_lines,
        by_segment=by_segment,
        units=units,
        bu_code=bu_code,
        chart=_chart(lines, month),
        months=list(InquiryRollup.objects.values_list("month", flat=True)[:36]),
    )


def _chart(lines, month: date) -> dict:
    """Inquiries per month for the last 12 months, stacked by decision (for Chart.js)."""
    months = rollup.last_months(month, 12)
    sums = (
        lines.filter(rollup__month__in=months)
        .values("rollup__month", "decision")
        .annotate(total=Sum("count"))
        .order_by()
    )
    table = {(row["rollup__month"], row["decision"]): row["total"] for row in sums}
    decisions = [*Decision.values, ""]
    return {
        "labels": [m.strftime("%Y-%m") for m in months],
        "datasets": [
            {
                "key": d or "open",
                "label": str(decision_label(d)),
                "data": [table.get((m, d), 0) for m in months],
            }
            for d in decisions
        ],
    }


@dataclass
class AnnualSummary:
    year: int
    rows: list
    by: dict
    total: dict


DIMENSIONS = ("business_unit", "segment", "owner", "channel", "decision")


def annual_summary(units, year: int) -> AnnualSummary:
    """The year's inquiry handling in the given BUs, by BU, segment, owner, channel, decision."""
    start, _end = rollup.month_bounds(date(year, 1, 1), settings.TIME_ZONE)
    end, _unused = rollup.month_bounds(date(year + 1, 1, 1), settings.TIME_ZONE)
    groups = (
        Inquiry.objects.filter(business_unit__in=units).received_between(start, end).rollup_groups()
    )
    units_by_id = BusinessUnit.objects.in_bulk({g["business_unit_id"] for g in groups})
    segments = Segment.objects.in_bulk({g["segment_id"] for g in groups})
    owners = User.objects.in_bulk({g["owner_id"] for g in groups if g["owner_id"]})
    rows = []
    for group in groups:
        rows.append(
            {
                "business_unit": units_by_id[group["business_unit_id"]].code,
                "segment": segments[group["segment_id"]].code,
                "owner": owner_label(owners.get(group["owner_id"])),
                "channel": str(Channel(group["channel"]).label),
                "decision": str(decision_label(group["decision"])),
                "count": group["count"],
                "conversions": group["conversions"],
                "still_open": group["still_open"],
                "median_days_to_decision": group["median_days_to_decision"],
            }
        )
    rows.sort(
        key=lambda r: (r["business_unit"], r["segment"], r["owner"], r["channel"], r["decision"])
    )
    by = {
        dimension: sorted(rollup.totals(rows, dimension), key=lambda r: -r["count"])
        for dimension in DIMENSIONS
    }
    count = sum(r["count"] for r in rows)
    conversions = sum(r["conversions"] for r in rows)
    still_open = sum(r["still_open"] for r in rows)
    total = {
        "count": count,
        "conversions": conversions,
        "still_open": still_open,
        "conversion_rate": rollup.conversion_rate(conversions, count - still_open),
    }
    return AnnualSummary(year=year, rows=rows, by=by, total=total)
