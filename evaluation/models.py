"""Yearly goals, the criteria library, criteria sets with weights, rules and gates, and tier
policies (process step 2.3.1). Scoring and target lists build on these."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Exists, OuterRef, Q, Subquery
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

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


class CriteriaSetQuerySet(models.QuerySet):
    def for_scope(self, *, business_unit, segment=None):
        return self.filter(business_unit=business_unit, segment=segment)

    def published(self):
        return self.filter(status__in=[CriteriaSet.Status.PUBLISHED, CriteriaSet.Status.LOCKED])


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


class TargetListQuerySet(models.QuerySet):
    """Per segment and year there are at most two unsuperseded lists: the approved one (in
    force) and one being worked on (a first draft, or the next revision on its way to
    approval). Approving the revision supersedes the approved one."""

    def unsuperseded(self):
        return self.filter(superseded_at__isnull=True)

    def working(self):
        """The list being worked on per segment and year: not approved, not superseded."""
        return self.unsuperseded().exclude(state=TargetList.State.APPROVED)

    def in_force(self):
        """Per segment and year, the list everyone acts on: the approved one while it stands
        (a revision in progress does not replace it), else the one being worked on."""
        approved_exists = TargetList.objects.filter(
            segment=OuterRef("segment"),
            year=OuterRef("year"),
            state=TargetList.State.APPROVED,
            superseded_at__isnull=True,
        )
        return self.unsuperseded().filter(
            Q(state=TargetList.State.APPROVED) | ~Exists(approved_exists)
        )

    def newest(self):
        """Per segment and year, the list as it will be: the working one, else the approved
        one (what a consolidation looks at)."""
        working_exists = TargetList.objects.filter(
            segment=OuterRef("segment"), year=OuterRef("year"), superseded_at__isnull=True
        ).exclude(state=TargetList.State.APPROVED)
        return self.unsuperseded().filter(
            ~Q(state=TargetList.State.APPROVED) | ~Exists(working_exists)
        )

    def pending_revisions(self):
        """Revisions in progress beside an approved list still in force."""
        approved_exists = TargetList.objects.filter(
            segment=OuterRef("segment"),
            year=OuterRef("year"),
            state=TargetList.State.APPROVED,
            superseded_at__isnull=True,
        )
        return self.working().filter(Exists(approved_exists))

    def with_last_step(self):
        """The last transition's action and comment, for the shown state (sent back)."""
        last = ListTransition.objects.filter(target_list=OuterRef("pk")).order_by("-at", "-pk")
        return self.annotate(
            last_action=Subquery(last.values("action")[:1]),
            last_comment=Subquery(last.values("comment")[:1]),
        )

    def with_org(self):
        return self.select_related("segment__business_unit__business_group", "run")


