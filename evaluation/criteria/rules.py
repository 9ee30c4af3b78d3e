"""Scoring rules: turn a raw value into points in [0, 100] (validation: rule_checks.py).

Pure module (no Django), exactly as DESIGN.md defines the rule types:
- linear {lo, hi, direction}: 100·clamp((v−lo)/(hi−lo), 0, 1); lower_better gives 100 − that;
- bands [{min, max, points}]: half-open [min, max), open-ended when None; no band → 0;
- choice {points: {option: points}}: categorical values; an unknown option → 0;
- boolean {true: p, false: q}.
A missing value (None) scores 0 here; completeness is the caller's business.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from fractions import Fraction

RULE_TYPES = ("linear", "bands", "choice", "boolean")
DIRECTIONS = ("higher_better", "lower_better")


def points(rule: dict, value) -> float:
    """Points in [0, 100] for one raw value under a valid rule; None scores 0."""
    if value is None:
        return 0.0
    kind = rule["type"]
    if kind == "linear":
        lo, hi, v = float(rule["lo"]), float(rule["hi"]), float(value)
        share = min(max((v - lo) / (hi - lo), 0.0), 1.0)
        result = 100.0 * share
        return 100.0 - result if rule["direction"] == "lower_better" else result
    if kind == "bands":
        v = float(value)
        for band in rule["bands"]:
            low, high = band.get("min"), band.get("max")
            if (low is None or v >= float(low)) and (high is None or v < float(high)):
                return float(band["points"])
        return 0.0
    if kind == "choice":
        return float(rule["points"].get(str(value), 0))
    return float(rule["true"] if value else rule["false"])


# --- Exact ------------------------------------------------------------------------------------


def exact(number) -> Fraction:
    """A rule parameter or raw value as the exact rational it stands for: a Decimal or int as
    itself, a float as its shortest decimal text (the JSON 0.1 is 1/10, not the binary double
    nearest to it), a str as the decimal it spells."""
    if isinstance(number, Fraction):
        return number
    if isinstance(number, float):
        return Fraction(repr(float(number)))
    if isinstance(number, bool):
        return Fraction(int(number))
    if isinstance(number, int | Decimal):
        return Fraction(number)
    return Fraction(Decimal(str(number)))


def exact_points(rule: dict, value) -> Fraction:
    """`points` in exact rational arithmetic: the reference the float computation must agree
    with wherever a decision depends on it. None scores 0."""
    return exact_rule(rule)(value)


def exact_rule(rule: dict) -> Callable[[object], Fraction]:
    """The rule as a function of one raw value giving exact points, its parameters converted
    once (for scoring many values)."""
    kind = rule["type"]
    zero, hundred = Fraction(0), Fraction(100)
    if kind == "linear":
        lo, hi = exact(rule["lo"]), exact(rule["hi"])
        lower_better = rule["direction"] == "lower_better"

        def linear(value) -> Fraction:
            if value is None:
                return zero
            result = hundred * min(max((exact(value) - lo) / (hi - lo), zero), Fraction(1))
            return hundred - result if lower_better else result

        return linear
    if kind == "bands":
        bands = [
            (
                None if band.get("min") is None else exact(band["min"]),
                None if band.get("max") is None else exact(band["max"]),
                exact(band["points"]),
            )
            for band in rule["bands"]
        ]

        def banded(value) -> Fraction:
            if value is None:
                return zero
            v = exact(value)
            for low, high, got in bands:
                if (low is None or v >= low) and (high is None or v < high):
                    return got
            return zero

        return banded
    if kind == "choice":
        table = {str(option): exact(got) for option, got in rule["points"].items()}
        return lambda value: zero if value is None else table.get(str(value), zero)
    true, false = exact(rule["true"]), exact(rule["false"])
    return lambda value: zero if value is None else (true if value else false)
