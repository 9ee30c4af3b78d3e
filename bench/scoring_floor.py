"""The floor of the re-scoring benchmark: the same work as score_run_create done with nothing
but psycopg2 and numpy (see bench_scoring)."""

import io
import json
import math
import time
from decimal import Decimal
from fractions import Fraction

import numpy as np
from django.db import connection, transaction

from bench.scoring_data import FACTS
from customers.models import Attribute, AttributeOption
from customers.reference import Industry, Region
from organisation.models import Segment

FLOOR_TABLE = "bench_floor_entries"
COPY_HEADER = b"PGCOPY\n\xff\r\n\x00" + bytes(8)
COPY_TRAILER = b"\xff\xff"


# --- The floor --------------------------------------------------------------------------------


def floor_inputs_sql(segment: Segment, facts_year: int, criteria: list[dict]) -> tuple[str, dict]:
    """One row per active customer of the segment, every source as stored (and the tie-break
    place), and the same as fixed-width numbers for a binary COPY."""
    attributes = [
        c["source"]
        for c in criteria
        if c["source"] not in FACTS + ("region", "industry", "key_decision_maker")
    ]
    ids = dict(Attribute.objects.filter(key__in=attributes).values_list("key", "pk"))
    pivot = ", ".join(
        f"MAX(CASE WHEN v.attribute_id = {ids[key]} THEN o.key END) AS {key}" for key in attributes
    )
    members = f"SELECT customer_id FROM customers_customer_segments WHERE segment_id = {segment.pk}"
    order = 'c.credit_code IS NULL, c.credit_code COLLATE "C", c.name_zh COLLATE "C", c.id'
    typed = (
        f"SELECT c.id AS customer_id, c.tiebreak, {', '.join(f'y.{f}' for f in FACTS)}, "
        "NULLIF(c.region, '') AS region, NULLIF(c.industry, '') AS industry, "
        f"k.customer_id IS NOT NULL AS key_decision_maker, {', '.join(attributes)} "
        # The tie-break sorts the customers alone, before the joins widen the rows.
        f"FROM (SELECT c.id, c.region, c.industry, row_number() OVER (ORDER BY {order}) AS tiebreak "
        f"FROM customers_customer c WHERE c.id IN ({members}) AND c.archived_at IS NULL) c "
        f"LEFT JOIN customers_customeryear y ON y.customer_id = c.id AND y.year = {facts_year} "
        "LEFT JOIN (SELECT DISTINCT customer_id FROM customers_contact "
        "WHERE is_key_decision_maker) k ON k.customer_id = c.id "
        # The segment's attribute values in one pass, one row per customer.
        f"LEFT JOIN (SELECT v.customer_id, {pivot} FROM customers_attributevalue v "
        "JOIN customers_attributeoption o ON o.id = v.option_id "
        f"WHERE v.customer_id IN ({members}) AND v.year = {facts_year} "
        f"AND v.attribute_id IN ({', '.join(str(i) for i in ids.values())}) "
        "GROUP BY v.customer_id) a ON a.customer_id = c.id"
    )
    labels = {"region": list(Region.values), "industry": list(Industry.values)}
    for key in attributes:
        labels[key] = list(
            AttributeOption.objects.filter(attribute__key=key).values_list("key", flat=True)
        )
    numbers = ", ".join(
        [
            "customer_id::int8",
            "tiebreak::int8",
            *(f"COALESCE({f}::float8, 'NaN')" for f in FACTS),
            *(
                f"COALESCE(array_position(ARRAY{labels[k]}::text[], {k}) - 1, -1)::int8"
                for k in ("region", "industry", *attributes)
            ),
            "key_decision_maker::int::int8",
        ]
    )
    return typed, {"numbers": numbers, "labels": labels, "attributes": attributes}


def floor_read(cursor, sql: str, columns: list[str]) -> np.ndarray:
    data = io.BytesIO()
    cursor.copy_expert(f"COPY ({sql}) TO STDOUT WITH (FORMAT binary)", data)
    raw = data.getvalue()
    dtype = np.dtype(
        [("n", ">i2")]
        + [
            pair
            for c in columns
            for pair in ((f"{c}_len", ">i4"), (c, ">f8" if c in FACTS else ">i8"))
        ]
    )
    body = raw[len(COPY_HEADER) : -len(COPY_TRAILER)]
    return np.frombuffer(body, dtype)


