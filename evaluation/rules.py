"""Scoring rules: turn a raw value into points in [0, 100] (validation: rule_checks.py).

Pure module (no Django), exactly as DESIGN.md defines the rule types:
- linear {lo, hi, direction}: 100·clamp((v−lo)/(hi−lo), 0, 1); lower_better gives 100 − that;
- bands [{min, max, points}]: half-open [min, max), open-ended when None; no band → 0;
- choice {points: {option: points}}: categorical values; an unknown option → 0;
- boolean {true: p, false: q}.
A missing value (None) scores 0 here; completeness is the caller's business.
"""

from __future__ import annotations

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
