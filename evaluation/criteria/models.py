"""Yearly goals, the criteria library, criteria sets with weights, rules and gates, and tier
policies (process step 2.3.1)."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from evaluation.criteria.querysets import CriteriaSetQuerySet, TierPolicyQuerySet
from organisation import permissions
from organisation.models import BusinessGroup, BusinessUnit, Segment, localised
from organisation.permissions import Scope


class Family(models.TextChoices):
    PROFITABILITY = "profitability", _("Profitability")
    SUSTAINABILITY = "sustainability", _("Sustainability")
    ACCESSIBILITY = "accessibility", _("Accessibility")
    IMPLEMENTABILITY = "implementability", _("Implementability")


ATTRACTIVENESS = (Family.PROFITABILITY, Family.SUSTAINABILITY)
FEASIBILITY = (Family.ACCESSIBILITY, Family.IMPLEMENTABILITY)


class _Named(models.Model):
    name_zh = models.CharField(_("Chinese name"), max_length=100)
    name_en = models.CharField(_("English name"), max_length=100, blank=True)

    class Meta:
        abstract = True

    @property
    def name(self) -> str:
        return localised(self.name_zh, self.name_en)


class Goal(models.Model):
    """A BG's strategy and customer-development goals, or a BU's customer-service goals, for a
    year: the reason for that year's criteria."""

    business_group = models.ForeignKey(
        BusinessGroup, on_delete=models.PROTECT, null=True, blank=True, related_name="goals"
    )
    business_unit = models.ForeignKey(
        BusinessUnit, on_delete=models.PROTECT, null=True, blank=True, related_name="goals"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    strategy = models.TextField(_("strategy and goals"), max_length=5000)
    target_customer_count = models.PositiveIntegerField(
        _("number of target customers"), null=True, blank=True
    )
    target_revenue = models.DecimalField(
        _("revenue from target customers (CNY)"),
        max_digits=18,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0))],
    )
    resource_share = models.PositiveSmallIntegerField(
        _("share of resources for target customers (%)"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(100)],
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("yearly goal")
        verbose_name_plural = _("yearly goals")
        constraints = [
            models.CheckConstraint(
                name="goal_one_scope",
                condition=Q(business_group__isnull=False, business_unit__isnull=True)
                | Q(business_group__isnull=True, business_unit__isnull=False),
            ),
            models.UniqueConstraint(
                fields=["business_group", "year"],
                condition=Q(business_group__isnull=False),
                name="goal_bg_year",
            ),
            models.UniqueConstraint(
                fields=["business_unit", "year"],
                condition=Q(business_unit__isnull=False),
                name="goal_bu_year",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.business_group or self.business_unit} {self.year}"

    def org_scope(self) -> Scope:
        return permissions.scope_of(self.business_group or self.business_unit)


class CriterionTemplate(_Named):
    """A reusable criterion in the library, with a suggested rule."""

    key = models.SlugField(_("key"), max_length=50, unique=True)
    family = models.CharField(_("family"), max_length=20, choices=Family.choices)
    source = models.CharField(_("source"), max_length=50)
    rule = models.JSONField(_("suggested rule"), default=dict, blank=True)
    description = models.CharField(_("description"), max_length=300, blank=True)

    class Meta:
        ordering = ["family", "key"]
        verbose_name = _("criterion template")
        verbose_name_plural = _("criteria library")

    def __str__(self) -> str:
        return self.name


def _cents(number) -> Decimal:
    """A weight or gate of a saved document as the database gives it back (2 places)."""
    return Decimal(str(number)).quantize(Decimal("0.01"))


class CriteriaSet(models.Model):
    """The criteria, weights, rules and gates of one scope (BU default or segment override)
    for one planning year. Edits bump `version`; each saved version is kept as a snapshot.

    The rows (`criteria`) are the latest version. `published_version` is the version in force
    for scoring: editing a published set makes a newer draft version while the published one
    stays in force until the draft is published. `status` says whether a version is in force
    (published, or locked once an approved target list used it) or none yet (draft).
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        LOCKED = "locked", _("Locked")

    year = models.PositiveSmallIntegerField(_("planning year"))
    business_unit = models.ForeignKey(
        BusinessUnit,
        on_delete=models.PROTECT,
        related_name="criteria_sets",
        verbose_name=_("business unit"),
    )
    segment = models.ForeignKey(
        Segment,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="criteria_sets",
        verbose_name=_("market segment"),
        help_text=_("Empty: the BU default."),
    )
    name = models.CharField(_("name"), max_length=200)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    version = models.PositiveIntegerField(_("version"), default=1)
    published_version = models.PositiveIntegerField(_("version in force"), null=True, blank=True)
    copied_from = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    history = HistoricalRecords(excluded_fields=["updated_at"])
    objects = CriteriaSetQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "business_unit__code", "segment__code"]
        verbose_name = _("criteria set")
        verbose_name_plural = _("criteria sets")
        constraints = [
            # One set per scope and year; its versions live in CriteriaSetVersion.
            models.UniqueConstraint(
                fields=["business_unit", "year"],
                condition=Q(segment__isnull=True),
                name="criteria_set_bu_year",
            ),
            models.UniqueConstraint(
                fields=["segment", "year"],
                condition=Q(segment__isnull=False),
                name="criteria_set_segment_year",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.year}, v{self.version})"

    def get_absolute_url(self) -> str:
        return reverse("evaluation:criteria-set-detail", args=[self.pk])

    @property
    def scope_unit(self):
        return self.segment or self.business_unit

    @property
    def is_editable(self) -> bool:
        return self.status != self.Status.LOCKED

    @property
    def in_force(self) -> bool:
        return self.published_version is not None and self.status != self.Status.DRAFT

    @property
    def has_pending_draft(self) -> bool:
        """A version newer than the one in force, not yet published."""
        return self.in_force and self.version > self.published_version

    def criteria_in_force(self) -> list["Criterion"]:
        """The criteria of the published version (unsaved rows when a newer draft exists),
        in order; empty while no version is in force."""
        if not self.in_force:
            return []
        if not self.has_pending_draft:
            return list(self.criteria.all())
        document = self.versions.get(number=self.published_version).document
        return [
            Criterion(
                criteria_set=self,
                order=order,
                key=item["key"],
                name_zh=item["name_zh"],
                name_en=item.get("name_en") or "",
                family=item["family"],
                source=item["source"],
                weight=_cents(item["weight"]),
                rule=item["rule"],
                gate=None if item.get("gate") is None else _cents(item["gate"]),
            )
            for order, item in enumerate(document["criteria"])
        ]

    def org_scope(self) -> Scope:
        return permissions.scope_of(self.scope_unit)


class Criterion(_Named):
    criteria_set = models.ForeignKey(CriteriaSet, on_delete=models.CASCADE, related_name="criteria")
    key = models.SlugField(_("key"), max_length=50)
    family = models.CharField(_("family"), max_length=20, choices=Family.choices)
    source = models.CharField(_("source"), max_length=50)
    weight = models.DecimalField(
        _("weight (%)"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))],
    )
    rule = models.JSONField(_("rule"))
    gate = models.DecimalField(
        _("gate (minimum points)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))],
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["criteria_set", "order", "pk"]
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        constraints = [
            models.UniqueConstraint(fields=["criteria_set", "key"], name="criterion_key_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.key} ({self.weight}%)"


class CriteriaSetVersion(models.Model):
    """A saved state of a criteria set (its JSON dump), for comparing any two versions."""

    criteria_set = models.ForeignKey(CriteriaSet, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    document = models.JSONField(_("content"))
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["criteria_set", "-number"]
        verbose_name = _("criteria set version")
        verbose_name_plural = _("criteria set versions")
        constraints = [
            models.UniqueConstraint(
                fields=["criteria_set", "number"], name="criteria_set_version_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.criteria_set.name} v{self.number}"


class TierPolicy(models.Model):
    """The ordered tiers of a scope and year, each with its rule and principles."""

    year = models.PositiveSmallIntegerField(_("planning year"))
    business_unit = models.ForeignKey(
        BusinessUnit, on_delete=models.PROTECT, related_name="tier_policies"
    )
    segment = models.ForeignKey(
        Segment, on_delete=models.PROTECT, null=True, blank=True, related_name="tier_policies"
    )
    version = models.PositiveIntegerField(_("version"), default=1)

    history = HistoricalRecords()
    objects = TierPolicyQuerySet.as_manager()

    class Meta:
        verbose_name = _("tier policy")
        verbose_name_plural = _("tier policies")
        constraints = [
            models.UniqueConstraint(
                fields=["business_unit", "year"],
                condition=Q(segment__isnull=True),
                name="tier_policy_bu_year",
            ),
            models.UniqueConstraint(
                fields=["segment", "year"],
                condition=Q(segment__isnull=False),
                name="tier_policy_segment_year",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.segment or self.business_unit} {self.year}"

    def org_scope(self) -> Scope:
        return permissions.scope_of(self.segment or self.business_unit)


# A tier's principles: free text carried from the policy to the lists and their documents.
TIER_TEXT_FIELDS = (
    "development_principle",
    "service_level",
    "contact_frequency",
    "responsible_role",
)
# What a tier policy's editor and audit trail show of each tier, besides its code or order.
TIER_SHOWN_FIELDS = ("name_zh", "name_en", "rule_type", "rule_value", *TIER_TEXT_FIELDS)


class Tier(_Named):
    class RuleType(models.TextChoices):
        TOP_N = "top_n", _("Top N customers")
        TOP_PERCENT = "top_percent", _("Top percent of eligible customers")
        MIN_SCORE = "min_score", _("Minimum total score")

    policy = models.ForeignKey(TierPolicy, on_delete=models.CASCADE, related_name="tiers")
    order = models.PositiveSmallIntegerField(_("order"))
    code = models.CharField(_("code"), max_length=10)
    rule_type = models.CharField(_("rule"), max_length=12, choices=RuleType.choices)
    rule_value = models.DecimalField(
        _("value"), max_digits=10, decimal_places=2, validators=[MinValueValidator(Decimal(0))]
    )
    development_principle = models.TextField(
        _("development principle"), blank=True, max_length=2000
    )
    service_level = models.CharField(_("service level"), max_length=200, blank=True)
    contact_frequency = models.CharField(_("contact frequency"), max_length=100, blank=True)
    responsible_role = models.CharField(_("responsible role"), max_length=100, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["policy", "order"]
        verbose_name = _("tier")
        verbose_name_plural = _("tiers")
        constraints = [
            models.UniqueConstraint(fields=["policy", "code"], name="tier_code_unique"),
            models.UniqueConstraint(fields=["policy", "order"], name="tier_order_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"
