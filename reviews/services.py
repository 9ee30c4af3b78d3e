"""Writes of the annual review: results, the segment summary, the BU sign-off, the BG VP's
confirmation of next year's goals. Each checks role and scope itself and records the step."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from evaluation.models import Goal, TargetEntry
from organisation import permissions
from organisation.models import BusinessGroup, BusinessUnit, Segment
from organisation.permissions import Action
from prioritizer import bounds
from prioritizer.text import control_problem
from reviews.models import (
    BUReview,
    DevelopmentResult,
    ReviewStep,
    SegmentReview,
    Stage,
)
from reviews.scopes import approved_lists

MAX_NOTES = 2000
MAX_SUMMARY = 5000
MAX_CONTRACTS = bounds.COUNT_MAX


def _person(user) -> str:
    if user is None:
        return _("(nobody)")
    return user.get_full_name() or user.username


def _when(moment) -> str:
    return formats.date_format(timezone.localtime(moment), "Y-m-d H:i")


def _step(*, year: int, kind: str, by, business_group, business_unit=None, segment=None, detail=""):
    return ReviewStep.objects.create(
        year=year,
        kind=kind,
        business_group=business_group,
        business_unit=business_unit,
        segment=segment,
        detail=detail[:500],
        by=by,
    )


# --- Development results ----------------------------------------------------------------------


def entry_in_force(entry: TargetEntry) -> bool:
    """Whether the entry is a target customer of its segment's approved list for the year."""
    target_list = entry.target_list
    in_force = approved_lists(target_list.year, [target_list.segment_id])
    return bool(in_force) and in_force[0].pk == target_list.pk and bool(entry.tier)


def may_record(user, entry: TargetEntry) -> bool:
    """Owners record results for their own target customers (account managers of the BU)."""
    return entry.owner_id == getattr(user, "pk", None) and permissions.can(
        user, Action.RECORD_RESULTS, entry.target_list.segment
    )


def clean_result(
    *, revenue_won, contracts_signed, stage: str, notes: str
) -> tuple[Decimal, int, str, str]:
    """The values checked, or a ValidationError naming each bad field."""
    errors: dict[str, str] = {}
    text = "" if revenue_won is None else str(revenue_won).strip().replace(",", "")
    try:
        revenue = Decimal(text or "0")
    except InvalidOperation:
        revenue = None
    if revenue is None or not revenue.is_finite():
        errors["revenue_won"] = _("Enter an amount in yuan, e.g. 1234567.89.")
    elif revenue < 0:
        errors["revenue_won"] = _("Revenue won cannot be negative.")
    elif revenue != revenue.quantize(Decimal("0.01")):
        errors["revenue_won"] = _("Use at most 2 decimal places (fen).")
    elif too_large := bounds.money_problem(revenue):
        errors["revenue_won"] = too_large
    try:
        contracts = int(("" if contracts_signed is None else str(contracts_signed)).strip() or "0")
    except ValueError:
        contracts = None
    if contracts is None:
        errors["contracts_signed"] = _("Enter a whole number, e.g. 250.")
    elif contracts < 0:
        errors["contracts_signed"] = _("The number of contracts cannot be negative.")
    elif too_large := bounds.count_problem(contracts, MAX_CONTRACTS):
        errors["contracts_signed"] = too_large
    if stage not in Stage.values:
        errors["stage"] = _("“%(stage)s” is not a relationship stage. Use one of: %(stages)s.") % {
            "stage": stage,
            "stages": ", ".join(Stage.values),
        }
    notes = (notes or "").strip()
    if len(notes) > MAX_NOTES:
        errors["notes"] = _("Notes must be at most %(max)d characters.") % {"max": MAX_NOTES}
    elif problem := control_problem(notes, multiline=True):
        errors["notes"] = problem
    if errors:
        raise ValidationError(errors)
    return revenue.quantize(Decimal("0.01")), contracts, stage, notes


@transaction.atomic
def result_record(
    *, entry: TargetEntry, by, revenue_won, contracts_signed, stage: str, notes: str = ""
) -> DevelopmentResult:
    """The owner records (or updates) the year's result for one of their target customers."""
    if not entry_in_force(entry):
        raise ValidationError(
            _(
                "%(customer)s is not a target customer of an approved list for %(year)d: results are recorded only for those."
            )
            % {"customer": entry.customer.name, "year": entry.target_list.year}
        )
    if not may_record(by, entry):
        raise PermissionDenied(Action.RECORD_RESULTS)
    revenue, contracts, stage, notes = clean_result(
        revenue_won=revenue_won, contracts_signed=contracts_signed, stage=stage, notes=notes
    )
    target_list = entry.target_list
    result = (
        DevelopmentResult.objects.select_for_update()
        .filter(segment_id=target_list.segment_id, year=target_list.year, customer=entry.customer)
        .first()
    ) or DevelopmentResult(
        segment_id=target_list.segment_id, year=target_list.year, customer=entry.customer
    )
    result.target_entry = entry
    result.revenue_won = revenue
    result.contracts_signed = contracts
    result.stage = stage
    result.notes = notes
    result.updated_by = by
    result._history_user = by
    result.save()
    return result


