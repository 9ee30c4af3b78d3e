"""Target lists (年度目标客户分级名单): made from a score run, edited while a draft (owners,
plans, tier overrides), then moved draft → submitted → consolidated → approved.

Every transition is a conditional UPDATE on the expected state, so a double-clicked button or
two people acting at once record exactly one transition; the loser gets a clear message.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from evaluation.criteria.services import criteria_set_lock
from evaluation.models import ListTransition, ScoreEntry, ScoreRun, TargetEntry, TargetList
from organisation import permissions
from organisation.models import Role, Segment
from organisation.permissions import Action
from organisation.services import notification_send, notifications_mark_read

User = get_user_model()
State = TargetList.State


# --- Reading ----------------------------------------------------------------------------------


def list_in_force(segment: Segment, year: int) -> TargetList | None:
    """The list everyone acts on: the approved one while it stands, else the working one."""
    return TargetList.objects.in_force().filter(segment=segment, year=year).first()


current_list = list_in_force  # the name the run pages and the export command use


def working_list(segment: Segment, year: int) -> TargetList | None:
    """The list being worked on (a first draft or a revision), if any."""
    return TargetList.objects.working().filter(segment=segment, year=year).first()


def can_view(user, target_list: TargetList) -> bool:
    """Managers and VPs over the segment, and account managers owning one of its customers."""
    return permissions.can(user, Action.VIEW_TARGET_LISTS, target_list) or (
        getattr(user, "is_authenticated", False) and target_list.entries.filter(owner=user).exists()
    )


def require_view(user, target_list: TargetList) -> None:
    if not can_view(user, target_list):
        raise PermissionDenied(Action.VIEW_TARGET_LISTS)


def lists_visible_to(user):
    segments = permissions.segments_where(user, Action.VIEW_TARGET_LISTS)
    return (
        TargetList.objects.filter(Q(segment__in=segments) | Q(entries__owner=user))
        .distinct()
        .with_org()
    )


def account_managers_of(segment: Segment):
    """Who may own the segment's target customers: the account managers of its BU."""
    return (
        User.objects.filter(
            is_active=True,
            role_memberships__role=Role.ACCOUNT_MANAGER,
            role_memberships__business_unit_id=segment.business_unit_id,
        )
        .distinct()
        .order_by("username")
    )


def tier_codes(target_list: TargetList) -> list[str]:
    return [tier["code"] for tier in target_list.run.tiers]


def entries_without_owner(target_list: TargetList):
    return target_list.entries.targets().filter(owner__isnull=True).select_related("customer")


def tier_counts(target_list: TargetList) -> dict[str, int]:
    return tier_counts_of([target_list])[target_list.pk]


