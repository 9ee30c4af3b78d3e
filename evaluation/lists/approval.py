"""The approval of a target list (DESIGN.md, "Target lists and approval"), as one table:

    draft → submitted         the segment manager; the BU VPs are told
    submitted → consolidated  the BU VP; the BG VPs are told
    consolidated → approved   the BG VP; the segment managers and the owners are told
    submitted → draft         the BU VP sends it back with a comment, to the segment managers
    consolidated → submitted  the BG VP sends it back with a comment, to the BU VPs
    approved → draft          the segment manager starts a revision (a new list)

`_take` applies a row: it checks the permission, locks the list's row and checks its state,
moves it, records the transition (who, when, why) and tells the next people. Of two moves at
once (a double-clicked button, two people) exactly one is recorded; the other is refused with
the state the list is now in.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from evaluation.criteria.services import criteria_set_lock
from evaluation.lists.claims import claims_on
from evaluation.lists.people import bg_vps_of, bu_vps_of, owners_on, segment_managers_of
from evaluation.models import ListTransition, TargetEntry, TargetList
from organisation import permissions
from organisation.permissions import Action
from organisation.services import notification_send, notifications_mark_read

State = TargetList.State
Recorded = ListTransition.Action


@dataclass(frozen=True)
class Step:
    """One row of the approval table."""

    recorded: Recorded  # the action the trail records
    from_state: State
    to_state: State
    who_may: Action  # over the list's segment
    told: Callable[[TargetList], Iterable]  # who hears of it (the mover never does)
    message: str  # a msgid, translated when sent; it may use %(list)s and %(comment)s


def _nobody(target_list: TargetList) -> list:
    return []


def _managers_and_owners(target_list: TargetList) -> set:
    return set(segment_managers_of(target_list.segment)) | set(owners_on(target_list))


SUBMIT = Step(
    recorded=Recorded.SUBMIT,
    from_state=State.DRAFT,
    to_state=State.SUBMITTED,
    who_may=Action.MANAGE_SEGMENT_LIST,
    told=lambda target_list: bu_vps_of(target_list.segment),
    message=gettext_noop("%(list)s was submitted for consolidation."),
)
CONSOLIDATE = Step(
    recorded=Recorded.CONSOLIDATE,
    from_state=State.SUBMITTED,
    to_state=State.CONSOLIDATED,
    who_may=Action.CONSOLIDATE_LISTS,
    told=lambda target_list: bg_vps_of(target_list.segment),
    message=gettext_noop("%(list)s was consolidated and waits for your approval."),
)
APPROVE = Step(
    recorded=Recorded.APPROVE,
    from_state=State.CONSOLIDATED,
    to_state=State.APPROVED,
    who_may=Action.APPROVE_LISTS,
    told=_managers_and_owners,
    message=gettext_noop("%(list)s was approved."),
)
SEND_BACK_TO_SEGMENT = Step(
    recorded=Recorded.SEND_BACK,
    from_state=State.SUBMITTED,
    to_state=State.DRAFT,
    who_may=Action.CONSOLIDATE_LISTS,
    told=lambda target_list: segment_managers_of(target_list.segment),
    message=gettext_noop("%(list)s was sent back: %(comment)s"),
)
SEND_BACK_TO_BU = Step(
    recorded=Recorded.SEND_BACK,
    from_state=State.CONSOLIDATED,
    to_state=State.SUBMITTED,
    who_may=Action.APPROVE_LISTS,
    told=lambda target_list: bu_vps_of(target_list.segment),
    message=gettext_noop("%(list)s was sent back: %(comment)s"),
)
# Moves a new revision, not the approved list: that stays in force until the revision is
# approved (target_list_approve supersedes it then). Nobody is told.
REVISE = Step(
    recorded=Recorded.REVISE,
    from_state=State.APPROVED,
    to_state=State.DRAFT,
    who_may=Action.MANAGE_SEGMENT_LIST,
    told=_nobody,
    message="",
)

TABLE = (SUBMIT, CONSOLIDATE, APPROVE, SEND_BACK_TO_SEGMENT, SEND_BACK_TO_BU, REVISE)


def transition_record(target_list, action, from_state, to_state, by, comment) -> ListTransition:
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


def _refuse_moved(target_list: TargetList):
    target_list.refresh_from_db()
    raise ValidationError(
        _("This list is already %(state)s; nothing was changed.")
        % {"state": target_list.get_state_display()}
    )


def _take(
    step: Step,
    target_list: TargetList,
    by,
    comment: str,
    before: Callable[[TargetList], None] | None = None,
) -> TargetList:
    """Apply one row of the table to the list, in the caller's transaction. `before` runs
    once the state is known to be the row's: a refusal of its own, or work to do first."""
    permissions.require(by, step.who_may, target_list.segment)
    # The lock makes a second move at the same time wait here, then find the state moved on.
    now = (
        TargetList.objects.select_for_update()
        .filter(pk=target_list.pk, superseded_at__isnull=True)
        .order_by()  # no join to the segment for the ordering: only the list's row is locked
        .values_list("state", flat=True)
    )
    if list(now) != [step.from_state]:
        _refuse_moved(target_list)
    if before is not None:
        before(target_list)
    # Conditional as well, for databases without row locks (SQLite, `make run`).
    moved = TargetList.objects.filter(
        pk=target_list.pk, state=step.from_state, superseded_at__isnull=True
    ).update(state=step.to_state, updated_at=timezone.now())
    if not moved:
        _refuse_moved(target_list)
    target_list.state = step.to_state
    transition_record(target_list, step.recorded, step.from_state, step.to_state, by, comment)
    text = _(step.message) % {"list": target_list, "comment": comment}
    for person in step.told(target_list):
        if by is None or person.pk != by.pk:
            notification_send(
                recipient=person, text=text, url=target_list.get_absolute_url(), sender=by
            )
    return target_list


