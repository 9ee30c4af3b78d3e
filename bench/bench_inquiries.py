"""Inquiries at scale: 1,000,000 inquiries over five years (PostgreSQL).

Targets (issue 6): the roll-up of one month under 2 s; logging an inquiry (server time of
the POST) p95 under 100 ms. The data is loaded with COPY on PostgreSQL (bulk_create and a
smaller count elsewhere).
"""

import csv
import io
import random
import time
from datetime import date, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from bench.timing import measure, report
from customers.models import Customer
from inquiries import matching, rollup_runs
from inquiries.models import Channel, Decision, DeclineReason, Inquiry
from inquiries.rollup import month_bounds
from organisation.demo import seed_org_and_users
from organisation.models import Role, Segment

COUNT = 1_000_000
SQLITE_COUNT = 50_000
CUSTOMERS = 20_000
CHUNK = 100_000
COLUMNS = [
    "received_at",
    "channel",
    "business_unit_id",
    "segment_id",
    "company_name",
    "normalised_name",
    "credit_code",
    "contact_name",
    "contact_phone",
    "contact_email",
    "request",
    "initial_handling",
    "logged_by_id",
    "owner_id",
    "via",
    "decision",
    "decided_by_id",
    "decided_at",
    "days_to_decision",
    "decline_reason",
    "decision_note",
    "created_at",
    "updated_at",
]


def _rows(count: int, rng: random.Random):
    User = get_user_model()
    segments = list(Segment.objects.all())
    managers: dict[int, list[int]] = {}
    for pk, bu_id in User.objects.filter(role_memberships__role=Role.ACCOUNT_MANAGER).values_list(
        "pk", "role_memberships__business_unit_id"
    ):
        managers.setdefault(bu_id, []).append(pk)
    segments = [s for s in segments if s.business_unit_id in managers]
    decider = User.objects.get(username="admin").pk
    now = timezone.now()
    span = 5 * 365 * 86400
    channels, decisions = Channel.values, Decision.values
    for n in range(count):
        segment = segments[n % len(segments)]
        received = now - timedelta(seconds=rng.randrange(3600, span))
        logger = managers[segment.business_unit_id][n % len(managers[segment.business_unit_id])]
        company = f"基准询价公司{n % 50_000:05d}有限公司"
        decision = "" if rng.random() < 0.1 else decisions[n % 4]
        days = rng.uniform(0.1, 20) if decision else None
        yield [
            received.isoformat(),
            channels[n % 5],
            segment.business_unit_id,
            segment.pk,
            company,
            matching.normalise_name(company),
            "",
            "王经理",
            "0574-88881234",
            "",
            "询问MES升级",
            "",
            logger,
            logger,
            "web",
            decision,
            decider if decision else None,
            (received + timedelta(days=days)).isoformat() if decision else None,
            days,
            DeclineReason.TOO_SMALL if decision == Decision.DECLINE else "",
            "",
            received.isoformat(),
            received.isoformat(),
        ]


def build(count: int) -> None:
    rng = random.Random(6)
    rows = _rows(count, rng)
    if connection.vendor != "postgresql":
        batch = []
        for row in rows:
            values = dict(zip(COLUMNS, row, strict=True))
            batch.append(Inquiry(**values))
            if len(batch) == 10_000:
                Inquiry.objects.bulk_create(batch)
                batch = []
        Inquiry.objects.bulk_create(batch)
        return
    columns = ", ".join(COLUMNS)
    with connection.cursor() as cursor:
        while True:
            buffer = io.StringIO()
            writer = csv.writer(buffer)
            written = 0
            for row in rows:
                writer.writerow(["\\N" if v is None else v for v in row])
                written += 1
                if written == CHUNK:
                    break
            if not written:
                break
            buffer.seek(0)
            cursor.cursor.copy_expert(
                f"COPY inquiries_inquiry ({columns}) FROM STDIN WITH (FORMAT csv, NULL '\\N')",
                buffer,
            )
            if written < CHUNK:
                break
        cursor.execute("ANALYZE inquiries_inquiry")


def build_customers(count: int) -> None:
    bu1 = Segment.objects.get(code="AUTO").business_unit_id
    Customer.objects.bulk_create(
        [Customer(name_zh=f"基准客户{n:06d}有限公司", business_unit_id=bu1) for n in range(count)],
        batch_size=5000,
    )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE customers_customer")


def run() -> None:
    seed_org_and_users()
    count = COUNT if connection.vendor == "postgresql" else SQLITE_COUNT
    started = time.perf_counter()
    build(count)
    build_customers(CUSTOMERS)
    print(
        f"inquiries: built {count:,} inquiries and {CUSTOMERS:,} customers "
        f"in {time.perf_counter() - started:.1f} s"
    )
    today = timezone.localdate()
    month = date(today.year - 2, 6, 1)
    in_month = Inquiry.objects.received_between(*month_bounds(month, settings.TIME_ZONE)).count()
    print(f"roll-up month {month:%Y-%m}: {in_month:,} inquiries")
    first = time.perf_counter()
    run_ = rollup_runs.inquiry_rollup_run(month=month)
    report(
        "monthly roll-up, first run (with notifications)",
        [(time.perf_counter() - first) * 1000],
    )
    report(
        "monthly roll-up, rerun",
        measure(lambda: rollup_runs.inquiry_rollup_run(month=month), repeat=5),
    )
    print(f"  {run_.lines.count()} roll-up lines")

    client = Client()
    user = get_user_model().objects.get(username="gao.peng")
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    segment = Segment.objects.get(code="AUTO")
    url = reverse("inquiries:inquiry-create")
    counter = iter(range(10_000_000))

    def log_one() -> float:
        """Milliseconds of the POST alone; the redirect is then followed (untimed), as the
        browser would, so flash messages do not pile up in the session."""
        n = next(counter)
        data = {
            "received_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
            "channel": "phone",
            "segment": segment.pk,
            "company_name": f"基准询价公司{n % 50_000:05d}有限公司",
            "contact_name": "王经理",
            "contact_phone": "0574-88881234",
            "request": "询问MES升级",
        }
        start = time.perf_counter()
        response = client.post(url, data)
        elapsed = (time.perf_counter() - start) * 1000
        assert response.status_code == 302, response.status_code
        client.get(response.url)
        return elapsed

    log_one()
    report("log an inquiry (POST, server time)", [log_one() for _ in range(200)])

    def suggest():
        response = client.get(
            reverse("inquiries:inquiry-suggestions"), {"company_name": "基准客户00012"}
        )
        assert response.status_code == 200

    report("live match suggestions (GET)", measure(suggest, repeat=100))
