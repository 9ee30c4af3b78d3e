"""Enqueue background work through the database outbox."""

from __future__ import annotations

import logging
from datetime import timedelta

from celery import current_app
from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from outbox.models import Job

logger = logging.getLogger(__name__)


def job_enqueue(task_name: str, *args, **kwargs) -> Job:
    """Record a job now; send it to the broker once the surrounding transaction commits."""
    job = Job.objects.create(task_name=task_name, args=list(args), kwargs=kwargs)
    transaction.on_commit(lambda: job_send(job_id=job.pk))
    return job


def job_send(*, job_id) -> bool:
    """Hand one pending job to the broker. Returns whether it was accepted.

    The conditional UPDATE claims the job, so two relays never send it twice.
    """
    now = timezone.now()
    claimed = Job.objects.filter(pk=job_id, status=Job.Status.PENDING).update(
        status=Job.Status.QUEUED, queued_at=now, send_attempts=F("send_attempts") + 1
    )
    if not claimed:
        return False
    job = Job.objects.get(pk=job_id)
    if settings.CELERY_TASK_ALWAYS_EAGER:
        # In-process mode: the task runs right here and its signals record the outcome.
        _registered_task(job.task_name).apply_async(
            args=job.args, kwargs=job.kwargs, task_id=str(job.pk)
        )
        return True
    try:
        current_app.send_task(job.task_name, args=job.args, kwargs=job.kwargs, task_id=str(job.pk))
    except Exception as exc:  # noqa: BLE001 - any broker failure leaves the job for the relay
        logger.warning("Broker unavailable, job %s kept in the outbox: %s", job.pk, exc)
        Job.objects.filter(pk=job.pk, status=Job.Status.QUEUED).update(
            status=Job.Status.PENDING, last_error=str(exc)[:2000]
        )
        return False
    return True


def _registered_task(name: str):
    if name not in current_app.tasks:
        current_app.loader.import_default_modules()  # runs the apps' tasks.py autodiscovery
    return current_app.tasks[name]


def jobs_relay() -> int:
    """Send every pending job, and resend jobs queued so long ago the broker must have lost
    them (past the visibility timeout). Returns how many were accepted."""
    visibility = settings.CELERY_BROKER_TRANSPORT_OPTIONS.get("visibility_timeout", 3600)
    stale_before = timezone.now() - timedelta(seconds=visibility * 2)
    Job.objects.filter(status=Job.Status.QUEUED, queued_at__lt=stale_before).update(
        status=Job.Status.PENDING
    )
    sent = 0
    for job_id in Job.objects.pending().values_list("pk", flat=True)[:1000]:
        if job_send(job_id=job_id):
            sent += 1
        else:
            break  # the broker is down: stop trying for this round
    return sent


def job_mark_finished(*, task_id: str, succeeded: bool, error: str = "") -> None:
    Job.objects.filter(pk=task_id).update(
        status=Job.Status.DONE if succeeded else Job.Status.FAILED,
        finished_at=timezone.now(),
        last_error=error[:2000],
    )
