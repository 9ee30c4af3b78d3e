"""The exact check behind evaluation/scoring.py: the few customers whose float result lies too
near a decision are scored again in rational arithmetic (`fractions.Fraction`), and their gate
verdict, rounded total and points replaced by the exact ones. Pure: no Django."""

from __future__ import annotations

import math
from collections.abc import Sequence
from fractions import Fraction

import numpy as np

from evaluation.rules import exact, exact_rule

HALF = Fraction(1, 2)


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
    sums = [Fraction(0)] * len(rows)  # Σ weight·points, that is 100 × the total
    gates = [-1] * len(rows)
    for position, spec in enumerate(criteria):
        column = columns.get(spec.source)
        values = _values(column, rows, given.get(spec.source))
        evaluate = exact_rule(spec.rule)
        weight = exact(spec.weight)
        gate = None if spec.gate is None else exact(spec.gate)
        memo: dict = {}
        column_points = scores.points[spec.key]
        for j, value in enumerate(values):
            key = (type(value), value)
            got = memo.get(key)
            if got is None:
                got = memo[key] = evaluate(value)
            sums[j] += weight * got
            if gate is not None and gates[j] < 0 and got < gate:
                gates[j] = position
            column_points[rows[j]] = float(got)
    scores.gate_index[suspects] = gates
    scores.total_cents[suspects] = [math.floor(s + HALF) for s in sums]
