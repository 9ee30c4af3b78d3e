"""Reading a score entry's breakdown, for pages and exports. Pure: no Django.

`ScoreEntry.breakdown` holds two arrays aligned with the run's criteria (`ScoreRun.criteria`,
index i ↔ criterion i):

    {"raw": [raw value used, …], "points": [points, …]}

- raw: for a numeric fact the number read (exactly as stored on PostgreSQL, e.g. 250000000.00);
  for a region, industry or rated attribute its code or option key; for a yes/no source true or
  false; null when the value was missing (0 points, and lower completeness);
- points: in [0, 100], rounded to 6 places (the total was computed from unrounded points).
  What pages and exports show is not these but the points recomputed from the raw value with
  the run's rule, exactly, and rounded half up to cents once (`points_cells`, `breakdown_items`):
  12.3449997 points show as 12.34, where rounding the stored 12.345000 again would give 12.35.

Weight and gate are the run's (`criteria[i]["weight"]`, `["gate"]`), and the contribution is
derived, points × weight / 100; so a breakdown with its run keeps, for every criterion, the raw
value used, points, weight and contribution that DESIGN.md asks each score to keep. Entries
written before this shape stored {key: [raw, points, weight, contribution]}; both are read.
"""

from __future__ import annotations

import json
import math
from decimal import Decimal
from fractions import Fraction
from functools import cache

from evaluation.criteria.rules import RULE_TYPES, exact_rule
from evaluation.scoring.points import points_units

HUNDRED = Decimal(100)
HALF = Fraction(1, 2)


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
    if isinstance(breakdown, str):  # numbers read exactly, as Decimals
        breakdown = json.loads(breakdown, parse_float=Decimal)
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


def _rule(criterion: dict) -> dict | None:
    rule = criterion.get("rule")
    return rule if isinstance(rule, dict) and rule.get("type") in RULE_TYPES else None


def _exact_points(criterion: dict, raw) -> Fraction | None:
    """The points of `raw` under the criterion's rule, exactly; None when the run did not
    record a usable rule (the stored points are then all there is)."""
    rule = _rule(criterion)
    if rule is None:
        return None
    try:
        return exact_rule(rule)(raw)
    except (ArithmeticError, KeyError, TypeError, ValueError):
        return None


def _half_up(value: Fraction, places: int) -> Decimal:
    """Half up to `places` decimals (points and contributions are never negative)."""
    return Decimal(math.floor(value * 10**places + HALF)).scaleb(-places)


def _to_cents(value: Fraction) -> Decimal:
    return _half_up(value, 2)


def rounded_points(run_criteria: list[dict], breakdowns: list, places: int) -> list[list[Decimal]]:
    """For each breakdown, each criterion's points rounded half up to `places` decimals, once,
    from the exact points of its raw value (recomputed with the run's rule, a whole column at
    a time: evaluation.scoring.points.points_units); a criterion without a usable rule gives its
    stored points rounded."""
    read = [_columns(run_criteria, breakdown) for breakdown in breakdowns]
    table = _cent_cells() if places == 2 else []
    columns = []
    for j, criterion in enumerate(run_criteria):
        rule = _rule(criterion)
        cells = None
        if rule is not None:
            try:
                units = points_units(rule, [_raw(raw[j]) for raw, _points in read], places)
                cells = [
                    table[u] if 0 <= u < len(table) else Decimal(u).scaleb(-places)
                    for u in units.tolist()
                ]
            except (ArithmeticError, KeyError, TypeError, ValueError):
                cells = None
        if cells is None:
            cells = [
                _half_up(Fraction(_decimal(points[j] or 0)), places) for _raw_values, points in read
            ]
        columns.append(cells)
    return [list(row) for row in zip(*columns, strict=True)] if columns else [[] for _ in read]


def points_cells(run_criteria: list[dict], breakdowns: list) -> list[list[Decimal]]:
    """The export's points cells: `rounded_points` to cents."""
    return rounded_points(run_criteria, breakdowns, 2)


def breakdown_items(run_criteria: list[dict], breakdown) -> list[dict]:
    """Per criterion of the run, in its order: key, source, raw (numbers as Decimal), points,
    weight, contribution and gate (Decimals; gate None when the criterion has none),
    gate_failed, and what a page shows: shown_points and shown_contribution, each rounded half
    up to cents once from its exact value (as the export's points cells).

    Points are recomputed exactly from the raw value with the run's rule (points: rounded to 6
    places), so gate_failed is the exact verdict, the run's; a run without a usable rule gives
    the stored points."""
    raw_values, points = _columns(run_criteria, breakdown)
    items = []
    for criterion, raw, stored in zip(run_criteria, raw_values, points, strict=True):
        weight = _decimal(criterion["weight"])
        gate = None if criterion.get("gate") is None else _decimal(criterion["gate"])
        exact_pts = _exact_points(criterion, _raw(raw))
        if exact_pts is None:
            pts = _decimal(stored or 0)
            exact_pts = Fraction(pts)
        else:
            pts = _six_places(exact_pts)
        exact_contribution = exact_pts * Fraction(weight) / 100
        failed = gate is not None and exact_pts < Fraction(gate)
        shown_points = _to_cents(exact_pts)
        items.append(
            {
                "key": criterion["key"],
                "source": criterion.get("source", ""),
                "raw": _raw(raw),
                "points": pts,
                "weight": weight,
                "contribution": pts * weight / HUNDRED,
                "gate": gate,
                "gate_failed": failed,
                "shown_points": shown_points,
                # A gate missed by less than half a cent would read "57 points, below 57":
                # such points are shown cut (not rounded) to 6 places, which is below the gate.
                "gate_points": _plain(
                    Decimal(math.floor(exact_pts * 10**6)).scaleb(-6)
                    if failed and shown_points >= gate
                    else shown_points
                ),
                "shown_contribution": _to_cents(exact_contribution),
            }
        )
    return items


def _plain(value: Decimal) -> str:
    """A number without trailing zeros or an exponent: 57, 56.999999, 12.5."""
    return f"{value.normalize():f}"


def _six_places(value: Fraction) -> Decimal:
    """A points value as the breakdown keeps it: 6 places, half up (trailing zeros dropped, so
    whole points read as before: Decimal(100), not 100.000000)."""
    rounded = Decimal(math.floor(value * 10**6 + HALF)).scaleb(-6)
    return rounded.normalize() if rounded == rounded.to_integral_value() else rounded


@cache
def _cent_cells() -> list[Decimal]:
    return [Decimal(c).scaleb(-2) for c in range(10001)]


def points_by_key(run_criteria: list[dict], breakdown) -> dict[str, float]:
    """{criterion key: points} as floats, for statistics over many entries."""
    _raw_values, points = _columns(run_criteria, breakdown)
    return {
        criterion["key"]: float(pts or 0)
        for criterion, pts in zip(run_criteria, points, strict=True)
    }
