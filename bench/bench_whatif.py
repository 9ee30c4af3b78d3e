"""The what-if page at 100,000 customers (BENCH_SCORING_COUNT) on PostgreSQL: one segment built
and scored once with bench_scoring's data and criteria, then other weights tried on it — the
inputs read alone, the whole comparison, and the page as its segment manager gets it. Target:
a couple of seconds for the page.

Measured (medians of 5): with the inputs read into Python lists per customer and scored,
ranked and tiered in Python (explain.whatif_compare), compare 3.3 s and the page 4.6 s; read as
a run reads them (binary COPY into arrays) and compared with numpy, 1.7 s and 1.8 s, of which
the inputs' query and COPY are about 1.2 s.
"""

import os
import time
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.urls import reverse

from bench.scoring_data import COUNT, build, criteria_document
from bench.timing import measure, report
from evaluation.criteria.services import criteria_set_load
from evaluation.scoring.runs import read_input_columns, score_run_create
from evaluation.scoring.whatif import compare as whatif_compare
from organisation.demo import seed_org_and_users
from organisation.models import BusinessUnit, Role, RoleMembership, Segment

REPEAT = int(os.environ.get("BENCH_WHATIF_REPEAT", "5"))
FACTS_YEAR = 2026


def other_weights(criteria) -> dict[str, Decimal]:
    """The set's weights with five points moved from the last criterion to the first."""
    weights = {c.key: c.weight for c in criteria}
    first, last = criteria[0].key, criteria[-1].key
    weights[first] += 5
    weights[last] -= 5
    return weights


def run() -> None:
    if connection.vendor != "postgresql":
        print("whatif: skipped (needs PostgreSQL: set DATABASE_URL)")
        return
    seed_org_and_users()
    # A segment of its own (bench_scoring builds into BENCH), and a manager for it.
    segment = Segment.objects.create(
        code="WHATIF", name_zh="假设基准", business_unit=BusinessUnit.objects.get(code="BU1")
    )
    manager = get_user_model().objects.create(username="bench.whatif")
    RoleMembership.objects.create(user=manager, role=Role.SEGMENT_MANAGER, segment=segment)
    started = time.perf_counter()
    build(segment, FACTS_YEAR)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"whatif: built {COUNT:,} customers in {time.perf_counter() - started:.1f} s")
    criteria_set = criteria_set_load(
        document=criteria_document(segment, FACTS_YEAR + 1), publish=True
    )
    started = time.perf_counter()
    run = score_run_create(segment=segment, year=criteria_set.year)
    print(
        f"whatif: scored once ({run.entries.count():,} entries) in "
        f"{time.perf_counter() - started:.1f} s"
    )
    criteria = list(criteria_set.criteria.all())
    weights = other_weights(criteria)
    sources = {c.source for c in criteria}

    def read():
        return read_input_columns(segment, FACTS_YEAR, sorted(sources))

    def compare():
        return whatif_compare(
            criteria_set=criteria_set,
            segment=segment,
            weights=weights,
            rules={},
            facts_year=FACTS_YEAR,
        )

    result = compare()
    print(
        f"whatif: {result['changed_count']:,} customers change place, "
        f"Spearman {result['spearman']:.4f} over {result['compared']:,}"
    )
    client = Client()
    client.force_login(manager)
    url = reverse("evaluation:whatif", args=[criteria_set.pk])
    query = {
        "segment": segment.code,
        "facts_year": FACTS_YEAR,
        "rules": "",
        **{f"weight-{key}": str(weight) for key, weight in weights.items()},
    }

    def page():
        response = client.get(url, query)
        assert response.status_code == 200 and response.context["result"] is not None
        return response

    report(f"whatif: read the inputs ({COUNT:,} customers)", measure(read, REPEAT))
    report(f"whatif: compare ({COUNT:,} customers)", measure(compare, REPEAT))
    report(f"whatif: page as the segment manager ({COUNT:,})", measure(page, REPEAT))
