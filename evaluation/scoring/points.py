"""Score customers against a criteria set, exactly as DESIGN.md defines it. Pure: no Django.

Inputs are column arrays (one value per customer) so a whole segment is scored at once:
points per criterion, gates, completeness, the rounded total and the rank order. A column is
either a float array (NaN = missing) for a numeric source, `Categories` (codes into labels) for a
categorical or boolean one, or any sequence of raw values with None for missing.

Every decision equals exact rational arithmetic (evaluation/rules.exact_points). Points and
totals are computed in float with numpy, and each float comes with a bound on its error
(`criterion_points`); only the few customers whose float result lies within that bound of a
decision — a gate, a half cent of the total, a band edge — are decided again exactly, with
`fractions.Fraction` (evaluation/scoring/exact.py). Completeness is counted in integer units of
the weights, so its ties and its rounding are exact too.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from functools import cached_property

import numpy as np

from evaluation.criteria.rules import exact, exact_rule
from evaluation.scoring.exact import decide_exactly

CENT = Decimal("0.01")
U = 2.0**-53  # unit roundoff of a double
# Error bounds below are worst cases already; they are multiplied by this for good measure
# (a wider bound only sends a few more customers to the exact check).
SAFETY = 8.0

# Exact raw values of the given customers (row indexes) for the given numeric sources, as
# Decimal or int; a source left out is taken from its float column.
ExactValues = Callable[[np.ndarray, list[str]], Mapping[str, Sequence]]


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
    """Per customer (index i): points[key][i] (unrounded floats), total_cents[i] (the total
    rounded half up, in cents, exact), completeness[i] (share of weight with a value, 0..1),
    present_units[i] (the weight with a value, in units of 10^-weight_places, exact: it orders
    completeness) and gate_index[i] (position in `keys` of the first failed gate, -1 when none
    failed, exact). `exact_rows` are the customers that were decided exactly."""

    keys: list[str]
    points: dict[str, np.ndarray]
    total_cents: np.ndarray
    completeness: np.ndarray
    gate_index: np.ndarray
    present_units: np.ndarray | None = None
    weight_units: int = 0
    exact_rows: np.ndarray | None = None

    @cached_property
    def total(self) -> list[Decimal]:
        return [cents_to_decimal(c) for c in self.total_cents.tolist()]

    @cached_property
    def gate_failed(self) -> list[str | None]:
        return [None if g < 0 else self.keys[g] for g in self.gate_index.tolist()]

    @cached_property
    def eligible(self) -> np.ndarray:
        return self.gate_index < 0

    def completeness_units(self, places: int) -> np.ndarray:
        """Completeness rounded half up to `places` decimals, as integer counts of
        10^-places, in integer arithmetic."""
        if not self.weight_units:
            return np.zeros(len(self.total_cents), dtype=np.int64)
        present = self.present_units
        if self.weight_units * 2 * 10**places >= 2**62:  # beyond int64: Python integers
            present = present.astype(object)
        scaled = present * (2 * 10**places) + self.weight_units
        return (scaled // (2 * self.weight_units)).astype(np.int64)


def cents_to_decimal(cents: int) -> Decimal:
    return Decimal(int(cents)).scaleb(-2)


def round_half_up_cents(value) -> Decimal:
    """The exact value of `value` (a float by its shortest decimal text) rounded half up to
    cents."""
    return cents_to_decimal(math.floor(exact(value) * 100 + Fraction(1, 2)))


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


@dataclass
class CriterionPoints:
    """One criterion over a column: float points, `tol` (a bound on |points − exact points|,
    inf where the float cannot tell, e.g. a value on a band edge), and, for a gate, `below`
    (points below the gate: exact wherever `unsure` is False)."""

    points: np.ndarray
    tol: np.ndarray | float
    below: np.ndarray | None = None
    unsure: np.ndarray | None = None


def _below(value: Fraction, gate) -> bool:
    return gate is not None and value < exact(gate)


def _linear(rule: dict, values: np.ndarray, gate) -> CriterionPoints:
    lo, hi = float(rule["lo"]), float(rule["hi"])
    span = hi - lo
    share = (values - lo) / span
    result = np.clip(share, 0.0, 1.0)
    result *= 100.0
    if rule["direction"] == "lower_better":
        result = 100.0 - result
    np.nan_to_num(result, copy=False)  # a missing value scores 0
    # The error bound. Each operand is within U of its exact value (correct rounding) and each
    # operation adds U of its result: |span − exact| ≤ span_error, and the share is within
    # K·(|v| + |lo|) of the exact share. Clamping and 100 − x only shrink or add U·100.
    span_error = 2.01 * U * (abs(lo) + abs(hi))
    if not span > 2 * span_error:  # a range too narrow for floats: decide every value exactly
        tol = np.where(np.isnan(values), 0.0, np.inf)
    else:
        low_span = span - span_error
        k = (3.02 * U + (1 + 2.02 * U) * span_error / low_span) / low_span
        tol = np.abs(values)
        tol *= SAFETY * 100.0 * k
        np.fmax(tol, 0.0, out=tol)  # NaN (missing: exactly 0 points) to 0
        tol += SAFETY * (100.0 * k * abs(lo) + 4 * U * 100.0)
    if gate is None:
        return CriterionPoints(result, tol)
    # Clamped for sure: exactly 0 or 100 points, as the exact points, and so the comparison.
    scaled = share * 100.0
    clamped = (scaled - tol > 100.0) | (scaled + tol < 0.0) | np.isnan(values)
    tol = np.where(clamped, 0.0, tol)
    below = result < float(gate)
    unsure = ~clamped & (np.abs(result - float(gate)) <= tol + 4 * U * 100.0)
    exact_zero, exact_hundred = _below(Fraction(0), gate), _below(Fraction(100), gate)
    below[clamped] = np.where(result[clamped] == 0.0, exact_zero, exact_hundred)
    return CriterionPoints(result, tol, below, unsure)


def _bands(rule: dict, values: np.ndarray, gate) -> CriterionPoints:
    bands = rule["bands"]
    result = np.zeros(len(values))
    below = None if gate is None else np.full(len(values), _below(Fraction(0), gate))
    for spec in bands:  # bands do not overlap, so at most one matches
        inside = np.ones(len(values), dtype=bool)
        if spec.get("min") is not None:
            inside &= values >= float(spec["min"])
        if spec.get("max") is not None:
            inside &= values < float(spec["max"])
        result[inside] = float(spec["points"])
        if below is not None:
            below[inside] = _below(exact(spec["points"]), gate)
    # Float comparisons agree with exact ones except for a value that rounds onto an edge.
    # A value within δ of an edge (where rounding could have put it on the other side).
    near = np.zeros(len(values), dtype=bool)
    for edge in {
        float(e) for spec in bands for e in (spec.get("min"), spec.get("max")) if e is not None
    }:
        delta = 16 * U * abs(edge)
        near |= (values >= edge - delta) & (values <= edge + delta)
    tol = np.where(near, np.inf, U * 100.0) if near.any() else U * 100.0
    return CriterionPoints(result, tol, below, None if gate is None else near)


def _table(rule: dict, column, gate) -> CriterionPoints:
    """choice, boolean, or any rule over a categorical column: points per distinct value, then
    one lookup; code -1 (missing) takes the appended 0."""
    categories = _categories(column)
    # Exact points per distinct value, then the float nearest each: within U·100 of it.
    evaluate = exact_rule(rule)
    exact_table = [evaluate(label) for label in categories.labels] + [Fraction(0)]
    result = np.array([float(p) for p in exact_table])[categories.codes]
    if gate is None:
        return CriterionPoints(result, U * 100.0)
    below = np.array([_below(p, gate) for p in exact_table])
    return CriterionPoints(result, U * 100.0, below[categories.codes])


def criterion_points(rule: dict, column, gate=None) -> CriterionPoints:
    """Float points of one criterion for a whole column, with their error bound (and, given a
    gate, who falls below it)."""
    kind = rule["type"]
    if kind in ("linear", "bands") and not isinstance(column, Categories):
        values = _numbers(column)
        return (_linear if kind == "linear" else _bands)(rule, values, gate)
    return _table(rule, column, gate)


def near_half_unit(scaled: np.ndarray, error: np.ndarray | float) -> np.ndarray:
    """Where floor(scaled + 0.5) may differ from the exact value's: `scaled` (a value times
    10^places, float) lies within `error` (plus the float error of adding 0.5) of a half unit."""
    shifted = scaled + 0.5
    largest = float(np.max(np.abs(shifted))) if len(shifted) else 0.0
    distance = np.abs(shifted - np.rint(shifted))
    return distance <= error + SAFETY * U * (largest + 1.0)


def _weight(spec: CriterionSpec) -> Decimal:
    """The weight as a decimal (a float by its shortest text, as `exact` reads it)."""
    weight = spec.weight
    return Decimal(repr(float(weight))) if isinstance(weight, float) else Decimal(weight)


def _weight_places(criteria: Sequence[CriterionSpec]) -> int:
    exponents = [_weight(spec).as_tuple().exponent for spec in criteria]
    return max([0, *(-e for e in exponents if isinstance(e, int))])


def score(
    criteria: Sequence[CriterionSpec],
    columns: dict[str, Sequence],
    count: int,
    exact_values: ExactValues | None = None,
) -> Scores:
    """`columns[source]` holds the raw value of each of `count` customers (missing: None, NaN
    or code -1); a source without a column is missing for everyone.

    The customers whose gate or rounded total the float computation cannot decide for sure are
    decided exactly, from `exact_values(rows, sources)`: the exact raw values of those rows for
    the sources given as float columns (float cannot hold every 18-digit amount). Without it,
    a float column's value is taken to be the decimal its shortest text spells
    (Decimal(repr(value))): exact for every amount that float holds to the cent."""
    total = np.zeros(count)
    error = np.zeros(count)
    error_everywhere = 0.0  # the part of the error bound that is the same for everyone
    places = _weight_places(criteria)
    present = np.zeros(count)  # in weight units: integers, exact in float
    weight_units = 0
    gate_index = np.full(count, -1, dtype=np.int64)
    unsure = np.zeros(count, dtype=bool)
    per_criterion = {}
    for position, spec in enumerate(criteria):
        column = columns.get(spec.source)
        if column is None:
            column = np.full(count, np.nan)
        result = criterion_points(spec.rule, column, spec.gate)
        per_criterion[spec.key] = result.points
        weight = float(spec.weight)
        total += weight * result.points / 100.0
        if not weight:  # 0 × inf would hide an unsure value
            pass
        elif isinstance(result.tol, np.ndarray):
            error += weight / 100.0 * result.tol
        else:
            error_everywhere += weight / 100.0 * result.tol
        units = int(_weight(spec).scaleb(places))
        weight_units += units
        present += units * _present(column)
        if spec.gate is not None:
            gate_index[(gate_index < 0) & result.below] = position
            if result.unsure is not None:
                unsure |= result.unsure
    # The float sum itself: each term within 3U of its value, each addition within U·100.
    error += error_everywhere + SAFETY * U * 100.0 * (len(criteria) + 3)
    present_units = present.astype(np.int64)
    scaled = total * 100.0
    total_cents = np.floor(scaled + 0.5).astype(np.int64)
    suspects = np.flatnonzero(unsure | near_half_unit(scaled, 100.0 * error))
    scores = Scores(
        keys=[spec.key for spec in criteria],
        points=per_criterion,
        total_cents=total_cents,
        completeness=present_units / (weight_units or 1),
        gate_index=gate_index,
        present_units=present_units,
        weight_units=weight_units,
        exact_rows=suspects,
    )
    if len(suspects):
        decide_exactly(scores, criteria, columns, suspects, exact_values)
    return scores


def rank_eligible(
    total_cents: np.ndarray,
    completeness: np.ndarray,
    eligible: np.ndarray,
    tiebreak: np.ndarray | None = None,
) -> np.ndarray:
    """Indexes of the eligible customers in rank order: total desc, completeness desc, then
    `tiebreak` asc (default: the customers' order, for inputs already in tie-break order).
    `completeness` is compared as given: pass `Scores.present_units` (integers) for exact ties."""
    candidates = np.flatnonzero(eligible)
    if tiebreak is None:
        tiebreak = np.arange(len(total_cents))
    # np.lexsort sorts by the last key first.
    order = np.lexsort((tiebreak[candidates], -completeness[candidates], -total_cents[candidates]))
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
    completeness: Sequence,
    credit_codes: Sequence[str | None],
    names: Sequence[str],
    eligible: Sequence[bool],
) -> list[int]:
    """Indexes of the eligible customers in rank order: total desc, completeness desc (compared
    exactly, a float by its shortest decimal text), then credit code asc, customers without one
    after those with one, by name."""
    tiebreak = tiebreak_positions(credit_codes, names)
    exact_completeness = [exact(c) for c in completeness]
    return sorted(
        (i for i in range(len(totals)) if eligible[i]),
        key=lambda i: (-Decimal(totals[i]), -exact_completeness[i], tiebreak[i]),
    )


def points_units(rule: dict, values: Sequence, places: int = 2) -> np.ndarray:
    """Each raw value's points rounded half up to `places` decimals, once, from the exact
    points: in integer units of 10^-places. `values` are raw values as a breakdown records
    them (numbers exact as Decimal or int, None = missing); floats for all, the exact check
    for the few within their error bound of a half unit."""
    numeric = rule["type"] in ("linear", "bands")
    column = _numbers(values) if numeric else Categories.of(values)
    result = criterion_points(rule, column)
    scale = 10.0**places
    scaled = result.points * scale
    cents = np.floor(scaled + 0.5).astype(np.int64)
    suspects = np.flatnonzero(near_half_unit(scaled, scale * np.asarray(result.tol)))
    if len(suspects):
        evaluate = exact_rule(rule)
        memo: dict = {}
        for row in suspects.tolist():
            value = values[row]
            key = (type(value), value)
            if key not in memo:
                memo[key] = math.floor(evaluate(value) * 10**places + Fraction(1, 2))
            cents[row] = memo[key]
    return cents
