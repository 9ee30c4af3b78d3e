"""The target-list reads as QuerySet methods (evaluation/lists/models.py). AUTO's 2027 example
list: G→A; A, F, E→B; B, C→C; H general (rank 7)."""

import pytest

from evaluation.criteria import services as criteria_services
from evaluation.lists.approval import (
    target_list_approve,
    target_list_consolidate,
    target_list_revise,
    target_list_submit,
)
from evaluation.lists.services import (
    target_entry_tier_override,
    target_list_build,
    target_list_owners_assign,
)
from evaluation.models import TargetEntry, TargetList
from evaluation.scoring.runs import score_run_create


def own_all(target_list, owner, by):
    ids = list(target_list.entries.targets().values_list("pk", flat=True))
    target_list_owners_assign(target_list=target_list, entry_ids=ids, owner=owner, by=by)


@pytest.fixture
def approved(example_list, people):
    own_all(example_list, people.dave, people.alice)
    target_list_submit(target_list=example_list, by=people.alice)
    target_list_consolidate(target_list=example_list, by=people.bob)
    target_list_approve(target_list=example_list, by=people.carol)
    return example_list


@pytest.fixture
def elec_list(example_list, org, people):
    """ELEC's 2027 list from the same criteria; only G is in both segments."""
    example_list.entries.get(customer__name_zh="G").customer.segments.add(org.elec)
    document = criteria_services.criteria_set_dump(example_list.run.criteria_set)
    criteria_services.criteria_set_load(
        document=document | {"scope": {"segment": "ELEC"}}, publish=True
    )
    return target_list_build(run=score_run_create(segment=org.elec, year=2027))


# --- in_force_for / working_for -------------------------------------------------------------


def test_a_draft_is_in_force_and_worked_on(example_list, org):
    assert list(TargetList.objects.in_force_for(2027, [org.auto])) == [example_list]
    assert list(TargetList.objects.working_for(2027, [org.auto])) == [example_list]


def test_beside_a_revision_the_approved_list_stays_in_force(approved, people, org):
    revision = target_list_revise(target_list=approved, by=people.alice, reason="客户合并")
    assert list(TargetList.objects.in_force_for(2027, [org.auto])) == [approved]
    assert list(TargetList.objects.working_for(2027, [org.auto])) == [revision]


def test_an_approved_list_alone_is_in_force_and_nothing_is_worked_on(approved, org):
    assert list(TargetList.objects.in_force_for(2027, [org.auto])) == [approved]
    assert not TargetList.objects.working_for(2027, [org.auto]).exists()


def test_other_years_and_segments_are_left_out(example_list, elec_list, org):
    assert not TargetList.objects.in_force_for(2026, [org.auto]).exists()
    assert list(TargetList.objects.in_force_for(2027, [org.elec])) == [elec_list]
    both = TargetList.objects.in_force_for(2027, org.bu1.segments.all())
    assert set(both) == {example_list, elec_list}


# --- visible_to --------------------------------------------------------------------------------


def test_the_managers_above_the_segment_see_its_list(example_list, people):
    for who in (people.alice, people.bob, people.carol):
        assert list(TargetList.objects.visible_to(who)) == [example_list]


def test_others_do_not_see_it(example_list, people):
    for who in (people.eve, people.heidi, people.ivan, people.dave, people.judy):
        assert not TargetList.objects.visible_to(who).exists()


def test_an_account_manager_sees_the_lists_where_he_owns_a_customer(example_list, people):
    entry = example_list.entries.get(customer__name_zh="G")
    target_list_owners_assign(
        target_list=example_list, entry_ids=[entry.pk], owner=people.dave, by=people.alice
    )
    assert list(TargetList.objects.visible_to(people.dave)) == [example_list]  # once


# --- TargetEntry reads ------------------------------------------------------------------------


def test_without_owner_are_the_unowned_targets(example_list, people):
    assert example_list.entries.without_owner().count() == 6
    entry = example_list.entries.get(customer__name_zh="G")
    target_list_owners_assign(
        target_list=example_list, entry_ids=[entry.pk], owner=people.dave, by=people.alice
    )
    assert entry not in example_list.entries.without_owner()
    assert example_list.entries.without_owner().count() == 5


def test_overrides_are_the_entries_off_their_scored_tier(example_list, people):
    assert not example_list.entries.overrides().exists()
    customer = example_list.entries.get(customer__name_zh="G").customer_id
    target_entry_tier_override(
        target_list=example_list, customer_id=customer, tier="B", reason="x", by=people.alice
    )
    assert list(example_list.entries.overrides().values_list("scored_tier", "tier")) == [("A", "B")]


def test_tier_counts_of_give_every_tier_of_each_list(example_list, elec_list, people):
    customer = example_list.entries.get(customer__name_zh="G").customer_id
    target_entry_tier_override(
        target_list=example_list, customer_id=customer, tier="", reason="x", by=people.alice
    )
    counts = TargetEntry.objects.tier_counts_of([example_list, elec_list])
    assert counts[example_list.pk] == {"A": 0, "B": 3, "C": 2}
    assert set(counts[elec_list.pk]) == {"A", "B", "C"}
    assert example_list.tier_codes == ["A", "B", "C"]


def test_tier_counts_of_no_lists_is_empty(db):
    assert TargetEntry.objects.tier_counts_of([]) == {}


def test_claimed_twice_are_the_targets_of_a_customer_two_segments_target(
    example_list, elec_list, org
):
    claimed = TargetEntry.objects.claimed_twice(org.bu1, 2027)
    assert {entry.customer.name_zh for entry in claimed} == {"G"}
    assert {entry.target_list_id for entry in claimed} == {example_list.pk, elec_list.pk}
    assert not TargetEntry.objects.claimed_twice(org.bu1, 2028).exists()
    assert not TargetEntry.objects.claimed_twice(org.bu2, 2027).exists()