class TargetList(models.Model):
    """A segment's tiered target customers for a planning year (年度目标客户分级名单), made from
    a score run: owners, plans and overrides live on its entries. Approval freezes it; a change
    after approval is a new revision, and the old one is kept, superseded."""

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        CONSOLIDATED = "consolidated", _("Consolidated")
        APPROVED = "approved", _("Approved")

    segment = models.ForeignKey(Segment, on_delete=models.PROTECT, related_name="target_lists")
    year = models.PositiveSmallIntegerField(_("planning year"))
    revision = models.PositiveSmallIntegerField(_("revision"), default=1)
    revision_reason = models.TextField(_("reason for the revision"), blank=True, max_length=2000)
    run = models.ForeignKey(ScoreRun, on_delete=models.PROTECT, related_name="target_lists")
    state = models.CharField(_("state"), max_length=12, choices=State.choices, default=State.DRAFT)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    superseded_at = models.DateTimeField(_("superseded at"), null=True, blank=True)

    objects = TargetListQuerySet.as_manager()

    class Meta:
        ordering = ["year", "segment__code", "-revision"]
        verbose_name = _("target list")
        verbose_name_plural = _("target lists")
        constraints = [
            models.UniqueConstraint(
                fields=["segment", "year", "revision"], name="target_list_revision_unique"
            ),
            # The list in force and the list being worked on: at most one of each.
            models.UniqueConstraint(
                fields=["segment", "year"],
                condition=Q(superseded_at__isnull=True, state="approved"),
                name="target_list_one_in_force",
            ),
            models.UniqueConstraint(
                fields=["segment", "year"],
                condition=Q(superseded_at__isnull=True) & ~Q(state="approved"),
                name="target_list_one_working",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.segment} {self.year} r{self.revision}"

    def get_absolute_url(self) -> str:
        return reverse("evaluation:target-list", args=[self.pk])

    def org_scope(self) -> Scope:
        return permissions.scope_of(self.segment)

    @property
    def is_editable(self) -> bool:
        return self.state == self.State.DRAFT and self.superseded_at is None

    def _last_step(self) -> tuple[str | None, str]:
        if not hasattr(self, "last_action"):  # not annotated by with_last_step()
            last = self.transitions.order_by("-at", "-pk").values("action", "comment").first()
            self.last_action = last["action"] if last else None
            self.last_comment = last["comment"] if last else ""
        return self.last_action, self.last_comment or ""

    @property
    def is_sent_back(self) -> bool:
        """Sent back and not moved since: a derived display state, the workflow's own states
        (draft, submitted) are unchanged."""
        return (
            self.state in (self.State.DRAFT, self.State.SUBMITTED)
            and self._last_step()[0] == ListTransition.Action.SEND_BACK
        )

    @property
    def sent_back_comment(self) -> str:
        return self._last_step()[1] if self.is_sent_back else ""

    @property
    def shown_state(self) -> str:
        return (
            pgettext_lazy("list state", "Sent back")
            if self.is_sent_back
            else self.get_state_display()
        )


class TargetEntryQuerySet(models.QuerySet):
    def targets(self):
        return self.exclude(tier="")

    def scored_from(self, facts_year: int, segments):
        """Targets on the lists in force of `segments` whose run read `facts_year`'s facts:
        a customer's tier as the customer list shows it beside that year's facts."""
        return self.targets().filter(
            target_list__in=TargetList.objects.in_force(),
            target_list__run__facts_year=facts_year,
            target_list__segment__in=segments,
        )


class TargetEntry(models.Model):
    """A customer on a target list: its tier (the run's, or an override with a reason), its
    owner and its development plan. Customers the run left general are stored only when an
    override lifts them into a tier."""

    target_list = models.ForeignKey(TargetList, on_delete=models.CASCADE, related_name="entries")
    customer = models.ForeignKey(
        "customers.Customer", on_delete=models.PROTECT, related_name="target_entries"
    )
    rank = models.PositiveIntegerField(_("rank"), null=True, blank=True)
    total = models.DecimalField(_("total"), max_digits=5, decimal_places=2)
    scored_tier = models.CharField(_("tier from scoring"), max_length=10, blank=True)
    tier = models.CharField(_("tier"), max_length=10, blank=True)
    override_reason = models.CharField(_("reason for the override"), max_length=500, blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="owned_target_entries",
        verbose_name=_("owner"),
    )
    plan_objective = models.CharField(_("objective"), max_length=300, blank=True)
    plan_actions = models.TextField(_("actions"), max_length=2000, blank=True)
    plan_next_date = models.DateField(_("next step on"), null=True, blank=True)

    objects = TargetEntryQuerySet.as_manager()

    class Meta:
        ordering = ["target_list", "rank", "customer_id"]
        verbose_name = _("target customer")
        verbose_name_plural = _("target customers")
        constraints = [
            models.UniqueConstraint(fields=["target_list", "customer"], name="target_entry_unique"),
            models.CheckConstraint(
                condition=Q(tier=models.F("scored_tier")) | ~Q(override_reason=""),
                name="target_entry_override_has_reason",
            ),
        ]
        indexes = [
            models.Index(fields=["owner", "target_list"], name="target_entry_owner"),
            models.Index(fields=["target_list", "rank", "customer"], name="target_entry_rank"),
        ]

    def __str__(self) -> str:
        return f"{self.customer_id} {self.tier or '-'}"

    @property
    def is_override(self) -> bool:
        return self.tier != self.scored_tier


class ListTransition(models.Model):
    """Who moved a target list, when and why: the approval trail."""

    class Action(models.TextChoices):
        CREATE = "create", _("Created")
        REBUILD = "rebuild", _("Rebuilt from a new score run")
        SUBMIT = "submit", _("Submitted")
        CONSOLIDATE = "consolidate", _("Consolidated")
        APPROVE = "approve", _("Approved")
        SEND_BACK = "send_back", _("Sent back")
        REVISE = "revise", _("Revised")

    target_list = models.ForeignKey(
        TargetList, on_delete=models.CASCADE, related_name="transitions"
    )
    action = models.CharField(_("action"), max_length=12, choices=Action.choices)
    from_state = models.CharField(_("from"), max_length=12, blank=True)
    to_state = models.CharField(_("to"), max_length=12)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    at = models.DateTimeField(_("at"), auto_now_add=True)
    comment = models.TextField(_("comment"), blank=True, max_length=2000)

    class Meta:
        ordering = ["target_list", "at", "pk"]
        verbose_name = _("list transition")
        verbose_name_plural = _("list transitions")

    def __str__(self) -> str:
        return f"{self.target_list} {self.action}"