def floor_compute(criteria: list[dict], tiers: list[dict], rows: np.ndarray, labels: dict):
    """Points (customers × criteria), cents, completeness (10⁻⁴), gate, rank, tier indexes."""
    count = len(rows)
    points = np.zeros((count, len(criteria)))
    total = np.zeros(count)
    present_weight = np.zeros(count)
    gate = np.full(count, -1)
    for j, criterion in enumerate(criteria):
        rule, source, weight = criterion["rule"], criterion["source"], float(criterion["weight"])
        values = rows[source]
        if rule["type"] == "linear":
            pts = 100.0 * np.clip((values - rule["lo"]) / (rule["hi"] - rule["lo"]), 0, 1)
            present = ~np.isnan(values)
        elif rule["type"] == "bands":
            pts = np.zeros(count)
            for band in rule["bands"]:
                inside = np.ones(count, bool)
                if band["min"] is not None:
                    inside &= values >= band["min"]
                if band["max"] is not None:
                    inside &= values < band["max"]
                pts[inside] = band["points"]
            present = ~np.isnan(values)
        elif rule["type"] == "boolean":
            pts = np.where(values == 1, float(rule["true"]), float(rule["false"]))
            present = np.ones(count, bool)
        else:
            table = [float(rule["points"].get(label, 0)) for label in labels[source]] + [0.0]
            pts = np.array(table)[values]
            present = values >= 0
        pts = np.where(present, pts, 0.0)
        points[:, j] = pts
        total += weight * pts / 100.0
        present_weight += weight * present
        if criterion["gate"] is not None:
            gate[(gate < 0) & (pts < float(criterion["gate"]))] = j
    cents = np.floor(total * 100 + 0.5 + 1e-9).astype(np.int64)
    weights = sum(float(c["weight"]) for c in criteria)
    completeness = np.floor(present_weight / weights * 10000 + 0.5 + 1e-9)
    eligible = np.flatnonzero(gate < 0)
    order = eligible[
        np.lexsort(
            (
                rows["tiebreak"][eligible],
                -np.round(present_weight[eligible], 12),
                -cents[eligible],
            )
        )
    ]
    rank = np.zeros(count, np.int64)
    rank[order] = np.arange(1, len(order) + 1)
    tier = np.full(count, -1)
    start, ranked = 0, cents[order]
    for t, spec in enumerate(tiers):
        kind, value = spec["rule"]["type"], spec["rule"]["value"]
        if kind == "top_n":
            take = int(value)
        elif kind == "top_percent":
            take = math.ceil(Fraction(str(value)) * len(order) / 100)
        else:
            take = int(np.count_nonzero(ranked[start:] >= math.ceil(Decimal(str(value)) * 100)))
        end = min(len(order), start + take)
        tier[order[start:end]] = t
        start = end
    return np.round(points, 6), cents, completeness.astype(np.int64), gate, rank, tier


STATUS = np.array(["general", "target", "screened_out"], dtype=object)


def floor_status(gate, tier):
    return np.where(gate >= 0, 2, np.where(tier >= 0, 1, 0))


class Laps:
    """Seconds per step: each call closes the step that ran since the previous one."""

    def __init__(self):
        self.seconds: dict[str, float] = {}
        self._last = time.perf_counter()

    def __call__(self, label: str) -> None:
        now = time.perf_counter()
        self.seconds[label] = self.seconds.get(label, 0.0) + now - self._last
        self._last = now


class _Lines(io.RawIOBase):
    """A file whose read() makes the next lines: Python writes while PostgreSQL reads."""

    def __init__(self, lines):
        self.lines = lines

    def readable(self):
        return True

    def read(self, size=-1):
        chunk = [line for _n, line in zip(range(2000), self.lines, strict=False)]
        return "".join(chunk).encode()


def floor_columns(shape: dict) -> list[str]:
    """The floor's input columns, in the order floor_inputs_sql selects them."""
    return [
        "customer_id",
        "tiebreak",
        *FACTS,
        "region",
        "industry",
        *shape["attributes"],
        "key_decision_maker",
    ]


def floor_rows(run_id, segment, facts_year, criteria, tiers) -> dict[str, float]:
    """COPY out, numpy, each row's text (breakdown JSON included) COPYed straight in."""
    typed, shape = floor_inputs_sql(segment, facts_year, criteria)
    columns = floor_columns(shape)
    laps = Laps()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL jit = off")
        rows = floor_read(cursor.cursor, f"SELECT {shape['numbers']} FROM ({typed}) x", columns)
        laps("read inputs")
        points, cents, completeness, gate, rank, tier = floor_compute(
            criteria, tiers, rows, shape["labels"]
        )
        laps("compute")
        order = np.argsort(rows["customer_id"], kind="stable")
        # Each distinct value is formatted once, then every row is one join of its cells.
        texts = {}
        for source in {c["source"] for c in criteria}:
            values = rows[source][order]
            if source in FACTS:
                distinct, index = np.unique(values, return_inverse=True)
                words = ["null" if math.isnan(v) else repr(v) for v in distinct.tolist()]
            elif source == "key_decision_maker":
                words, index = ["false", "true"], values
            else:
                words = [json.dumps(label) for label in shape["labels"][source]] + ["null"]
                index = values
            texts[source] = np.array(words, dtype=object)[index]
        raw = [texts[c["source"]] for c in criteria]
        shown = []
        for j in range(points.shape[1]):
            distinct, index = np.unique(points[order, j], return_inverse=True)
            shown.append(np.array([repr(v) for v in distinct.tolist()], dtype=object)[index])
        cent_text = np.array([f"{c // 100}.{c % 100:02d}" for c in range(10001)], dtype=object)
        tier_text = np.array([spec["code"] for spec in tiers] + [""], dtype=object)
        gate_text = np.array([c["key"] for c in criteria] + [""], dtype=object)
        head = zip(
            rows["customer_id"][order].tolist(),
            cent_text[cents[order]].tolist(),
            (completeness[order] / 10000).tolist(),
            np.where(rank[order] > 0, rank[order].astype(str), r"\N").tolist(),
            STATUS[floor_status(gate, tier)[order]].tolist(),
            tier_text[tier[order]].tolist(),
            gate_text[gate[order]].tolist(),
            strict=True,
        )
        lines = (
            f"{run_id}\t{c}\t{t}\t{p}\t{r}\t{s}\t{ti}\t{g}\t"
            f'{{"raw": [{",".join(rw)}], "points": [{",".join(pt)}]}}\n'
            for (c, t, p, r, s, ti, g), rw, pt in zip(
                head, zip(*raw, strict=True), zip(*shown, strict=True), strict=True
            )
        )
        cursor.cursor.copy_expert(
            f"COPY {FLOOR_TABLE} (run_id, customer_id, total, completeness, rank, status, tier, "
            "screened_by, breakdown) FROM STDIN",
            _Lines(lines),
        )
        laps("write entries")
    laps("commit")
    return laps.seconds


