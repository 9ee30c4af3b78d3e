"""Reading a score entry's breakdown, for pages and exports. Pure: no Django.

`ScoreEntry.breakdown` holds two arrays aligned with the run's criteria (`ScoreRun.criteria`,
index i ↔ criterion i):

    {"raw": [raw value used, …], "points": [points, …]}

- raw: for a numeric fact the number read (exactly as stored on PostgreSQL, e.g. 250000000.00);
  for a region, industry or rated attribute its code or option key; for a yes/no source true or
  false; null when the value was missing (0 points, and lower completeness);
- points: in [0, 100], rounded to 6 places (the total was computed from unrounded points).

Weight and gate are the run's (`criteria[i]["weight"]`, `["gate"]`), and the contribution is
derived, points × weight / 100; so a breakdown with its run keeps, for every criterion, the raw
value used, points, weight and contribution that DESIGN.md asks each score to keep. Entries
written before this shape stored {key: [raw, points, weight, contribution]}; both are read.
"""

from __future__ import annotations

import json
from decimal import Decimal

HUNDRED = Decimal(100)


def _decimal(value) -> Decimal:
    if isinstance(value, Decimal):
        return value
    # repr of a float is its shortest round-trip text: 66.666667, not 66.66666699999999…
    return Decimal(repr(value)) if isinstance(value, float) else Decimal(str(value))


def _raw(value):
    """Numbers as Decimals (exports and pages format them); other values as stored."""
    if value is None or isinstance(value, bool | str):
        return value
    return _decimal(value) if isinstance(value, int | float | Decimal) else value


def _columns(run_criteria: list[dict], breakdown) -> tuple[list, list]:
    """The raw values and points, aligned with `run_criteria`, from either stored shape."""
    if isinstance(breakdown, str):
        breakdown = json.loads(breakdown)
    breakdown = breakdown or {}
    count = len(run_criteria)
    raw, points = breakdown.get("raw"), breakdown.get("points")
    if (
        set(breakdown) == {"raw", "points"}
        and isinstance(raw, list)
        and isinstance(points, list)
        and len(raw) == len(points) == count
    ):
        return raw, points
    # The keyed shape of earlier runs (a criterion missing from it scored nothing).
    cells = [breakdown.get(criterion["key"]) or [None, 0] for criterion in run_criteria]
    return [cell[0] for cell in cells], [cell[1] for cell in cells]


def breakdown_items(run_criteria: list[dict], breakdown) -> list[dict]:
    """Per criterion of the run, in its order: key, source, raw (numbers as Decimal), points,
    weight, contribution and gate (Decimals; gate None when the criterion has none), and
    gate_failed. gate_failed compares the stored (6-place) points, so it can differ from the
    run's verdict only for points within 0.0000005 below a gate; the entry's `screened_by`
    is the run's verdict."""
    raw_values, points = _columns(run_criteria, breakdown)
    items = []
    for criterion, raw, pts in zip(run_criteria, raw_values, points, strict=True):
        weight = _decimal(criterion["weight"])
        gate = None if criterion.get("gate") is None else _decimal(criterion["gate"])
        pts = _decimal(pts or 0)
        items.append(
            {
                "key": criterion["key"],
                "source": criterion.get("source", ""),
                "raw": _raw(raw),
                "points": pts,
                "weight": weight,
                "contribution": pts * weight / HUNDRED,
                "gate": gate,
                "gate_failed": gate is not None and pts < gate,
            }
        )
    return items


def points_by_key(run_criteria: list[dict], breakdown) -> dict[str, float]:
    """{criterion key: points} as floats, for statistics over many entries."""
    _raw_values, points = _columns(run_criteria, breakdown)
    return {
        criterion["key"]: float(pts or 0)
        for criterion, pts in zip(run_criteria, points, strict=True)
    }
