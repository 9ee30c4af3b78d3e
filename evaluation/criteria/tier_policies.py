"""Writes for tier policies: the ordered tiers of a scope and year, edited next to its criteria
set (`by=None` means the command line, which runs with full rights)."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from evaluation.criteria.documents import validate_tiers
from evaluation.criteria.models import TIER_TEXT_FIELDS
from evaluation.criteria.services import (
    EditConflict,
    _require_edit,
    tier_document,
)
from evaluation.models import CriteriaSet, Tier, TierPolicy
from organisation.models import BusinessUnit, Segment

BASELINE = "baseline"


@transaction.atomic
def tier_policy_save(
    *,
    business_unit: BusinessUnit,
    segment: Segment | None,
    year: int,
    tiers: list[dict],
    expected_version: int | None,
    by,
) -> TierPolicy:
    """Replace the ordered tiers of a scope and year (tiers in the JSON document's shape).

    Tiers are matched by code and updated in place, so each one's history shows the fields that
    changed (before and after). Refused with EditConflict when the policy changed since the
    editor loaded `expected_version` (None: the editor saw no policy), and while the scope's
    criteria set of that year is locked.
    """
    _require_edit(by, business_unit, segment)
    if (
        CriteriaSet.objects.for_scope(business_unit=business_unit, segment=segment, year=year)
        .filter(status=CriteriaSet.Status.LOCKED)
        .exists()
    ):
        raise ValidationError(_("This set is locked: an approved target list uses it."))
    errors: list[str] = []
    validate_tiers(tiers, errors)
    if errors:
        raise ValidationError(errors)
    policy = (
        TierPolicy.objects.select_for_update()
        .for_scope(business_unit=business_unit, segment=segment, year=year)
        .first()
    )
    if (policy.version if policy else None) != expected_version:
        raise EditConflict(
            _(
                "Someone else saved this tier policy after you opened it. Your changes were not saved: compare them with the latest version."
            )
        )
    if policy is None:
        policy = TierPolicy(business_unit=business_unit, segment=segment, year=year)
    else:
        policy.version += 1
    policy._history_user = by
    policy.save()

    existing = {tier.code: tier for tier in policy.tiers.all()}
    # Tiers written in bulk (by criteria_set_load) have no history yet: record how they were,
    # so this change shows its "before".
    recorded = set(
        Tier.history.filter(id__in=[t.pk for t in existing.values()]).values_list("id", flat=True)
    )
    Tier.history.bulk_history_create(
        [tier for tier in existing.values() if tier.pk not in recorded],
        update=True,
        default_change_reason=BASELINE,
    )
    wanted = {item["code"] for item in tiers}
    for code, tier in existing.items():
        if code not in wanted:
            tier._history_user = by
            tier.delete()
    changed = []
    for order, item in enumerate(tiers):
        tier = existing.get(item["code"]) or Tier(policy=policy, code=item["code"])
        values = {
            "order": order,
            "name_zh": item["name_zh"].strip(),
            "name_en": (item.get("name_en") or "").strip(),
            "rule_type": item["rule"]["type"],
            "rule_value": Decimal(str(item["rule"]["value"])),
            **{field: item.get(field) or "" for field in TIER_TEXT_FIELDS},
        }
        if tier.pk is None or any(getattr(tier, f) != v for f, v in values.items()):
            for field, value in values.items():
                setattr(tier, field, value)
            changed.append(tier)
    # Out of the way of the (policy, order) constraint while the tiers change places.
    moving = [tier.pk for tier in changed if tier.pk is not None]
    Tier.objects.filter(pk__in=moving).update(order=F("order") + 1000)
    for tier in changed:
        tier._history_user = by
        tier.save()
    return policy


@transaction.atomic
def tier_policy_move(
    *,
    business_unit: BusinessUnit,
    segment: Segment | None,
    year: int,
    code: str,
    step: int,
    expected_version: int | None,
    by,
) -> TierPolicy:
    """Swap a tier with the one before it (step -1) or after it (step 1)."""
    _require_edit(by, business_unit, segment)
    policy = TierPolicy.objects.for_scope(
        business_unit=business_unit, segment=segment, year=year
    ).first()
    tiers = [tier_document(tier) for tier in policy.tiers.all()] if policy else []
    index = next((i for i, item in enumerate(tiers) if item["code"] == code), None)
    if index is None:
        raise ValidationError(_("There is no tier “%(code)s” any more.") % {"code": code})
    target = index + step
    if step not in (-1, 1) or not 0 <= target < len(tiers):
        raise ValidationError(
            _("Tier %(code)s cannot move that way: it is already first or last.") % {"code": code}
        )
    tiers[index], tiers[target] = tiers[target], tiers[index]
    return tier_policy_save(
        business_unit=business_unit,
        segment=segment,
        year=year,
        tiers=tiers,
        expected_version=expected_version,
        by=by,
    )
