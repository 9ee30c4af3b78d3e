"""Matching the checked rows to customers: rows of one customer grouped, then each group's stored
customer found by credit code, else by exact name in the BU (a few `IN` queries for the file).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.db.models import BooleanField, Q
from django.db.models.expressions import RawSQL
from django.utils.translation import gettext as _

from customers.imports.checking import Row
from customers.imports.row_checker import RowChecker
from customers.models import Customer


def _chunks(items: list, size: int = 900):
    for start in range(0, len(items), size):
        yield items[start : start + size]


def column_among(column: str, values: list):
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
class Plan:
    """One customer of the file: what exists and what the file says."""

    key: tuple
    rows: list[Row]
    existing: dict | None = None
    pk: int | None = None
    values: dict[str, Any] = field(default_factory=dict)
    new_segments: set[int] = field(default_factory=set)
    changed: bool = True
    instance: Customer | None = None


def group_rows(rows: list[Row], checker: RowChecker) -> dict[tuple, Plan]:
    """Rows of one customer together; the same credit code for two customers, or the same
    customer and year twice, is a problem naming both rows."""
    plans: dict[tuple, Plan] = {}
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
        plan = plans.setdefault(key, Plan(key=key, rows=[]))
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


def match_customers(plans: dict[tuple, Plan], checker: RowChecker) -> None:
    """Find the existing customer of each plan: by credit code, else by exact name in the BU."""
    codes = [key[1] for key in plans if key[0] == "code"]
    by_code = {}
    for among in column_among("credit_code", codes):
        for values in Customer.objects.filter(among).values(*CUSTOMER_VALUES):
            by_code[values["credit_code"]] = values
    names_by_bu: dict[int, list[str]] = defaultdict(list)
    for key in plans:
        if key[0] == "name":
            names_by_bu[key[1]].append(key[2])
    by_name: dict[tuple, list[dict]] = defaultdict(list)
    for bu_id, names in names_by_bu.items():
        for among in column_among("name_zh", names):
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
