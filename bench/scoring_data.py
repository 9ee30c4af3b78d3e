"""The re-scoring benchmark's segment: COUNT customers with facts and ratings, and a criteria
set of 20 criteria (linear and bands on every fact, region, industry, key decision maker, the
demo's rated attributes) with three tiers. Shared by the scoring and what-if benchmarks."""

import os
import random
from decimal import Decimal

from django.db import connection

from customers.demo import seed_attributes
from customers.models import AttributeOption, AttributeValue, Customer, CustomerYear
from customers.reference import Industry, Region
from organisation.models import Segment

COUNT = int(os.environ.get("BENCH_SCORING_COUNT", "100000"))
FACTS = ("revenue", "profit", "it_budget", "it_spend", "employees", "it_staff")


CRITERIA = 20


def criteria_document(segment: Segment, year: int) -> dict:
    criteria = []
    for fact in FACTS:
        criteria.append(
            {
                "key": f"{fact}_linear",
                "name_zh": fact,
                "family": "profitability",
                "source": fact,
                "weight": 5,
                "rule": {
                    "type": "linear",
                    "lo": 0,
                    "hi": 1_000_000 if "staff" in fact or fact == "employees" else 5e8,
                    "direction": "higher_better",
                },
                "gate": None,
            }
        )
        criteria.append(
            {
                "key": f"{fact}_bands",
                "name_zh": fact,
                "family": "sustainability",
                "source": fact,
                "weight": 5,
                "rule": {
                    "type": "bands",
                    "bands": [
                        {"min": None, "max": 1000, "points": 10},
                        {"min": 1000, "max": 1e6, "points": 50},
                        {"min": 1e6, "max": None, "points": 100},
                    ],
                },
                "gate": None,
            }
        )
    criteria.append(
        {
            "key": "region",
            "name_zh": "地区",
            "family": "accessibility",
            "source": "region",
            "weight": 5,
            "rule": {
                "type": "choice",
                "points": {r: (i * 7) % 101 for i, r in enumerate(Region.values)},
            },
            "gate": None,
        }
    )
    criteria.append(
        {
            "key": "industry",
            "name_zh": "行业",
            "family": "accessibility",
            "source": "industry",
            "weight": 5,
            "rule": {
                "type": "choice",
                "points": {r: (i * 13) % 101 for i, r in enumerate(Industry.values)},
            },
            "gate": None,
        }
    )
    criteria.append(
        {
            "key": "key_dm",
            "name_zh": "关键决策者",
            "family": "accessibility",
            "source": "key_decision_maker",
            "weight": 5,
            "rule": {"type": "boolean", "true": 100, "false": 0},
            "gate": None,
        }
    )
    # The demo's attributes fill the criteria up to 20, at 5 points of weight each.
    for attribute in seed_attributes()[: CRITERIA - len(criteria)]:
        options = list(attribute.options.values_list("key", flat=True))
        criteria.append(
            {
                "key": attribute.key,
                "name_zh": attribute.name_zh,
                "family": "implementability",
                "source": attribute.key,
                "weight": 5,
                "rule": {
                    "type": "choice",
                    "points": {o: 100 - 30 * i for i, o in enumerate(options)},
                },
                "gate": 10 if attribute.key == "outsourcing_attitude" else None,
            }
        )
    tiers = [
        {"code": "A", "name_zh": "重点", "rule": {"type": "top_percent", "value": 5}},
        {"code": "B", "name_zh": "发展", "rule": {"type": "min_score", "value": 40}},
        {"code": "C", "name_zh": "维持", "rule": {"type": "top_n", "value": COUNT // 10}},
    ]
    return {
        "year": year,
        "scope": {"segment": segment.code},
        "name": "bench",
        "criteria": criteria,
        "tiers": tiers,
    }


def build(segment: Segment, facts_year: int) -> None:
    rng = random.Random(5)
    attributes = seed_attributes()
    batch = 10_000
    for start in range(0, COUNT, batch):
        customers = Customer.objects.bulk_create(
            Customer(
                name_zh=f"评分基准{n:07d}",
                business_unit_id=segment.business_unit_id,
                region=rng.choice(Region.values),
                industry=rng.choice(Industry.values),
            )
            for n in range(start, start + batch)
        )
        Customer.segments.through.objects.bulk_create(
            Customer.segments.through(customer_id=c.pk, segment_id=segment.pk) for c in customers
        )
        CustomerYear.objects.bulk_create(
            CustomerYear(
                customer=c,
                year=facts_year,
                revenue=Decimal(rng.randint(0, 10**9)),
                profit=Decimal(rng.randint(-(10**7), 10**8)),
                it_budget=Decimal(rng.randint(0, 10**7)),
                it_spend=Decimal(rng.randint(0, 10**7)),
                employees=rng.randint(1, 20000),
                it_staff=rng.randint(0, 500),
            )
            for c in customers
            if rng.random() < 0.97
        )
    # 90 % of the customers rated on each attribute: 4.5 rows a customer, made in SQL (the ORM
    # took most of the building time).
    with connection.cursor() as cursor:
        cursor.execute("SELECT setseed(0.5)")
        cursor.execute(
            f"INSERT INTO {AttributeValue._meta.db_table} (year, attribute_id, option_id, customer_id) "
            "SELECT %s, a.attribute_id, "
            "a.options[1 + floor(random() * array_length(a.options, 1))::int], m.customer_id "
            f"FROM (SELECT customer_id FROM {Customer.segments.through._meta.db_table} "
            "WHERE segment_id = %s) m "
            "CROSS JOIN (SELECT attribute_id, array_agg(id ORDER BY id) AS options "
            f"FROM {AttributeOption._meta.db_table} WHERE attribute_id = ANY(%s) "
            "GROUP BY attribute_id) a "
            "WHERE random() < 0.9",
            [facts_year, segment.pk, [a.pk for a in attributes]],
        )
