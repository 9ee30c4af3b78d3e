"""Cold-call inquiries (2.3.5): the log and review decisions. Follow-ups and events are in
inquiries.trail, the monthly roll-ups in inquiries.rollup_models (both imported at the end)."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, RegexValidator
from django.db import connections, models
from django.db.models import Aggregate, Count, FloatField, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from customers.models import validate_credit_code
from inquiries import matching
from organisation import permissions
from organisation.models import BusinessUnit, Segment
from organisation.permissions import Action, Scope

REQUEST_MAX = 4000
HANDLING_MAX = 2000
NOTE_MAX = 2000
# Clock drift allowed between a phone and the server before a time counts as "future".
FUTURE_TOLERANCE = timedelta(minutes=5)

phone_validator = RegexValidator(
    r"^\+?[0-9][0-9 ()\-]{4,30}(( ?(ext|x|转|分机) ?)[0-9]{1,6})?$",
    _("Enter a phone number: digits, spaces, '+', '-', brackets, optionally an extension."),
    code="invalid_phone",
)


class Channel(models.TextChoices):
    PHONE = "phone", _("Phone")
    EMAIL = "email", _("E-mail")
    WEB_FORM = "web_form", _("Web form")
    VISIT = "visit", _("Visit")
    REFERRAL = "referral", _("Referral")


class Decision(models.TextChoices):
    TARGET = "target", _("Add as target prospect")
    SERVE_ONCE = "serve_once", _("Serve once")
    DECLINE = "decline", _("Decline")
    REFER = "refer", _("Refer elsewhere")


class DeclineReason(models.TextChoices):
    OUTSIDE_STRATEGY = "outside_strategy", _("Outside our strategy or segments")
    TOO_SMALL = "too_small", _("Too small for us")
    NO_CAPACITY = "no_capacity", _("No capacity at present")
    CREDIT_RISK = "credit_risk", _("Credit or payment risk")
    CONFLICT = "conflict", _("Conflict of interest or competitor")
    OTHER = "other", _("Other reason")


# The fields a person (or the API) gives when logging or editing an inquiry.
INPUT_FIELDS = (
    "received_at",
    "channel",
    "segment",
    "company_name",
    "credit_code",
    "contact_name",
    "contact_phone",
    "contact_email",
    "request",
    "initial_handling",
    "customer",
)

GROUP_KEYS = ("business_unit_id", "segment_id", "owner_id", "channel", "decision")


class Median(Aggregate):
    """PostgreSQL's exact median (the 50th percentile, interpolated)."""

    function = "PERCENTILE_CONT"
    name = "median"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()


def review_days() -> int:
    return settings.INQUIRY_REVIEW_DAYS


class InquiryQuerySet(models.QuerySet):
    def with_org(self):
        return self.select_related(
            "segment__business_unit__business_group", "logged_by", "owner", "customer"
        )

    def with_segment(self):
        return self.select_related("segment")

    def open(self):
        return self.filter(decision="")

    def decided(self):
        return self.exclude(decision="")

    def visible_to(self, user, action: Action = Action.VIEW_INQUIRIES):
        """Inquiries of the segments where the user may `action`, plus those they logged."""
        if user.is_superuser:
            return self
        segment_ids = list(permissions.segments_where(user, action).values_list("pk", flat=True))
        return self.filter(Q(segment_id__in=segment_ids) | Q(logged_by=user))

    def to_decide_by(self, user):
        """The user's review queue: open inquiries of the segments they decide, oldest first."""
        return self.visible_to(user, Action.DECIDE_INQUIRY).open().order_by("received_at")

    def overdue(self, now=None):
        now = now or timezone.now()
        return self.open().filter(received_at__lt=now - timedelta(days=review_days()))

    def received_between(self, start, end):
        return self.filter(received_at__gte=start, received_at__lt=end)

    def in_status(self, status: str):
        """'open' or 'decided'; anything else (the list's "all") leaves the queryset as it is."""
        return {"open": self.open, "decided": self.decided}.get(status, self.all)()

    def named_like(self, query: str):
        """The company name contains `query`, as typed or normalised (suffixes, spaces)."""
        return self.filter(
            Q(company_name__icontains=query)
            | Q(normalised_name__contains=matching.normalise_name(query))
        )

    def logged_by(self, user):
        return self.filter(logged_by=user)

    def last_segment_id_logged_by(self, user) -> int | None:
        """The segment of the user's latest inquiry (a new one starts there), else None."""
        return (
            self.logged_by(user)
            .order_by("-created_at")
            .values_list("segment_id", flat=True)
            .first()
        )

    def rollup_groups(self) -> list[dict]:
        """Counts per BU × segment × owner × channel × decision, in one grouped query.

        On PostgreSQL the median days to decision is computed in the same query; SQLite has
        no percentile function, so there a second query fetches the decided rows' days.
        """
        from inquiries import rollup

        grouped = self.order_by().values(*GROUP_KEYS)
        aggregates = {
            "count": Count("pk"),
            "conversions": Count("pk", filter=Q(decision=Decision.TARGET)),
            "still_open": Count("pk", filter=Q(decision="")),
        }
        postgres = connections[self.db].vendor == "postgresql"
        if postgres:
            aggregates["median_days_to_decision"] = Median("days_to_decision")
        rows = [dict(row) for row in grouped.annotate(**aggregates)]
        if not postgres:
            days: dict[tuple, list[float]] = {}
            decided = self.order_by().exclude(decision="").filter(days_to_decision__isnull=False)
            for *key, value in decided.values_list(*GROUP_KEYS, "days_to_decision"):
                days.setdefault(tuple(key), []).append(value)
            for row in rows:
                row["median_days_to_decision"] = rollup.median(
                    days.get(tuple(row[k] for k in GROUP_KEYS), [])
                )
        for row in rows:
            row["median_days_to_decision"] = rollup.rounded_days(row["median_days_to_decision"])
        return rows


