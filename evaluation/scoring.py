"""Score customers against a criteria set, exactly as DESIGN.md defines it. Pure: no Django.

Inputs are column arrays (one value per customer) so a whole segment is scored at once:
points per criterion, gates, completeness, the rounded total and the rank order. A column is
either a float array (NaN = missing) for a numeric source, `Categories` (codes into labels) for a
categorical or boolean one, or any sequence of raw values with None for missing.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property

import numpy as np

from evaluation.rules import points

# Totals are rounded half up to cents. Float error in Σ weight·points/100 is far below this
# tolerance (totals ≤ 100), so values that are exactly on a half cent round up as they should.
HALF_CENT_TOLERANCE = 1e-9
CENT = Decimal("0.01")
# Completeness values closer than this are equal for the ranking (float noise, not data).
COMPLETENESS_RANK_PLACES = 12


@dataclass(frozen=True)
class CriterionSpec:
    key: str
    source: str
    weight: Decimal
    rule: dict
    gate: Decimal | None = None


@dataclass(frozen=True)
class Categories:
    """A categorical (or boolean) column: `labels[codes[i]]` is customer i's value, -1 = missing."""

    codes: np.ndarray
    labels: Sequence

    @classmethod
    def of(cls, values: Sequence) -> Categories:
        index: dict = {}
        codes = np.fromiter(
            (-1 if v is None else index.setdefault(v, len(index)) for v in values),
            np.int64,
            len(values),
        )
        return cls(codes, list(index))


@dataclass
class Scores:
    """Per customer (index i): points[key][i] (unrounded), total_cents[i] (the total rounded
    half up, in cents), completeness[i] (share of weight with a value, 0..1) and
    gate_index[i] (position in `keys` of the first failed gate, -1 when none failed)."""

    keys: list[str]
    points: dict[str, np.ndarray]
    total_cents: np.ndarray
    completeness: np.ndarray
    gate_index: np.ndarray

    @cached_property
    def total(self) -> list[Decimal]:
        return [cents_to_decimal(c) for c in self.total_cents.tolist()]

    @cached_property
    def gate_failed(self) -> list[str | None]:
        return [None if g < 0 else self.keys[g] for g in self.gate_index.tolist()]

    @cached_property
    def eligible(self) -> np.ndarray:
        return self.gate_index < 0


def cents_to_decimal(cents: int) -> Decimal:
    return Decimal(int(cents)).scaleb(-2)


def round_half_up_cents(value: float) -> Decimal:
    cents = math.floor(value * 100 + 0.5 + HALF_CENT_TOLERANCE)
    return (Decimal(cents) / 100).quantize(CENT)


def round_half_up_units(values: np.ndarray, places: int) -> np.ndarray:
    """Each value rounded half up to `places` decimals, as an integer count of 10^-places."""
    return np.floor(values * 10**places + 0.5 + HALF_CENT_TOLERANCE).astype(np.int64)


def cents_half_up(values: np.ndarray) -> np.ndarray:
    """`round_half_up_cents` for a whole array, in integer cents (the same float operations)."""
    return round_half_up_units(values, 2)


def _numbers(column) -> np.ndarray:
    if isinstance(column, np.ndarray) and column.dtype.kind == "f":
        return column
    if isinstance(column, Categories):
        labels = np.array([float(label) for label in column.labels] + [np.nan])
        return labels[column.codes]
    return np.array([np.nan if v is None else float(v) for v in column], dtype=float)


def _categories(column) -> Categories:
    if isinstance(column, Categories):
        return column
    if isinstance(column, np.ndarray):
        column = [None if isinstance(v, float) and math.isnan(v) else v for v in column.tolist()]
    return Categories.of(column)


def _present(column) -> np.ndarray:
    if isinstance(column, Categories):
        return column.codes >= 0
    if isinstance(column, np.ndarray) and column.dtype.kind == "f":
        return ~np.isnan(column)
    return np.fromiter((v is not None for v in column), bool, len(column))


def _criterion_points(spec: CriterionSpec, column) -> np.ndarray:
    rule = spec.rule
    kind = rule["type"]
    if kind in ("linear", "bands"):
        values = _numbers(column)
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
    # choice, boolean: points per distinct value, then one lookup; code -1 (missing) takes the
    # appended 0.
    categories = _categories(column)
    table = np.array([points(rule, label) for label in categories.labels] + [0.0])
    return table[categories.codes]


def score(criteria: Sequence[CriterionSpec], columns: dict[str, Sequence], count: int) -> Scores:
    """`columns[source]` holds the raw value of each of `count` customers (missing: None, NaN
    or code -1); a source without a column is missing for everyone."""
    total = np.zeros(count)
    weighted_present = np.zeros(count)
    weight_sum = float(sum(spec.weight for spec in criteria)) or 1.0
    gate_index = np.full(count, -1, dtype=np.int64)
    per_criterion = {}
    for position, spec in enumerate(criteria):
        column = columns.get(spec.source)
        if column is None:
            column = np.full(count, np.nan)
        pts = _criterion_points(spec, column)
        per_criterion[spec.key] = pts
        total += float(spec.weight) * pts / 100.0
        weighted_present += float(spec.weight) * _present(column)
        if spec.gate is not None:
            gate_index[(gate_index < 0) & (pts < float(spec.gate))] = position
    return Scores(
        keys=[spec.key for spec in criteria],
        points=per_criterion,
        total_cents=cents_half_up(total),
        completeness=weighted_present / weight_sum,
        gate_index=gate_index,
    )


def rank_eligible(
    total_cents: np.ndarray,
    completeness: np.ndarray,
    eligible: np.ndarray,
    tiebreak: np.ndarray | None = None,
) -> np.ndarray:
    """Indexes of the eligible customers in rank order: total desc, completeness desc, then
    `tiebreak` asc (default: the customers' order, for inputs already in tie-break order)."""
    candidates = np.flatnonzero(eligible)
    if tiebreak is None:
        tiebreak = np.arange(len(total_cents))
    # np.lexsort sorts by the last key first.
    order = np.lexsort(
        (
            tiebreak[candidates],
            -np.round(completeness[candidates], COMPLETENESS_RANK_PLACES),
            -total_cents[candidates],
        )
    )
    return candidates[order]


def tiebreak_positions(credit_codes: Sequence[str | None], names: Sequence[str]) -> np.ndarray:
    """Each customer's place when ordered by credit code, customers without one after those
    with one, by name (Python compares str by code point, as PostgreSQL's "C" collation and
    SQLite's BINARY do)."""
    order = sorted(
        range(len(names)), key=lambda i: (credit_codes[i] is None, credit_codes[i] or "", names[i])
    )
    positions = np.empty(len(order), dtype=np.int64)
    positions[order] = np.arange(len(order))
    return positions


def rank_order(
    totals: Sequence[Decimal],
    completeness: Sequence[float],
    credit_codes: Sequence[str | None],
    names: Sequence[str],
    eligible: Sequence[bool],
) -> list[int]:
    """Indexes of the eligible customers in rank order: total desc, completeness desc, then
    credit code asc, customers without one after those with one, by name."""
    cents = np.array([int(Decimal(t).scaleb(2)) for t in totals], dtype=np.int64)
    return rank_eligible(
        cents,
        np.asarray(completeness, dtype=float),
        np.asarray(eligible, dtype=bool),
        tiebreak_positions(credit_codes, names),
    ).tolist()
