"""The exact check behind evaluation/scoring/points.py: the few customers whose float result lies too
near a decision are scored again in rational arithmetic (`fractions.Fraction`), and their gate
verdict, rounded total and points replaced by the exact ones. Pure: no Django."""

from __future__ import annotations

import math
from collections.abc import Sequence
from fractions import Fraction

import numpy as np

from evaluation.criteria.rules import exact, exact_rule


def _is_float_column(column) -> bool:
    return isinstance(column, np.ndarray) and column.dtype.kind == "f"


def _values(column, rows: list[int], given: Sequence | None) -> list:
    """The raw values of `rows`: the caller's exact ones, a category's label, a sequence's
    item, or a float by its shortest decimal text."""
    if column is None:
        return [None] * len(rows)
    if given is not None:
        return list(given)
    if _is_float_column(column):
        return [None if math.isnan(v) else Fraction(repr(v)) for v in column[rows].tolist()]
    if hasattr(column, "codes"):  # Categories
        labels, codes = column.labels, column.codes[rows].tolist()
        return [None if code < 0 else labels[code] for code in codes]
    return [column[row] for row in rows]


def decide_exactly(scores, criteria, columns, suspects: np.ndarray, exact_values) -> None:
    """Score the `suspects` rows exactly, in place of their float results."""
    rows = suspects.tolist()
    numeric = list(
        dict.fromkeys(
            spec.source for spec in criteria if _is_float_column(columns.get(spec.source))
        )
    )
    given = dict(exact_values(suspects, numeric)) if exact_values is not None and numeric else {}
    gates = [-1] * len(rows)
    contributions = []  # per criterion, per row: weight × exact points (shared Fractions)
    for position, spec in enumerate(criteria):
        column = columns.get(spec.source)
        values = _values(column, rows, given.get(spec.source))
        evaluate = exact_rule(spec.rule)
        weight = exact(spec.weight)
        gate = None if spec.gate is None else exact(spec.gate)
        memo: dict = {}
        column_points = scores.points[spec.key]
        weighted = []
        for j, value in enumerate(values):
            key = (type(value), value)
            got = memo.get(key)
            if got is None:
                points = evaluate(value)
                got = memo[key] = (points, weight * points, float(points))
            points, contribution, as_float = got
            weighted.append(contribution)
            if gate is not None and gates[j] < 0 and points < gate:
                gates[j] = position
            column_points[rows[j]] = as_float
        contributions.append(weighted)
    # Σ weight·points (100 × the total) over one common denominator, in integers.
    distinct = {c for weighted in contributions for c in weighted}
    denominator = math.lcm(*(c.denominator for c in distinct)) if distinct else 1
    numerators = {c: c.numerator * (denominator // c.denominator) for c in distinct}
    sums = [0] * len(rows)
    for weighted in contributions:
        sums = [total + numerators[c] for total, c in zip(sums, weighted, strict=True)]
    scores.gate_index[suspects] = gates
    # floor(sum / denominator + 1/2), half up
    scores.total_cents[suspects] = [(2 * n + denominator) // (2 * denominator) for n in sums]
