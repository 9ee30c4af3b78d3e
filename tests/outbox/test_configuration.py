from celery import current_app
from django.conf import settings
from django_celery_beat.models import PeriodicTask

from prioritizer import schedule


class TestFaultTolerance:
    def test_a_task_of_a_killed_worker_is_requeued(self):
        assert current_app.conf.task_acks_late is True
        assert current_app.conf.task_reject_on_worker_lost is True

    def test_redis_does_not_redeliver_a_task_that_is_still_running(self):
        visibility = current_app.conf.broker_transport_options["visibility_timeout"]
        assert visibility > current_app.conf.task_time_limit > current_app.conf.task_soft_time_limit

    def test_a_worker_takes_one_task_at_a_time(self):
        assert current_app.conf.worker_prefetch_multiplier == 1


class TestSchedule:
    def test_migrate_installs_both_periodic_jobs(self, db):
        rollup = PeriodicTask.objects.get(name="monthly-inquiry-rollup")
        assert rollup.task == "inquiries.tasks.rollup_previous_month"
        assert (rollup.crontab.minute, rollup.crontab.hour, rollup.crontab.day_of_month) == (
            "0",
            "2",
            "1",
        )
        assert str(rollup.crontab.timezone) == "Asia/Shanghai"
        rescore = PeriodicTask.objects.get(name="annual-rescoring")
        assert (rescore.crontab.day_of_month, rescore.crontab.month_of_year) == ("1", "10")

    def test_the_rescoring_date_is_configurable(self, db, settings):
        settings.ANNUAL_RESCORE_DATE = "09-15"
        schedule.schedule_install()
        rescore = PeriodicTask.objects.get(name="annual-rescoring")
        assert (rescore.crontab.day_of_month, rescore.crontab.month_of_year) == ("15", "9")

    def test_installing_twice_changes_nothing(self, db):
        before = PeriodicTask.objects.count()
        schedule.schedule_install()
        assert PeriodicTask.objects.count() == before == 7

    def test_every_scheduled_task_exists(self):
        current_app.loader.import_default_modules()
        for spec in schedule.periodic_tasks():
            assert spec["task"] in current_app.tasks, spec["task"]

    def test_the_scheduler_is_the_database_one(self):
        assert settings.CELERY_BEAT_SCHEDULER.startswith("django_celery_beat")
