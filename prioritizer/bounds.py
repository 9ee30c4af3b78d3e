"""The largest amounts and counts the application accepts (docs/file-formats.md, "Bounds").

Amounts are stored as DECIMAL(18, 2) on PostgreSQL, but SQLite keeps only 15 significant
digits: 9,999,999,999,999,999.99 came back as 1E+16 and reading the row raised
decimal.InvalidOperation. So every amount is at most 13 digits before the point and 2 after
(9,999,999,999,999.99 yuan), which both databases store exactly. Counts are at most
2,147,483,647 (a PostgreSQL integer; SQLite would take more).

Pure: no ORM.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MONEY_DIGITS = 13  # before the decimal point
MONEY_PLACES = 2
MONEY_MAX = Decimal("9999999999999.99")
COUNT_MAX = 2_147_483_647


def money_problem(amount: Decimal) -> str | None:
    """The translated reason an amount is out of bounds, or None."""
    if abs(amount) > MONEY_MAX:
        return _("This amount is too large: at most %(max)s.") % {"max": f"{MONEY_MAX:,}"}
    return None


def count_problem(number: int, maximum: int = COUNT_MAX) -> str | None:
    if number > maximum:
        return _("This number is too large: at most %(max)s.") % {"max": f"{maximum:,}"}
    return None


def validate_money(value) -> None:
    if value is not None and (problem := money_problem(Decimal(value))):
        raise ValidationError(problem, code="money_too_large")


def validate_count(value) -> None:
    if value is not None and (problem := count_problem(int(value))):
        raise ValidationError(problem, code="count_too_large")
