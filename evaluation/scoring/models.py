"""Score runs and their entries, and the annual re-scoring's reports (process step 2.3.3)."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from evaluation.criteria.models import CriteriaSet
from organisation import permissions
from organisation.models import Segment
from organisation.permissions import Scope


class ScoreRunQuerySet(models.QuerySet):
    def latest_per_segment(self):
        """Of the runs in this queryset, each segment's latest (the highest id)."""
        latest = (
            self.order_by()
            .values("segment_id")
            .annotate(last=models.Max("pk"))
            .values_list("last", flat=True)
        )
        return self.model.objects.filter(pk__in=latest)

    def newest_first(self):
        return self.order_by("-created_at", "-pk")


class ScoreRun(models.Model):
    """One immutable scoring of a segment's customers: the criteria-set version and every
    input used, and per customer the total, rank, status, tier and breakdown (ScoreEntry)."""

    segment = models.ForeignKey(Segment, on_delete=models.PROTECT, related_name="score_runs")
    year = models.PositiveSmallIntegerField(_("planning year"))
    facts_year = models.PositiveSmallIntegerField(_("facts year"))
    criteria_set = models.ForeignKey(
        CriteriaSet, on_delete=models.PROTECT, related_name="score_runs"
    )
    criteria_set_version = models.PositiveIntegerField(_("criteria set version"))
    criteria = models.JSONField(_("criteria used"))
    tiers = models.JSONField(_("tiers used"), default=list)
    funnel = models.JSONField(_("screening funnel"), default=dict)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    duration_ms = models.PositiveIntegerField(_("duration (ms)"), default=0)

    objects = ScoreRunQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("score run")
        verbose_name_plural = _("score runs")

    def __str__(self) -> str:
        return f"{self.segment.code} {self.year} #{self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("evaluation:score-run", args=[self.pk])

    def org_scope(self) -> Scope:
        return permissions.scope_of(self.segment)


class ScoreEntry(models.Model):
    class Status(models.TextChoices):
        TARGET = "target", _("Target")
        GENERAL = "general", _("General customer")
        SCREENED_OUT = "screened_out", _("Screened out")

    # No index of its own: score_entry_unique and score_entry_rank both start with the run,
    # and a third index on 100,000 new rows per run slowed every scoring.
    run = models.ForeignKey(
        ScoreRun, on_delete=models.CASCADE, related_name="entries", db_index=False
    )
    customer = models.ForeignKey(
        "customers.Customer", on_delete=models.PROTECT, related_name="score_entries"
    )
    total = models.DecimalField(_("total"), max_digits=5, decimal_places=2)
    completeness = models.DecimalField(_("completeness"), max_digits=5, decimal_places=4)
    rank = models.PositiveIntegerField(_("rank"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices)
    tier = models.CharField(_("tier"), max_length=10, blank=True)
    screened_by = models.CharField(_("screened out by"), max_length=50, blank=True)
    # {"raw": [...], "points": [...]}, aligned with run.criteria (evaluation/scoring/breakdown.py)
    breakdown = models.JSONField(_("breakdown"))

    class Meta:
        ordering = ["run", "rank"]
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        constraints = [
            models.UniqueConstraint(fields=["run", "customer"], name="score_entry_unique")
        ]
        indexes = [models.Index(fields=["run", "rank"], name="score_entry_rank")]

    def __str__(self) -> str:
        return f"{self.customer_id} {self.total}"


class RescoreReport(models.Model):
    """What one annual re-scoring did: per segment the run and its funnel, the list made or
    left alone, or why the segment was skipped. Shown on the system status page."""

    year = models.PositiveSmallIntegerField(_("planning year"))
    ran_at = models.DateTimeField(_("ran at"), auto_now_add=True)
    report = models.JSONField(_("report"))

    class Meta:
        ordering = ["-ran_at"]
        verbose_name = _("annual re-scoring report")
        verbose_name_plural = _("annual re-scoring reports")

    def __str__(self) -> str:
        return f"{self.year} {self.ran_at:%Y-%m-%d %H:%M}"

    @property
    def scored(self) -> list[dict]:
        return self.report.get("scored", [])

    @property
    def skipped(self) -> list[dict]:
        return self.report.get("skipped", [])
