"""Writes on target lists short of approval (approval.py): a list made or rebuilt from a score
run, each segment scored and its draft made (`target_lists_score_and_build`), and a draft's
edits: owners, development plans and tier overrides."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from evaluation.lists.approval import transition_record
from evaluation.lists.people import account_managers_of
from evaluation.models import ListTransition, ScoreEntry, ScoreRun, TargetEntry, TargetList
from organisation import permissions
from organisation.models import Segment
from organisation.permissions import Action
from organisation.services import notification_send

State = TargetList.State


# --- Building from a score run ------------------------------------------------------------------


def _entries_from_run(run: ScoreRun, target_list: TargetList, kept: dict[int, TargetEntry]):
    """One entry per customer the run tiered, plus kept overrides of customers still eligible."""
    overridden = [pk for pk, entry in kept.items() if entry.is_override]
    scored = {
        row["customer_id"]: row
        for row in run.entries.filter(~Q(tier="") | Q(customer_id__in=overridden))
        .exclude(status=ScoreEntry.Status.SCREENED_OUT)
        .values("customer_id", "rank", "total", "tier")
        .order_by()
    }
    codes = {tier["code"] for tier in run.tiers}
    entries = []
    for customer_id, row in scored.items():
        previous = kept.get(customer_id)
        tier = row["tier"]
        reason = ""
        if previous is not None and previous.is_override and previous.tier in codes | {""}:
            tier, reason = previous.tier, previous.override_reason
        if not tier and not reason:
            continue
        if tier == row["tier"]:
            reason = ""
        entries.append(
            TargetEntry(
                target_list=target_list,
                customer_id=customer_id,
                rank=row["rank"],
                total=row["total"],
                scored_tier=row["tier"],
                tier=tier,
                override_reason=reason,
                owner_id=previous.owner_id if previous and tier else None,
                plan_objective=previous.plan_objective if previous and tier else "",
                plan_actions=previous.plan_actions if previous and tier else "",
                plan_next_date=previous.plan_next_date if previous and tier else None,
            )
        )
    TargetEntry.objects.bulk_create(entries, batch_size=2000)


@transaction.atomic
def target_list_build(*, run: ScoreRun, by=None) -> TargetList | None:
    """Make the segment's draft list for the run's year from the run, or rebuild the draft
    being worked on (owners, plans and overrides of customers still targeted are kept).
    Returns None, changing nothing, when the working list is past draft, or when there is
    none beside an approved list: an approved list is never rebuilt (revise it instead)."""
    if by is not None:
        permissions.require(by, Action.MANAGE_SEGMENT_LIST, run.segment)
    lists = TargetList.objects.select_for_update().filter(segment=run.segment, year=run.year)
    existing = lists.working().first()
    if existing is None and lists.unsuperseded().exists():
        return None
    if existing is None:
        target_list = TargetList.objects.create(segment=run.segment, year=run.year, run=run)
        _entries_from_run(run, target_list, {})
        transition_record(target_list, ListTransition.Action.CREATE, "", State.DRAFT, by, "")
        return target_list
    if existing.state != State.DRAFT:
        return None
    kept = {entry.customer_id: entry for entry in existing.entries.all()}
    existing.entries.all().delete()
    existing.run = run
    existing.save(update_fields=["run", "updated_at"])
    _entries_from_run(run, existing, kept)
    transition_record(
        existing, ListTransition.Action.REBUILD, State.DRAFT, State.DRAFT, by, f"#{run.pk}"
    )
    return existing


# --- Editing a draft --------------------------------------------------------------------------


def _require_edit(user, target_list: TargetList) -> None:
    permissions.require(user, Action.MANAGE_SEGMENT_LIST, target_list.segment)
    _require_draft(target_list)


def _require_draft(target_list: TargetList) -> None:
    if not target_list.is_editable:
        raise ValidationError(
            _("This list is %(state)s and can no longer be changed.")
            % {"state": target_list.get_state_display()}
        )


@transaction.atomic
def target_list_owners_assign(*, target_list: TargetList, entry_ids: list[int], owner, by) -> int:
    """Bulk assignment: the chosen target customers get `owner` (None clears it)."""
    _require_edit(by, target_list)
    if owner is not None and not account_managers_of(target_list.segment).filter(pk=owner.pk):
        raise ValidationError(
            _("%(user)s is not an account manager of %(bu)s.")
            % {"user": owner, "bu": target_list.segment.business_unit}
        )
    entries = target_list.entries.targets().filter(pk__in=entry_ids)
    count = entries.update(owner=owner)
    if owner is not None and count and owner.pk != by.pk:
        notification_send(
            recipient=owner,
            text=_("You were named owner of %(count)d target customers on %(list)s.")
            % {"count": count, "list": target_list},
            url=target_list.get_absolute_url(),
            sender=by,
        )
    return count


def target_entry_plan_save(
    *, entry: TargetEntry, objective: str, actions: str, next_date, by
) -> TargetEntry:
    """The segment manager, or the customer's owner, writes its development plan."""
    target_list = entry.target_list
    if entry.owner_id != by.pk:
        permissions.require(by, Action.MANAGE_SEGMENT_LIST, target_list.segment)
    _require_draft(target_list)
    if not entry.tier:
        raise ValidationError(_("Only target customers have a development plan."))
    entry.plan_objective = objective
    entry.plan_actions = actions
    entry.plan_next_date = next_date
    entry.full_clean()
    entry.save(update_fields=["plan_objective", "plan_actions", "plan_next_date"])
    return entry