def floor_staged(run_id, segment, facts_year, criteria, tiers) -> dict[str, float]:
    """COPY out, numpy, the numbers COPYed in binary, one INSERT … SELECT builds the rows."""
    typed, shape = floor_inputs_sql(segment, facts_year, criteria)
    columns = floor_columns(shape)
    laps = Laps()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL jit = off")
        cursor.execute(f"CREATE TEMPORARY TABLE floor_inputs ON COMMIT DROP AS {typed}")
        cursor.execute("ANALYZE floor_inputs (customer_id)")
        rows = floor_read(cursor.cursor, f"SELECT {shape['numbers']} FROM floor_inputs", columns)
        laps("read inputs")
        points, cents, completeness, gate, rank, tier = floor_compute(
            criteria, tiers, rows, shape["labels"]
        )
        laps("compute")
        width = points.shape[1]
        element = np.dtype([("len", ">i4"), ("value", ">f8")])
        dtype = np.dtype(
            [("n", ">i2")]
            + [
                pair
                for c in ("customer_id", "cents", "completeness", "rank", "status", "tier", "gate")
                for pair in ((f"{c}_len", ">i4"), (c, ">i8"))
            ]
            + [("points_len", ">i4"), ("head", ">i4", (5,)), ("points", element, (width,))]
        )
        out = np.zeros(len(rows), dtype)
        out["n"] = 8
        for name in ("customer_id", "cents", "completeness", "rank", "status", "tier", "gate"):
            out[f"{name}_len"] = 8
        out["points_len"] = 20 + 12 * width
        out["head"] = [1, 0, 701, width, 1]
        out["points"]["len"] = 8
        order = np.argsort(rows["customer_id"], kind="stable")
        out["customer_id"] = rows["customer_id"][order]
        out["cents"], out["completeness"], out["rank"] = (
            cents[order],
            completeness[order],
            rank[order],
        )
        out["status"] = floor_status(gate, tier)[order]
        out["tier"], out["gate"] = tier[order], gate[order]
        out["points"]["value"] = points[order]
        cursor.execute(
            "CREATE TEMPORARY TABLE floor_results (customer_id int8, cents int8, completeness int8, "
            "rank int8, status int8, tier int8, gate int8, points float8[]) ON COMMIT DROP"
        )
        cursor.cursor.copy_expert(
            "COPY floor_results FROM STDIN WITH (FORMAT binary)",
            io.BytesIO(COPY_HEADER + out.tobytes() + COPY_TRAILER),
        )
        cursor.execute("ANALYZE floor_results (customer_id)")
        raw = ", ".join(f"i.{c['source']}" for c in criteria)
        cursor.execute(
            f"INSERT INTO {FLOOR_TABLE} (run_id, customer_id, total, completeness, rank, status, "
            "tier, screened_by, breakdown) "
            "SELECT %s, r.customer_id, r.cents / 100.0, r.completeness / 10000.0, "
            "NULLIF(r.rank, 0), (%s::text[])[r.status + 1], (%s::text[])[r.tier + 2], "
            "(%s::text[])[r.gate + 2], "
            f"jsonb_build_object('raw', jsonb_build_array({raw}), 'points', to_jsonb(r.points)) "
            "FROM floor_results r JOIN floor_inputs i ON i.customer_id = r.customer_id",
            [
                run_id,
                list(STATUS),
                ["", *(t["code"] for t in tiers)],
                ["", *(c["key"] for c in criteria)],
            ],
        )
        laps("write entries")
    laps("commit")
    return laps.seconds
