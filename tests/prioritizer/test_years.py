"""The year rules (prioritizer/years.py)."""

from datetime import date

import pytest
from django.utils import timezone

from prioritizer import years


def test_the_planning_year_is_next_year():
    assert years.planning_year(date(2026, 3, 1)) == 2027


def test_the_planning_year_is_next_year_in_october_too():
    assert years.planning_year(date(2026, 10, 15)) == 2027


def test_a_planning_year_is_scored_from_the_facts_of_the_year_before():
    assert years.facts_year(2027) == 2026


def test_the_facts_year_shown_is_this_calendar_year():
    assert years.current_facts_year(date(2026, 12, 31)) == 2026


@pytest.mark.parametrize(
    "today, expected",
    [(date(2026, 1, 1), 2026), (date(2026, 9, 30), 2026), (date(2026, 10, 1), 2027)],
)
def test_preliminary_lists_move_to_next_year_in_october(today, expected):
    assert years.planning_year_for_preliminary_lists(today) == expected


def test_new_preliminary_lists_are_for_this_year_or_next():
    assert list(years.preliminary_list_years(date(2026, 5, 1))) == [2026, 2027]


def test_without_a_date_the_rules_read_today(monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda: date(2030, 11, 2))
    assert (years.planning_year(), years.current_facts_year()) == (2031, 2030)
    assert years.planning_year_for_preliminary_lists() == 2031
