"""The annual review (process step 2.3.6): development results of the year's target customers,
the segment managers' summaries, the BU VP's sign-off and the trail of every review step.

The year of a review is the planning year Y of the approved target lists; results are recorded
during Y. Next year's goals are confirmed on evaluation.Goal (confirmed_by/at).
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from organisation import permissions
from organisation.models import BusinessGroup, BusinessUnit, Segment
from organisation.permissions import Scope


class Stage(models.TextChoices):
    IDENTIFIED = "identified", _("Identified")
    CONTACTED = "contacted", _("Contacted")
    PROPOSAL = "proposal", _("Proposal")
    NEGOTIATION = "negotiation", _("Negotiation")
    WON = "won", _("Won")
    LOST = "lost", _("Lost")
    DORMANT = "dormant", _("Dormant")


# A target customer "had activity" when its relationship moved past identification and did
# not fall dormant, or when it produced revenue or a contract (coverage counts these).
ACTIVE_STAGES = (Stage.CONTACTED, Stage.PROPOSAL, Stage.NEGOTIATION, Stage.WON, Stage.LOST)

MAX_REVENUE_DIGITS = 18


class DevelopmentResultQuerySet(models.QuerySet):
    def for_year(self, year: int):
        return self.filter(year=year)


class DevelopmentResult(models.Model):
    """What an owner achieved with one target customer of an approved list during the year.

    One per segment, year and customer, so a result survives a revision of the approved list;
    `target_entry` is the entry it was last recorded against.
    """

    segment = models.ForeignKey(
        Segment, on_delete=models.PROTECT, related_name="+", verbose_name=_("market segment")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    customer = models.ForeignKey(
        "customers.Customer",
        on_delete=models.PROTECT,
        related_name="development_results",
        verbose_name=_("customer"),
    )
    target_entry = models.ForeignKey(
        "evaluation.TargetEntry",
        on_delete=models.PROTECT,
        related_name="development_results",
        verbose_name=_("target customer"),
    )
    revenue_won = models.DecimalField(
        _("revenue won (CNY)"),
        max_digits=MAX_REVENUE_DIGITS,
        decimal_places=2,
        default=Decimal(0),
        validators=[MinValueValidator(Decimal(0))],
    )
    contracts_signed = models.PositiveIntegerField(_("contracts signed"), default=0)
    stage = models.CharField(_("relationship stage"), max_length=12, choices=Stage.choices)
    notes = models.TextField(_("notes"), blank=True, max_length=2000)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords()
    objects = DevelopmentResultQuerySet.as_manager()

    class Meta:
        ordering = ["year", "segment", "customer"]
        verbose_name = _("development result")
        verbose_name_plural = _("development results")
        constraints = [
            models.UniqueConstraint(
                fields=["segment", "year", "customer"], name="development_result_unique"
            ),
            models.CheckConstraint(
                condition=Q(revenue_won__gte=0), name="development_result_revenue_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(stage__in=Stage.values), name="development_result_stage_known"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.customer_id} {self.year} {self.stage}"

    def org_scope(self) -> Scope:
        return permissions.scope_of(self.segment)

    @property
    def had_activity(self) -> bool:
        return self.stage in ACTIVE_STAGES or self.revenue_won > 0 or self.contracts_signed > 0

    @property
    def converted(self) -> bool:
        return self.stage == Stage.WON or self.contracts_signed > 0


class SegmentReview(models.Model):
    """The segment manager's summary of the segment's year."""

    segment = models.ForeignKey(
        Segment, on_delete=models.PROTECT, related_name="+", verbose_name=_("market segment")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    summary = models.TextField(_("summary"), max_length=5000)
    summarised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    summarised_at = models.DateTimeField(_("summarised at"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("segment review")
        verbose_name_plural = _("segment reviews")
        constraints = [
            models.UniqueConstraint(fields=["segment", "year"], name="segment_review_unique")
        ]

    def __str__(self) -> str:
        return f"{self.segment} {self.year}"


class BUReview(models.Model):
    """The BU VP's sign-off of the BU's review; signed once (a conditional UPDATE)."""

    business_unit = models.ForeignKey(
        BusinessUnit, on_delete=models.PROTECT, related_name="+", verbose_name=_("business unit")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    comment = models.TextField(_("comment"), blank=True, max_length=5000)
    signed_off_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    signed_off_at = models.DateTimeField(_("signed off at"), null=True, blank=True)

    class Meta:
        verbose_name = _("BU review")
        verbose_name_plural = _("BU reviews")
        constraints = [
            models.UniqueConstraint(fields=["business_unit", "year"], name="bu_review_unique")
        ]

    def __str__(self) -> str:
        return f"{self.business_unit} {self.year}"

    @property
    def is_signed_off(self) -> bool:
        return self.signed_off_at is not None


class ReviewStep(models.Model):
    """The review trail: who did which step of a year's review, when, and a short detail."""

    class Kind(models.TextChoices):
        SUMMARISED = "summarised", _("Segment summarised")
        SIGNED_OFF = "signed_off", _("BU review signed off")
        GOALS_CONFIRMED = "goals_confirmed", _("Next year's goals confirmed")
        DRAFT_CREATED = "draft_created", _("Draft for next year created")

    year = models.PositiveSmallIntegerField(_("year"))
    kind = models.CharField(_("step"), max_length=20, choices=Kind.choices)
    business_group = models.ForeignKey(
        BusinessGroup, on_delete=models.PROTECT, related_name="+", verbose_name=_("business group")
    )
    business_unit = models.ForeignKey(
        BusinessUnit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("business unit"),
    )
    segment = models.ForeignKey(
        Segment,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("market segment"),
    )
    detail = models.CharField(_("detail"), max_length=500, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        ordering = ["year", "at", "pk"]
        verbose_name = _("review step")
        verbose_name_plural = _("review steps")

    def __str__(self) -> str:
        return f"{self.year} {self.kind}"
