"""Creating score runs: read a segment's inputs in one query, score, rank and tier them with the
pure modules, and write the immutable run in one transaction.

On PostgreSQL the inputs land in a temporary table and come out through a binary COPY as
fixed-width numbers, which numpy reads without a per-customer loop; the results go back the same
way, and one INSERT … SELECT joins them to the inputs to write the entries, breakdowns included.
So the raw values a breakdown records are exactly those the run read, and no number is formatted
as text in Python. Elsewhere (SQLite: tests, `make run`) the same query feeds plain Python.
"""

from __future__ import annotations

import io
import time
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

import numpy as np
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils.translation import gettext as _

from customers.models import (
    Attribute,
    AttributeOption,
    AttributeValue,
    Contact,
    Customer,
    CustomerYear,
)
from evaluation.criteria.services import tier_document
from evaluation.criteria.sources import FACT_SOURCES
from evaluation.models import CriteriaSet, ScoreEntry, ScoreRun, TierPolicy
from evaluation.scoring.points import (
    Categories,
    CriterionSpec,
    ExactValues,
    Scores,
    cents_to_decimal,
    rank_eligible,
    score,
)
from evaluation.scoring.tiering import TierRule, assign_tiers
from organisation import permissions
from organisation.permissions import Action
from prioritizer import years

NUMERIC_FACTS = ("revenue", "profit", "it_budget", "it_spend", "employees", "it_staff")
# Entry status and tier as small codes while computing; the texts are put back when writing.
STATUSES = (ScoreEntry.Status.TARGET, ScoreEntry.Status.GENERAL, ScoreEntry.Status.SCREENED_OUT)
TARGET, GENERAL, SCREENED_OUT = range(3)
COMPLETENESS_PLACES = 4  # ScoreEntry.completeness
JSON_ARGS = 90  # PostgreSQL functions take at most 100 arguments


def criteria_set_for(segment, year: int) -> CriteriaSet | None:
    """The segment's published override, else its BU's published default: a set with a version
    in force (a newer draft version of it does not count until it is published)."""
    published = CriteriaSet.objects.published().filter(year=year)
    return (
        published.filter(segment=segment).first()
        or published.filter(business_unit_id=segment.business_unit_id, segment=None).first()
    )


def tier_policy_for(segment, year: int) -> TierPolicy | None:
    policies = TierPolicy.objects.filter(year=year)
    return (
        policies.filter(segment=segment).first()
        or policies.filter(business_unit_id=segment.business_unit_id, segment=None).first()
    )


@dataclass(frozen=True)
class _Column:
    """One source's column in the inputs query: its alias there and what kind of value."""

    alias: str
    kind: str  # number, category or boolean


@dataclass
class _InputsQuery:
    """SELECT {select} {source}: customer_id, tiebreak (the customer's place when ordered by
    credit code, customers without one last, by name: the rank's last tie-break) and one
    column per source, aliased s0, s1 …"""

    select: str
    source: str  # FROM …, with `params`
    params: list
    columns: dict[str, _Column]  # by source, in select order


@dataclass
class _Inputs:
    count: int
    columns: dict[str, np.ndarray | Categories]  # by source, as the scoring reads them
    customer_ids: np.ndarray
    tiebreak: np.ndarray | None = None  # None: the customers came in tie-break order
    raw: dict[str, list] | None = None  # by source, the values read (not on PostgreSQL)
    # The exact raw values of some rows (Decimals where the columns hold floats), for the few
    # customers the scoring decides exactly.
    exact: ExactValues | None = None


