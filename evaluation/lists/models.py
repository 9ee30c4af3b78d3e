"""Target lists, their entries and their approval steps (process step 2.3.3)."""

from django.conf import settings
from django.db import models
from django.db.models import Count, Exists, F, OuterRef, Q, Subquery
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from evaluation.scoring.models import ScoreRun
from organisation import permissions
from organisation.models import Segment
from organisation.permissions import Scope


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

    def in_force_for(self, year: int, segments):
        """The year's lists in force of `segments` (a queryset or a list), one per segment."""
        return self.in_force().filter(year=year, segment__in=segments)

    def working_for(self, year: int, segments):
        """The year's lists being worked on of `segments`, one per segment at most."""
        return self.working().filter(year=year, segment__in=segments)

    def visible_to(self, user):
        """What the user may open: the lists of the segments the user oversees, and the lists
        where the user owns a customer (an account manager sees only those)."""
        segments = permissions.segments_where(user, permissions.Action.VIEW_TARGET_LISTS)
        return self.filter(Q(segment__in=segments) | Q(entries__owner=user)).distinct().with_org()

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
    def tier_codes(self) -> list[str]:
        return [tier["code"] for tier in self.run.tiers]

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

    def without_owner(self):
        """Target customers nobody owns yet: a list is not submitted while there are any."""
        return self.targets().filter(owner__isnull=True)

    def overrides(self):
        """Entries whose tier differs from the one scoring gave."""
        return self.exclude(tier=F("scored_tier"))

    def tier_counts_of(self, lists) -> dict[int, dict[str, int]]:
        """Target customers per tier of each list (every tier of its run, zero included),
        from one aggregate query for them all."""
        lists = list(lists)
        found: dict[int, dict[str, int]] = {tl.pk: {} for tl in lists}
        rows = (
            self.targets()
            .filter(target_list__in=lists)
            .values_list("target_list_id", "tier")
            .annotate(n=Count("pk"))
            .order_by()
        )
        for list_id, tier, count in rows:
            found[list_id][tier] = count
        return {tl.pk: {code: found[tl.pk].get(code, 0) for code in tl.tier_codes} for tl in lists}

    def claimed_twice(self, business_unit, year: int):
        """The targets of customers that two or more segments of the BU target in `year`, by
        customer and rank. Per segment the newest list counts: a revision in progress, else
        the list in force."""
        entries = self.targets().filter(
            target_list__in=TargetList.objects.newest(),
            target_list__segment__business_unit=business_unit,
            target_list__year=year,
        )
        claimed = (
            entries.values("customer_id")
            .annotate(n=Count("pk"))
            .filter(n__gt=1)
            .values("customer_id")
        )
        return entries.filter(customer_id__in=claimed).order_by("customer_id", "rank")

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
