from datetime import date

import pytest

from inquiries.rollup import parse_month, previous_month


@pytest.mark.parametrize(
    ("today", "expected"),
    [(date(2026, 11, 1), date(2026, 10, 1)), (date(2027, 1, 31), date(2026, 12, 1))],
)
def test_previous_month(today, expected):
    assert previous_month(today) == expected


def test_parse_month():
    assert parse_month("2026-10") == date(2026, 10, 1)


@pytest.mark.parametrize("text", ["2026-13", "26-10", "2026/10", "2026-1", ""])
def test_parse_month_refuses_anything_else(text):
    with pytest.raises(ValueError):
        parse_month(text)
