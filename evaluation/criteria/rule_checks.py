"""Validation of scoring rules, with translated messages (see evaluation/criteria/rules.py for maths)."""

from __future__ import annotations

import math
from decimal import Decimal
from numbers import Real

from django.utils.translation import gettext as _

from evaluation.criteria.rules import DIRECTIONS, RULE_TYPES


def _number(value) -> bool:
    return (
        isinstance(value, Real | Decimal) and not isinstance(value, bool) and math.isfinite(value)
    )


def _points_ok(value) -> bool:
    return _number(value) and 0 <= value <= 100


FITTING = {"number": "linear or bands", "category": "choice", "boolean": "boolean"}


def _unknown_fields(rule: dict, allowed: set[str]) -> list[str]:
    return [_("Unknown field “%(field)s”.") % {"field": key} for key in sorted(set(rule) - allowed)]


def rule_problems(rule, *, kind: str, options: tuple[str, ...] = ()) -> list[str]:
    """Every reason the rule is invalid, translated; empty when it is valid.

    kind: "number" (a numeric fact), "category" (region, industry, rated attribute; `options`
    lists its option keys) or "boolean".
    """
    if not isinstance(rule, dict) or rule.get("type") not in RULE_TYPES:
        return [_("Unknown rule type: use linear, bands, choice or boolean.")]
    kind_of_type = {
        "linear": "number",
        "bands": "number",
        "choice": "category",
        "boolean": "boolean",
    }
    if kind_of_type[rule["type"]] != kind:
        return [
            _("A %(type)s rule does not fit this source; use %(fits)s.")
            % {"type": rule["type"], "fits": FITTING[kind]}
        ]
    return _CHECKS[rule["type"]](rule, options)


def _check_linear(rule, options) -> list[str]:
    problems = _unknown_fields(rule, {"type", "lo", "hi", "direction"})
    lo, hi = rule.get("lo"), rule.get("hi")
    if not _number(lo) or not _number(hi):
        problems.append(_("Low and high must be numbers."))
    elif lo >= hi:
        problems.append(_("Low must be below high."))
    if rule.get("direction") not in DIRECTIONS:
        problems.append(_("Direction must be higher_better or lower_better."))
    return problems


def _check_bands(rule, options) -> list[str]:
    problems = _unknown_fields(rule, {"type", "bands"})
    bands = rule.get("bands")
    if not isinstance(bands, list) or not bands:
        return [*problems, _("Give at least one band.")]
    spans = []
    for index, band in enumerate(bands, start=1):
        if (
            not isinstance(band, dict)
            or set(band) - {"min", "max", "points"}
            or "points" not in band
        ):
            problems.append(_("Band %(n)d must have min, max and points.") % {"n": index})
            continue
        low, high = band.get("min"), band.get("max")
        if (low is not None and not _number(low)) or (high is not None and not _number(high)):
            problems.append(_("Band %(n)d: min and max must be numbers or empty.") % {"n": index})
            continue
        if not _points_ok(band["points"]):
            problems.append(_("Band %(n)d: points must be between 0 and 100.") % {"n": index})
        if low is not None and high is not None and low >= high:
            problems.append(_("Band %(n)d: min must be below max.") % {"n": index})
            continue
        spans.append((index, -math.inf if low is None else low, math.inf if high is None else high))
    spans.sort(key=lambda span: span[1])
    for (first, _low1, high1), (second, low2, _high2) in zip(spans, spans[1:], strict=False):
        if low2 < high1:
            problems.append(
                _("Bands %(first)d and %(second)d overlap.") % {"first": first, "second": second}
            )
    return problems


def _check_choice(rule, options) -> list[str]:
    problems = _unknown_fields(rule, {"type", "points"})
    points = rule.get("points")
    if not isinstance(points, dict) or not points:
        return [*problems, _("Give points for each option.")]
    for option, value in points.items():
        if options and option not in options:
            problems.append(_("Unknown option “%(option)s”.") % {"option": option})
        if not _points_ok(value):
            problems.append(
                _("Option “%(option)s”: points must be between 0 and 100.") % {"option": option}
            )
    for option in options:
        if option not in points:
            problems.append(
                _("Option “%(option)s” has no points: give it points, or 0 deliberately.")
                % {"option": option}
            )
    return problems


def _check_boolean(rule, options) -> list[str]:
    problems = _unknown_fields(rule, {"type", "true", "false"})
    for side in ("true", "false"):
        if not _points_ok(rule.get(side)):
            problems.append(_("Points for “%(side)s” must be between 0 and 100.") % {"side": side})
    return problems


_CHECKS = {
    "linear": _check_linear,
    "bands": _check_bands,
    "choice": _check_choice,
    "boolean": _check_boolean,
}
