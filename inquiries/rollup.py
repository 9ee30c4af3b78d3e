"""Pure maths for the monthly inquiry roll-up: months, their bounds, medians, totals.

No ORM here; inquiries.services reads and writes, this module only computes.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from zoneinfo import ZoneInfo


def previous_month(today: date) -> date:
    """The first day of the month before `today`'s."""
    if today.month == 1:
        return date(today.year - 1, 12, 1)
    return date(today.year, today.month - 1, 1)


def next_month(month: date) -> date:
    if month.month == 12:
        return date(month.year + 1, 1, 1)
    return date(month.year, month.month + 1, 1)


def parse_month(text: str) -> date:
    """'2026-10' -> date(2026, 10, 1); ValueError on anything else."""
    year, month = text.split("-")
    if len(year) != 4 or len(month) != 2:
        raise ValueError(text)
    return date(int(year), int(month), 1)


def is_future_month(month: date, today: date) -> bool:
    """A month that has not begun yet (the current month may be rolled up, partially)."""
    return (month.year, month.month) > (today.year, today.month)


def month_bounds(month: date, time_zone: str) -> tuple[datetime, datetime]:
    """[start, end) of the month as aware datetimes in the company's time zone."""
    zone = ZoneInfo(time_zone)
    end = next_month(month)
    return (
        datetime(month.year, month.month, 1, tzinfo=zone),
        datetime(end.year, end.month, 1, tzinfo=zone),
    )


def last_months(month: date, count: int = 12) -> list[date]:
    """`count` months ending with `month`, oldest first."""
    months = [month]
    while len(months) < count:
        months.append(previous_month(months[-1]))
    return list(reversed(months))


def median(values: Iterable[float]) -> float | None:
    values = list(values)
    return float(statistics.median(values)) if values else None


def rounded_days(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def conversion_rate(conversions: int, decided: int) -> float | None:
    """Share of decided inquiries that became target prospects, in percent."""
    return None if not decided else round(100 * conversions / decided, 1)


def totals(lines: Iterable[Mapping], key: str) -> list[dict]:
    """Sum count, conversions and still-open of roll-up lines per `key` (e.g. 'segment').

    Medians do not add up, so grouped rows carry the count-weighted median of their lines'
    medians as an approximation only when asked; here they carry none.
    """
    grouped: dict = {}
    for line in lines:
        row = grouped.setdefault(
            line[key], {key: line[key], "count": 0, "conversions": 0, "still_open": 0}
        )
        row["count"] += line["count"]
        row["conversions"] += line["conversions"]
        row["still_open"] += line["still_open"]
    for row in grouped.values():
        row["decided"] = row["count"] - row["still_open"]
        row["conversion_rate"] = conversion_rate(row["conversions"], row["decided"])
    return list(grouped.values())
