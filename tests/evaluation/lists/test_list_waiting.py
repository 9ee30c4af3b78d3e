"""Home-page items for target lists: who is asked to do what next."""

import pytest
from django.utils import translation

from evaluation.lists import waiting
from evaluation.lists.approval import target_list_consolidate, target_list_submit
from evaluation.lists.services import target_list_owners_assign


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def texts(items):
    return [item.text for item in items]


def test_the_segment_manager_is_told_how_many_targets_lack_an_owner(example_list, people):
    assert texts(waiting.drafts_to_finish(people.alice)) == [
        f"{example_list} is a draft: 6 target customers still need an owner."
    ]
    assert waiting.drafts_to_finish(people.eve) == []


def test_the_bu_vp_is_asked_to_consolidate_submitted_lists(example_list, people):
    ids = list(example_list.entries.targets().values_list("pk", flat=True))
    target_list_owners_assign(
        target_list=example_list, entry_ids=ids, owner=people.dave, by=people.alice
    )
    target_list_submit(target_list=example_list, by=people.alice)
    assert texts(waiting.lists_to_consolidate(people.bob)) == [
        "1 submitted lists of BU1 (2027) wait for consolidation."
    ]
    assert waiting.lists_to_consolidate(people.heidi) == []
    target_list_consolidate(target_list=example_list, by=people.bob)
    assert len(waiting.lists_to_approve(people.carol)) == 1
    assert waiting.lists_to_approve(people.ivan) == []


def test_an_owner_is_asked_for_missing_plans(example_list, people):
    ids = list(example_list.entries.targets().values_list("pk", flat=True))
    target_list_owners_assign(
        target_list=example_list, entry_ids=ids[:2], owner=people.dave, by=people.alice
    )
    assert texts(waiting.plans_to_write(people.dave)) == [
        f"2 of your target customers on {example_list} have no development plan yet."
    ]
