"""Pure date maths for the monthly inquiry roll-up."""

from datetime import date


def previous_month(today: date) -> date:
    """The first day of the month before `today`'s."""
    if today.month == 1:
        return date(today.year - 1, 12, 1)
    return date(today.year, today.month - 1, 1)


def parse_month(text: str) -> date:
    """'2026-10' -> date(2026, 10, 1); ValueError on anything else."""
    year, month = text.split("-")
    if len(year) != 4 or len(month) != 2:
        raise ValueError(text)
    return date(int(year), int(month), 1)
