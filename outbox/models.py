"""Jobs waiting to reach the Celery broker.

A job is written in the same transaction as the change that asked for it and sent to the
broker after commit. If the broker is down the row stays `pending` and the relay sends it
later, so a Redis outage delays work but never loses it.
"""

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _


class JobQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(status=Job.Status.PENDING)

    def unfinished(self):
        return self.filter(status__in=[Job.Status.PENDING, Job.Status.QUEUED])


class Job(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("waiting for the broker")
        QUEUED = "queued", _("queued")
        DONE = "done", _("done")
        FAILED = "failed", _("failed")

    # Also the Celery task id, so worker signals can find the row.
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    task_name = models.CharField(_("task"), max_length=200)
    args = models.JSONField(_("arguments"), default=list, blank=True)
    kwargs = models.JSONField(_("keyword arguments"), default=dict, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    send_attempts = models.PositiveIntegerField(_("send attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    queued_at = models.DateTimeField(_("queued at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    objects = JobQuerySet.as_manager()

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("background job")
        verbose_name_plural = _("background jobs")

    def __str__(self) -> str:
        return f"{self.task_name} ({self.get_status_display()})"


class WorkerHeartbeat(models.Model):
    """The last time each worker ran the heartbeat task: shows that the queue is alive."""

    hostname = models.CharField(_("worker"), max_length=200, unique=True)
    seen_at = models.DateTimeField(_("last seen"))

    class Meta:
        verbose_name = _("worker heartbeat")
        verbose_name_plural = _("worker heartbeats")

    def __str__(self) -> str:
        return self.hostname
