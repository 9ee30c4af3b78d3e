"""The record of one confirmed browser import, run in the background (customers.tasks).

The model lives beside the import's other pieces (views, forms, store);
customers/models.py imports it, so Django loads it with the app's models.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from outbox.models import Job

# How many problems a run keeps (the preview shows as many).
KEPT_PROBLEMS = 1000


class ImportRunQuerySet(models.QuerySet):
    def unfinished(self):
        return self.filter(state__in=ImportRun.UNFINISHED)

    def visible_to(self, user):
        """Only the uploader sees a run (and superusers): it names their file and its rows."""
        return self if user.is_superuser else self.filter(user_id=user.pk)


class ImportRun(models.Model):
    class State(models.TextChoices):
        QUEUED = "queued", _("queued")
        RUNNING = "running", _("running")
        DONE = "done", _("done")
        FAILED = "failed", _("failed")

    UNFINISHED = (State.QUEUED, State.RUNNING)

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="customer_import_runs",
        verbose_name=_("user"),
    )
    filename = models.CharField(_("file name"), max_length=200)
    year = models.PositiveIntegerField(_("year of the facts"), null=True, blank=True)
    # The upload's random name under MEDIA_ROOT/imports/ (customers.imports.views.TOKEN).
    token = models.CharField(_("upload"), max_length=32)
    # Problems and messages are written in the language the user confirmed in.
    language = models.CharField(_("language"), max_length=10, blank=True)
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.QUEUED, db_index=True
    )
    job_id = models.UUIDField(_("background job"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    rows = models.PositiveIntegerField(_("rows"), default=0)
    customers_created = models.PositiveIntegerField(_("customers created"), default=0)
    customers_updated = models.PositiveIntegerField(_("customers updated"), default=0)
    facts_written = models.PositiveIntegerField(_("yearly facts written"), default=0)
    ratings_written = models.PositiveIntegerField(_("ratings written"), default=0)
    # When the database changed since the preview: [{"row", "column", "message"}, …], capped.
    problems = models.JSONField(_("problems"), default=list, blank=True)
    problem_count = models.PositiveIntegerField(_("number of problems"), default=0)
    error = models.TextField(_("error"), blank=True)

    objects = ImportRunQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("customer import run")
        verbose_name_plural = _("customer import runs")
        constraints = [
            # A second "Import" of the same upload (double click, two tabs) cannot queue it
            # again while it waits or runs, nor after it was imported; a failed run may be
            # confirmed again from the preview.
            models.UniqueConstraint(
                fields=["token"],
                condition=Q(state__in=["queued", "running", "done"]),
                name="customers_importrun_one_live_run_per_upload",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.filename} ({self.get_state_display()})"

    def get_absolute_url(self) -> str:
        return reverse("customers:customer-import-run", args=[self.pk])

    @property
    def finished(self) -> bool:
        return self.state in (self.State.DONE, self.State.FAILED)

    @property
    def more_problems(self) -> int:
        return max(0, self.problem_count - len(self.problems))

    def waits_for_job_queue(self) -> bool:
        """Its job is still in the outbox, not yet handed to the queue (the broker)."""
        return Job.objects.pending().filter(pk=self.job_id).exists()