def _inputs_query(segment, facts_year: int, sources: Sequence[str]) -> _InputsQuery:
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
    columns: dict[str, _Column] = {}
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
            columns[source] = _Column(alias, "category")
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
            columns[source] = _Column(alias, "number")
            select.append(f"y.{source} AS {alias}")
        elif source in ("region", "industry"):
            columns[source] = _Column(alias, "category")
            select.append(f"NULLIF(c.{source}, '') AS {alias}")
        elif source == "key_decision_maker":
            columns[source] = _Column(alias, "boolean")
            select.append(f"(k.customer_id IS NOT NULL) AS {alias}")
        else:  # an attribute that does not exist (any more): missing for everyone
            columns[source] = _Column(alias, "category")
            select.append(f"CAST(NULL AS text) AS {alias}")
    # Code-point order, as Python compares str: PostgreSQL's "C" collation, SQLite's default.
    collate = ' COLLATE "C"' if connection.vendor == "postgresql" else ""
    order = f"c.credit_code IS NULL, c.credit_code{collate}, c.name_zh{collate}, c.id"
    customers = (
        f"SELECT c.id, c.region, c.industry, row_number() OVER (ORDER BY {order}) AS tiebreak "  # noqa: S608
        f"FROM ({customers_sql}) c"
    )
    return _InputsQuery(
        select=", ".join(select),
        source=f"FROM ({customers}) c {' '.join(joins)}",
        params=[*customers_params, *params],
        columns=columns,
    )


def _read_inputs(query: _InputsQuery) -> _Inputs:
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

    return _Inputs(
        len(rows), columns, np.array(values[0], dtype=np.int64), raw=raw, exact=exact_values
    )


def _pg_exact_values(query: _InputsQuery, inputs: _Inputs, facts_year: int, *, staged: bool):
    """`ExactValues` from PostgreSQL, as numerics (Decimals): the customers' facts read again
    by their (customer, year) index. A run checks them against the floats it scored (`staged`):
    should a fact have changed since (a concurrent commit), it reads them from its temporary
    inputs table instead, the very values its breakdowns record."""

    def exact_values(rows: np.ndarray, sources: list[str]) -> dict[str, list]:
        wanted = [s for s in sources if s in NUMERIC_FACTS and s in query.columns]
        if not wanted or not len(rows):
            return {}
        ids = inputs.customer_ids[rows].tolist()
        found = {
            row[0]: row[1:]
            for row in CustomerYear.objects.filter(year=facts_year, customer_id__in=ids)
            .order_by()
            .values_list("customer_id", *wanted)
        }
        values = {
            source: [found[pk][k] if pk in found else None for pk in ids]
            for k, source in enumerate(wanted)
        }
        if staged and not _same_as_read(values, inputs, rows):
            values = _staged_values(query, wanted, ids)
        return values

    return exact_values


def _same_as_read(values: dict[str, list], inputs: _Inputs, rows: np.ndarray) -> bool:
    for source, got in values.items():
        read = inputs.columns[source][rows]
        again = np.array([np.nan if v is None else float(v) for v in got])
        if not np.array_equal(read, again, equal_nan=True):
            return False
    return True


def _staged_values(query: _InputsQuery, sources: list[str], ids: list[int]) -> dict[str, list]:
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


def read_input_columns(segment, facts_year: int, sources: Sequence[str]) -> _Inputs:
    """The segment's inputs exactly as a run reads them — one column per source as scoring
    takes it, the customer ids, and the rank's tie-break — for a caller that scores without
    writing a run (the what-if). The same query as a run and, on PostgreSQL, the same binary
    COPY; its temporary table is dropped again, and nothing else is written."""
    query = _inputs_query(segment, facts_year, list(dict.fromkeys(sources)))
    if not _copies():
        return _read_inputs(query)
    # The temporary table lives until the transaction ends (ON COMMIT DROP): hold one open.
    with transaction.atomic(), connection.cursor() as cursor:
        inputs = _pg_read_inputs(query)
        cursor.execute("DROP TABLE pg_temp.score_inputs")
    inputs.exact = _pg_exact_values(query, inputs, facts_year, staged=False)
    return inputs


