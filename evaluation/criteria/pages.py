"""What the criteria pages show: the reads that gather a page's rows (views/sets.py and
views/criterion.py render them)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from evaluation.criteria.diff import document_changes
from evaluation.criteria.services import criteria_set_dump, may_edit_scope
from evaluation.criteria.sources import available_sources
from evaluation.criteria.summaries import audit_entries, criteria_rows, rule_summary
from evaluation.criteria.tier_texts import tier_rows
from evaluation.models import (
    ATTRACTIVENESS,
    CriteriaSet,
    CriterionTemplate,
    Family,
    Goal,
    TierPolicy,
)
from organisation import permissions
from organisation.permissions import Action
from prioritizer import years


def goals_for(year: int, business_units) -> list[Goal]:
    """The BG goals, then the BU goals, of the year for these business units."""
    unit_ids = [unit.pk for unit in business_units]
    group_ids = {unit.business_group_id for unit in business_units}
    bg_goals = Goal.objects.filter(year=year, business_group_id__in=group_ids)
    bu_goals = Goal.objects.filter(year=year, business_unit_id__in=unit_ids)
    return list(bg_goals.select_related("business_group").order_by("business_group__code")) + list(
        bu_goals.select_related("business_unit").order_by("business_unit__code")
    )


def index_page(user, year: int) -> dict:
    """The sets of a year (and the year before) of every scope the user may see, one row per
    scope — each BU default, then its segments — headed by that year's goals."""
    units = list(
        permissions.business_units_where(user, Action.VIEW_CRITERIA)
        .select_related("business_group")
        .order_by("business_group__code", "code")
    )
    segments = permissions.segments_where(user, Action.VIEW_CRITERIA).order_by("code")
    sets = {
        (s.business_unit_id, s.segment_id, s.year): s
        for s in CriteriaSet.objects.filter(year__in=[year, year - 1], business_unit__in=units)
    }
    rows = []
    for unit in units:
        scopes = [(unit, None)] + [
            (unit, seg) for seg in segments if seg.business_unit_id == unit.pk
        ]
        for business_unit, segment in scopes:
            rows.append(
                {
                    "business_unit": business_unit,
                    "segment": segment,
                    "set": sets.get((unit.pk, segment.pk if segment else None, year)),
                    "last_year": sets.get((unit.pk, segment.pk if segment else None, year - 1)),
                    "may_edit": may_edit_scope(user, business_unit, segment),
                }
            )
    planning_year = years.planning_year()
    groups = {unit.business_group for unit in units}
    return {
        "year": year,
        "years": sorted(
            set(CriteriaSet.objects.values_list("year", flat=True))
            | {planning_year - 1, planning_year, year},
            reverse=True,
        ),
        "rows": rows,
        "goals": goals_for(year, units),
        "goal_groups": [g for g in groups if permissions.can(user, Action.EDIT_BG_GOALS, g)],
        "goal_units": [u for u in units if permissions.can(user, Action.EDIT_BU_GOALS, u)],
    }


def library_families() -> list[dict]:
    """The criteria library by family, each family under attractiveness or feasibility."""
    templates = list(CriterionTemplate.objects.all())
    return [
        {
            "value": value,
            "label": label,
            "group": _("attractiveness") if value in ATTRACTIVENESS else _("feasibility"),
            "templates": [
                {"template": t, "rule": rule_summary(t.rule)}
                for t in templates
                if t.family == value
            ],
        }
        for value, label in Family.choices
    ]


def weight_sum(criteria: list[dict]) -> Decimal:
    return sum((Decimal(str(c["weight"])) for c in criteria), Decimal(0))


def set_page(user, criteria_set: CriteriaSet, document: dict, *, editable: bool) -> dict:
    """A set's page: its criteria (from `document`, its dump), how a segment override differs
    from its BU default, its tiers, goals and history, and whether it may be copied on."""
    criteria = document["criteria"]
    scope = {"business_unit": criteria_set.business_unit, "segment": criteria_set.segment}
    default = (
        CriteriaSet.objects.for_scope(
            business_unit=criteria_set.business_unit, segment=None, year=criteria_set.year
        ).first()
        if criteria_set.segment_id
        else None
    )
    policy = TierPolicy.objects.for_scope(**scope, year=criteria_set.year).first()
    return {
        "set": criteria_set,
        "may_edit": editable,
        "rows": criteria_rows(criteria, available_sources(criteria_set.business_unit_id)),
        "goals": goals_for(criteria_set.year, [criteria_set.business_unit]),
        "default": default,
        "default_changes": (
            document_changes(criteria_set_dump(default), document, criteria_only=True)
            if default
            else None
        ),
        "policy": policy,
        "tier_rows": tier_rows(policy.tiers.all()) if policy else [],
        "audit": audit_entries(criteria_set, policy),
        "next_year": criteria_set.year + 1,
        "may_copy": editable or may_edit_scope(user, **scope),
        "has_next_year": CriteriaSet.objects.for_scope(
            **scope, year=criteria_set.year + 1
        ).exists(),
    }


def typed_weight_total(criteria_set: CriteriaSet, posted) -> tuple[Decimal, bool]:
    """The weight total with the weights as typed (`posted`: weight-<key> fields, or one
    "weight" of the criterion "editing", a new one when empty) and the others as saved;
    and whether any typed weight is not a number of 0 or more (left out of the total)."""
    weights = {c.key: c.weight for c in criteria_set.criteria.all()}
    invalid = False
    typed = {k.removeprefix("weight-"): v for k, v in posted.items() if k.startswith("weight-")}
    if "weight" in posted:
        typed[posted.get("editing") or "\0new"] = posted["weight"]
    for key, text in typed.items():
        try:
            value = Decimal(text.strip() or "0")
        except InvalidOperation:
            invalid = True
            continue
        if not value.is_finite() or value < 0:
            invalid = True
            continue
        weights[key] = value
    return sum(weights.values(), Decimal(0)), invalid


def criterion_total(criteria: list[dict], original: dict | None, weight) -> Decimal:
    """The set's weight total with this criterion's weight as typed (the others as saved)."""
    others = weight_sum([c for c in criteria if not original or c["key"] != original["key"]])
    try:
        return others + Decimal(str(weight or 0))
    except InvalidOperation:
        return others


def criterion_start(original: dict | None, template_key: str, taken: set[str]) -> dict | None:
    """What a criterion form starts from: the criterion edited, else the library template
    asked for (its key left out when the set has it already), else nothing."""
    if original:
        return original
    template = CriterionTemplate.objects.filter(key=template_key).first()
    if template is None:
        return None
    return {
        "key": template.key if template.key not in taken else "",
        "name_zh": template.name_zh,
        "name_en": template.name_en,
        "family": template.family,
        "source": template.source,
        "rule": template.rule,
    }
