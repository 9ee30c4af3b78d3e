"""Every periodic job, in one place.

After each `migrate` these rows are written to django-celery-beat's tables, which the single
beat process reads (DatabaseScheduler). Times are Asia/Shanghai (TIME_ZONE).
"""

from __future__ import annotations

from django.conf import settings
from django.db.models.signals import post_migrate

ANNUAL_RESCORE_HOUR = 2


def annual_rescore_date() -> tuple[int, int]:
    """(month, day) of the annual re-scoring, from ANNUAL_RESCORE_DATE ("MM-DD")."""
    month, day = (int(part) for part in settings.ANNUAL_RESCORE_DATE.split("-"))
    return month, day


def annual_rescore_crontab() -> dict[str, str]:
    month, day = annual_rescore_date()
    return {
        "minute": "0",
        "hour": str(ANNUAL_RESCORE_HOUR),
        "day_of_month": str(day),
        "month_of_year": str(month),
    }


# Beat hands its tasks to the broker directly, not through the outbox: a message lost while
# the broker or every worker is down is never sent again. For the two jobs that matter
# a catch-up runs hourly, at a quarter to, and does the work only if it is missing.
HOURLY_AT_45 = {"minute": "45", "hour": "*", "day_of_month": "*", "month_of_year": "*"}


def periodic_tasks() -> list[dict]:
    return [
        {
            "name": "monthly-inquiry-rollup",
            "task": "inquiries.tasks.rollup_previous_month",
            "crontab": {"minute": "0", "hour": "2", "day_of_month": "1", "month_of_year": "*"},
        },
        {
            "name": "annual-rescoring",
            "task": "evaluation.tasks.annual_rescore",
            "crontab": annual_rescore_crontab(),
        },
        {
            "name": "monthly-inquiry-rollup-catch-up",
            "task": "inquiries.tasks.rollup_catch_up",
            "crontab": HOURLY_AT_45,
        },
        {
            "name": "annual-rescoring-catch-up",
            "task": "evaluation.tasks.annual_rescore_catch_up",
            "crontab": HOURLY_AT_45,
        },
        {
            "name": "clean-import-uploads",
            "task": "customers.tasks.clean_import_uploads",
            "crontab": {"minute": "30", "hour": "3", "day_of_month": "*", "month_of_year": "*"},
        },
        {"name": "outbox-relay", "task": "outbox.tasks.relay_pending_jobs", "every_seconds": 60},
        {"name": "worker-heartbeat", "task": "outbox.tasks.heartbeat", "every_seconds": 300},
    ]


def schedule_install(**kwargs) -> None:
    """Create or update the beat rows from `periodic_tasks()`; idempotent."""
    from django_celery_beat.models import CrontabSchedule, IntervalSchedule, PeriodicTask

    for spec in periodic_tasks():
        schedule_fields: dict = {"crontab": None, "interval": None}
        if "crontab" in spec:
            schedule_fields["crontab"], _ = CrontabSchedule.objects.get_or_create(
                **spec["crontab"], day_of_week="*", timezone=settings.TIME_ZONE
            )
        else:
            schedule_fields["interval"], _ = IntervalSchedule.objects.get_or_create(
                every=spec["every_seconds"], period=IntervalSchedule.SECONDS
            )
        PeriodicTask.objects.update_or_create(
            name=spec["name"], defaults={"task": spec["task"], "enabled": True, **schedule_fields}
        )


def connect_installer() -> None:
    """Called from the project's AppConfig.ready(): write the rows after every `migrate`, once
    django-celery-beat's tables (whose post_migrate this listens to) are there."""
    from django.apps import apps

    post_migrate.connect(
        schedule_install,
        sender=apps.get_app_config("django_celery_beat"),
        dispatch_uid="schedule_install",
    )