@transaction.atomic
def score_run_create(*, segment, year: int, facts_year: int | None = None, by=None) -> ScoreRun:
    """Score every active customer of the segment with its published criteria for `year`."""
    if by is not None:
        permissions.require(by, Action.MANAGE_SEGMENT_LIST, segment)
    facts_year = facts_year if facts_year is not None else years.facts_year(year)
    criteria_set = criteria_set_for(segment, year)
    if criteria_set is None:
        raise ValidationError(
            _("%(segment)s has no published criteria set for %(year)d: publish one first.")
            % {"segment": segment, "year": year}
        )
    started = time.perf_counter()
    specs = [
        CriterionSpec(c.key, c.source, c.weight, c.rule, c.gate)
        for c in criteria_set.criteria_in_force()
    ]
    policy = tier_policy_for(segment, year)
    tiers = list(policy.tiers.all()) if policy else []
    query = _inputs_query(segment, facts_year, list(dict.fromkeys(s.source for s in specs)))
    postgres = _copies()
    inputs = _pg_read_inputs(query) if postgres else _read_inputs(query)
    if not inputs.count:
        raise ValidationError(_("%(segment)s has no customers to score.") % {"segment": segment})
    if postgres:
        inputs.exact = _pg_exact_values(query, inputs, facts_year, staged=True)
    scores = score(specs, inputs.columns, inputs.count, inputs.exact)
    tier_rules = [TierRule(t.code, t.rule_type, t.rule_value) for t in tiers]
    results = rank_and_tier(scores, tier_rules, inputs.tiebreak)

    run = ScoreRun.objects.create(
        segment=segment,
        year=year,
        facts_year=facts_year,
        criteria_set=criteria_set,
        criteria_set_version=criteria_set.published_version,
        criteria=[
            {
                "key": s.key,
                "source": s.source,
                "weight": str(s.weight),
                "rule": s.rule,
                "gate": None if s.gate is None else str(s.gate),
            }
            for s in specs
        ],
        tiers=[tier_document(t) for t in tiers],
        created_by=by,
    )
    if postgres:
        _pg_write_entries(run, specs, query, inputs, results)
    else:
        _write_entries(run, specs, inputs, results)
    run.funnel = _funnel(results, specs, tiers)
    run.duration_ms = int((time.perf_counter() - started) * 1000)
    run.save(update_fields=["funnel", "duration_ms"])
    return run


class _RankedTotals(Sequence):
    """Ranked totals as Decimals for `assign_tiers`, made only for the few it looks at (a
    min_score rule reads until the first total below it; the other rules only count)."""

    def __init__(self, cents: np.ndarray):
        self._cents = cents

    def __len__(self) -> int:
        return len(self._cents)

    def __getitem__(self, index):
        return cents_to_decimal(self._cents[index])


@dataclass
class _Results:
    """Per customer, in input order: what its entry records, as numbers."""

    scores: Scores
    tier_codes: list[str]
    completeness: np.ndarray  # rounded half up in units of 10⁻⁴, as stored
    rank: np.ndarray  # 1, 2, 3 …; 0 = not ranked (screened out)
    status: np.ndarray  # index into STATUSES
    tier: np.ndarray  # index into tier_codes, -1 = none


def rank_and_tier(
    scores: Scores, tier_rules: list[TierRule], tiebreak: np.ndarray | None
) -> _Results:
    """Ranks and tiers of scored customers, as a run stores them (the what-if uses it too)."""
    count = len(scores.total_cents)
    # Completeness ties are exact: the weight with a value, in integer units.
    order = rank_eligible(scores.total_cents, scores.present_units, scores.eligible, tiebreak)
    rank = np.zeros(count, dtype=np.int64)
    rank[order] = np.arange(1, len(order) + 1)
    codes = [rule.code for rule in tier_rules]
    index = {code: i for i, code in enumerate(codes)}
    tier = np.full(count, -1, dtype=np.int64)
    assigned = assign_tiers(_RankedTotals(scores.total_cents[order]), tier_rules)
    tier[order] = np.fromiter((index.get(code, -1) for code in assigned), np.int64, len(order))
    status = np.where(tier >= 0, TARGET, GENERAL)
    status[~scores.eligible] = SCREENED_OUT
    return _Results(
        scores=scores,
        tier_codes=codes,
        completeness=scores.completeness_units(COMPLETENESS_PLACES),
        rank=rank,
        status=status,
        tier=tier,
    )


def _points_matrix(scores: Scores) -> np.ndarray:
    """Customers × criteria, points rounded to 6 places as the breakdown keeps them (for
    reading; exports and pages recompute points from the raw values, evaluation/scoring/breakdown.py)."""
    count = len(scores.total_cents)
    if not scores.keys:
        return np.zeros((count, 0))
    return np.round(np.column_stack([scores.points[key] for key in scores.keys]), 6)


