"""Score customers against a criteria set, exactly as DESIGN.md defines it. Pure: no Django.

Inputs are column arrays (one value per customer) so a whole segment is scored at once:
points per criterion, gates, completeness, the rounded total and the rank order.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

import numpy as np

from evaluation.rules import points

# Totals are rounded half up to cents. Float error in Σ weight·points/100 is far below this
# tolerance (totals ≤ 100), so values that are exactly on a half cent round up as they should.
HALF_CENT_TOLERANCE = 1e-9
CENT = Decimal("0.01")


@dataclass(frozen=True)
class CriterionSpec:
    key: str
    source: str
    weight: Decimal
    rule: dict
    gate: Decimal | None = None


@dataclass
class Scores:
    """Per customer (index i): points[key][i], total[i] (Decimal cents), completeness[i]
    (share of weight with a value, 0..1), gate_failed[i] (key of the first failed gate or None)."""

    points: dict[str, np.ndarray]
    total: list[Decimal]
    completeness: np.ndarray
    gate_failed: list[str | None]

    @property
    def eligible(self) -> list[bool]:
        return [failed is None for failed in self.gate_failed]


def round_half_up_cents(value: float) -> Decimal:
    cents = math.floor(value * 100 + 0.5 + HALF_CENT_TOLERANCE)
    return (Decimal(cents) / 100).quantize(CENT)


def _criterion_points(spec: CriterionSpec, column: Sequence) -> np.ndarray:
    rule = spec.rule
    kind = rule["type"]
    if kind in ("linear", "bands"):
        values = np.array([np.nan if v is None else float(v) for v in column], dtype=float)
        if kind == "linear":
            lo, hi = float(rule["lo"]), float(rule["hi"])
            result = 100.0 * np.clip((values - lo) / (hi - lo), 0.0, 1.0)
            if rule["direction"] == "lower_better":
                result = 100.0 - result
        else:
            result = np.zeros(len(values))
            for band in rule["bands"]:  # bands do not overlap, so at most one matches
                inside = np.ones(len(values), dtype=bool)
                if band.get("min") is not None:
                    inside &= values >= float(band["min"])
                if band.get("max") is not None:
                    inside &= values < float(band["max"])
                result[inside] = float(band["points"])
        return np.where(np.isnan(values), 0.0, result)
    if kind == "choice":
        mapping = rule["points"]
        return np.fromiter(
            (0.0 if v is None else float(mapping.get(str(v), 0)) for v in column),
            float,
            len(column),
        )
    return np.fromiter((points(rule, v) for v in column), float, len(column))


def score(criteria: Sequence[CriterionSpec], columns: dict[str, Sequence], count: int) -> Scores:
    """`columns[source]` holds the raw value of each of `count` customers (None = missing)."""
    total = np.zeros(count)
    weighted_present = np.zeros(count)
    weight_sum = float(sum(spec.weight for spec in criteria)) or 1.0
    gate_failed: list[str | None] = [None] * count
    per_criterion = {}
    for spec in criteria:
        column = columns.get(spec.source, [None] * count)
        pts = _criterion_points(spec, column)
        per_criterion[spec.key] = pts
        total += float(spec.weight) * pts / 100.0
        present = np.array([v is not None for v in column], dtype=bool)
        weighted_present += float(spec.weight) * present
        if spec.gate is not None:
            for i in np.flatnonzero(pts < float(spec.gate)):
                if gate_failed[i] is None:
                    gate_failed[i] = spec.key
    return Scores(
        points=per_criterion,
        total=[round_half_up_cents(t) for t in total],
        completeness=weighted_present / weight_sum,
        gate_failed=gate_failed,
    )


def rank_order(
    totals: Sequence[Decimal],
    completeness: Sequence[float],
    credit_codes: Sequence[str | None],
    names: Sequence[str],
    eligible: Sequence[bool],
) -> list[int]:
    """Indexes of the eligible customers in rank order: total desc, completeness desc, then
    credit code asc, customers without one after those with one, by name."""

    def key(i: int):
        code = credit_codes[i]
        return (-totals[i], -round(float(completeness[i]), 12), code is None, code or "", names[i])

    return sorted((i for i in range(len(totals)) if eligible[i]), key=key)