def tier_counts_of(lists) -> dict[int, dict[str, int]]:
    """Target customers per tier of each list, from one aggregate query for them all."""
    lists = list(lists)
    found: dict[int, dict[str, int]] = {tl.pk: {} for tl in lists}
    rows = (
        TargetEntry.objects.targets()
        .filter(target_list__in=lists)
        .values_list("target_list_id", "tier")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for list_id, tier, count in rows:
        found[list_id][tier] = count
    return {tl.pk: {code: found[tl.pk].get(code, 0) for code in tier_codes(tl)} for tl in lists}


@dataclass(frozen=True)
class Claim:
    """A customer targeted by two or more segments' lists of one BU."""

    customer_id: int
    customer_name: str
    entries: list[TargetEntry]


def claimed_twice(business_unit, year: int) -> list[Claim]:
    """Per segment the newest list counts: a revision in progress, else the list in force."""
    entries = (
        TargetEntry.objects.targets()
        .filter(
            target_list__in=TargetList.objects.newest(),
            target_list__segment__business_unit=business_unit,
            target_list__year=year,
        )
        .select_related("customer", "target_list__segment")
    )
    claimed = (
        entries.values("customer_id").annotate(n=Count("pk")).filter(n__gt=1).values("customer_id")
    )
    by_customer: dict[int, list[TargetEntry]] = {}
    for entry in entries.filter(customer_id__in=claimed).order_by("customer_id", "rank"):
        by_customer.setdefault(entry.customer_id, []).append(entry)
    return [
        Claim(pk, found[0].customer.name_zh, found) for pk, found in sorted(by_customer.items())
    ]


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
        _record(target_list, ListTransition.Action.CREATE, "", State.DRAFT, by, "")
        return target_list
    if existing.state != State.DRAFT:
        return None
    kept = {entry.customer_id: entry for entry in existing.entries.all()}
    existing.entries.all().delete()
    existing.run = run
    existing.save(update_fields=["run", "updated_at"])
    _entries_from_run(run, existing, kept)
    _record(existing, ListTransition.Action.REBUILD, State.DRAFT, State.DRAFT, by, f"#{run.pk}")
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
def owners_assign(*, target_list: TargetList, entry_ids: list[int], owner, by) -> int:
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


def plan_save(*, entry: TargetEntry, objective: str, actions: str, next_date, by) -> TargetEntry:
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
def tier_override(*, target_list: TargetList, customer_id: int, tier: str, reason: str, by):
    """Put a customer in another tier (or make it general), with a required reason; choosing
    the tier scoring gave removes the override."""
    _require_edit(by, target_list)
    reason = reason.strip()
    if tier not in tier_codes(target_list) and tier != "":
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


# --- Approval ---------------------------------------------------------------------------------


def _record(target_list, action, from_state, to_state, by, comment) -> ListTransition:
    if by is not None:  # whoever moves the list has dealt with what they were told about it
        notifications_mark_read(recipient=by, url=target_list.get_absolute_url())
    return ListTransition.objects.create(
        target_list=target_list,
        action=action,
        from_state=from_state,
        to_state=to_state,
        by=by,
        comment=comment,
    )


def _move(target_list: TargetList, expected: str, new: str) -> None:
    """The conditional UPDATE: only one of two concurrent moves finds the expected state."""
    moved = TargetList.objects.filter(
        pk=target_list.pk, state=expected, superseded_at__isnull=True
    ).update(state=new, updated_at=timezone.now())
    if not moved:
        target_list.refresh_from_db()
        raise ValidationError(
            _("This list is already %(state)s; nothing was changed.")
            % {"state": target_list.get_state_display()}
        )
    target_list.state = new


def _people(role: Role, unit_filter: Q):
    return User.objects.filter(
        Q(is_active=True), Q(role_memberships__role=role) & unit_filter
    ).distinct()


def segment_managers_of(segment: Segment):
    """Who does the segment's list work: its segment managers, else the BU VPs (deputies)."""
    managers = _people(Role.SEGMENT_MANAGER, Q(role_memberships__segment=segment))
    return managers if managers.exists() else bu_vps_of(segment)


def bu_vps_of(segment: Segment):
    return _people(Role.BU_VP, Q(role_memberships__business_unit_id=segment.business_unit_id))


def bg_vps_of(segment: Segment):
    return _people(
        Role.BG_VP,
        Q(role_memberships__business_group_id=segment.business_unit.business_group_id),
    )


def _notify(recipients, text: str, target_list: TargetList, by) -> None:
    for person in recipients:
        if by is None or person.pk != by.pk:
            notification_send(
                recipient=person, text=text, url=target_list.get_absolute_url(), sender=by
            )


@transaction.atomic
def submit(*, target_list: TargetList, by, comment: str = "") -> TargetList:
    permissions.require(by, Action.MANAGE_SEGMENT_LIST, target_list.segment)
    missing = list(entries_without_owner(target_list)[:50])
    if missing and target_list.state == State.DRAFT:
        names = "、".join(entry.customer.name_zh for entry in missing)
        raise ValidationError(
            _(
                "Every target customer needs an owner before the list is submitted. Without one: %(names)s"
            )
            % {"names": names}
        )
    _move(target_list, State.DRAFT, State.SUBMITTED)
    _record(target_list, ListTransition.Action.SUBMIT, State.DRAFT, State.SUBMITTED, by, comment)
    _notify(
        bu_vps_of(target_list.segment),
        _("%(list)s was submitted for consolidation.") % {"list": target_list},
        target_list,
        by,
    )
    return target_list


@transaction.atomic
def consolidate(*, target_list: TargetList, by, comment: str = "") -> TargetList:
    permissions.require(by, Action.CONSOLIDATE_LISTS, target_list.segment)
    claims = [
        claim
        for claim in claimed_twice(target_list.segment.business_unit, target_list.year)
        if any(entry.target_list_id == target_list.pk for entry in claim.entries)
    ]
    if claims and target_list.state == State.SUBMITTED:
        raise ValidationError(
            _("Resolve the customers claimed by two segments first: %(names)s")
            % {"names": "、".join(claim.customer_name for claim in claims)}
        )
    _move(target_list, State.SUBMITTED, State.CONSOLIDATED)
    _record(
        target_list,
        ListTransition.Action.CONSOLIDATE,
        State.SUBMITTED,
        State.CONSOLIDATED,
        by,
        comment,
    )
    _notify(
        bg_vps_of(target_list.segment),
        _("%(list)s was consolidated and waits for your approval.") % {"list": target_list},
        target_list,
        by,
    )
    return target_list


@transaction.atomic
def approve(*, target_list: TargetList, by, comment: str = "") -> TargetList:
    """The BG VP's approval freezes the list and locks the criteria set it was scored with.
    Approving a revision supersedes the approved list it replaces, in this transaction."""
    permissions.require(by, Action.APPROVE_LISTS, target_list.segment)
    # First, or the two would briefly both be in force (target_list_one_in_force). Should the
    # move below find the list already moved, the whole transaction rolls back.
    TargetList.objects.filter(
        segment=target_list.segment_id,
        year=target_list.year,
        state=State.APPROVED,
        superseded_at__isnull=True,
    ).exclude(pk=target_list.pk).update(superseded_at=timezone.now())
    _move(target_list, State.CONSOLIDATED, State.APPROVED)
    _record(
        target_list, ListTransition.Action.APPROVE, State.CONSOLIDATED, State.APPROVED, by, comment
    )
    criteria_set_lock(criteria_set=target_list.run.criteria_set)
    owners = User.objects.filter(owned_target_entries__target_list=target_list).distinct()
    _notify(
        set(segment_managers_of(target_list.segment)) | set(owners),
        _("%(list)s was approved.") % {"list": target_list},
        target_list,
        by,
    )
    return target_list


@transaction.atomic
def send_back(*, target_list: TargetList, by, comment: str) -> TargetList:
    """BU VP: submitted → draft, to the segment manager. BG VP: consolidated → submitted, to
    the BU VP. A comment says what to change."""
    comment = comment.strip()
    if not comment:
        raise ValidationError(_("Say what should change: a comment is required."))
    if target_list.state == State.CONSOLIDATED:
        permissions.require(by, Action.APPROVE_LISTS, target_list.segment)
        expected, new, recipients = (
            State.CONSOLIDATED,
            State.SUBMITTED,
            bu_vps_of(target_list.segment),
        )
    else:
        permissions.require(by, Action.CONSOLIDATE_LISTS, target_list.segment)
        expected, new, recipients = (
            State.SUBMITTED,
            State.DRAFT,
            segment_managers_of(target_list.segment),
        )
    _move(target_list, expected, new)
    _record(target_list, ListTransition.Action.SEND_BACK, expected, new, by, comment)
    _notify(
        recipients,
        _("%(list)s was sent back: %(comment)s") % {"list": target_list, "comment": comment},
        target_list,
        by,
    )
    return target_list


@transaction.atomic
def claim_resolve(*, business_unit, year: int, customer_id: int, keep: TargetList, by) -> int:
    """The BU VP keeps a doubly-claimed customer on one segment's list; on the others it
    becomes general, with the decision as the override reason."""
    permissions.require(by, Action.CONSOLIDATE_LISTS, business_unit)
    others = TargetEntry.objects.targets().filter(
        customer_id=customer_id,
        target_list__in=TargetList.objects.working(),
        target_list__segment__business_unit=business_unit,
        target_list__year=year,
        target_list__state__in=[State.DRAFT, State.SUBMITTED],
    )
    # The kept list may be an approved one in force (frozen); the others change.
    if (
        keep.year != year
        or keep.segment.business_unit_id != business_unit.pk
        or not keep.entries.targets().filter(customer_id=customer_id).exists()
    ):
        raise ValidationError(_("The chosen list does not target this customer."))
    reason = _("Kept by %(segment)s at BU consolidation") % {"segment": keep.segment}
    changed = 0
    for entry in others.exclude(target_list=keep):
        entry.tier, entry.override_reason, entry.owner = "", reason, None
        entry.save(update_fields=["tier", "override_reason", "owner"])
        changed += 1
    return changed


@transaction.atomic
def revise(*, target_list: TargetList, by, reason: str) -> TargetList:
    """A change after approval: a new draft revision with the reason, carrying owners, plans
    and overrides. The approved revision stays in force, unchanged, until the revision is
    approved (approve() supersedes it then)."""
    permissions.require(by, Action.MANAGE_SEGMENT_LIST, target_list.segment)
    reason = reason.strip()
    if not reason:
        raise ValidationError(_("Give a reason for the revision."))
    # The lock makes two concurrent revisions queue here; the second then finds the first.
    in_force = (
        TargetList.objects.select_for_update()
        .filter(pk=target_list.pk, state=State.APPROVED, superseded_at__isnull=True)
        .first()
    )
    if in_force is None:
        raise ValidationError(_("Only the current approved list can be revised."))
    pending = working_list(target_list.segment, target_list.year)
    if pending is not None:
        raise ValidationError(
            _("Revision %(n)d is already in progress (%(state)s); continue with it.")
            % {"n": pending.revision, "state": pending.get_state_display()}
        )
    revision = TargetList.objects.create(
        segment=target_list.segment,
        year=target_list.year,
        run=target_list.run,
        revision=target_list.revision + 1,
        revision_reason=reason,
    )
    TargetEntry.objects.bulk_create(
        TargetEntry(
            target_list=revision,
            customer_id=entry.customer_id,
            rank=entry.rank,
            total=entry.total,
            scored_tier=entry.scored_tier,
            tier=entry.tier,
            override_reason=entry.override_reason,
            owner_id=entry.owner_id,
            plan_objective=entry.plan_objective,
            plan_actions=entry.plan_actions,
            plan_next_date=entry.plan_next_date,
        )
        for entry in target_list.entries.all()
    )
    _record(revision, ListTransition.Action.REVISE, State.APPROVED, State.DRAFT, by, reason)
    return revision


# --- Scoring segments and making their draft lists ------------------------------------------


def score_and_build(*, year: int, facts_year: int | None = None, segments=None, by=None) -> dict:
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
            kept = working_list(segment, year) or list_in_force(segment, year)
            item["list"] = kept.pk
            item["list_note"] = _("list left as it is (%(state)s)") % {
                "state": kept.get_state_display()
            }
        else:
            item["list"] = target_list.pk
            item["list_note"] = _("draft list updated")
        report["scored"].append(item)
    return report
