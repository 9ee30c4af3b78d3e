"""The roll-up through a real Celery worker process and Redis (not eager).

The rerun and the retry after a failure half-way must both leave exactly one correct
roll-up. The failure is injected by a PostgreSQL trigger that aborts the first insert of
roll-up lines with a serialization failure (an OperationalError the task retries on);
a sequence, which no rollback undoes, makes it fail only once.
"""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection

from inquiries import services
from inquiries.models import Decision, InquiryRollup
from outbox import services as outbox
from outbox.models import Job
from tests.inquiries.conftest import inquiry_data
from tests.outbox.conftest import real_broker, restore_broker_environment  # noqa: F401
from tests.outbox.test_worker import wait_for, worker  # noqa: F401 - the worker fixture

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

SHANGHAI = ZoneInfo("Asia/Shanghai")
MONTH = date(2025, 10, 1)


@pytest.fixture
def october(people, org, monkeypatch):
    from django.utils import timezone

    received = datetime(2025, 10, 10, 9, tzinfo=SHANGHAI)
    made = [
        services.inquiry_log(
            by=people.dave,
            data=inquiry_data(org.auto, received_at=received, company_name=f"公司{n}"),
        )
        for n in range(3)
    ]
    monkeypatch.setattr(timezone, "now", lambda: received + timedelta(days=2))
    services.inquiry_decide(inquiry=made[0], by=people.alice, decision=Decision.SERVE_ONCE)
    monkeypatch.undo()
    return made


def run_through_worker(worker):  # noqa: F811
    job = outbox.job_enqueue("inquiries.tasks.rollup_month", "2025-10")
    finished = wait_for(
        lambda: Job.objects.get(pk=job.pk).status in (Job.Status.DONE, Job.Status.FAILED), 90
    )
    if not finished:
        worker.terminate()
        pytest.fail("the worker did not finish:\n" + worker.communicate(timeout=20)[0][-3000:])
    return Job.objects.get(pk=job.pk)


def stored():
    run = InquiryRollup.objects.get(month=MONTH)
    return sorted(
        (line.decision, line.count, line.still_open, line.median_days_to_decision)
        for line in run.lines.all()
    )


EXPECTED = [("", 2, 2, None), ("serve_once", 1, 0, 2.0)]


def test_the_rollup_runs_once_through_the_worker_and_again(worker, october):  # noqa: F811
    assert run_through_worker(worker).status == Job.Status.DONE
    assert stored() == EXPECTED
    assert run_through_worker(worker).status == Job.Status.DONE
    assert InquiryRollup.objects.count() == 1 and stored() == EXPECTED


@pytest.fixture
def fails_once_half_way(worker):  # noqa: F811
    with connection.cursor() as cursor:
        cursor.execute("CREATE SEQUENCE IF NOT EXISTS inquiry_rollup_failures")
        cursor.execute(
            """
            CREATE OR REPLACE FUNCTION inquiry_rollup_fail_once() RETURNS trigger AS $$
            BEGIN
              IF nextval('inquiry_rollup_failures') = 1 THEN
                RAISE EXCEPTION 'injected failure half-way' USING ERRCODE = '40001';
              END IF;
              RETURN NEW;
            END $$ LANGUAGE plpgsql
            """
        )
        cursor.execute(
            "CREATE TRIGGER inquiry_rollup_fail_once BEFORE INSERT ON inquiries_inquiryrollupline "
            "FOR EACH ROW EXECUTE FUNCTION inquiry_rollup_fail_once()"
        )
    yield
    with connection.cursor() as cursor:
        cursor.execute(
            "DROP TRIGGER IF EXISTS inquiry_rollup_fail_once ON inquiries_inquiryrollupline"
        )
        cursor.execute("DROP FUNCTION IF EXISTS inquiry_rollup_fail_once()")
        cursor.execute("DROP SEQUENCE IF EXISTS inquiry_rollup_failures")


def test_a_retry_after_a_failure_half_way_leaves_one_correct_rollup(
    worker,  # noqa: F811
    october,
    fails_once_half_way,
):
    job = run_through_worker(worker)
    assert job.status == Job.Status.DONE
    with connection.cursor() as cursor:
        cursor.execute("SELECT last_value FROM inquiry_rollup_failures")
        assert cursor.fetchone()[0] >= 2  # it failed once, then the retry inserted lines
    assert InquiryRollup.objects.count() == 1 and stored() == EXPECTED
