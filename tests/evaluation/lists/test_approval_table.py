"""The approval table (evaluation/lists/approval.py), row by row: who may take each step (anyone
else is refused), from which state (any other is refused), what the trail records and who is
told. AUTO's 2027 example list, every target owned by dave."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from evaluation.lists import approval
from evaluation.lists.services import target_list_owners_assign
from evaluation.models import TargetList
from organisation.models import Notification

State = TargetList.State
ROW_NAMES = [
    "SUBMIT",
    "CONSOLIDATE",
    "APPROVE",
    "SEND_BACK_TO_SEGMENT",
    "SEND_BACK_TO_BU",
    "REVISE",
]
WHO_MAY = {
    "SUBMIT": "alice",
    "CONSOLIDATE": "bob",
    "APPROVE": "carol",
    "SEND_BACK_TO_SEGMENT": "bob",
    "SEND_BACK_TO_BU": "carol",
    "REVISE": "alice",
}
PATH = [State.DRAFT, State.SUBMITTED, State.CONSOLIDATED, State.APPROVED]


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def ready(example_list, people):
    ids = list(example_list.entries.targets().values_list("pk", flat=True))
    target_list_owners_assign(
        target_list=example_list, entry_ids=ids, owner=people.dave, by=people.alice
    )
    return example_list


def bring_to(target_list, state, people):
    """Move the list along draft → submitted → consolidated → approved up to `state`."""
    moves = [
        (approval.target_list_submit, people.alice),
        (approval.target_list_consolidate, people.bob),
        (approval.target_list_approve, people.carol),
    ]
    for move, by in moves[: PATH.index(state)]:
        move(target_list=target_list, by=by)
    return target_list


def take(name, target_list, by):
    """The public service behind a row."""
    if name == "REVISE":
        return approval.target_list_revise(target_list=target_list, by=by, reason="客户合并")
    if name.startswith("SEND_BACK"):
        return approval.target_list_send_back(target_list=target_list, by=by, comment="补充")
    move = getattr(approval, f"target_list_{name.lower()}")
    return move(target_list=target_list, by=by, comment="")


def test_the_table_is_the_designs_approval():
    assert [getattr(approval, name) for name in ROW_NAMES] == list(approval.TABLE)
    assert {(row.from_state, row.to_state) for row in approval.TABLE} == {
        (State.DRAFT, State.SUBMITTED),
        (State.SUBMITTED, State.CONSOLIDATED),
        (State.CONSOLIDATED, State.APPROVED),
        (State.SUBMITTED, State.DRAFT),
        (State.CONSOLIDATED, State.SUBMITTED),
        (State.APPROVED, State.DRAFT),
    }


EVERYONE_ELSE = [
    (name, who)
    for name in ROW_NAMES
    for who in ("alice", "bob", "carol", "dave", "eve", "heidi", "ivan")
    if who != WHO_MAY[name]
]


@pytest.mark.parametrize(("name", "who"), EVERYONE_ELSE)
def test_every_row_refuses_anyone_but_who_may(ready, people, name, who):
    row = getattr(approval, name)
    bring_to(ready, row.from_state, people)
    before = TargetList.objects.count(), ready.transitions.count()
    with pytest.raises(PermissionDenied):
        take(name, ready, getattr(people, who))
    ready.refresh_from_db()
    assert ready.state == row.from_state
    assert (TargetList.objects.count(), ready.transitions.count()) == before


# Sending back picks its row by the list's state, so only the segment's row meets a wrong one
# (a draft, or an approved list); a consolidated list goes back by SEND_BACK_TO_BU.
WRONG_STATES = [
    (name, state)
    for name in ROW_NAMES
    for state in PATH
    if state != getattr(approval, name).from_state
    and name != "SEND_BACK_TO_BU"
    and (name, state) != ("SEND_BACK_TO_SEGMENT", State.CONSOLIDATED)
]


@pytest.mark.parametrize(("name", "state"), WRONG_STATES)
def test_every_row_refuses_a_move_from_another_state(ready, people, name, state):
    bring_to(ready, state, people)
    before = TargetList.objects.count(), ready.transitions.count()
    with pytest.raises(ValidationError, match="already|Only the current approved list"):
        take(name, ready, getattr(people, WHO_MAY[name]))
    ready.refresh_from_db()
    assert ready.state == state
    assert (TargetList.objects.count(), ready.transitions.count()) == before


@pytest.mark.parametrize("name", ROW_NAMES)
def test_every_row_records_its_move_and_tells_whom_it_says(ready, people, name):
    row = getattr(approval, name)
    bring_to(ready, row.from_state, people)
    by = getattr(people, WHO_MAY[name])
    told = {person.pk for person in row.told(ready)} - {by.pk}
    Notification.objects.all().delete()
    moved = take(name, ready, by)
    moved.refresh_from_db()
    assert moved.state == row.to_state
    last = moved.transitions.last()
    assert (last.action, last.from_state, last.to_state, last.by) == (
        row.recorded,
        row.from_state,
        row.to_state,
        by,
    )
    notified = Notification.objects.filter(url=moved.get_absolute_url())
    assert set(notified.values_list("recipient_id", flat=True)) == told
    if told:
        text = translation.gettext(row.message) % {"list": moved, "comment": last.comment}
        assert set(notified.values_list("text", flat=True)) == {text}


def test_the_rows_tell_the_next_people(ready, people):
    assert set(approval.SUBMIT.told(ready)) == {people.bob}
    assert set(approval.CONSOLIDATE.told(ready)) == {people.carol}
    assert set(approval.APPROVE.told(ready)) == {people.alice, people.dave}
    assert set(approval.SEND_BACK_TO_SEGMENT.told(ready)) == {people.alice}
    assert set(approval.SEND_BACK_TO_BU.told(ready)) == {people.bob}
    assert list(approval.REVISE.told(ready)) == []


def test_moving_several_lists_reports_the_refused_ones(ready, example_list, people):
    done, refusals = approval.target_lists_move_each(
        approval.target_list_submit, [ready, TargetList.objects.get(pk=ready.pk)], by=people.alice
    )
    assert done == 1
    assert [error.messages for error in refusals] == [
        ["This list is already Submitted; nothing was changed."]
    ]