def entry_for_customer(*, customer, year: int, by, segment: Segment | None = None) -> TargetEntry:
    """The owner's target entry for a customer in the year's approved lists, or a clear error."""
    segments = (
        [segment.pk]
        if segment is not None
        else list(customer.segments.values_list("pk", flat=True))
        + list(
            TargetEntry.objects.filter(customer=customer, target_list__year=year).values_list(
                "target_list__segment_id", flat=True
            )
        )
    )
    lists = approved_lists(year, set(segments))
    entries = list(
        TargetEntry.objects.targets()
        .filter(target_list__in=lists, customer=customer)
        .select_related("target_list__segment", "customer")
    )
    if not entries:
        raise ValidationError(
            _(
                "%(customer)s is not a target customer of an approved list for %(year)d: results are recorded only for those."
            )
            % {"customer": customer.name, "year": year}
        )
    own = [entry for entry in entries if entry.owner_id == by.pk]
    if not own:
        raise ValidationError(
            _("%(customer)s is a target customer of someone else: only its owner records results.")
            % {"customer": customer.name}
        )
    if len(own) > 1:
        raise ValidationError(
            _("%(customer)s is a target of several segments (%(segments)s): name the segment.")
            % {
                "customer": customer.name,
                "segments": ", ".join(e.target_list.segment.code for e in own),
            }
        )
    return own[0]


# --- Segment summary, BU sign-off, goal confirmation ----------------------------------------------


def _bu_signed_off(business_unit_id: int, year: int) -> BUReview | None:
    return (
        BUReview.objects.filter(
            business_unit_id=business_unit_id, year=year, signed_off_at__isnull=False
        )
        .select_related("signed_off_by")
        .first()
    )


@transaction.atomic
def segment_review_summarise(*, segment: Segment, year: int, summary: str, by) -> SegmentReview:
    """The segment manager (or the BU VP standing in) summarises the segment's year; it may be
    rewritten until the BU review is signed off."""
    permissions.require(by, Action.SUMMARISE_SEGMENT_REVIEW, segment)
    summary = (summary or "").strip()
    if not summary:
        raise ValidationError({"summary": _("Write the summary first.")})
    if len(summary) > MAX_SUMMARY or "\x00" in summary:
        raise ValidationError(
            {"summary": _("The summary must be at most %(max)d characters.") % {"max": MAX_SUMMARY}}
        )
    if not approved_lists(year, [segment.pk]):
        raise ValidationError(
            _("%(segment)s has no approved target list for %(year)d: there is nothing to review.")
            % {"segment": segment, "year": year}
        )
    signed = _bu_signed_off(segment.business_unit_id, year)
    if signed is not None:
        raise ValidationError(
            _(
                "The %(year)d review of %(bu)s was signed off by %(who)s on %(when)s: the segment summaries can no longer change."
            )
            % {
                "year": year,
                "bu": segment.business_unit,
                "who": _person(signed.signed_off_by),
                "when": _when(signed.signed_off_at),
            }
        )
    review = (
        SegmentReview.objects.select_for_update().filter(segment=segment, year=year).first()
    ) or SegmentReview(segment=segment, year=year)
    review.summary = summary
    review.summarised_by = by
    review.summarised_at = timezone.now()
    review._history_user = by
    review.save()
    _step(
        year=year,
        kind=ReviewStep.Kind.SUMMARISED,
        by=by,
        business_group=segment.business_unit.business_group,
        business_unit=segment.business_unit,
        segment=segment,
        detail=summary[:200],
    )
    return review


def segments_without_summary(business_unit: BusinessUnit, year: int) -> list[Segment]:
    """The BU's segments with an approved list for the year that have no summary yet."""
    lists = approved_lists(year, Segment.objects.filter(business_unit=business_unit))
    summarised = set(
        SegmentReview.objects.filter(
            year=year, segment_id__in=[target_list.segment_id for target_list in lists]
        ).values_list("segment_id", flat=True)
    )
    return [
        target_list.segment for target_list in lists if target_list.segment_id not in summarised
    ]