@transaction.atomic
def target_entry_tier_override(
    *, target_list: TargetList, customer_id: int, tier: str, reason: str, by
):
    """Put a customer in another tier (or make it general), with a required reason; choosing
    the tier scoring gave removes the override."""
    _require_edit(by, target_list)
    reason = reason.strip()
    if tier not in target_list.tier_codes and tier != "":
        raise ValidationError(_("%(tier)s is not a tier of this list.") % {"tier": tier})
    scored = target_list.run.entries.filter(customer_id=customer_id).first()
    if scored is None:
        raise ValidationError(_("This customer was not evaluated in the list's score run."))
    if scored.status == ScoreEntry.Status.SCREENED_OUT:
        raise ValidationError(
            _("This customer was screened out by %(gate)s and cannot be tiered.")
            % {"gate": scored.screened_by}
        )
    if tier != scored.tier and not reason:
        raise ValidationError(_("Give a reason for the override."))
    entry = target_list.entries.filter(customer_id=customer_id).first()
    if entry is None:
        entry = TargetEntry(
            target_list=target_list,
            customer_id=customer_id,
            rank=scored.rank,
            total=scored.total,
            scored_tier=scored.tier,
        )
    entry.tier = tier
    entry.override_reason = "" if tier == scored.tier else reason
    if not tier:
        entry.owner = None
    if not tier and not scored.tier:
        if entry.pk:
            entry.delete()
        return None
    entry.save()
    return entry


# --- Scoring segments and making their draft lists ------------------------------------------


def target_lists_score_and_build(
    *, year: int, facts_year: int | None = None, segments=None, by=None
) -> dict:
    """Score each segment (all by default) and make or rebuild its draft list, one transaction
    per segment; report what was scored, which lists were left alone, and what was skipped.
    Used by the `score` command, the score button and the annual re-scoring."""
    from evaluation.scoring.runs import score_run_create

    report = {"year": year, "scored": [], "skipped": []}
    for segment in (
        segments if segments is not None else Segment.objects.with_org().order_by("code")
    ):
        try:
            with transaction.atomic():
                run = score_run_create(segment=segment, year=year, facts_year=facts_year, by=by)
                target_list = target_list_build(run=run, by=by)
        except ValidationError as error:
            report["skipped"].append({"segment": segment.code, "reason": " ".join(error.messages)})
            continue
        item = {"segment": segment.code, "run": run.pk, **run.funnel}
        if target_list is None:
            kept = TargetList.objects.newest().filter(segment=segment, year=year).first()
            item["list"] = kept.pk
            item["list_note"] = _("list left as it is (%(state)s)") % {
                "state": kept.get_state_display()
            }
        else:
            item["list"] = target_list.pk
            item["list_note"] = _("draft list updated")
        report["scored"].append(item)
    return report
