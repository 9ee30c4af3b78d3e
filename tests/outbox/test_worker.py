"""A round trip through a real Celery worker process and the real Redis broker."""

import os
import subprocess
import sys
import time

import pytest
from django.conf import settings
from django.db import connection

from outbox import services
from outbox.models import Job, WorkerHeartbeat
from tests.outbox.conftest import skip_or_fail

pytestmark = pytest.mark.services


def database_url_for_worker() -> str:
    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        skip_or_fail("the worker needs a database it can share: run with DATABASE_URL=postgres://…")
    user = db["USER"] or ""
    host = db["HOST"] or "127.0.0.1"
    return f"postgres://{user}@{host}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture
def worker(real_broker, transactional_db):
    env = {
        **os.environ,
        "CELERY_BROKER_URL": real_broker,
        "DATABASE_URL": database_url_for_worker(),
    }
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "prioritizer",
            "worker",
            "--pool=solo",
            "--without-mingle",
            "--without-gossip",
            "--loglevel=INFO",
        ],
        cwd=settings.BASE_DIR,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    yield process
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()


def wait_for(condition, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.25)
    return False


def test_a_job_goes_through_redis_to_a_worker_and_back(worker):
    job = services.job_enqueue("outbox.tasks.heartbeat")  # autocommit: sent at once
    done = wait_for(lambda: Job.objects.get(pk=job.pk).status == Job.Status.DONE)
    if not done:
        worker.terminate()
        pytest.fail(
            "the worker did not finish the job:\n" + worker.communicate(timeout=20)[0][-3000:]
        )
    assert WorkerHeartbeat.objects.count() == 1


def test_the_relay_task_sends_what_the_outbox_kept(worker):
    kept = Job.objects.create(task_name="outbox.tasks.heartbeat")  # as if Redis had been down
    services.job_enqueue("outbox.tasks.relay_pending_jobs")
    assert wait_for(lambda: Job.objects.get(pk=kept.pk).status == Job.Status.DONE)
