"""The year rules, in one place (pure: give `today` to test them).

The cycle: in October–November of year Y the company plans year Y + 1 (the *planning year*)
from the facts of year Y (the *facts year*), which the customer pages show meanwhile.
Where a step counts differently, it says so here, by name.
"""

from __future__ import annotations

from datetime import date

from django.utils import timezone


def _today(today: date | None) -> date:
    return today if today is not None else timezone.localdate()


def planning_year(today: date | None = None) -> int:
    """The year whose criteria, scoring and target lists are being prepared: next year."""
    return _today(today).year + 1


def facts_year(planning_year: int) -> int:
    """The facts a planning year is scored from: those of the year before it."""
    return planning_year - 1


def current_facts_year(today: date | None = None) -> int:
    """The facts year the customer pages show unless asked: this calendar year, the one being
    collected during the October–November planning of next year."""
    return facts_year(planning_year(today))


def planning_year_for_preliminary_lists(today: date | None = None) -> int:
    """Preliminary lists (2.3.2) are worked on through the year: the year's own until
    September, next year's from October, when the planning of next year starts."""
    today = _today(today)
    return today.year + 1 if today.month >= 10 else today.year


def preliminary_list_years(today: date | None = None) -> range:
    """New preliminary lists are for this year or next year."""
    this_year = _today(today).year
    return range(this_year, this_year + 2)
