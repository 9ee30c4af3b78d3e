"""The demo's target lists: this year's approved, next year's in every state."""

import pytest

from customers.demo import seed_customers
from evaluation.lists.demo import seed_target_lists
from evaluation.models import TargetList
from organisation.demo import seed_org_and_users


@pytest.fixture
def demo(db):
    seed_org_and_users()
    seed_customers(count=100, years=(2025, 2026))
    return seed_target_lists(2026)


def test_this_years_lists_are_all_approved_with_owners(demo):
    lists = TargetList.objects.filter(year=2026)
    assert lists.count() == 10
    assert set(lists.values_list("state", flat=True)) == {"approved"}
    assert not TargetList.objects.filter(
        year=2026, entries__tier__gt="", entries__owner__isnull=True
    ).exists()


def test_next_years_lists_are_in_every_state(demo):
    states = set(TargetList.objects.filter(year=2027).values_list("state", flat=True))
    assert states == {"draft", "submitted", "consolidated", "approved"}


def test_seeding_twice_changes_nothing(demo):
    before = list(TargetList.objects.values_list("pk", "state"))
    assert seed_target_lists(2026) == {}
    assert list(TargetList.objects.values_list("pk", "state")) == before
