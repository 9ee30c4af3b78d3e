"""The stored monthly roll-ups of inquiries (一般客户申请处理汇总): one per month, with its lines.

Written by inquiries.rollup_runs; inquiries/models.py imports these models, so Django loads
them with the app's models.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from inquiries.models import Channel, Decision
from organisation import permissions
from organisation.models import BusinessUnit, Segment
from organisation.permissions import Action


class InquiryRollup(models.Model):
    """The monthly roll-up of one month (一般客户申请处理汇总); exactly one per month."""

    month = models.DateField(_("month"), unique=True)
    computed_at = models.DateTimeField(_("computed at"))
    inquiries = models.PositiveIntegerField(_("inquiries"), default=0)
    notified_at = models.DateTimeField(_("managers notified at"), null=True, blank=True)

    class Meta:
        ordering = ["-month"]
        verbose_name = _("monthly inquiry roll-up")
        verbose_name_plural = _("monthly inquiry roll-ups")

    def __str__(self) -> str:
        return self.month.strftime("%Y-%m")

    def get_absolute_url(self) -> str:
        return reverse("inquiries:rollup-report") + f"?month={self.month:%Y-%m}"


class InquiryRollupLineQuerySet(models.QuerySet):
    def visible_to(self, user):
        if user.is_superuser:
            return self
        return self.filter(
            segment__in=permissions.segments_where(user, Action.VIEW_INQUIRIES).values("pk")
        )


class InquiryRollupLine(models.Model):
    """One group of a month: BU × segment × owner × channel × decision ('' = still open)."""

    rollup = models.ForeignKey(InquiryRollup, on_delete=models.CASCADE, related_name="lines")
    business_unit = models.ForeignKey(BusinessUnit, on_delete=models.PROTECT, related_name="+")
    segment = models.ForeignKey(Segment, on_delete=models.PROTECT, related_name="+")
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    channel = models.CharField(max_length=20, choices=Channel.choices)
    decision = models.CharField(max_length=20, choices=Decision.choices, blank=True)
    count = models.PositiveIntegerField(default=0)
    conversions = models.PositiveIntegerField(default=0)
    still_open = models.PositiveIntegerField(default=0)
    median_days_to_decision = models.FloatField(null=True, blank=True)

    objects = InquiryRollupLineQuerySet.as_manager()

    class Meta:
        ordering = ["business_unit__code", "segment__code", "channel", "decision"]
        constraints = [
            models.UniqueConstraint(
                fields=["rollup", "business_unit", "segment", "owner", "channel", "decision"],
                name="inquiry_rollup_line_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.rollup} {self.segment_id} {self.channel} {self.decision or 'open'}"
