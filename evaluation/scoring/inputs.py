"""Reading a run's inputs: one query gives a row per active customer of the segment with each
source's raw value, in the order the rank breaks its last ties by.

On PostgreSQL (`copy_inputs`) the rows land in a temporary table and come out through a binary
COPY as fixed-width numbers, which numpy reads without a per-customer loop; the temporary table
stays for the entries' INSERT … SELECT (evaluation/scoring/entries.py), so the raw values a
breakdown records are exactly those the run read. Elsewhere (SQLite: tests, `make run`) the
same query feeds plain Python (`read_inputs`).
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

import numpy as np
from django.db import connection

from customers.models import (
    Attribute,
    AttributeOption,
    AttributeValue,
    Contact,
    Customer,
    CustomerYear,
)
from evaluation.criteria.sources import FACT_SOURCES
from evaluation.scoring.copy_io import copy_rows
from evaluation.scoring.points import Categories, ExactValues

NUMERIC_FACTS = ("revenue", "profit", "it_budget", "it_spend", "employees", "it_staff")


@dataclass(frozen=True)
class Column:
    """One source's column in the inputs query: its alias there and what kind of value."""

    alias: str
    kind: str  # number, category or boolean


@dataclass
class InputsQuery:
    """SELECT {select} {source}: customer_id, tiebreak (the customer's place when ordered by
    credit code, customers without one last, by name: the rank's last tie-break) and one
    column per source, aliased s0, s1 …"""

    select: str
    source: str  # FROM …, with `params`
    params: list
    columns: dict[str, Column]  # by source, in select order


@dataclass
class Inputs:
    count: int
    columns: dict[str, np.ndarray | Categories]  # by source, as the scoring reads them
    customer_ids: np.ndarray
    tiebreak: np.ndarray | None = None  # None: the customers came in tie-break order
    raw: dict[str, list] | None = None  # by source, the values read (not on PostgreSQL)
    # The exact raw values of some rows (Decimals where the columns hold floats), for the few
    # customers the scoring decides exactly.
    exact: ExactValues | None = None


def inputs_query(segment, facts_year: int, sources: Sequence[str]) -> InputsQuery:
    """One row per active customer of the segment: each source's raw value (NULL = missing)."""
    customers_sql, customers_params = (
        Customer.objects.active()
        .filter(segments=segment)
        .order_by()
        .values("id", "region", "industry", "credit_code", "name_zh")
        .query
    ).sql_with_params()
    # The segment's members, archived ones too: enough to narrow the attribute values down.
    members_sql, members_params = (
        Customer.segments.through.objects.filter(segment=segment).values("customer_id").query
    ).sql_with_params()
    columns: dict[str, Column] = {}
    select = ["c.id AS customer_id", "c.tiebreak"]
    joins: list[str] = []
    params: list = []
    attributes = dict(
        Attribute.objects.filter(key__in=[s for s in sources if s not in FACT_SOURCES])
        .order_by("pk")
        .values_list("key", "pk")
    )
    facts = [s for s in sources if s in NUMERIC_FACTS]
    if facts:
        joins.append(
            f"LEFT JOIN {CustomerYear._meta.db_table} y ON y.customer_id = c.id AND y.year = %s"
        )
        params.append(facts_year)
    if "key_decision_maker" in sources:
        joins.append(
            f"LEFT JOIN (SELECT DISTINCT customer_id FROM {Contact._meta.db_table} "  # noqa: S608
            "WHERE is_key_decision_maker = %s) k ON k.customer_id = c.id"
        )
        params.append(True)
    if attributes:
        # The segment's values only, then one row per customer: reached through the
        # (customer, year, attribute) index for a small segment, a scan for a large one.
        pivot = []
        for source, attribute_id in attributes.items():
            alias = f"s{len(columns)}"
            columns[source] = Column(alias, "category")
            pivot.append(f"MAX(CASE WHEN v.attribute_id = %s THEN o.key END) AS {alias}")
            params.append(attribute_id)
            select.append(f"a.{alias}")
        joins.append(
            f"LEFT JOIN (SELECT v.customer_id, {', '.join(pivot)} "  # noqa: S608 - names from the models
            f"FROM {AttributeValue._meta.db_table} v "
            f"JOIN {AttributeOption._meta.db_table} o ON o.id = v.option_id "
            f"WHERE v.customer_id IN ({members_sql}) AND v.year = %s "
            f"AND v.attribute_id IN ({', '.join(['%s'] * len(attributes))}) "
            "GROUP BY v.customer_id) a ON a.customer_id = c.id"
        )
        params += [*members_params, facts_year, *attributes.values()]
    for source in sources:
        if source in columns:
            continue
        alias = f"s{len(columns)}"
        if source in NUMERIC_FACTS:
            columns[source] = Column(alias, "number")
            select.append(f"y.{source} AS {alias}")
        elif source in ("region", "industry"):
            columns[source] = Column(alias, "category")
            select.append(f"NULLIF(c.{source}, '') AS {alias}")
        elif source == "key_decision_maker":
            columns[source] = Column(alias, "boolean")
            select.append(f"(k.customer_id IS NOT NULL) AS {alias}")
        else:  # an attribute that does not exist (any more): missing for everyone
            columns[source] = Column(alias, "category")
            select.append(f"CAST(NULL AS text) AS {alias}")
    # Code-point order, as Python compares str: PostgreSQL's "C" collation, SQLite's default.
    collate = ' COLLATE "C"' if connection.vendor == "postgresql" else ""
    order = f"c.credit_code IS NULL, c.credit_code{collate}, c.name_zh{collate}, c.id"
    customers = (
        f"SELECT c.id, c.region, c.industry, row_number() OVER (ORDER BY {order}) AS tiebreak "  # noqa: S608
        f"FROM ({customers_sql}) c"
    )
    return InputsQuery(
        select=", ".join(select),
        source=f"FROM ({customers}) c {' '.join(joins)}",
        params=[*customers_params, *params],
        columns=columns,
    )


