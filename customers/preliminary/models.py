"""The preliminary annual lists (初步客户名单, 2.3.2): a segment's list for a planning year, the
customers nominated into it, and the reminders sent to their researchers.

The reads, writes and pages are in the customers.preliminary package; customers/models.py imports
these models, so Django loads them with the app's models.
"""

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from customers.models import CustomerYear
from organisation import permissions
from organisation.models import Segment
from organisation.permissions import Scope


class PreliminaryListQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(
            segment__in=permissions.segments_where(user, permissions.Action.VIEW_CUSTOMERS)
        )

    def with_org(self):
        return self.select_related("segment__business_unit__business_group")

    def of_year(self, year: int):
        return self.filter(year=year)

    def with_responsible(self):
        return self.select_related("responsible")

    def year_numbers(self) -> set[int]:
        """The planning years that have a list, as plain numbers."""
        return set(self.values_list("year", flat=True))


class PreliminaryList(models.Model):
    """A segment's list of customers to collect for one planning year (初步客户名单)."""

    segment = models.ForeignKey(Segment, on_delete=models.PROTECT, related_name="preliminary_lists")
    year = models.PositiveSmallIntegerField(_("planning year"))
    proposed_quota = models.PositiveIntegerField(
        _("proposed quota"), null=True, blank=True, help_text=_("Proposed by the segment manager.")
    )
    quota = models.PositiveIntegerField(
        _("quota"), null=True, blank=True, help_text=_("Set by the BU marketing VP.")
    )
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("responsible for upkeep"),
    )

    objects = PreliminaryListQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "segment__code"]
        verbose_name = _("preliminary list")
        verbose_name_plural = _("preliminary lists")
        constraints = [
            models.UniqueConstraint(fields=["segment", "year"], name="preliminary_list_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.segment} {self.year}"

    def get_absolute_url(self) -> str:
        return reverse("customers:preliminary-list-detail", args=[self.segment.code, self.year])

    @property
    def facts_year(self) -> int:
        """Planning year Y collects the facts of year Y−1 (what the score run reads)."""
        return self.year - 1

    def org_scope(self) -> Scope:
        return permissions.scope_of(self.segment)


class NominationQuerySet(models.QuerySet):
    """Reads over nominations; the facts year is always the list's year − 1."""

    def _facts(self, **conditions):
        return Exists(
            CustomerYear.objects.filter(
                customer_id=OuterRef("customer_id"),
                year=OuterRef("preliminary_list__year") - 1,
                **conditions,
            )
        )

    def preliminary_form_complete(self):
        """The preliminary info form (region, industry, revenue, employees) is filled."""
        return (
            self.exclude(customer__region="")
            .exclude(customer__industry="")
            .filter(self._facts(revenue__isnull=False, employees__isnull=False))
        )

    def fully_complete(self):
        """Both survey forms (and the BU's rated attributes) are filled: stored completeness 100."""
        return self.filter(self._facts(completeness__gte=100))

    def incomplete(self):
        return self.exclude(self._facts(completeness__gte=100))

    def assigned_to(self, user):
        return self.filter(researcher=user)


class Nomination(models.Model):
    """A customer nominated into a preliminary list, with the researcher collecting its data."""

    preliminary_list = models.ForeignKey(
        PreliminaryList, on_delete=models.CASCADE, related_name="nominations"
    )
    customer = models.ForeignKey(
        "customers.Customer", on_delete=models.PROTECT, related_name="nominations"
    )
    researcher = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("researcher"),
    )
    nominated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    nominated_at = models.DateTimeField(_("nominated at"), auto_now_add=True)

    objects = NominationQuerySet.as_manager()

    class Meta:
        ordering = ["nominated_at"]
        verbose_name = _("nomination")
        verbose_name_plural = _("nominations")
        constraints = [
            models.UniqueConstraint(
                fields=["preliminary_list", "customer"], name="nomination_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.customer} → {self.preliminary_list}"


class ResearcherNudge(models.Model):
    """A reminder sent to a researcher about their incomplete nominations in one list.

    Kept so a researcher is nudged at most once a day per list.
    """

    preliminary_list = models.ForeignKey(
        PreliminaryList, on_delete=models.CASCADE, related_name="nudges"
    )
    researcher = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("researcher"),
    )
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("sent by"),
    )
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-sent_at"]
        verbose_name = _("researcher reminder")
        verbose_name_plural = _("researcher reminders")

    def __str__(self) -> str:
        return f"{self.researcher} · {self.preliminary_list} · {self.sent_at:%Y-%m-%d %H:%M}"
