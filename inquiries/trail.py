"""An inquiry's trail: the follow-ups recorded on it and the events of its history.

inquiries/models.py imports these models, so Django loads them with the app's models.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from inquiries.models import NOTE_MAX


class RecordedByQuerySet(models.QuerySet):
    """Reads over an inquiry's follow-ups and events, each recorded by someone (`by`)."""

    def with_author(self):
        return self.select_related("by")


class RecordedBy(models.Model):
    """What an inquiry's follow-ups and events share: who recorded them."""

    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    objects = RecordedByQuerySet.as_manager()

    class Meta:
        abstract = True


class InquiryFollowUp(RecordedBy):
    """The customer's feedback and our next steps, dated."""

    inquiry = models.ForeignKey(
        "inquiries.Inquiry", on_delete=models.CASCADE, related_name="follow_ups"
    )
    happened_on = models.DateField(_("date"))
    feedback = models.TextField(
        _("customer's feedback"),
        max_length=NOTE_MAX,
        validators=[MaxLengthValidator(NOTE_MAX)],
        blank=True,
    )
    next_steps = models.TextField(
        _("our next steps"),
        max_length=NOTE_MAX,
        validators=[MaxLengthValidator(NOTE_MAX)],
        blank=True,
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["happened_on", "created_at"]
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")

    def __str__(self) -> str:
        return f"{self.inquiry} · {self.happened_on}"


class InquiryEvent(RecordedBy):
    """One line of an inquiry's history: who did what, when."""

    class Kind(models.TextChoices):
        LOGGED = "logged", _("Logged")
        EDITED = "edited", _("Edited")
        DECIDED = "decided", _("Decided")
        REFERRED_IN = "referred_in", _("Received by referral")
        FOLLOW_UP = "follow_up", _("Follow-up")

    inquiry = models.ForeignKey(
        "inquiries.Inquiry", on_delete=models.CASCADE, related_name="events"
    )
    kind = models.CharField(_("event"), max_length=20, choices=Kind.choices)
    at = models.DateTimeField(_("when"), default=timezone.now)
    text = models.CharField(_("details"), max_length=500, blank=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("inquiry event")
        verbose_name_plural = _("inquiry events")

    def __str__(self) -> str:
        return f"{self.inquiry_id} {self.kind} {self.at:%Y-%m-%d}"
