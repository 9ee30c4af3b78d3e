"""Writes for criteria sets and tier policies. Every function checks permission itself
(`by=None` means the command line, which runs with full rights)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from evaluation.criteria.documents import plain_number, validate_criteria, validate_document
from evaluation.criteria.models import TIER_TEXT_FIELDS
from evaluation.criteria.sources import available_sources
from evaluation.models import CriteriaSet, CriteriaSetVersion, Criterion, Tier, TierPolicy
from organisation import permissions
from organisation.models import BusinessUnit, Segment
from organisation.permissions import Action


class EditConflict(ValidationError):
    """Someone else saved the set since this editor loaded it."""


def may_edit_scope(user, business_unit: BusinessUnit, segment: Segment | None) -> bool:
    if user is None:
        return True
    if segment is not None:
        return permissions.can(user, Action.EDIT_SEGMENT_CRITERIA, segment)
    return permissions.can(user, Action.EDIT_BU_CRITERIA, business_unit)


def _require_edit(user, business_unit, segment) -> None:
    if not may_edit_scope(user, business_unit, segment):
        raise PermissionDenied("edit_criteria")


def _snapshot(criteria_set: CriteriaSet, by, note: str) -> None:
    CriteriaSetVersion.objects.create(
        criteria_set=criteria_set,
        number=criteria_set.version,
        document=criteria_set_dump(criteria_set),
        note=note[:200],
        created_by=by,
    )


def _comparable(criteria: list[dict]) -> list[dict]:
    """Criteria in the shape `criteria_set_dump` writes, to tell whether a save changes anything."""
    return [
        {
            "key": item["key"],
            "name_zh": item["name_zh"].strip(),
            "name_en": (item.get("name_en") or "").strip(),
            "family": item["family"],
            "source": item["source"],
            "weight": plain_number(Decimal(str(item["weight"]))),
            "rule": item["rule"],
            "gate": None if item.get("gate") is None else plain_number(Decimal(str(item["gate"]))),
        }
        for item in criteria
    ]


def _unchanged(criteria_set: CriteriaSet, name: str, criteria: list[dict]) -> bool:
    current = criteria_set_dump(criteria_set, tiers=False)["criteria"]
    return name == criteria_set.name and _comparable(criteria) == current


def _write_criteria(criteria_set: CriteriaSet, criteria: list[dict]) -> None:
    criteria_set.criteria.all().delete()
    Criterion.objects.bulk_create(
        Criterion(
            criteria_set=criteria_set,
            order=order,
            key=item["key"],
            name_zh=item["name_zh"].strip(),
            name_en=(item.get("name_en") or "").strip(),
            family=item["family"],
            source=item["source"],
            weight=Decimal(str(item["weight"])),
            rule=item["rule"],
            gate=None if item.get("gate") is None else Decimal(str(item["gate"])),
        )
        for order, item in enumerate(criteria)
    )


def _tier_from(item: dict, **fields) -> Tier:
    """An unsaved tier from its JSON document."""
    return Tier(
        code=item["code"],
        name_zh=item["name_zh"].strip(),
        name_en=(item.get("name_en") or "").strip(),
        rule_type=item["rule"]["type"],
        rule_value=Decimal(str(item["rule"]["value"])),
        **{field: item.get(field) or "" for field in TIER_TEXT_FIELDS},
        **fields,
    )


def _write_tiers(policy: TierPolicy, tiers: list[dict]) -> None:
    policy.tiers.all().delete()
    Tier.objects.bulk_create(
        _tier_from(item, policy=policy, order=order) for order, item in enumerate(tiers)
    )


@transaction.atomic
def criteria_set_load(*, document: Any, by=None, publish: bool = False) -> CriteriaSet:
    """Create or replace the set (and tier policy) the document names; refused whole if invalid."""
    errors, scope = validate_document(document)
    if errors:
        raise ValidationError(errors)
    business_unit, segment = scope
    _require_edit(by, business_unit, segment)
    year = document["year"]
    criteria_set = (
        CriteriaSet.objects.select_for_update(of=("self",))
        .order_by()
        .for_scope(business_unit=business_unit, segment=segment, year=year)
        .first()
    )
    if criteria_set is not None and criteria_set.status == CriteriaSet.Status.LOCKED:
        raise ValidationError(
            _("The %(year)d set of %(scope)s is locked: an approved target list uses it.")
            % {"year": year, "scope": criteria_set.scope_unit}
        )
    name = document["name"].strip()
    if criteria_set is None:
        criteria_set = CriteriaSet.objects.create(
            business_unit=business_unit,
            segment=segment,
            year=year,
            name=name,
            created_by=by,
        )
        changed = True
    else:
        # The version in force stays in force: the file becomes a newer draft version, unless
        # it says what the set already says (then nothing is written).
        changed = not _unchanged(criteria_set, name, document["criteria"])
        if changed:
            criteria_set.name = name
            criteria_set.version += 1
            criteria_set.save(update_fields=["name", "version", "updated_at"])
    if changed:
        _write_criteria(criteria_set, document["criteria"])
    if "tiers" in document:
        policy, _created = TierPolicy.objects.get_or_create(
            business_unit=business_unit, segment=segment, year=year
        )
        if _created or [tier_document(t) for t in policy.tiers.all()] != [
            tier_document(_tier_from(item)) for item in document["tiers"]
        ]:
            _write_tiers(policy, document["tiers"])
            if not _created:
                TierPolicy.objects.filter(pk=policy.pk).update(version=F("version") + 1)
    if changed:
        _snapshot(criteria_set, by, _("loaded from a file"))
    if publish and (
        criteria_set.status == CriteriaSet.Status.DRAFT or criteria_set.has_pending_draft
    ):
        criteria_set = criteria_set_publish(criteria_set=criteria_set, by=by)
    return criteria_set


def criteria_set_dump(criteria_set: CriteriaSet, *, tiers: bool = True) -> dict:
    scope = (
        {"segment": criteria_set.segment.code}
        if criteria_set.segment_id
        else {"bu": criteria_set.business_unit.code}
    )
    document = {
        "year": criteria_set.year,
        "scope": scope,
        "name": criteria_set.name,
        "criteria": [
            {
                "key": c.key,
                "name_zh": c.name_zh,
                "name_en": c.name_en,
                "family": c.family,
                "source": c.source,
                "weight": plain_number(c.weight),
                "rule": c.rule,
                "gate": plain_number(c.gate),
            }
            for c in criteria_set.criteria.all()
        ],
    }
    policy = (
        tiers
        and TierPolicy.objects.for_scope(
            business_unit=criteria_set.business_unit,
            segment=criteria_set.segment,
            year=criteria_set.year,
        ).first()
    )
    if policy:
        document["tiers"] = [tier_document(tier) for tier in policy.tiers.all()]
    return document


def tier_document(tier: Tier) -> dict:
    item = {
        "code": tier.code,
        "name_zh": tier.name_zh,
        "name_en": tier.name_en,
        "rule": {"type": tier.rule_type, "value": plain_number(tier.rule_value)},
    }
    for field in (
        "development_principle",
        "service_level",
        "contact_frequency",
        "responsible_role",
    ):
        if getattr(tier, field):
            item[field] = getattr(tier, field)
    return item


def publish_problems(criteria_set: CriteriaSet) -> list[str]:
    errors, _scope = validate_document(criteria_set_dump(criteria_set))
    return errors


@transaction.atomic
def criteria_set_publish(*, criteria_set: CriteriaSet, by) -> CriteriaSet:
    """The latest version goes in force: a draft set, or the draft version of a published set.
    Refused with every reason while that version is not valid, and on a locked set."""
    _require_edit(by, criteria_set.business_unit, criteria_set.segment)
    criteria_set = (
        CriteriaSet.objects.select_for_update(of=("self",)).order_by().get(pk=criteria_set.pk)
    )
    if criteria_set.status == CriteriaSet.Status.LOCKED:
        raise ValidationError(_("This set is locked: an approved target list uses it."))
    if criteria_set.status == CriteriaSet.Status.PUBLISHED and not criteria_set.has_pending_draft:
        raise ValidationError(
            _("Version %(version)d is already in force: there is no draft to publish.")
            % {"version": criteria_set.version}
        )
    problems = publish_problems(criteria_set)
    if problems:
        raise ValidationError(problems)
    criteria_set.status = CriteriaSet.Status.PUBLISHED
    criteria_set.published_version = criteria_set.version
    criteria_set.published_at = timezone.now()
    criteria_set.published_by = by
    criteria_set.save(
        update_fields=[
            "status",
            "published_version",
            "published_at",
            "published_by",
            "updated_at",
        ]
    )
    return criteria_set


@transaction.atomic
def criteria_set_save(
    *,
    criteria_set: CriteriaSet,
    expected_version: int,
    name: str,
    criteria: list[dict],
    by,
    note: str = "",
) -> CriteriaSet:
    """Replace the set's criteria from the editor.

    A save that changes nothing writes nothing (no version, no snapshot). Otherwise refused
    with EditConflict when the set changed since the editor loaded `expected_version` (the
    conditional UPDATE is the guard). A published set stays published: the save is a newer
    draft version, and the published version stays in force until the draft is published.
    """
    _require_edit(by, criteria_set.business_unit, criteria_set.segment)
    criteria_set = (
        CriteriaSet.objects.select_for_update(of=("self",)).order_by().get(pk=criteria_set.pk)
    )
    if criteria_set.status == CriteriaSet.Status.LOCKED:
        raise ValidationError(_("This set is locked: an approved target list uses it."))
    errors: list[str] = []
    # A draft may be saved while its weights do not yet add up to 100; publishing checks that.
    validate_criteria(
        criteria, available_sources(criteria_set.business_unit_id), errors, require_total=False
    )
    if errors:
        raise ValidationError(errors)
    if _unchanged(criteria_set, name, criteria):
        return criteria_set
    updated = CriteriaSet.objects.filter(pk=criteria_set.pk, version=expected_version).update(
        version=F("version") + 1,
        name=name,
        updated_at=timezone.now(),
    )
    if not updated:
        raise EditConflict(
            _(
                "Someone else saved this set after you opened it. Your changes were not saved: compare the versions, then edit the latest one."
            )
        )
    criteria_set.refresh_from_db()
    _write_criteria(criteria_set, criteria)
    _snapshot(criteria_set, by, note or _("edited"))
    return criteria_set


@transaction.atomic
def criteria_set_lock(*, criteria_set: CriteriaSet) -> CriteriaSet:
    """Called when a target list using the set is approved; a locked set never changes. The
    version in force stays the one in force (a newer draft, if any, can no longer be published)."""
    CriteriaSet.objects.filter(pk=criteria_set.pk, published_version__isnull=True).update(
        published_version=F("version")
    )
    CriteriaSet.objects.filter(pk=criteria_set.pk).update(status=CriteriaSet.Status.LOCKED)
    criteria_set.refresh_from_db()
    return criteria_set


@transaction.atomic
def criteria_set_copy(*, source: CriteriaSet, year: int, by) -> CriteriaSet:
    """ "Copy last year's set": a draft for `year` in the same scope, with the same content."""
    _require_edit(by, source.business_unit, source.segment)
    if CriteriaSet.objects.for_scope(
        business_unit=source.business_unit, segment=source.segment, year=year
    ).exists():
        raise ValidationError(
            _("%(scope)s already has a set for %(year)d.")
            % {"scope": source.scope_unit, "year": year}
        )
    document = criteria_set_dump(source) | {"year": year}
    if TierPolicy.objects.for_scope(
        business_unit=source.business_unit, segment=source.segment, year=year
    ).exists():
        # That year's tiers were already set on their own: copying criteria must not replace them.
        document.pop("tiers", None)
    copy = criteria_set_load(document=document, by=by)
    copy.copied_from = source
    copy.save(update_fields=["copied_from"])
    return copy


# --- Browser editing: new sets ----------------------------------------------------------------


@transaction.atomic
def criteria_set_create(
    *, business_unit: BusinessUnit, segment: Segment | None, year: int, name: str, by
) -> CriteriaSet:
    """An empty draft for a scope and year; a segment override starts from the BU default of
    the same year when there is one (its criteria, not its status)."""
    _require_edit(by, business_unit, segment)
    if CriteriaSet.objects.for_scope(
        business_unit=business_unit, segment=segment, year=year
    ).exists():
        raise ValidationError(
            _("%(scope)s already has a set for %(year)d.")
            % {"scope": segment or business_unit, "year": year}
        )
    criteria_set = CriteriaSet.objects.create(
        business_unit=business_unit, segment=segment, year=year, name=name.strip(), created_by=by
    )
    default = (
        CriteriaSet.objects.for_scope(business_unit=business_unit, segment=None, year=year).first()
        if segment is not None
        else None
    )
    if default is not None:
        _write_criteria(criteria_set, criteria_set_dump(default)["criteria"])
    _snapshot(criteria_set, by, _("created"))
    return criteria_set
