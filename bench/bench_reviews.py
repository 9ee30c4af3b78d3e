"""The annual review at an account manager's scale: BU1's three segments each score
BENCH_REVIEWS_COUNT customers (1,300 by default), the top 10 % are targets owned by one
account manager (about 390, as the busiest in the field), the lists are approved and 92 % of
the targets have a result. Server time of the owner's results page (first and last page), of
the review pages at segment, BU and BG level, and of the missing-results page."""

import os
import random
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from bench import bench_target_list as target_list_bench
from bench.timing import measure, report
from customers.models import Customer, CustomerYear
from evaluation.criteria.services import criteria_set_load
from evaluation.lists.approval import (
    target_list_approve,
    target_list_consolidate,
    target_list_submit,
)
from evaluation.lists.services import target_list_build, target_list_owners_assign
from evaluation.scoring.runs import score_run_create
from organisation.demo import seed_org_and_users
from organisation.models import BusinessUnit, Segment
from reviews.models import DevelopmentResult, Stage
from reviews.scopes import approved_lists, target_entries

COUNT = int(os.environ.get("BENCH_REVIEWS_COUNT", "1300"))
REPEAT = int(os.environ.get("BENCH_REVIEWS_REPEAT", "15"))
YEAR = timezone.localdate().year
SEGMENTS = {"AUTO": "zhao.lei", "ELEC": "sun.li", "MACH": "zhou.qiang"}
OWNER = "gao.peng"


def document(segment: Segment) -> dict:
    """The target-list bench's criteria (two linear criteria; tiers A, B, C of the top 10 %)."""
    return target_list_bench.document(segment) | {"year": YEAR, "name": f"bench {segment.code}"}


def build_customers(segment: Segment, rng: random.Random) -> None:
    customers = Customer.objects.bulk_create(
        Customer(
            name_zh=f"{segment.code}评审客户{i:05d}",
            credit_code=f"91{segment.pk:02d}{i:014d}",
            business_unit=segment.business_unit,
        )
        for i in range(COUNT)
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


def approved_list(segment: Segment, people: dict, rng: random.Random):
    build_customers(segment, rng)
    criteria_set_load(document=document(segment), publish=True)
    target_list = target_list_build(run=score_run_create(segment=segment, year=YEAR))
    target_list_owners_assign(
        target_list=target_list,
        entry_ids=list(target_list.entries.targets().values_list("pk", flat=True)),
        owner=people[OWNER],
        by=people[SEGMENTS[segment.code]],
    )
    target_list_submit(target_list=target_list, by=people[SEGMENTS[segment.code]])
    target_list_consolidate(target_list=target_list, by=people["zhang.wei"])
    target_list_approve(target_list=target_list, by=people["wang.jianguo"])
    return target_list


def record_results(owner, rng: random.Random) -> int:
    """A result for 92 % of the targets, written in bulk (the services' checks are not timed)."""
    lists = approved_lists(YEAR, Segment.objects.filter(code__in=SEGMENTS))
    stages = list(Stage.values)
    results = [
        DevelopmentResult(
            segment_id=entry.target_list.segment_id,
            year=YEAR,
            customer_id=entry.customer_id,
            target_entry=entry,
            stage=rng.choice(stages),
            revenue_won=Decimal(rng.randrange(0, 5_000_000)),
            contracts_signed=rng.randrange(0, 3),
            notes="已提交解决方案建议书",
            updated_by=owner,
        )
        for entry in target_entries(lists)
        if rng.random() < 0.92
    ]
    DevelopmentResult.objects.bulk_create(results)
    return len(results)


def client_for(user) -> Client:
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def timed(label: str, fn) -> None:
    with CaptureQueriesContext(connection) as queries:
        response = fn()
    assert response.status_code == 200, (label, response.status_code)
    report(f"{label} [{len(queries)} queries]", measure(fn, REPEAT))


def run() -> None:
    seed_org_and_users()
    people = {u.username: u for u in get_user_model().objects.all()}
    rng = random.Random(7)
    unit = BusinessUnit.objects.get(code="BU1")
    for segment in Segment.objects.filter(business_unit=unit, code__in=SEGMENTS):
        approved_list(segment, people, rng)
    recorded = record_results(people[OWNER], rng)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    owner = people[OWNER]
    targets = target_entries(approved_lists(YEAR, Segment.objects.all())).count()
    print(f"{targets} target customers of {OWNER}, {recorded} with a result")

    results_url = f"/reviews/results/?year={YEAR}"
    owner_client = client_for(owner)
    pages = (targets + 49) // 50
    timed(f"my results page 1 ({targets} targets)", lambda: owner_client.get(results_url))
    timed(
        f"my results page {pages} (last)",
        lambda: owner_client.get(f"{results_url}&page={pages}"),
    )
    segment_manager = client_for(people["zhao.lei"])
    timed(
        f"segment review (AUTO, {targets // 3} targets)",
        lambda: segment_manager.get(f"/reviews/{YEAR}/segment/AUTO/"),
    )
    bu_vp = client_for(people["zhang.wei"])
    timed("BU review (BU1)", lambda: bu_vp.get(f"/reviews/{YEAR}/bu/BU1/"))
    bg_vp = client_for(people["wang.jianguo"])
    timed("BG review (BG1)", lambda: bg_vp.get(f"/reviews/{YEAR}/bg/BG1/"))
    timed("missing results (BG1)", lambda: bg_vp.get(f"/reviews/{YEAR}/bg/BG1/missing/"))
