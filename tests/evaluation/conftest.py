import copy

import pytest
from django.conf import settings

from tests.factories import attribute_with_options

# The example of DESIGN.md, for segment AUTO instead of S1.
DESIGN_EXAMPLE = {
    "year": 2027,
    "scope": {"segment": "AUTO"},
    "name": "2027 制造业中型客户标准",
    "criteria": [
        {
            "key": "revenue",
            "name_zh": "营业收入",
            "name_en": "Revenue",
            "family": "profitability",
            "source": "revenue",
            "weight": 30,
            "rule": {"type": "linear", "lo": 0, "hi": 500000000, "direction": "higher_better"},
            "gate": None,
        },
        {
            "key": "employees",
            "name_zh": "员工人数",
            "name_en": "Employees",
            "family": "implementability",
            "source": "employees",
            "weight": 20,
            "rule": {
                "type": "bands",
                "bands": [
                    {"min": None, "max": 100, "points": 20},
                    {"min": 100, "max": 1000, "points": 60},
                    {"min": 1000, "max": None, "points": 100},
                ],
            },
            "gate": None,
        },
        {
            "key": "outsourcing",
            "name_zh": "外包接受程度",
            "name_en": "Outsourcing attitude",
            "family": "accessibility",
            "source": "outsourcing_attitude",
            "weight": 50,
            "rule": {"type": "choice", "points": {"open": 100, "neutral": 50, "closed": 0}},
            "gate": 50,
        },
    ],
    "tiers": [
        {
            "code": "A",
            "name_zh": "重点客户",
            "name_en": "Key",
            "rule": {"type": "top_percent", "value": 10},
        },
        {
            "code": "B",
            "name_zh": "发展客户",
            "name_en": "Develop",
            "rule": {"type": "min_score", "value": 60},
        },
        {
            "code": "C",
            "name_zh": "维持客户",
            "name_en": "Maintain",
            "rule": {"type": "top_n", "value": 50},
        },
    ],
}


@pytest.fixture
def document(org):
    attribute_with_options("outsourcing_attitude", "open", "neutral", "closed")
    return copy.deepcopy(DESIGN_EXAMPLE)


# The hand-computed example of tests/evaluation/scoring/test_scoring.py, in segment AUTO, scored for
# 2027 from 2026 facts: G→A; A, F, E→B; B, C→C; H general; D screened out by "outsourcing".
EXAMPLE_TIERS = [
    {
        "code": "A",
        "name_zh": "重点",
        "name_en": "Key",
        "rule": {"type": "top_percent", "value": 10},
    },
    {
        "code": "B",
        "name_zh": "发展",
        "name_en": "Develop",
        "rule": {"type": "min_score", "value": 60},
    },
    {"code": "C", "name_zh": "维持", "name_en": "Maintain", "rule": {"type": "top_n", "value": 2}},
]


@pytest.fixture
def example_set(document):
    from evaluation.criteria import services

    document["tiers"] = copy.deepcopy(EXAMPLE_TIERS)
    return services.criteria_set_load(document=document, publish=True)


def make_example_customers(org, segment=None, year=2026):
    from customers.models import Attribute, AttributeValue, CustomerYear
    from tests.evaluation.scoring.test_scoring import CUSTOMERS
    from tests.factories import CustomerFactory

    attribute = Attribute.objects.get(key="outsourcing_attitude")
    made = {}
    for name, code, revenue, employees, attitude in CUSTOMERS:
        customer = CustomerFactory(
            name_zh=name, credit_code=code, business_unit=org.bu1, segments=[segment or org.auto]
        )
        CustomerYear.objects.create(
            customer=customer, year=year, revenue=revenue, employees=employees
        )
        AttributeValue.objects.create(
            customer=customer,
            year=year,
            attribute=attribute,
            option=attribute.options.get(key=attitude),
        )
        made[name] = customer
    return made


@pytest.fixture
def example_customers(org, example_set):
    return make_example_customers(org)


@pytest.fixture
def example_list(org, example_customers):
    """AUTO's draft target list for 2027, built from a run of the example."""
    from evaluation.lists.services import target_list_build
    from evaluation.scoring.runs import score_run_create

    return target_list_build(run=score_run_create(segment=org.auto, year=2027))


@pytest.fixture
def as_user(client_for, people):
    """A logged-in client reading English pages: as_user("alice")."""

    def login(name):
        client = client_for(getattr(people, name))
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        return client

    return login


@pytest.fixture
def run(example_list):
    return example_list.run
