import pytest

from tests.evaluation.conftest import (  # noqa: F401 - AUTO's scored example list, for tiers
    document,
    example_customers,
    example_list,
    example_set,
)
from tests.factories import CustomerFactory, attribute_with_options


@pytest.fixture
def acme(org, people):
    """A BU1 customer in segment AUTO, owned by dave, stewarded by erin."""
    return CustomerFactory(
        name_zh="上海艾克美汽车零部件有限公司",
        name_en="Acme Auto Parts",
        credit_code="91350100M000100Y43",
        business_unit=org.bu1,
        segments=[org.auto],
        account_manager=people.dave,
        data_steward=people.erin,
    )


@pytest.fixture
def outsourcing(org):
    return attribute_with_options("outsourcing_attitude", "open", "neutral", "closed")
