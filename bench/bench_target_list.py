"""A segment's target list at 100,000 customers: server time of its page (first and a deep
page), of the BU consolidation view, and of building the draft list from the run.
Target (issue 5): the ranked list page under 150 ms p95."""

import os
import random
import time

from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.utils import timezone

from bench.timing import measure, report
from customers.models import Customer, CustomerYear
from evaluation.criteria.services import criteria_set_load
from evaluation.lists.services import target_list_build, target_list_owners_assign
from evaluation.scoring.runs import score_run_create
from organisation.demo import seed_org_and_users
from organisation.models import BusinessUnit, Segment

COUNT = int(os.environ.get("BENCH_TARGET_LIST_COUNT", "100000"))
YEAR = timezone.localdate().year + 1


def document(segment: Segment) -> dict:
    def linear(key, hi, weight):
        return {
            "key": key,
            "name_zh": key,
            "family": "profitability",
            "source": key,
            "weight": weight,
            "rule": {"type": "linear", "lo": 0, "hi": hi, "direction": "higher_better"},
            "gate": None,
        }

    return {
        "year": YEAR,
        "scope": {"segment": segment.code},
        "name": "bench",
        "criteria": [linear("revenue", 5e8, 60), linear("employees", 10000, 40)],
        "tiers": [
            {"code": "A", "name_zh": "重点", "rule": {"type": "top_percent", "value": 2}},
            {"code": "B", "name_zh": "发展", "rule": {"type": "top_percent", "value": 3}},
            {"code": "C", "name_zh": "维持", "rule": {"type": "top_percent", "value": 5}},
        ],
    }


def build(segment: Segment, count: int = COUNT) -> None:
    rng = random.Random(7)
    unit = segment.business_unit
    for start in range(0, count, 10000):
        customers = Customer.objects.bulk_create(
            Customer(name_zh=f"目标客户{i:06d}", business_unit=unit)
            for i in range(start, min(count, start + 10000))
        )
        Customer.segments.through.objects.bulk_create(
            Customer.segments.through(customer_id=c.pk, segment_id=segment.pk) for c in customers
        )
        CustomerYear.objects.bulk_create(
            CustomerYear(
                customer=c,
                year=YEAR - 1,
                revenue=rng.randrange(0, 600_000_000),
                employees=rng.randrange(1, 12000),
            )
            for c in customers
        )


def run() -> None:
    seed_org_and_users()
    unit = BusinessUnit.objects.get(code="BU1")
    segment = Segment.objects.create(code="TLBENCH", name_zh="名单基准", business_unit=unit)
    build(segment)
    criteria_set_load(document=document(segment), publish=True)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    run_ = score_run_create(segment=segment, year=YEAR)
    started = time.perf_counter()
    target_list = target_list_build(run=run_)
    print(
        f"draft list built from the run ({target_list.entries.count():,} targets of {COUNT:,})"
        f"{'':>4}{(time.perf_counter() - started) * 1000:8.1f} ms"
    )
    User = get_user_model()
    owner = User.objects.get(username="gao.peng")
    target_list_owners_assign(
        target_list=target_list,
        entry_ids=list(target_list.entries.values_list("pk", flat=True)),
        owner=owner,
        by=User.objects.get(username="zhang.wei"),
    )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    client = Client()
    client.force_login(
        User.objects.get(username="zhang.wei"), backend="django.contrib.auth.backends.ModelBackend"
    )
    url = target_list.get_absolute_url()
    pages = (target_list.entries.count() + 49) // 50
    report(f"target list page 1 ({COUNT:,} customers)", measure(lambda: client.get(url), 30))
    report(
        f"target list page {pages} (last)",
        measure(lambda: client.get(f"{url}?page={pages}"), 30),
    )
    report(
        "BU consolidation view",
        measure(lambda: client.get(f"/criteria/lists/bu/BU1/{YEAR}/"), 30),
    )
