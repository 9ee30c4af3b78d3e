"""The review's world: AUTO's 2027 list of the hand-computed example (tests/evaluation), every
target owned by dave and moved through approval, so results can be recorded for 2027.

Targets: G→A; A, F, E→B; B, C→C (H is general, D screened out).
"""

from decimal import Decimal

import pytest
from django.utils import translation

from evaluation.lists.approval import (
    target_list_approve,
    target_list_consolidate,
    target_list_submit,
)
from evaluation.lists.services import target_list_owners_assign
from reviews import services
from tests.evaluation.conftest import (  # noqa: F401 - fixtures used through this conftest
    document,
    example_customers,
    example_list,
    example_set,
)

YEAR = 2027


def approve_list(target_list, people, owner=None):
    ids = list(target_list.entries.targets().values_list("pk", flat=True))
    target_list_owners_assign(
        target_list=target_list, entry_ids=ids, owner=owner or people.dave, by=people.alice
    )
    target_list_submit(target_list=target_list, by=people.alice)
    target_list_consolidate(target_list=target_list, by=people.bob)
    target_list_approve(target_list=target_list, by=people.carol)
    target_list.refresh_from_db()
    return target_list


@pytest.fixture
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def approved_list(example_list, people):  # noqa: F811 - the imported fixture
    """AUTO's approved 2027 list, all six targets owned by dave."""
    return approve_list(example_list, people)


def entry_of(target_list, name):
    return target_list.entries.select_related("customer", "target_list__segment").get(
        customer__name_zh=name
    )


# Revenue won in 2027 by the targets, chosen for the hand-computed back-test
# (tests/reviews/test_backtest_data.py).
HAND_REVENUE = {
    "G": Decimal("5000000"),
    "A": Decimal("3000000"),
    "F": Decimal("0"),
    "E": Decimal("2000000"),
    "B": Decimal("1000000"),
    "C": Decimal("0"),
}


def record(target_list, people, name, revenue, stage="won", contracts=0, notes=""):
    return services.result_record(
        entry=entry_of(target_list, name),
        by=people.dave,
        revenue_won=revenue,
        contracts_signed=contracts,
        stage=stage,
        notes=notes,
    )


@pytest.fixture
def hand_results(approved_list, people):
    """The six results of the hand example: revenue as HAND_REVENUE; won where revenue > 0."""
    for name, revenue in HAND_REVENUE.items():
        record(
            approved_list,
            people,
            name,
            revenue,
            stage="won" if revenue else "contacted",
            contracts=1 if revenue else 0,
        )
    return approved_list
