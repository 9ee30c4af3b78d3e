"""What each tier of a policy takes, in words, and the tiers that can never take anyone.
Pure: no ORM (tiers are anything with `code`, `rule_type` and `rule_value`)."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

HUNDRED = Decimal(100)


def _plain(value: Decimal) -> str:
    """10 rather than 10.00, 12.5 rather than 12.50."""
    return f"{Decimal(value).normalize():f}"


def tier_sentence(rule_type: str, value: Decimal) -> str:
    """One sentence: which of the customers not yet tiered the tier takes."""
    value = Decimal(value)
    if rule_type == "top_n":
        count = int(value)
        return ngettext(
            "Takes the first %(count)d eligible customer not yet tiered, in rank order.",
            "Takes the first %(count)d eligible customers not yet tiered, in rank order.",
            count,
        ) % {"count": count}
    if rule_type == "top_percent":
        return _(
            "Takes the top %(percent)s %% of eligible customers (rounded up) not yet tiered, in rank order."
        ) % {"percent": _plain(value)}
    return _("Takes every customer not yet tiered whose total is at least %(score)s.") % {
        "score": _plain(value)
    }


def _takes_everyone(rule_type: str, value: Decimal) -> bool:
    return (rule_type == "min_score" and value <= 0) or (
        rule_type == "top_percent" and value >= HUNDRED
    )


def tier_warnings(tiers: Sequence) -> list[str | None]:
    """Per tier, in order: why it can never take anyone, or None."""
    warnings: list[str | None] = []
    everyone = None  # the first earlier tier that takes every eligible customer
    lowest_min = None  # the earlier min_score tier with the lowest minimum
    for tier in tiers:
        kind, value = tier.rule_type, Decimal(tier.rule_value)
        warning = None
        if everyone is not None:
            warning = _(
                "Tier %(code)s before it already takes every eligible customer: this tier can never take anyone."
            ) % {"code": everyone.code}
        elif kind in ("top_n", "top_percent") and value <= 0:
            warning = _("It takes 0 customers: this tier can never take anyone.")
        elif kind == "min_score" and value > HUNDRED:
            warning = _(
                "No total can reach %(score)s (totals are at most 100): this tier can never take anyone."
            ) % {"score": _plain(value)}
        elif kind == "min_score" and lowest_min is not None and lowest_min.rule_value <= value:
            warning = _(
                "Tier %(code)s before it already takes every customer with a total of %(score)s or more: this tier can never take anyone."
            ) % {"code": lowest_min.code, "score": _plain(lowest_min.rule_value)}
        warnings.append(warning)
        if everyone is None and _takes_everyone(kind, value):
            everyone = tier
        if kind == "min_score" and (lowest_min is None or value < lowest_min.rule_value):
            lowest_min = tier
    return warnings


def tier_rows(tiers: Sequence) -> list[dict]:
    """Each tier with its sentence and its warning, in the order they apply."""
    tiers = list(tiers)
    return [
        {"tier": tier, "sentence": tier_sentence(tier.rule_type, tier.rule_value), "warning": w}
        for tier, w in zip(tiers, tier_warnings(tiers), strict=True)
    ]
