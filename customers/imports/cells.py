"""The cells of a customer file: its columns, and the parsers of amounts, counts and years.

Each parser returns the value or the translated reason it is not one (never raises); reviews'
results import uses the same ones.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.utils import translation
from django.utils.translation import gettext as _

from prioritizer import bounds
from prioritizer.tabular import header_key

MAX_TEXT = 200  # Customer.name_zh / name_en (any other cell: tabular.MAX_CELL)
MAX_COUNT = bounds.COUNT_MAX  # PositiveIntegerField on PostgreSQL
FIRST_YEAR = 1990
PREVIEW_ROWS = 20

# The fixed columns, in file order, with their Chinese headers.
COLUMNS = {
    "credit_code": "统一社会信用代码",
    "name": "客户名称",
    "name_en": "英文名称",
    "bu": "业务单元",
    "segment": "细分市场",
    "region": "地区",
    "industry": "行业",
    "year": "年度",
    "revenue": "营业收入",
    "profit": "利润",
    "it_budget": "IT预算",
    "it_spend": "IT支出",
    "employees": "员工人数",
    "it_staff": "IT人员数",
}
# Other spellings people use for the same columns.
ALIASES = {
    "name_zh": "name",
    "中文名称": "name",
    "客户名": "name",
    "信用代码": "credit_code",
    "business_unit": "bu",
    "segments": "segment",
    "年份": "year",
    "收入": "revenue",
    "营业额": "revenue",
    "员工数": "employees",
    "it人员": "it_staff",
}
REQUIRED = ("name", "bu")
MONEY_FIELDS = ("revenue", "profit", "it_budget", "it_spend")
COUNT_FIELDS = ("employees", "it_staff")
IMPORTED_FACTS = MONEY_FIELDS + COUNT_FIELDS

_PLAIN_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")
_GROUPED_NUMBER = re.compile(r"[+-]?\d{1,3}(,\d{3})+(\.\d*)?")
# Digits with at most 2 decimals and at most 13 before the point: always a valid amount.
_SIMPLE_AMOUNT = re.compile(rf"\d{{1,{bounds.MONEY_DIGITS}}}(\.\d{{0,2}})?")
CENT = Decimal("0.01")


def parse_money(value: Any, *, negative_ok: bool) -> Decimal | str:
    """Decimal yuan, or the reason it is not one."""
    if type(value) is str and _SIMPLE_AMOUNT.fullmatch(value):
        return Decimal(value).quantize(CENT)  # the usual cell, without the checks it passes
    if isinstance(value, bool):
        return _("Enter an amount in yuan, e.g. 1234567.89.")
    if isinstance(value, int):
        amount = Decimal(value)
    elif isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            return _("Enter an amount in yuan, e.g. 1234567.89.")
        amount = Decimal(repr(value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    elif isinstance(value, Decimal):
        amount = value
    else:
        text = unicodedata.normalize("NFKC", str(value)).strip().lstrip("¥").replace(" ", "")
        if _GROUPED_NUMBER.fullmatch(text):
            text = text.replace(",", "")
        if not _PLAIN_NUMBER.fullmatch(text):
            return _("Enter an amount in yuan, e.g. 1234567.89.")
        try:
            amount = Decimal(text)
        except InvalidOperation:
            return _("Enter an amount in yuan, e.g. 1234567.89.")
        if amount != amount.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP):
            return _("Use at most 2 decimal places (fen).")
        amount = amount.quantize(Decimal("0.01"))
    if not amount.is_finite():
        return _("Enter an amount in yuan, e.g. 1234567.89.")
    if too_large := bounds.money_problem(amount):
        return too_large
    if amount < 0 and not negative_ok:
        return _("This amount cannot be negative.")
    return amount


def parse_count(value: Any) -> int | str:
    """A non-negative whole number, or the reason it is not one."""
    if type(value) is str and value.isascii() and value.isdigit():
        value = int(value)  # the usual cell: plain digits
    if isinstance(value, bool):
        return _("Enter a whole number, e.g. 250.")
    if isinstance(value, float):
        if not value.is_integer():
            return _("Enter a whole number, e.g. 250.")
        value = int(value)
    if not isinstance(value, int):
        text = unicodedata.normalize("NFKC", str(value)).strip().replace(" ", "")
        if _GROUPED_NUMBER.fullmatch(text):
            text = text.replace(",", "")
        if re.fullmatch(r"[+-]?\d+(\.0*)?", text):
            value = int(Decimal(text))
        else:
            return _("Enter a whole number, e.g. 250.")
    if value < 0:
        return _("This number cannot be negative.")
    if too_large := bounds.count_problem(value):
        return too_large
    return value


def parse_year(value: Any, this_year: int) -> int | str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = unicodedata.normalize("NFKC", str(value)).strip().removesuffix("年")
    if isinstance(value, bool) or not re.fullmatch(r"\d{4}", text):
        return _("Enter a year such as %(year)d.") % {"year": this_year}
    year = int(text)
    if year > this_year:
        return _("%(year)d is in the future: facts can be imported up to %(this_year)d.") % {
            "year": year,
            "this_year": this_year,
        }
    if year < FIRST_YEAR:
        return _("Enter a year from %(first)d to %(last)d.") % {
            "first": FIRST_YEAR,
            "last": this_year,
        }
    return year


def choices_lookup(choices) -> dict[str, str]:
    """Key, English label and Chinese label (case-insensitive) -> key."""
    lookup: dict[str, str] = {}
    for language in ("zh-hans", "en"):
        with translation.override(language):
            for key, label in choices.choices:
                lookup.setdefault(header_key(str(label)), key)
    for key in choices.values:
        lookup[header_key(key)] = key
    return lookup
