"""Writing a run's entries from its ranked results: plain objects anywhere (`write_entries`);
on PostgreSQL (`copy_entries`) the results go into a temporary table by binary COPY and one
INSERT … SELECT joins them to the inputs read (evaluation/scoring/inputs.py) to write the
entries, breakdowns included, so no number is formatted as text in Python.
"""

from __future__ import annotations

import io
from decimal import Decimal

import numpy as np
from django.db import connection

from evaluation.models import ScoreEntry, ScoreRun
from evaluation.scoring.copy_io import COPY_HEADER, COPY_TRAILER, FLOAT8_OID, copy_dtype
from evaluation.scoring.inputs import Inputs, InputsQuery
from evaluation.scoring.points import cents_to_decimal
from evaluation.scoring.ranking import COMPLETENESS_PLACES, RankedResults, points_matrix

# The texts of ranking's TARGET, GENERAL and SCREENED_OUT codes, in that order.
STATUSES = (ScoreEntry.Status.TARGET, ScoreEntry.Status.GENERAL, ScoreEntry.Status.SCREENED_OUT)
JSON_ARGS = 90  # PostgreSQL functions take at most 100 arguments


def write_entries(run: ScoreRun, specs, inputs: Inputs, results: RankedResults) -> None:
    """Anywhere but PostgreSQL: plain objects, the breakdowns built in Python."""
    points = points_matrix(results.scores).tolist()
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


def copy_entries(
    run: ScoreRun, specs, query: InputsQuery, inputs: Inputs, results: RankedResults
) -> None:
    """The results into a temporary table by binary COPY, then the entries in one
    INSERT … SELECT that builds each breakdown from them and the inputs read. Rows go in
    customer order, so the entry indexes on (run, customer) and customer grow at one end."""
    order = np.argsort(inputs.customer_ids, kind="stable")
    points = points_matrix(results.scores)[order]
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
    rows = np.zeros(count, copy_dtype([*fields, ("points", array)]))
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
