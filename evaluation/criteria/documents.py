"""The criteria-set JSON document (DESIGN.md): validation, load and dump.

`criteria_set_dump` (services.py) writes exactly the shape `criteria_set_load` reads, so a dump loads back unchanged.
A document that breaks any rule is refused whole, with every reason, naming the field.
"""

from __future__ import annotations

import math
import re
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from evaluation.criteria.rule_checks import rule_problems
from evaluation.criteria.sources import Source, available_sources
from evaluation.models import Family, Tier
from organisation.models import BusinessUnit, Segment
from prioritizer.text import control_problem

TOP_FIELDS = {"year", "scope", "name", "criteria", "tiers"}
CRITERION_FIELDS = {"key", "name_zh", "name_en", "family", "source", "weight", "rule", "gate"}
TIER_FIELDS = {"code", "name_zh", "name_en", "rule"}
TIER_OPTIONAL = {"development_principle", "service_level", "contact_frequency", "responsible_role"}
KEY_PATTERN = re.compile(r"^[a-z0-9_]{1,50}$")
HUNDRED = Decimal(100)
FIRST_YEAR = 2000


def _decimal(value) -> Decimal | None:
    """A finite number as Decimal with at most 2 places; None for anything else."""
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        return None
    if isinstance(value, float) and not math.isfinite(value):
        return None
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return None
    if number.as_tuple().exponent < -2 and number != number.quantize(Decimal("0.01")):
        return None
    return number


def _text(
    item: dict, field: str, where: str, errors: list, *, required: bool, limit: int = 100
) -> None:
    value = item.get(field)
    if value is None and not required:
        return
    if not isinstance(value, str) or (required and not value.strip()):
        errors.append(
            _("%(where)s: “%(field)s” must be text and not empty.")
            % {"where": where, "field": field}
        )
    elif len(value) > limit:
        errors.append(
            _("%(where)s: “%(field)s” must be at most %(max)d characters.")
            % {"where": where, "field": field, "max": limit}
        )
    elif problem := control_problem(value, multiline=limit > 100):
        errors.append(
            _("%(where)s: “%(field)s”: %(problem)s")
            % {"where": where, "field": field, "problem": problem}
        )


def _exact_fields(item: Any, required: set, optional: set, where: str, errors: list) -> bool:
    if not isinstance(item, dict):
        errors.append(_("%(where)s: expected an object.") % {"where": where})
        return False
    for field in sorted(set(item) - required - optional):
        errors.append(_("%(where)s: unknown field “%(field)s”.") % {"where": where, "field": field})
    for field in sorted(required - set(item)):
        errors.append(_("%(where)s: missing field “%(field)s”.") % {"where": where, "field": field})
    return True


def validate_criteria(
    criteria: Any, sources: dict[str, Source], errors: list, *, require_total: bool = True
) -> None:
    if not isinstance(criteria, list) or not criteria:
        errors.append(_("“criteria” must be a non-empty list."))
        return
    keys: set[str] = set()
    total = Decimal(0)
    weights_ok = True
    for index, item in enumerate(criteria, start=1):
        where = f"criteria[{index}]"
        if not _exact_fields(
            item, CRITERION_FIELDS - {"name_en", "gate"}, {"name_en", "gate"}, where, errors
        ):
            weights_ok = False
            continue
        key = item.get("key")
        if not isinstance(key, str) or not KEY_PATTERN.match(key):
            errors.append(
                _("%(where)s: “key” must be lower-case letters, digits or “_”.") % {"where": where}
            )
        elif key in keys:
            errors.append(
                _("%(where)s: key “%(key)s” is used twice.") % {"where": where, "key": key}
            )
        else:
            keys.add(key)
        _text(item, "name_zh", where, errors, required=True)
        _text(item, "name_en", where, errors, required=False)
        if item.get("family") not in Family.values:
            errors.append(
                _("%(where)s: “family” must be one of %(choices)s.")
                % {"where": where, "choices": ", ".join(Family.values)}
            )
        source = sources.get(item.get("source")) if isinstance(item.get("source"), str) else None
        if source is None:
            errors.append(
                _("%(where)s: unknown source “%(source)s”.")
                % {"where": where, "source": item.get("source")}
            )
        weight = _decimal(item.get("weight"))
        if weight is None or not 0 <= weight <= HUNDRED:
            errors.append(
                _("%(where)s: “weight” must be a number from 0 to 100 with at most 2 decimals.")
                % {"where": where}
            )
            weights_ok = False
        else:
            total += weight
        if "rule" in item and source is not None:
            for problem in rule_problems(item["rule"], kind=source.kind, options=source.options):
                errors.append(
                    _("%(where)s: rule: %(problem)s") % {"where": where, "problem": problem}
                )
        gate = item.get("gate")
        if gate is not None and ((g := _decimal(gate)) is None or not 0 <= g <= HUNDRED):
            errors.append(
                _("%(where)s: “gate” must be empty or points from 0 to 100.") % {"where": where}
            )
    if require_total and weights_ok and total != HUNDRED:
        errors.append(
            _("The weights add up to %(total)s, not 100.") % {"total": f"{total.normalize():f}"}
        )