class Inquiry(models.Model):
    """One unsolicited inquiry (一般客户业务查询记录), logged by an account manager."""

    class Via(models.TextChoices):
        WEB = "web", _("Web page")
        API = "api", _("Intake API")

    received_at = models.DateTimeField(_("received at"))
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    business_unit = models.ForeignKey(
        BusinessUnit, on_delete=models.PROTECT, related_name="+", verbose_name=_("business unit")
    )
    segment = models.ForeignKey(
        Segment,
        on_delete=models.PROTECT,
        related_name="inquiries",
        verbose_name=_("market segment"),
    )
    company_name = models.CharField(_("company name"), max_length=200)
    normalised_name = models.CharField(max_length=200, editable=False)
    credit_code = models.CharField(
        _("unified social credit code"),
        max_length=18,
        blank=True,
        validators=[validate_credit_code],
    )
    customer = models.ForeignKey(
        "customers.Customer",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="inquiries",
        verbose_name=_("customer"),
    )
    contact_name = models.CharField(_("contact name"), max_length=100)
    contact_phone = models.CharField(
        _("contact phone"), max_length=40, blank=True, validators=[phone_validator]
    )
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    request = models.TextField(
        _("what they asked for"),
        max_length=REQUEST_MAX,
        validators=[MaxLengthValidator(REQUEST_MAX)],
    )
    initial_handling = models.TextField(
        _("initial handling"),
        max_length=HANDLING_MAX,
        validators=[MaxLengthValidator(HANDLING_MAX)],
        blank=True,
    )
    logged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("logged by"),
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="owned_inquiries",
        verbose_name=_("owner"),
    )
    via = models.CharField(_("logged through"), max_length=10, choices=Via.choices, default=Via.WEB)
    possible_duplicate_of = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("possible duplicate of"),
    )
    referred_from = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="referrals",
        verbose_name=_("referred from"),
    )
    # The decision; empty while the inquiry waits for review.
    decision = models.CharField(
        _("decision"), max_length=20, choices=Decision.choices, blank=True, default=""
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    # Kept at decision time so the roll-up can take a median in SQL.
    days_to_decision = models.FloatField(_("days to decision"), null=True, blank=True)
    decline_reason = models.CharField(
        _("reason"), max_length=30, choices=DeclineReason.choices, blank=True
    )
    decision_note = models.TextField(
        _("note"), max_length=NOTE_MAX, validators=[MaxLengthValidator(NOTE_MAX)], blank=True
    )
    referred_to = models.ForeignKey(
        Segment,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("referred to"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = InquiryQuerySet.as_manager()

    class Meta:
        ordering = ["-received_at", "-pk"]
        verbose_name = _("inquiry")
        verbose_name_plural = _("inquiries")
        indexes = [
            models.Index(fields=["received_at"], name="inquiry_received"),
            models.Index(fields=["segment", "decision", "received_at"], name="inquiry_queue"),
            models.Index(fields=["normalised_name", "received_at"], name="inquiry_name"),
            models.Index(fields=["credit_code"], name="inquiry_credit_code"),
            models.Index(fields=["logged_by", "-created_at"], name="inquiry_logger"),
        ]
        constraints = [
            models.CheckConstraint(
                name="inquiry_decision_has_when",
                condition=Q(decision="") | Q(decided_at__isnull=False),
            ),
            models.CheckConstraint(
                name="inquiry_decline_has_reason",
                condition=~Q(decision="decline") | ~Q(decline_reason=""),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.company_name} ({timezone.localtime(self.received_at):%Y-%m-%d})"

    def get_absolute_url(self) -> str:
        return reverse("inquiries:inquiry-detail", args=[self.pk])

    def org_scope(self) -> Scope:
        return permissions.scope_of(self.segment)

    def clean(self) -> None:
        errors = {}
        if self.received_at and self.received_at > timezone.now() + FUTURE_TOLERANCE:
            errors["received_at"] = _("The time received cannot be in the future.")
        if not (self.contact_phone or "").strip() and not (self.contact_email or "").strip():
            errors["contact_phone"] = _("Give a phone number or an e-mail address of the contact.")
        if errors:
            raise ValidationError(errors)

    @property
    def is_open(self) -> bool:
        return not self.decision

    @property
    def is_overdue(self) -> bool:
        return self.is_open and self.received_at < timezone.now() - timedelta(days=review_days())

    @property
    def days_waiting(self) -> int:
        return (timezone.now() - self.received_at).days


# Defined beside what uses them; imported here so they load with the app's models.
from inquiries.rollup_models import (  # noqa: E402, F401
    InquiryRollup,
    InquiryRollupLine,
    InquiryRollupLineQuerySet,
)
from inquiries.trail import (  # noqa: E402, F401
    InquiryEvent,
    InquiryFollowUp,
    RecordedBy,
    RecordedByQuerySet,
)
