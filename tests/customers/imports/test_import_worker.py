"""A browser import confirmed against the real services: Redis and a Celery worker process
import the file (run with DATABASE_URL=postgres://… and CELERY_BROKER_URL=redis://…)."""

import secrets

import pytest

from customers.imports.jobs import import_run_start, imports_dir
from customers.imports.runs import ImportRun
from customers.models import Customer
from tests.customers.imports.test_import_views import GOOD
from tests.outbox.conftest import real_broker, restore_broker_environment  # noqa: F401
from tests.outbox.test_worker import wait_for, worker  # noqa: F401

pytestmark = pytest.mark.services


def test_a_worker_imports_a_confirmed_upload(worker, org, people):  # noqa: F811
    # The worker reads the real MEDIA_ROOT, so the upload goes there (and is deleted after).
    token = secrets.token_urlsafe(24)
    path = imports_dir() / token
    path.write_text(GOOD)
    try:
        run = import_run_start(
            user=people.erin, token=token, filename="c.csv", year=2024, language="en"
        )
        finished = wait_for(
            lambda: ImportRun.objects.get(pk=run.pk).state in (ImportRun.State.DONE, "failed")
        )
        if not finished:
            worker.terminate()
            pytest.fail("the worker did not finish:\n" + worker.communicate(timeout=20)[0][-3000:])
        run.refresh_from_db()
        assert run.state == ImportRun.State.DONE, run.error
        assert Customer.objects.get().name_zh == "<b>甲</b>公司"
        assert not path.exists()
    finally:
        path.unlink(missing_ok=True)