def read_inputs(query: InputsQuery) -> Inputs:
    """Plain cursor reads, column by column into arrays, in tie-break order."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {query.select} {query.source} ORDER BY c.tiebreak",  # noqa: S608 - names from the models
            query.params,
        )
        rows = cursor.fetchall()
    values = list(zip(*rows, strict=True)) if rows else [()] * (2 + len(query.columns))
    raw: dict[str, list] = {}
    exact: dict[str, list] = {}
    columns: dict[str, np.ndarray | Categories] = {}
    for position, (source, column) in enumerate(query.columns.items(), start=2):
        got = values[position]
        if column.kind == "number":
            exact[source] = list(got)
            raw[source] = [float(v) if isinstance(v, Decimal) else v for v in got]
            columns[source] = np.array([np.nan if v is None else float(v) for v in got])
        elif column.kind == "boolean":
            raw[source] = [None if v is None else bool(v) for v in got]
            columns[source] = Categories.of(raw[source])
        else:
            raw[source] = list(got)
            columns[source] = Categories.of(raw[source])

    def exact_values(rows: np.ndarray, sources: list[str]) -> dict[str, list]:
        return {s: [exact[s][row] for row in rows.tolist()] for s in sources if s in exact}

    return Inputs(
        len(rows), columns, np.array(values[0], dtype=np.int64), raw=raw, exact=exact_values
    )


def copy_inputs(query: InputsQuery) -> Inputs:
    """The inputs into a temporary table (one statement, so one snapshot: the breakdowns
    record from it what was read), then out as numbers: NaN for a missing number, a code into
    the column's distinct values (-1 = missing) for the others."""
    with connection.cursor() as cursor:
        # Statements over 100,000 rows pass the planner's JIT thresholds, but their work is in
        # functions JIT does not speed up (JSON, numerics): compiling cost up to a second.
        cursor.execute("SET LOCAL jit = off")
        cursor.execute("DROP TABLE IF EXISTS pg_temp.score_inputs")
        cursor.execute(
            "CREATE TEMPORARY TABLE score_inputs ON COMMIT DROP AS "  # noqa: S608 - names from the models
            f"SELECT {query.select} {query.source}",
            query.params,
        )
        # Temporary tables get no statistics otherwise, and the final join needs some.
        cursor.execute("ANALYZE pg_temp.score_inputs (customer_id)")
        categories = [s for s, c in query.columns.items() if c.kind == "category"]
        labels: dict[str, list] = {}
        if categories:
            arrays = ", ".join(
                f"ARRAY(SELECT DISTINCT {a} FROM pg_temp.score_inputs "  # noqa: S608
                f"WHERE {a} IS NOT NULL ORDER BY 1)"
                for a in (query.columns[s].alias for s in categories)
            )
            cursor.execute(f"SELECT {arrays}")  # noqa: S608 - aliases made here
            labels = dict(zip(categories, cursor.fetchone(), strict=True))
        projection = ["customer_id::int8", "tiebreak::int8"]
        fields: list[tuple[str, str]] = [("customer_id", ">i8"), ("tiebreak", ">i8")]
        params = []
        for source, column in query.columns.items():
            alias = column.alias
            if column.kind == "number":
                projection.append(f"COALESCE({alias}::float8, 'NaN')")
                fields.append((alias, ">f8"))
            elif column.kind == "boolean":
                projection.append(f"CASE WHEN {alias} THEN 1 WHEN NOT {alias} THEN 0 ELSE -1 END")
                fields.append((alias, ">i4"))
            else:
                projection.append(f"COALESCE(array_position(%s::text[], {alias}) - 1, -1)")
                params.append(labels[source])
                fields.append((alias, ">i4"))
        data = io.BytesIO()
        cursor.cursor.copy_expert(
            cursor.mogrify(
                f"COPY (SELECT {', '.join(projection)} FROM pg_temp.score_inputs) "  # noqa: S608
                "TO STDOUT WITH (FORMAT binary)",
                params,
            ).decode(),
            data,
        )
    rows = copy_rows(data.getvalue(), fields)
    columns: dict[str, np.ndarray | Categories] = {}
    for source, column in query.columns.items():
        values = rows[column.alias]
        if column.kind == "number":
            columns[source] = values.astype(np.float64)
        else:
            choices = [False, True] if column.kind == "boolean" else labels[source]
            columns[source] = Categories(values.astype(np.int64), choices)
    return Inputs(
        len(rows),
        columns,
        rows["customer_id"].astype(np.int64),
        tiebreak=rows["tiebreak"].astype(np.int64),
    )


def staged_values(query: InputsQuery, sources: list[str], ids: list[int]) -> dict[str, list]:
    """These customers' values of `sources` as the run read them (its temporary inputs table)."""
    aliases = ", ".join(query.columns[s].alias for s in sources)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT customer_id, {aliases} FROM pg_temp.score_inputs "  # noqa: S608
            "WHERE customer_id = ANY(%s)",
            [ids],
        )
        found = {row[0]: row[1:] for row in cursor.fetchall()}
    return {
        source: [found[pk][k] if pk in found else None for pk in ids]
        for k, source in enumerate(sources)
    }
