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
            # As autovacuum does after a bulk load (the import benchmark before this one
            # leaves ~100,000 dead row versions behind it).
            cursor.execute("VACUUM ANALYZE")
    client = Client()
    users = get_user_model().objects
    bg_vp = users.get(username="wang.jianguo")
    # The customer at the bottom of page 999: "Next" there names it (customers/paging.py).
    by_name = Customer.objects.visible_to(bg_vp).active().order_by("name_zh", "pk")
    end_of_999 = by_name.values_list("pk", flat=True)[999 * 50 - 1]
    start_of_1001 = by_name.values_list("pk", flat=True)[1000 * 50]
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
            {"region": "guangdong", "sort": "name"},
        ),
        ("BG VP, deep page 1000 by Next", "wang.jianguo", {"page": 1000, "after": end_of_999}),
        (
            "BG VP, deep page 1000 by Previous",
            "wang.jianguo",
            {"page": 1000, "before": start_of_1001},
        ),
        ("BG VP, page 1000 by number", "wang.jianguo", {"page": 1000}),
        ("BG VP, by code, page 600 by number", "wang.jianguo", {"sort": "code", "page": 600}),
        ("segment manager, search", "zhao.lei", {"q": "基准客户0012"}),
    ]
    pages = {}
    for label, username, params in cases:
        client.force_login(
            users.get(username=username), backend="django.contrib.auth.backends.ModelBackend"
        )
        response = client.get("/customers/", params)
        assert response.status_code == 200, response.status_code
        pages[label] = [customer.pk for customer in response.context["page"]]
        report(
            f"customer list: {label}",
            measure(lambda p=params: client.get("/customers/", p), repeat=40),
        )
    # However page 1000 is reached, it holds the same customers.
    assert (
        pages["BG VP, deep page 1000 by Next"]
        == pages["BG VP, deep page 1000 by Previous"]
        == pages["BG VP, page 1000 by number"]
    )
