import pytest
from celery import current_app
from django.urls import reverse

from outbox import services
from outbox.models import Job, WorkerHeartbeat
from tests.outbox.conftest import configured_broker, flush_test_broker, skip_or_fail, use_broker


class TestInProcess:
    def test_an_enqueued_job_runs_after_commit(self, db, django_capture_on_commit_callbacks):
        with django_capture_on_commit_callbacks(execute=True):
            job = services.job_enqueue("outbox.tasks.heartbeat")
            assert WorkerHeartbeat.objects.count() == 0  # not before the commit
        job.refresh_from_db()
        assert job.status == Job.Status.DONE
        assert WorkerHeartbeat.objects.count() == 1

    def test_a_job_of_a_rolled_back_change_never_runs(self, db, django_capture_on_commit_callbacks):
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            services.job_enqueue("outbox.tasks.heartbeat")
        callbacks.clear()  # the transaction rolled back: its callbacks are dropped
        assert WorkerHeartbeat.objects.count() == 0


class TestBrokerDown:
    def test_the_job_is_kept_in_the_database(
        self, db, broker_down, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True):
            job = services.job_enqueue("outbox.tasks.heartbeat")
        job.refresh_from_db()
        assert job.status == Job.Status.PENDING
        assert job.send_attempts == 1
        assert job.last_error

    def test_pages_still_work(self, people, client_for, broker_down):
        services.job_enqueue("outbox.tasks.heartbeat")
        assert client_for(people.bob).get(reverse("home")).status_code == 200

    def test_the_relay_stops_at_the_first_refusal(self, db, broker_down):
        for _ in range(3):
            Job.objects.create(task_name="outbox.tasks.heartbeat")
        assert services.jobs_relay() == 0
        assert sorted(Job.objects.values_list("send_attempts", flat=True)) == [0, 0, 1]


@pytest.mark.services
class TestRealBroker:
    def test_a_job_kept_while_redis_was_down_is_sent_when_it_is_back(
        self, db, settings, broker_down, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True):
            job = services.job_enqueue("outbox.tasks.heartbeat")
        assert Job.objects.get(pk=job.pk).status == Job.Status.PENDING

        if configured_broker() is None:
            skip_or_fail("no Redis broker configured (set CELERY_BROKER_URL=redis://...)")
        use_broker(settings, configured_broker())
        flush_test_broker()
        assert services.jobs_relay() == 1
        job.refresh_from_db()
        assert job.status == Job.Status.QUEUED
        with current_app.connection_for_write() as connection:
            assert connection.default_channel.client.llen("celery") == 1

    def test_a_job_is_sent_once_even_if_relayed_twice(self, db, real_broker):
        job = Job.objects.create(task_name="outbox.tasks.heartbeat")
        assert services.job_send(job_id=job.pk) is True
        assert services.job_send(job_id=job.pk) is False
        with current_app.connection_for_write() as connection:
            assert connection.default_channel.client.llen("celery") == 1