@transaction.atomic
def bu_review_sign_off(
    *, business_unit: BusinessUnit, year: int, by, comment: str = ""
) -> BUReview:
    """The BU VP signs the BU's review off, once: the conditional UPDATE lets exactly one of two
    clicks through; the other gets who signed and when."""
    permissions.require(by, Action.SIGN_OFF_BU_REVIEW, business_unit)
    comment = (comment or "").strip()
    if len(comment) > MAX_SUMMARY or "\x00" in comment:
        raise ValidationError(
            {"comment": _("The comment must be at most %(max)d characters.") % {"max": MAX_SUMMARY}}
        )
    if not approved_lists(year, Segment.objects.filter(business_unit=business_unit)):
        raise ValidationError(
            _("%(bu)s has no approved target list for %(year)d: there is nothing to sign off.")
            % {"bu": business_unit, "year": year}
        )
    missing = segments_without_summary(business_unit, year)
    if missing:
        raise ValidationError(
            _("These segments have no summary yet: %(segments)s. Their managers summarise first.")
            % {"segments": "、".join(str(segment) for segment in missing)}
        )
    review, _created = BUReview.objects.get_or_create(business_unit=business_unit, year=year)
    now = timezone.now()
    signed = BUReview.objects.filter(pk=review.pk, signed_off_at__isnull=True).update(
        signed_off_at=now, signed_off_by=by, comment=comment
    )
    if not signed:
        review.refresh_from_db()
        raise ValidationError(
            _("This review was already signed off by %(who)s on %(when)s; nothing was changed.")
            % {"who": _person(review.signed_off_by), "when": _when(review.signed_off_at)}
        )
    review.refresh_from_db()
    _step(
        year=year,
        kind=ReviewStep.Kind.SIGNED_OFF,
        by=by,
        business_group=business_unit.business_group,
        business_unit=business_unit,
        detail=comment[:200],
    )
    return review


@transaction.atomic
def goals_confirm(*, business_group: BusinessGroup, year: int, by) -> Goal:
    """The BG VP confirms next year's goals (`year` is next year): the BG's goal, and with it
    the goals its BUs have set for that year. Confirmed once."""
    permissions.require(by, Action.CONFIRM_GOALS, business_group)
    goal = Goal.objects.filter(business_group=business_group, year=year).first()
    if goal is None:
        raise ValidationError(
            _(
                "%(bg)s has no goals for %(year)d yet: create them from this year's (revisions), then confirm."
            )
            % {"bg": business_group, "year": year}
        )
    now = timezone.now()
    confirmed = Goal.objects.filter(pk=goal.pk, confirmed_at__isnull=True).update(
        confirmed_at=now, confirmed_by=by
    )
    if not confirmed:
        goal.refresh_from_db()
        raise ValidationError(
            _(
                "The %(year)d goals were already confirmed by %(who)s on %(when)s; nothing was changed."
            )
            % {"year": year, "who": _person(goal.confirmed_by), "when": _when(goal.confirmed_at)}
        )
    unit_goals = Goal.objects.filter(
        business_unit__business_group=business_group, year=year, confirmed_at__isnull=True
    )
    confirmed_units = [str(g.business_unit) for g in unit_goals.select_related("business_unit")]
    unit_goals.update(confirmed_at=now, confirmed_by=by)
    # The conditional UPDATEs wrote no history rows: record the confirmed state once.
    for confirmed_goal in Goal.objects.filter(
        year=year, confirmed_at=now, confirmed_by=by
    ).select_related("business_group", "business_unit"):
        confirmed_goal._history_user = by
        confirmed_goal.save(update_fields=["confirmed_at", "confirmed_by"])
    goal.refresh_from_db()
    _step(
        year=year - 1,
        kind=ReviewStep.Kind.GOALS_CONFIRMED,
        by=by,
        business_group=business_group,
        detail=", ".join([str(business_group), *confirmed_units]),
    )
    return goal


def step_record(*, year: int, kind: str, by, unit, detail: str) -> ReviewStep:
    """Record a step done elsewhere (a draft for next year) against the unit it concerns."""
    if isinstance(unit, Segment):
        scope = {
            "business_group": unit.business_unit.business_group,
            "business_unit": unit.business_unit,
            "segment": unit,
        }
    elif isinstance(unit, BusinessUnit):
        scope = {"business_group": unit.business_group, "business_unit": unit}
    else:
        scope = {"business_group": unit}
    return _step(year=year, kind=kind, by=by, detail=detail, **scope)