# --- The steps ----------------------------------------------------------------------------------


def _require_owners(target_list: TargetList) -> None:
    missing = list(
        TargetEntry.objects.without_owner()
        .filter(target_list=target_list)
        .select_related("customer")[:50]
    )
    if missing:
        names = "、".join(entry.customer.name_zh for entry in missing)
        raise ValidationError(
            _(
                "Every target customer needs an owner before the list is submitted. Without one: %(names)s"
            )
            % {"names": names}
        )


def _require_no_claims(target_list: TargetList) -> None:
    claims = claims_on(target_list)
    if claims:
        raise ValidationError(
            _("Resolve the customers claimed by two segments first: %(names)s")
            % {"names": "、".join(claim.customer_name for claim in claims)}
        )


def _supersede_the_approved(target_list: TargetList) -> None:
    """Before the move, or the two would briefly both be in force (target_list_one_in_force)."""
    TargetList.objects.filter(
        segment=target_list.segment_id,
        year=target_list.year,
        state=State.APPROVED,
        superseded_at__isnull=True,
    ).exclude(pk=target_list.pk).update(superseded_at=timezone.now())


@transaction.atomic
def target_list_submit(*, target_list: TargetList, by, comment: str = "") -> TargetList:
    """Refused while a target customer has no owner."""
    return _take(SUBMIT, target_list, by, comment, before=_require_owners)


@transaction.atomic
def target_list_consolidate(*, target_list: TargetList, by, comment: str = "") -> TargetList:
    """Refused while another segment of the BU targets one of its customers too."""
    return _take(CONSOLIDATE, target_list, by, comment, before=_require_no_claims)


@transaction.atomic
def target_list_approve(*, target_list: TargetList, by, comment: str = "") -> TargetList:
    """The BG VP's approval freezes the list and locks the criteria set it was scored with.
    Approving a revision supersedes the approved list it replaces, in this transaction."""
    _take(APPROVE, target_list, by, comment, before=_supersede_the_approved)
    criteria_set_lock(criteria_set=target_list.run.criteria_set)
    return target_list


@transaction.atomic
def target_list_send_back(*, target_list: TargetList, by, comment: str) -> TargetList:
    """BU VP: submitted → draft, to the segment manager. BG VP: consolidated → submitted, to
    the BU VP. A comment says what to change."""
    comment = comment.strip()
    if not comment:
        raise ValidationError(_("Say what should change: a comment is required."))
    step = SEND_BACK_TO_BU if target_list.state == State.CONSOLIDATED else SEND_BACK_TO_SEGMENT
    return _take(step, target_list, by, comment)


@transaction.atomic
def target_list_revise(*, target_list: TargetList, by, reason: str) -> TargetList:
    """A change after approval: a new draft revision with the reason, carrying owners, plans
    and overrides. The approved revision stays in force, unchanged, until the revision is
    approved."""
    permissions.require(by, REVISE.who_may, target_list.segment)
    reason = reason.strip()
    if not reason:
        raise ValidationError(_("Give a reason for the revision."))
    # The lock makes two concurrent revisions queue here; the second then finds the first.
    in_force = (
        TargetList.objects.select_for_update()
        .filter(pk=target_list.pk, state=REVISE.from_state, superseded_at__isnull=True)
        .first()
    )
    if in_force is None:
        raise ValidationError(_("Only the current approved list can be revised."))
    pending = TargetList.objects.working_for(target_list.year, [target_list.segment]).first()
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
    transition_record(revision, REVISE.recorded, REVISE.from_state, REVISE.to_state, by, reason)
    return revision


def target_lists_move_each(move, lists, **kwargs) -> tuple[int, list[ValidationError]]:
    """One step on each of several lists, each in its own transaction: a list refused leaves
    the others moved. Returns how many moved and the refusals."""
    done, refusals = 0, []
    for target_list in lists:
        try:
            move(target_list=target_list, **kwargs)
            done += 1
        except ValidationError as error:
            refusals.append(error)
    return done, refusals
