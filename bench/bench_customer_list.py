"""The customer list page over 100,000 customers: server time, filtered and sorted,
page 1 and a deep page. Target (issue 3): p95 under 150 ms on PostgreSQL."""

import random
import time

from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.utils import timezone

from bench.timing import measure, report
from customers.models import Customer, CustomerYear
from customers.reference import Industry, Region
from organisation.demo import seed_org_and_users
from organisation.models import Segment

COUNT = 100_000


def build(count: int) -> None:
    rng = random.Random(7)
    segments = list(Segment.objects.all())
    year = timezone.localdate().year
    regions, industries = Region.values, Industry.values
    statuses = Customer.Status.values
    batch = 5000
    for start in range(0, count, batch):
        customers = Customer.objects.bulk_create(
            [
                Customer(
                    name_zh=f"基准客户{n:06d}有限公司",
                    name_en=f"Bench Customer {n:06d}",
                    credit_code=None,
                    business_unit_id=(segment := segments[n % len(segments)]).business_unit_id,
                    region=rng.choice(regions),
                    industry=rng.choice(industries),
                    status=rng.choice(statuses),
                )
                for n in range(start, min(start + batch, count))
            ]
        )
        Customer.segments.through.objects.bulk_create(
            [
                Customer.segments.through(
                    customer_id=c.pk, segment_id=segments[(start + i) % len(segments)].pk
                )
                for i, c in enumerate(customers)
            ]
        )
        CustomerYear.objects.bulk_create(
            [
                CustomerYear(customer=c, year=year, completeness=rng.choice([0, 40, 75, 100]))
                for c in customers
            ]
        )
    del segment


def run() -> None:
    seed_org_and_users()
    started = time.perf_counter()
    build(COUNT)
    print(f"customer list: built {COUNT:,} customers in {time.perf_counter() - started:.1f} s")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # as autovacuum would after a bulk load
    client = Client()
    users = get_user_model().objects
    cases = [
        ("BU VP, page 1, sorted by name", "zhang.wei", {}),
        (
            "BU VP, filtered + sorted by completeness, p1",
            "zhang.wei",
            {"status": "active", "sort": "-completeness"},
        ),
        (
            "BU VP, filtered + sorted, deep page 150",
            "zhang.wei",
            {"status": "active", "sort": "-completeness", "page": 150},
        ),
        (
            "BG VP, region filter, sorted by name, p1",
            "wang.jianguo",
            {"region": "guangdong", "sort": "name_zh"},
        ),
        ("BG VP, deep page 1000", "wang.jianguo", {"page": 1000}),
        ("segment manager, search", "zhao.lei", {"q": "基准客户0012"}),
    ]
    for label, username, params in cases:
        client.force_login(
            users.get(username=username), backend="django.contrib.auth.backends.ModelBackend"
        )
        response = client.get("/customers/", params)
        assert response.status_code == 200, response.status_code
        report(
            f"customer list: {label}",
            measure(lambda p=params: client.get("/customers/", p), repeat=40),
        )