def _funnel(results: _Results, specs, tiers) -> dict:
    screened = np.bincount(results.scores.gate_index + 1, minlength=len(specs) + 1)
    per_tier = np.bincount(results.tier + 1, minlength=len(tiers) + 1)
    count = len(results.status)
    return {
        "evaluated": count,
        "passed_gates": count - int(screened[1:].sum()),
        "stopped_by_gate": {
            s.key: int(screened[i + 1]) for i, s in enumerate(specs) if s.gate is not None
        },
        "tiers": {t.code: int(per_tier[i + 1]) for i, t in enumerate(tiers)},
        "general": int(np.count_nonzero(results.status == GENERAL)),
    }


def _write_entries(run: ScoreRun, specs, inputs: _Inputs, results: _Results) -> None:
    """Anywhere but PostgreSQL: plain objects, the breakdowns built in Python."""
    points = _points_matrix(results.scores).tolist()
    raw = [inputs.raw.get(s.source) or [None] * inputs.count for s in specs]
    raw_by_customer = list(zip(*raw, strict=True)) if raw else [()] * inputs.count
    keys = results.scores.keys
    ScoreEntry.objects.bulk_create(
        (
            ScoreEntry(
                run=run,
                customer_id=customer_id,
                total=cents_to_decimal(results.scores.total_cents[i]),
                completeness=Decimal(int(results.completeness[i])).scaleb(-COMPLETENESS_PLACES),
                rank=int(results.rank[i]) or None,
                status=STATUSES[results.status[i]],
                tier=results.tier_codes[results.tier[i]] if results.tier[i] >= 0 else "",
                screened_by=keys[g] if (g := results.scores.gate_index[i]) >= 0 else "",
                breakdown={"raw": list(raw_by_customer[i]), "points": points[i]},
            )
            for i, customer_id in enumerate(inputs.customer_ids.tolist())
        ),
        batch_size=2000,
    )


# PostgreSQL ---------------------------------------------------------------------------------


def _copies() -> bool:
    """Whether runs move their rows with COPY (PostgreSQL) rather than plain queries."""
    return connection.vendor == "postgresql"


COPY_SIGNATURE = b"PGCOPY\n\xff\r\n\x00"
COPY_HEADER = COPY_SIGNATURE + b"\x00\x00\x00\x00" + b"\x00\x00\x00\x00"  # no flags, no extension
COPY_TRAILER = b"\xff\xff"
FLOAT8_OID = 701


def _copy_dtype(fields: list[tuple[str, object]]) -> np.dtype:
    """A binary COPY row of fixed-width, never-NULL fields: field count, then each field's
    length and value (big-endian)."""
    layout = [("field_count", ">i2")]
    for name, kind in fields:
        layout += [(f"{name}_length", ">i4"), (name, kind)]
    return np.dtype(layout)


def _pg_read_inputs(query: _InputsQuery) -> _Inputs:
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
    rows = _copy_rows(data.getvalue(), fields)
    columns: dict[str, np.ndarray | Categories] = {}
    for source, column in query.columns.items():
        values = rows[column.alias]
        if column.kind == "number":
            columns[source] = values.astype(np.float64)
        else:
            choices = [False, True] if column.kind == "boolean" else labels[source]
            columns[source] = Categories(values.astype(np.int64), choices)
    return _Inputs(
        len(rows),
        columns,
        rows["customer_id"].astype(np.int64),
        tiebreak=rows["tiebreak"].astype(np.int64),
    )


