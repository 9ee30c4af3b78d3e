"""Import of the customer database from CSV or XLSX (docs/file-formats.md, "Customers").

`customers_import()` reads the whole file, checks every row and either writes everything or
nothing. Problems are collected, never raised one at a time: the user gets the complete list,
each with the row number they see in their spreadsheet, the column and the reason.

Writing is set-based: existing customers, facts and ratings of the file are loaded with a few
`IN` queries, what changes is worked out here, and `customers.imports.store` writes it: on
PostgreSQL with `COPY` into temporary tables and one statement per table (and one per history
table), elsewhere with multi-row `INSERT … ON CONFLICT`; each row with its django-simple-history
record. Rows that would not change anything are not written, so importing the same file twice is a
no-op.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.db import connection, transaction
from django.db.models import BooleanField, Q
from django.db.models.expressions import RawSQL
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from customers.completeness import Completeness, all_fields
from customers.credit_code import normalise as normalise_credit_code
from customers.credit_code import problem as credit_code_problem
from customers.imports.store import CUSTOMER_FIELDS, YEAR_FIELDS, store_for
from customers.models import (
    CREDIT_CODE_PROBLEMS,
    Attribute,
    AttributeOption,
    AttributeValue,
    Contact,
    Customer,
    CustomerYear,
)
from customers.reference import Industry, Region
from organisation import permissions
from organisation.models import BusinessUnit, Segment
from organisation.permissions import Action
from prioritizer import bounds

# FORMULA_START, MAX_FILE_BYTES and file_too_large are imported from here by other modules.
from prioritizer.tabular import (  # noqa: F401
    FORMULA_START,
    MAX_CELL,
    MAX_FILE_BYTES,
    Problem,
    Refused,
    cell_text,
    file_too_large,
    header_key,
    header_lookup,
    map_header,
    read_table,
    refusal,
    require_columns,
)
from prioritizer.text import any_control_character, control_character, control_problem

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


@dataclass
class ImportResult:
    problems: list[Problem] = field(default_factory=list)
    dry_run: bool = True
    rows: int = 0
    customers_created: int = 0
    customers_updated: int = 0
    customers_unchanged: int = 0
    facts_created: int = 0
    facts_updated: int = 0
    ratings_written: int = 0
    preview: list[dict] = field(default_factory=list)
    columns: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


# --- Cells -------------------------------------------------------------------------------


def _parse_money(value: Any, *, negative_ok: bool) -> Decimal | str:
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


def _parse_count(value: Any) -> int | str:
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


def _parse_year(value: Any, this_year: int) -> int | str:
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


def _choices_lookup(choices) -> dict[str, str]:
    """Key, English label and Chinese label (case-insensitive) -> key."""
    lookup: dict[str, str] = {}
    for language in ("zh-hans", "en"):
        with translation.override(language):
            for key, label in choices.choices:
                lookup.setdefault(header_key(str(label)), key)
    for key in choices.values:
        lookup[header_key(key)] = key
    return lookup


# --- The reference data a file is checked against ------------------------------------------


@dataclass
class _Reference:
    units: dict[str, BusinessUnit]
    segments: dict[str, Segment]
    attributes: dict[str, Attribute]
    options: dict[int, dict[str, int]]  # attribute id -> option key or name -> option id
    option_keys: dict[int, str]
    regions: dict[str, str]
    industries: dict[str, str]
    applicable: dict[int, tuple[str, ...]] = field(default_factory=dict)  # bu id -> keys

    @classmethod
    def load(cls) -> _Reference:
        attributes = {a.key: a for a in Attribute.objects.all()}
        options: dict[int, dict[str, int]] = defaultdict(dict)
        option_keys: dict[int, str] = {}
        for option in AttributeOption.objects.all():
            names = options[option.attribute_id]
            for name in (option.name_zh, option.name_en):
                if name:
                    names.setdefault(header_key(name), option.pk)
            option_keys[option.pk] = option.key
        # Keys win over names: a key is exact.
        for option in AttributeOption.objects.values_list("attribute_id", "key", "pk"):
            options[option[0]][header_key(option[1])] = option[2]
        return cls(
            units={u.code: u for u in BusinessUnit.objects.all()},
            segments={s.code: s for s in Segment.objects.all()},
            attributes=attributes,
            options=dict(options),
            option_keys=option_keys,
            regions=_choices_lookup(Region),
            industries=_choices_lookup(Industry),
        )

    def applicable_keys(self, bu_id: int) -> tuple[str, ...]:
        """The rated attributes of a BU: company-wide ones and its own."""
        if bu_id not in self.applicable:
            self.applicable[bu_id] = tuple(
                a.key
                for a in self.attributes.values()
                if a.business_unit_id is None or a.business_unit_id == bu_id
            )
        return self.applicable[bu_id]


# --- Checking the rows -------------------------------------------------------------------


@dataclass(slots=True)
class _Row:
    number: int
    credit_code: str | None
    name: str
    name_en: str
    bu: BusinessUnit
    segment_ids: tuple[int, ...]
    region: str
    industry: str
    year: int
    facts: dict[str, Any]  # only the cells that were filled
    ratings: dict[int, int]  # attribute id -> option id
    display: dict[str, Any] | None  # for the preview: its first rows only


def _map_header(header: list, reference: _Reference, problems: list[Problem]):
    """Column index -> field name ("attr:<key>" for rated attributes), header text by field."""
    lookup = header_lookup(COLUMNS, ALIASES)
    for attribute in reference.attributes.values():
        lookup.setdefault(header_key(attribute.key), f"attr:{attribute.key}")
    for attribute in reference.attributes.values():
        for name in (attribute.name_zh,):
            lookup.setdefault(header_key(name), f"attr:{attribute.key}")
    columns, labels = map_header(header, lookup, problems, _unknown_column)
    require_columns(labels, REQUIRED, COLUMNS, problems)
    return columns, labels


def _unknown_column(index: int, text: str) -> Problem:
    if control_character(text) is not None or len(text) > MAX_CELL:
        return Problem(1, f"#{index + 1}", _("This header is not a column name."))
    return Problem(
        1,
        text,
        _(
            "Unknown column “%(column)s”: use the columns of docs/file-formats.md or the key of a rated attribute."
        )
        % {"column": text},
    )


class _RowChecker:
    """Checks rows one by one, collecting problems.

    Codes, labels and options repeat down a file: each distinct one is looked up once and its
    verdict (the value, or the reasons it is refused) reused for every row that has it.
    """

    def __init__(self, reference, labels, default_year, this_year, by, problems):
        self.reference = reference
        self.labels = labels
        self.default_year = default_year
        self.this_year = this_year
        self.by = by
        self.problems = problems
        self.allowed: dict[int, bool] = {}
        self.limits = {key: MAX_TEXT if key in ("name", "name_en") else MAX_CELL for key in labels}
        self.facts = [(key, key in COUNT_FIELDS, key == "profit") for key in IMPORTED_FACTS]
        self.attribute_columns = [key for key in labels if key.startswith("attr:")]
        self.units: dict[str, tuple[BusinessUnit | None, str | None]] = {}
        self.segment_lists: dict[tuple, tuple[tuple[int, ...], list[str]]] = {}
        self.choices: dict[tuple[str, str], str | None] = {}
        self.years: dict[str, int | str] = {}
        self.options: dict[tuple, tuple[int | None, int | None, str | None]] = {}
        self.shown = 0

    def label(self, key: str) -> str:
        return self.labels.get(key, key)

    def fail(self, number: int, key: str, message: str) -> None:
        self.problems.append(Problem(number, self.label(key), message))

    def may_edit(self, unit: BusinessUnit) -> bool:
        if self.by is None:
            return True
        if unit.pk not in self.allowed:
            self.allowed[unit.pk] = permissions.can(self.by, Action.EDIT_CUSTOMERS, unit)
        return self.allowed[unit.pk]

    def check(self, number: int, cells: dict[str, Any]) -> _Row | None:
        before = len(self.problems)
        text: dict[str, str] = {}
        refused = set()  # cells already refused: not also "required"
        # One search of the whole row; each cell is checked only when the row has a suspect.
        suspect = any_control_character(cells.values())
        for key, value in cells.items():
            if isinstance(value, str):
                cell = value.strip()
                if suspect and (problem := control_problem(cell)):
                    self.fail(number, key, problem)
                    text[key] = ""
                    refused.add(key)
                    continue
                if len(cell) > 1 and cell[0] == "'" and cell[1] in FORMULA_START:
                    cell = cell[1:]  # taken off again: the exporter's formula guard
            else:
                cell = cell_text(value)
            limit = self.limits[key]
            if len(cell) > limit:
                self.fail(
                    number,
                    key,
                    _("This value is too long: at most %(max)d characters.") % {"max": limit},
                )
                cell = ""
            text[key] = cell

        # Credit code
        code = text.get("credit_code", "")
        code = (normalise_credit_code(code) or None) if code else None
        if code is not None:
            problem = credit_code_problem(code)
            if problem:
                self.fail(number, "credit_code", str(CREDIT_CODE_PROBLEMS[problem]))

        name = text.get("name", "")
        if not name and "name" in self.labels and "name" not in refused:
            self.fail(number, "name", _("The customer's name is required."))

        # Business unit and segments
        bu_code = text.get("bu", "")
        unit = None
        if bu_code:
            verdict = self.units.get(bu_code)
            if verdict is None:
                verdict = self.units[bu_code] = self._unit(bu_code)
            unit, reason = verdict
            if reason:
                self.fail(number, "bu", reason)
        elif "bu" in self.labels and "bu" not in refused:
            self.fail(number, "bu", _("The business unit code is required."))

        segment_text = text.get("segment", "")
        segment_ids: tuple[int, ...] = ()
        if segment_text:
            key = (segment_text, unit.pk if unit is not None else None)
            verdict = self.segment_lists.get(key)
            if verdict is None:
                verdict = self.segment_lists[key] = self._segments(segment_text, unit)
            segment_ids, reasons = verdict
            for reason in reasons:
                self.fail(number, "segment", reason)

        region = self._choice(number, "region", text, self.reference.regions)
        industry = self._choice(number, "industry", text, self.reference.industries)

        # Year
        year: int | str | None
        if text.get("year"):
            raw_year = cells["year"]
            if isinstance(raw_year, str):
                year = self.years.get(text["year"])
                if year is None:
                    year = self.years[text["year"]] = _parse_year(text["year"], self.this_year)
            else:
                year = _parse_year(raw_year, self.this_year)
            if isinstance(year, str):
                self.fail(number, "year", year)
        elif self.default_year is not None:
            year = self.default_year
        else:
            year = None
            self.fail(
                number,
                "year",
                _("No year: fill in the year, or choose the year of the facts when importing."),
            )

        facts: dict[str, Any] = {}
        for key, is_count, negative_ok in self.facts:
            if not text.get(key):
                continue
            raw = cells[key]
            value = text[key] if isinstance(raw, str) else raw
            parsed = (
                _parse_count(value) if is_count else _parse_money(value, negative_ok=negative_ok)
            )
            if isinstance(parsed, str):
                self.fail(number, key, parsed)
            else:
                facts[key] = parsed

        ratings: dict[int, int] = {}
        for key in self.attribute_columns:
            value = text.get(key)
            if not value:
                continue
            cache_key = (key, value, unit.pk if unit is not None else None)
            verdict = self.options.get(cache_key)
            if verdict is None:
                verdict = self.options[cache_key] = self._option(key, value, unit)
            attribute_id, option_id, reason = verdict
            if reason:
                self.fail(number, key, reason)
            else:
                ratings[attribute_id] = option_id

        if len(self.problems) > before or unit is None or isinstance(year, str) or year is None:
            return None
        display = None
        if self.shown < PREVIEW_ROWS:  # only the first rows are previewed
            self.shown += 1
            display = self._display(number, code, name, text, unit, region, industry, year, facts)
        return _Row(
            number=number,
            credit_code=code,
            name=name,
            name_en=text.get("name_en", ""),
            bu=unit,
            segment_ids=segment_ids,
            region=region,
            industry=industry,
            year=year,
            facts=facts,
            ratings=ratings,
            display=display,
        )

    def _unit(self, bu_code: str) -> tuple[BusinessUnit | None, str | None]:
        """The business unit of a code the user may edit, else None and the reason."""
        unit = self.reference.units.get(bu_code)
        if unit is None:
            near = [c for c in self.reference.units if c.casefold() == bu_code.casefold()]
            message = _("Unknown business unit “%(code)s”.") % {"code": bu_code}
            if near:
                message += " " + _("Codes are case-sensitive: did you mean “%(code)s”?") % {
                    "code": near[0]
                }
            return None, message
        if not self.may_edit(unit):
            return None, _("You may not edit customers of BU %(code)s.") % {"code": unit.code}
        return unit, None

    def _segments(self, segment_text: str, unit) -> tuple[tuple[int, ...], list[str]]:
        """The segment ids of a cell ("S1;S2"), and the reasons for those refused."""
        segment_ids: list[int] = []
        reasons: list[str] = []
        for segment_code in filter(None, (s.strip() for s in segment_text.split(";"))):
            segment = self.reference.segments.get(segment_code)
            if segment is None:
                reasons.append(_("Unknown market segment “%(code)s”.") % {"code": segment_code})
            elif unit is not None and segment.business_unit_id != unit.pk:
                owner = next(
                    (
                        u.code
                        for u in self.reference.units.values()
                        if u.pk == segment.business_unit_id
                    ),
                    "?",
                )
                reasons.append(
                    _("Segment %(segment)s belongs to BU %(owner)s, not to %(bu)s.")
                    % {"segment": segment_code, "owner": owner, "bu": unit.code}
                )
            elif segment.pk not in segment_ids:
                segment_ids.append(segment.pk)
        return tuple(segment_ids), reasons

    def _option(self, key: str, value: str, unit) -> tuple[int | None, int | None, str | None]:
        """(attribute id, option id, None) of a rating cell, or (None, None, the reason)."""
        attribute = self.reference.attributes[key[5:]]
        if unit is not None and attribute.key not in self.reference.applicable_keys(unit.pk):
            return (
                None,
                None,
                _("The rated attribute “%(attribute)s” is not used in BU %(bu)s.")
                % {"attribute": attribute.key, "bu": unit.code},
            )
        option_id = self.reference.options.get(attribute.pk, {}).get(header_key(value))
        if option_id is None:
            keys = sorted(
                k
                for pk, k in self.reference.option_keys.items()
                if pk in self.reference.options.get(attribute.pk, {}).values()
            )
            return (
                None,
                None,
                _("“%(value)s” is not an option of “%(attribute)s”; use one of: %(options)s.")
                % {"value": value, "attribute": attribute.key, "options": ", ".join(keys)},
            )
        return attribute.pk, option_id, None

    def _display(self, number, code, name, text, unit, region, industry, year, facts) -> dict:
        return {
            "row": number,
            "credit_code": code or "",
            "name": name,
            "name_en": text.get("name_en", ""),
            "bu": unit.code,
            "segment": ";".join(s.strip() for s in text.get("segment", "").split(";") if s.strip()),
            "region": region,
            "industry": industry,
            "year": year,
            **facts,
            "ratings": {
                self.reference.attributes[k[5:]].key: text[k]
                for k in self.attribute_columns
                if text.get(k)
            },
        }

    def _choice(self, number: int, key: str, text: dict, lookup: dict[str, str]) -> str:
        value = text.get(key, "")
        if not value:
            return ""
        try:
            found = self.choices[(key, value)]
        except KeyError:
            found = self.choices[(key, value)] = lookup.get(header_key(value))
        if found is None:
            self.fail(
                number,
                key,
                _("Unknown %(column)s “%(value)s”: use a key or a name from the list.")
                % {"column": key, "value": value},
            )
            return ""
        return found


# --- Matching rows to customers ---------------------------------------------------------


def _chunks(items: list, size: int = 900):
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _among(column: str, values: list):
    """Filters of `column IN values`, one per slice of values.

    On PostgreSQL a slice is 50,000 values passed as one array (`= ANY(%s)`): Django prepares
    each value of an `__in` list in Python, which cost seconds at 100,000. SQLite takes at most
    999 parameters in older versions, and its imports are small.
    """
    if connection.vendor != "postgresql":
        return [Q(**{f"{column}__in": chunk}) for chunk in _chunks(values)]
    condition = f"{connection.ops.quote_name(column)} = ANY(%s)"
    return [
        RawSQL(condition, (chunk,), output_field=BooleanField())  # noqa: S611 - our column; values a parameter
        for chunk in _chunks(values, 50_000)
    ]


CUSTOMER_VALUES = (
    "id",
    "credit_code",
    "business_unit_id",
    "name_zh",
    "name_en",
    "region",
    "industry",
)


@dataclass
class _Plan:
    """One customer of the file: what exists and what the file says."""

    key: tuple
    rows: list[_Row]
    existing: dict | None = None
    pk: int | None = None
    values: dict[str, Any] = field(default_factory=dict)
    new_segments: set[int] = field(default_factory=set)
    changed: bool = True
    instance: Customer | None = None


def _group(rows: list[_Row], checker: _RowChecker) -> dict[tuple, _Plan]:
    """Rows of one customer together; the same credit code for two customers, or the same
    customer and year twice, is a problem naming both rows."""
    plans: dict[tuple, _Plan] = {}
    seen_year: dict[tuple, int] = {}
    coded_by_name: dict[tuple, tuple] = {}
    for row in rows:
        if row.credit_code:
            key = ("code", row.credit_code)
            plan = plans.get(key)
            if plan is not None:
                first = plan.rows[0]
                if first.bu.pk != row.bu.pk or first.name != row.name:
                    checker.fail(
                        row.number,
                        "credit_code",
                        _(
                            "Credit code %(code)s is also in row %(other)d, for another customer (the name or BU differs)."
                        )
                        % {"code": row.credit_code, "other": first.number},
                    )
                    continue
            coded_by_name.setdefault((row.bu.pk, row.name), key)
        else:
            key = ("name", row.bu.pk, row.name)
        plan = plans.setdefault(key, _Plan(key=key, rows=[]))
        year_key = (key, row.year)
        if year_key in seen_year:
            checker.fail(
                row.number,
                "year",
                _("This customer and year are already in row %(other)d.")
                % {"other": seen_year[year_key]},
            )
            continue
        seen_year[year_key] = row.number
        plan.rows.append(row)
    # A row without a code for a customer that another row of the file gives with its code.
    for key in [k for k in plans if k[0] == "name"]:
        coded = coded_by_name.get(key[1:])
        if coded is None:
            continue
        plan = plans.pop(key)
        target = plans[coded]
        years = {r.year: r.number for r in target.rows}
        for row in plan.rows:
            if row.year in years:
                checker.fail(
                    row.number,
                    "year",
                    _("This customer and year are already in row %(other)d.")
                    % {"other": years[row.year]},
                )
            else:
                target.rows.append(row)
    return plans


def _match(plans: dict[tuple, _Plan], checker: _RowChecker) -> None:
    """Find the existing customer of each plan: by credit code, else by exact name in the BU."""
    codes = [key[1] for key in plans if key[0] == "code"]
    by_code = {}
    for among in _among("credit_code", codes):
        for values in Customer.objects.filter(among).values(*CUSTOMER_VALUES):
            by_code[values["credit_code"]] = values
    names_by_bu: dict[int, list[str]] = defaultdict(list)
    for key in plans:
        if key[0] == "name":
            names_by_bu[key[1]].append(key[2])
    by_name: dict[tuple, list[dict]] = defaultdict(list)
    for bu_id, names in names_by_bu.items():
        for among in _among("name_zh", names):
            for values in Customer.objects.filter(among, business_unit_id=bu_id).values(
                *CUSTOMER_VALUES
            ):
                by_name[(bu_id, values["name_zh"])].append(values)
    units = {unit.pk: unit.code for unit in checker.reference.units.values()}
    for key, plan in plans.items():
        first = plan.rows[0]
        if key[0] == "code":
            existing = by_code.get(key[1])
            if existing and existing["business_unit_id"] != first.bu.pk:
                checker.fail(
                    first.number,
                    "bu",
                    _(
                        "The customer with credit code %(code)s belongs to BU %(bu)s; an import does not move customers between BUs."
                    )
                    % {"code": key[1], "bu": units.get(existing["business_unit_id"], "?")},
                )
                continue
        else:
            found = by_name.get((key[1], key[2]), [])
            if len(found) > 1:
                checker.fail(
                    first.number,
                    "credit_code",
                    _("Several customers of this BU are named “%(name)s”: give the credit code.")
                    % {"name": key[2]},
                )
                continue
            existing = found[0] if found else None
        plan.existing = existing
        plan.pk = existing["id"] if existing else None


# --- The service -------------------------------------------------------------------------


def _read(file_bytes: bytes, filename: str, reference: _Reference, problems: list[Problem]):
    """The header mapping and the raw cells of each data row: (row number, {field: value})."""
    return read_table(
        file_bytes,
        filename,
        lambda header: _map_header(header, reference, problems),
        problems,
        check_width=True,
    )


def customers_import(
    *, file_bytes: bytes, filename: str, default_year: int | None, by=None, dry_run: bool
) -> ImportResult:
    """Check a customer file and, unless `dry_run` or anything is wrong, import all of it.

    `by` is the user importing (rows of BUs they may not edit are problems); None means the
    command line, with full rights. Nothing is written when the result has problems.
    """
    result = ImportResult(dry_run=dry_run)
    problems = result.problems
    if (refused := refusal(file_bytes)) is not None:
        problems.append(refused)
        return result
    this_year = timezone.localdate().year
    if default_year is not None and default_year > this_year:
        problems.append(
            Problem(
                1,
                "year",
                _("%(year)d is in the future: facts can be imported up to %(this_year)d.")
                % {"year": default_year, "this_year": this_year},
            )
        )
        return result

    reference = _Reference.load()
    try:
        data, labels = _read(file_bytes, filename, reference, problems)
    except Refused as refused:
        problems.append(refused.problem)
        return result
    result.columns = list(labels)
    result.rows = len(data)
    if "year" not in labels and default_year is None:
        problems.append(
            Problem(
                1,
                "year",
                _("No year: add a “year” column, or choose the year of the facts when importing."),
            )
        )
        return result

    checker = _RowChecker(reference, labels, default_year, this_year, by, problems)
    rows = [row for number, cells in data if (row := checker.check(number, cells)) is not None]
    plans = _group(rows, checker)
    _match(plans, checker)
    if problems:
        problems.sort(key=lambda p: p.row)
        return result

    writer = _Writer(plans, reference, by, filename)
    writer.prepare()
    result.customers_created = writer.counts["customers_created"]
    result.customers_updated = writer.counts["customers_updated"]
    result.customers_unchanged = writer.counts["customers_unchanged"]
    result.facts_created = writer.counts["facts_created"]
    result.facts_updated = writer.counts["facts_updated"]
    result.ratings_written = writer.counts["ratings_written"]
    shown = {row.number: row for row in rows[:PREVIEW_ROWS]}  # rows are in file order
    actions = {
        row.number: "update" if plan.pk else "new"
        for plan in plans.values()
        for row in plan.rows
        if row.number in shown
    }
    result.preview = [
        {**row.display, "action": actions[number]}
        for number, row in shown.items()
        if number in actions
    ]
    if not dry_run:
        writer.write()
    return result


# --- Writing -----------------------------------------------------------------------------


class _Writer:
    """Works out every insert and update first (counted for the preview), then writes them."""

    def __init__(self, plans: dict[tuple, _Plan], reference: _Reference, by, filename: str):
        self.plans = [p for p in plans.values() if p.rows]
        self.reference = reference
        self.by = by
        self.reason = (_("Import of %(file)s") % {"file": filename})[:100]
        self.counts = defaultdict(int)
        self.rated: dict[int, tuple[dict[int, str], tuple[str, ...]]] = {}

    def _load_stored(self) -> None:
        """What is stored for the customers of the file: all their years, so a changed region
        or industry also refreshes the completeness of years the file does not mention."""
        existing_ids = [p.pk for p in self.plans if p.pk]
        self.stored_years: dict[tuple[int, int], dict] = {}
        self.years_of: dict[int, list[int]] = defaultdict(list)
        self.stored_ratings: dict[tuple[int, int], dict[int, int]] = defaultdict(dict)
        self.links: set[tuple[int, int]] = set()
        self.key_contacts: set[int] = set()
        through = Customer.segments.through
        for among in _among("customer_id", existing_ids):
            for values in CustomerYear.objects.filter(among).values(
                "customer_id", "year", *YEAR_FIELDS
            ):
                self.stored_years[(values["customer_id"], values["year"])] = values
                self.years_of[values["customer_id"]].append(values["year"])
            for customer_id, year, attribute_id, option_id in AttributeValue.objects.filter(
                among
            ).values_list("customer_id", "year", "attribute_id", "option_id"):
                self.stored_ratings[(customer_id, year)][attribute_id] = option_id
            self.links.update(
                through.objects.filter(among).values_list("customer_id", "segment_id")
            )
            self.key_contacts.update(
                Contact.objects.filter(among, is_key_decision_maker=True).values_list(
                    "customer_id", flat=True
                )
            )

    def _rated_attributes(self, bu_id: int) -> tuple[dict[int, str], tuple[str, ...]]:
        """A BU's rated attributes (id -> key) and every field its customer-years should have."""
        if bu_id not in self.rated:
            keys = self.reference.applicable_keys(bu_id)
            self.rated[bu_id] = (
                {self.reference.attributes[k].pk: k for k in keys},
                all_fields(keys),
            )
        return self.rated[bu_id]

    def prepare(self) -> None:
        self._load_stored()
        for plan in self.plans:
            stored = plan.existing or {}
            values = {
                "name_zh": stored.get("name_zh", ""),
                "name_en": stored.get("name_en", ""),
                "region": stored.get("region", ""),
                "industry": stored.get("industry", ""),
            }
            for row in plan.rows:  # later rows win
                values["name_zh"] = row.name
                if row.name_en:
                    values["name_en"] = row.name_en
                if row.region:
                    values["region"] = row.region
                if row.industry:
                    values["industry"] = row.industry
                plan.new_segments.update(row.segment_ids)
            plan.values = values
            if plan.pk is not None:
                plan.new_segments = {s for s in plan.new_segments if (plan.pk, s) not in self.links}
                changed = any(values[f] != stored[f] for f in CUSTOMER_FIELDS)
                plan.changed = changed
                if changed or plan.new_segments:
                    self.counts["customers_updated"] += 1
                else:
                    self.counts["customers_unchanged"] += 1
            else:
                plan.changed = True
                self.counts["customers_created"] += 1

        # Facts and ratings per customer-year, with completeness from what will be stored.
        self.years: list[tuple[_Plan, int, dict, bool]] = []  # plan, year, values, is new
        self.ratings: list[tuple[_Plan, int, int, int, bool]] = []
        empty_facts = dict.fromkeys(YEAR_FIELDS)
        for plan in self.plans:
            attribute_ids, fields = self._rated_attributes(plan.rows[0].bu.pk)
            customer_values = {
                "region": plan.values["region"],
                "industry": plan.values["industry"],
                "key_decision_maker": plan.pk in self.key_contacts,
            }
            in_file = set()
            for row in plan.rows:
                in_file.add(row.year)
                stored = self.stored_years.get((plan.pk, row.year)) if plan.pk else None
                stored_ratings = self.stored_ratings.get((plan.pk, row.year), {}) if plan.pk else {}
                if stored is None and not row.facts and not row.ratings:
                    continue  # nothing to record for this year: no empty facts row
                values = {**(stored or empty_facts), **row.facts}
                for fact in ("business_strategy", "it_landscape", "planned_projects"):
                    values[fact] = values[fact] or ""
                for attribute_id, option_id in row.ratings.items():
                    old = stored_ratings.get(attribute_id)
                    if old != option_id:
                        self.ratings.append((plan, row.year, attribute_id, option_id, old is None))
                        self.counts["ratings_written"] += 1
                rated = {
                    key: pk in stored_ratings or pk in row.ratings
                    for pk, key in attribute_ids.items()
                }
                percent = _percent(values, customer_values, rated, fields)
                changed = (
                    stored is None
                    or percent != stored["completeness"]
                    or any(values[f] != stored[f] for f in IMPORTED_FACTS)
                )
                values["completeness"] = percent
                if changed:
                    self.years.append((plan, row.year, values, stored is None))
                    self.counts["facts_created" if stored is None else "facts_updated"] += 1
            if plan.pk and plan.changed:
                # Other stored years of a customer whose region or industry changed.
                for year in self.years_of.get(plan.pk, ()):
                    if year in in_file:
                        continue
                    stored = self.stored_years[(plan.pk, year)]
                    stored_ratings = self.stored_ratings.get((plan.pk, year), {})
                    rated = {key: pk in stored_ratings for pk, key in attribute_ids.items()}
                    percent = _percent(stored, customer_values, rated, fields)
                    if percent != stored["completeness"]:
                        self.years.append((plan, year, {**stored, "completeness": percent}, False))

    @transaction.atomic
    def write(self) -> None:
        store = store_for(
            now=timezone.now(),
            user_id=self.by.pk if self.by is not None else None,
            reason=self.reason,
        )
        new = [p for p in self.plans if p.pk is None]
        ids = store.create_customers(
            [
                {
                    **p.values,
                    "credit_code": p.rows[0].credit_code,
                    "business_unit_id": p.rows[0].bu.pk,
                }
                for p in new
            ]
        )
        for plan, pk in zip(new, ids, strict=True):
            plan.pk = pk
        store.update_customers({p.pk: p.values for p in self.plans if p.existing and p.changed})
        store.link_segments(
            [(plan.pk, segment) for plan in self.plans for segment in sorted(plan.new_segments)]
        )
        store.write_years(
            [
                (
                    {
                        **{f: values[f] for f in YEAR_FIELDS},
                        "customer_id": plan.pk,
                        "year": year,
                    },
                    is_new,
                )
                for plan, year, values, is_new in self.years
            ]
        )
        store.write_ratings(
            [
                (
                    {
                        "customer_id": plan.pk,
                        "year": year,
                        "attribute_id": attribute,
                        "option_id": option,
                    },
                    is_new,
                )
                for plan, year, attribute, option, is_new in self.ratings
            ]
        )


@functools.cache
def _share_percent(filled: int, total: int) -> int:
    return Completeness(filled=filled, total=total, missing=()).percent


def _percent(values: dict, customer_values: dict, rated: dict, fields: tuple[str, ...]) -> int:
    """`completeness(...).percent` of a customer-year, without building the list of what is
    missing (this runs once per row of the file). Filled means as in customers.completeness:
    not None, not empty text, not False."""
    merged = {**values, **customer_values, **rated}
    filled = 0
    for name in fields:
        value = merged.get(name)
        if value is not None and value != "" and value is not False:
            filled += 1
    return _share_percent(filled, len(fields))