def validate_tiers(tiers: Any, errors: list) -> None:
    if not isinstance(tiers, list):
        errors.append(_("“tiers” must be a list."))
        return
    codes = set()
    for index, item in enumerate(tiers, start=1):
        where = f"tiers[{index}]"
        if not _exact_fields(
            item, TIER_FIELDS - {"name_en"}, {"name_en"} | TIER_OPTIONAL, where, errors
        ):
            continue
        code = item.get("code")
        if not isinstance(code, str) or not code.strip() or len(code) > 10:
            errors.append(
                _("%(where)s: “code” must be text of up to 10 characters.") % {"where": where}
            )
        elif code in codes:
            errors.append(
                _("%(where)s: tier code “%(code)s” is used twice.") % {"where": where, "code": code}
            )
        else:
            codes.add(code)
        _text(item, "name_zh", where, errors, required=True)
        _text(item, "name_en", where, errors, required=False)
        for field in TIER_OPTIONAL:
            _text(item, field, where, errors, required=False, limit=2000)
        rule = item.get("rule")
        if (
            not isinstance(rule, dict)
            or set(rule) != {"type", "value"}
            or rule.get("type") not in Tier.RuleType.values
        ):
            errors.append(
                _(
                    '%(where)s: “rule” must be {"type": top_n, top_percent or min_score, "value": …}.'
                )
                % {"where": where}
            )
            continue
        value = _decimal(rule["value"])
        kind = rule["type"]
        if (
            value is None
            or (kind == "top_n" and (value != value.to_integral_value() or value < 1))
            or (kind == "top_percent" and not 0 < value <= HUNDRED)
            or (kind == "min_score" and not 0 <= value <= HUNDRED)
        ):
            errors.append(
                _("%(where)s: value %(value)s does not fit rule %(type)s.")
                % {"where": where, "value": rule["value"], "type": kind}
            )


def plain_number(value: Decimal | None):
    """30 for Decimal('30.00'), 12.5 for Decimal('12.50'): how the JSON file writes numbers."""
    if value is None:
        return None
    value = Decimal(value)
    return int(value) if value == value.to_integral_value() else float(value.normalize())


def resolve_scope(scope: Any) -> tuple[BusinessUnit, Segment | None]:
    """{"segment": "S1"} or {"bu": "BU1"} -> (business unit, segment or None)."""
    if not isinstance(scope, dict) or len(scope) != 1 or not set(scope) <= {"segment", "bu"}:
        raise ValidationError(_('“scope” must be {"segment": CODE} or {"bu": CODE}.'))
    ((kind, code),) = scope.items()
    if kind == "segment":
        segment = Segment.objects.select_related("business_unit").filter(code=code).first()
        if segment is None:
            raise ValidationError(_("Unknown segment “%(code)s” in “scope”.") % {"code": code})
        return segment.business_unit, segment
    unit = BusinessUnit.objects.filter(code=code).first()
    if unit is None:
        raise ValidationError(_("Unknown business unit “%(code)s” in “scope”.") % {"code": code})
    return unit, None


def validate_document(document: Any) -> tuple[list[str], tuple | None]:
    """Every reason the document cannot be loaded, and the scope it names when it resolves."""
    if not isinstance(document, dict):
        return [_("The file must be a JSON object.")], None
    errors = [
        _("Unknown field “%(field)s”.") % {"field": f}
        for f in sorted(set(document) - {"year", "scope", "name", "criteria", "tiers"})
    ]
    errors += [
        _("Missing field “%(field)s”.") % {"field": f}
        for f in sorted({"year", "scope", "name", "criteria"} - set(document))
    ]
    year = document.get("year")
    this_year = timezone.localdate().year
    if (
        not isinstance(year, int)
        or isinstance(year, bool)
        or not FIRST_YEAR <= year <= this_year + 2
    ):
        errors.append(
            _("“year” must be a year from %(first)d to %(last)d.")
            % {"first": FIRST_YEAR, "last": this_year + 2}
        )
    name = document.get("name")
    if not isinstance(name, str) or not name.strip() or len(name) > 200 or "\x00" in name:
        errors.append(_("“name” must be text of 1 to 200 characters."))
    scope = None
    try:
        scope = resolve_scope(document.get("scope"))
    except ValidationError as error:
        errors.extend(error.messages)
    sources = available_sources(scope[0].pk if scope else None)
    validate_criteria(document.get("criteria"), sources, errors)
    validate_tiers(document.get("tiers", []), errors)
    return errors, scope