def _copy_rows(data: bytes, fields: list[tuple[str, object]]) -> np.ndarray:
    dtype = _copy_dtype(fields)
    body = len(data) - len(COPY_HEADER) - len(COPY_TRAILER)
    if not data.startswith(COPY_HEADER) or not data.endswith(COPY_TRAILER) or body % dtype.itemsize:
        raise ValueError("unexpected binary COPY layout")
    rows = np.frombuffer(data, dtype, count=body // dtype.itemsize, offset=len(COPY_HEADER))
    if np.any(rows["field_count"] != len(fields)) or any(
        np.any(rows[f"{name}_length"] != np.dtype(kind).itemsize) for name, kind in fields
    ):
        raise ValueError("unexpected binary COPY layout")
    return rows


def _pg_write_entries(
    run: ScoreRun, specs, query: _InputsQuery, inputs: _Inputs, results: _Results
) -> None:
    """The results into a temporary table by binary COPY, then the entries in one
    INSERT … SELECT that builds each breakdown from them and the inputs read. Rows go in
    customer order, so the entry indexes on (run, customer) and customer grow at one end."""
    order = np.argsort(inputs.customer_ids, kind="stable")
    points = _points_matrix(results.scores)[order]
    count, width = points.shape
    fields = [
        ("customer_id", ">i8"),
        ("total_cents", ">i4"),
        ("completeness", ">i4"),
        ("rank", ">i4"),
        ("status", ">i4"),
        ("tier", ">i4"),
        ("screened", ">i4"),
    ]
    # float8[] in binary: dimensions, has-nulls flag, element type, size and lower bound of the
    # one dimension, then each element's length and value (no dimension when it is empty).
    array_header = [("ndim", ">i4"), ("has_nulls", ">i4"), ("element_type", ">i4")]
    if width:
        array_header += [("size", ">i4"), ("lower_bound", ">i4")]
        array_header += [("elements", [("length", ">i4"), ("value", ">f8")], (width,))]
    array = np.dtype(array_header)
    rows = np.zeros(count, _copy_dtype([*fields, ("points", array)]))
    rows["field_count"] = len(fields) + 1
    for name, kind in fields:
        rows[f"{name}_length"] = np.dtype(kind).itemsize
    rows["points_length"] = array.itemsize
    rows["customer_id"] = inputs.customer_ids[order]
    rows["total_cents"] = results.scores.total_cents[order]
    rows["completeness"] = results.completeness[order]
    rows["rank"] = results.rank[order]
    rows["status"] = results.status[order]
    rows["tier"] = results.tier[order]
    rows["screened"] = results.scores.gate_index[order]
    rows["points"]["element_type"] = FLOAT8_OID
    if width:
        rows["points"]["ndim"] = 1
        rows["points"]["size"] = width
        rows["points"]["lower_bound"] = 1
        rows["points"]["elements"]["length"] = 8
        rows["points"]["elements"]["value"] = points
    raw = [f"i.{query.columns[s.source].alias}" for s in specs]
    raw_json = (
        " || ".join(
            f"jsonb_build_array({', '.join(raw[i : i + JSON_ARGS])})"
            for i in range(0, len(raw), JSON_ARGS)
        )
        or "'[]'::jsonb"
    )
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS pg_temp.score_results")
        cursor.execute(
            "CREATE TEMPORARY TABLE score_results (customer_id bigint, total_cents integer, "
            "completeness integer, rank integer, status integer, tier integer, "
            "screened integer, points float8[]) ON COMMIT DROP"
        )
        cursor.cursor.copy_expert(
            "COPY pg_temp.score_results FROM STDIN WITH (FORMAT binary)",
            io.BytesIO(COPY_HEADER + rows.tobytes() + COPY_TRAILER),
        )
        cursor.execute("ANALYZE pg_temp.score_results (customer_id)")
        cursor.execute(
            f"INSERT INTO {ScoreEntry._meta.db_table} "  # noqa: S608 - names from the models
            "(run_id, customer_id, total, completeness, rank, status, tier, screened_by, "
            "breakdown) "
            "SELECT %s, r.customer_id, r.total_cents / 100.0, "
            f"r.completeness / {10**COMPLETENESS_PLACES}.0, NULLIF(r.rank, 0), "
            "(%s::text[])[r.status + 1], (%s::text[])[r.tier + 2], (%s::text[])[r.screened + 2], "
            f"jsonb_build_object('raw', {raw_json}, 'points', to_jsonb(r.points)) "
            "FROM pg_temp.score_results r JOIN pg_temp.score_inputs i "
            "ON i.customer_id = r.customer_id",
            [
                run.pk,
                [str(s) for s in STATUSES],
                ["", *results.tier_codes],
                ["", *results.scores.keys],
            ],
        )
        cursor.execute("DROP TABLE pg_temp.score_inputs, pg_temp.score_results")
