"""The customer database (2.3.4): customers, their contacts and their facts by year.

The app's other models live beside what uses them: rated attributes in `customers.attributes`,
the preliminary lists (2.3.2) in `customers.preliminary.models`, import runs in
`customers.imports.runs`. They are imported at the end of this module, so Django loads them with
the app's models under the one app label, and the project imports them all from here.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, FilteredRelation, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from customers import credit_code
from customers.reference import Industry, Region
from organisation import permissions
from organisation.models import BusinessUnit, Segment, localised
from organisation.permissions import Scope

CREDIT_CODE_PROBLEMS = {
    "length": _("A unified social credit code has exactly 18 characters."),
    "characters": _(
        "A unified social credit code uses digits and capital letters except I, O, Z, S and V."
    ),
    "division": _(
        "Characters 3 to 8 of a unified social credit code are the administrative division code (digits)."
    ),
    "check": _(
        "The last character does not match the check character of this unified social credit code: please check for a typing mistake."
    ),
}


def validate_credit_code(value: str) -> None:
    problem = credit_code.problem(value)
    if problem:
        raise ValidationError(CREDIT_CODE_PROBLEMS[problem], code=f"credit_code_{problem}")


# What a researcher keeps of a customer (the customer form's fields, in its order).
MASTER_DATA_FIELDS = (
    "name_zh",
    "name_en",
    "credit_code",
    "business_unit",
    "segments",
    "region",
    "industry",
    "address",
    "website",
    "status",
    "data_steward",
    "account_manager",
)
MONEY = {"max_digits": 18, "decimal_places": 2, "null": True, "blank": True}
NON_NEGATIVE = [MinValueValidator(0)]


class CustomerQuerySet(models.QuerySet):
    def active(self):
        return self.filter(archived_at__isnull=True)

    def visible_to(self, user, action=permissions.Action.VIEW_CUSTOMERS):
        """Customers whose BU, or one of whose segments, the user may `action` on.

        The unit ids are resolved first (a handful), so the customer query is a plain
        `business_unit_id IN (…)` that indexes serve; the segment link table is consulted
        only for segments outside those BUs (a segment manager's own).
        """
        if user.is_superuser:
            return self
        unit_ids = list(permissions.business_units_where(user, action).values_list("pk", flat=True))
        segment_ids = list(
            permissions.segments_where(user, action)
            .exclude(business_unit_id__in=unit_ids)
            .values_list("pk", flat=True)
        )
        condition = Q(pk__in=[])
        if unit_ids:
            condition = Q(business_unit_id__in=unit_ids)
        if segment_ids:
            linked = Customer.segments.through.objects.filter(segment_id__in=segment_ids)
            condition |= Q(pk__in=linked.values("customer_id"))
        return self.filter(condition)

    def with_business_unit(self):
        return self.select_related("business_unit")

    def with_org_and_people(self):
        """With the BU, its BG and the customer's steward and manager (the customer page's)."""
        return self.select_related(
            "business_unit__business_group", "data_steward", "account_manager"
        )

    def list_rows_by_id(self, ids, year: int) -> dict:
        """The customer list's shown rows by id: BU, steward and the year's completeness."""
        return (
            self.filter(pk__in=list(ids))
            .select_related("business_unit", "data_steward")
            .with_year_completeness(year)
            .in_bulk()
        )

    def with_year_completeness(self, year: int):
        """Annotate `year_completeness` (None when the customer has no facts for `year`)."""
        return self.annotate(
            facts_of_year=FilteredRelation("years", condition=Q(years__year=year))
        ).annotate(year_completeness=F("facts_of_year__completeness"))


class Customer(models.Model):
    class Status(models.TextChoices):
        PROSPECT = "prospect", _("Prospect")
        ACTIVE = "active", _("Active customer")
        FORMER = "former", _("Former customer")

    name_zh = models.CharField(_("Chinese name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)
    credit_code = models.CharField(
        _("unified social credit code"),
        max_length=18,
        unique=True,
        null=True,
        blank=True,
        validators=[validate_credit_code],
    )
    business_unit = models.ForeignKey(
        BusinessUnit,
        on_delete=models.PROTECT,
        related_name="customers",
        verbose_name=_("business unit"),
        db_index=False,  # customer_bu_name_id starts with it
    )
    segments = models.ManyToManyField(
        Segment, related_name="customers", blank=True, verbose_name=_("market segments")
    )
    region = models.CharField(_("region"), max_length=30, choices=Region.choices, blank=True)
    industry = models.CharField(_("industry"), max_length=30, choices=Industry.choices, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    website = models.URLField(_("website"), max_length=300, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PROSPECT
    )
    data_steward = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="stewarded_customers",
        verbose_name=_("data steward"),
        help_text=_("The person responsible for keeping this record current."),
        db_index=False,  # customer_steward, of the customers that have one
    )
    account_manager = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="owned_customers",
        verbose_name=_("account manager"),
        db_index=False,  # customer_manager, of the customers that have one
    )
    relationship_notes = models.TextField(_("relationship notes"), blank=True, max_length=5000)
    archived_at = models.DateTimeField(_("archived at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    # History is read by customer id only: its other columns go unindexed, which keeps an
    # import of 100,000 customers from maintaining seven more indexes per history row.
    history = HistoricalRecords(
        excluded_fields=["updated_at"],
        no_db_index=["name_zh", "credit_code", "business_unit", "data_steward", "account_manager"],
    )
    objects = CustomerQuerySet.as_manager()

    class Meta:
        ordering = ["name_zh"]
        verbose_name = _("customer")
        verbose_name_plural = _("customers")
        # Indexes cost every import row: none duplicates the start of another, and the user
        # columns, empty for most customers, index only the customers that have one.
        indexes = [
            # The list's default order (name, then id) for one BU and for all. On PostgreSQL
            # they also carry what the list filters every row by, so a page read by OFFSET
            # or counted is an index-only scan (customers/paging.py).
            models.Index(
                fields=["business_unit", "name_zh", "id"],
                include=["archived_at"],
                name="customer_bu_name_id",
            ),
            models.Index(
                fields=["name_zh", "id"],
                include=["business_unit", "archived_at"],
                name="customer_name_id",
            ),
            models.Index(
                fields=["data_steward"],
                name="customer_steward",
                condition=Q(data_steward__isnull=False),
            ),
            models.Index(
                fields=["account_manager"],
                name="customer_manager",
                condition=Q(account_manager__isnull=False),
            ),
            models.Index(fields=["region"], name="customer_region"),
            models.Index(fields=["industry"], name="customer_industry"),
            # Status splits customers in three: only within a BU (every list but a
            # superuser's is within BUs) does it narrow enough to read through an index.
            models.Index(fields=["business_unit", "status"], name="customer_bu_status"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("customers:customer-detail", args=[self.pk])

    @property
    def name(self) -> str:
        return localised(self.name_zh, self.name_en)

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None

    def org_scopes(self) -> list[Scope]:
        """The BU, and each segment the customer is in (a segment manager sees its own)."""
        bg_id = self.business_unit.business_group_id
        scopes = [Scope(bg_id, self.business_unit_id)]
        scopes += [Scope(bg_id, self.business_unit_id, s.pk) for s in self.segments.all()]
        return scopes


class Contact(models.Model):
    """A person at the customer; key decision makers (关键决策者) are flagged."""

    class BuyingRole(models.TextChoices):
        DECISION_MAKER = "decision_maker", _("Decision maker")
        INFLUENCER = "influencer", _("Influencer")
        USER = "user", _("User")
        GATEKEEPER = "gatekeeper", _("Gatekeeper")

    class Level(models.TextChoices):
        HIGH = "high", _("High")
        MEDIUM = "medium", _("Medium")
        LOW = "low", _("Low")

    class Attitude(models.TextChoices):
        SUPPORTER = "supporter", _("Supporter")
        NEUTRAL = "neutral", _("Neutral")
        SCEPTIC = "sceptic", _("Sceptic")
        OPPONENT = "opponent", _("Opponent")

    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(_("name"), max_length=100)
    title = models.CharField(_("title"), max_length=100, blank=True)
    buying_role = models.CharField(_("role in buying"), max_length=20, choices=BuyingRole.choices)
    influence = models.CharField(_("influence"), max_length=10, choices=Level.choices, blank=True)
    attitude = models.CharField(
        _("attitude to us"), max_length=10, choices=Attitude.choices, blank=True
    )
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    is_key_decision_maker = models.BooleanField(_("key decision maker"), default=False)
    notes = models.CharField(_("notes"), max_length=500, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-is_key_decision_maker", "name"]
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")

    def __str__(self) -> str:
        return f"{self.name} ({self.title})" if self.title else self.name


class CustomerYearQuerySet(models.QuerySet):
    def of(self, customer, year: int):
        """The customer's facts for `year`, or None when none are recorded."""
        return self.filter(customer=customer, year=year).first()

    def year_numbers(self):
        """The years that have facts, as plain numbers (newest first, the default order)."""
        return self.values_list("year", flat=True)


class CustomerYear(models.Model):
    """One customer's facts for one year: what the two survey forms collect and criteria read."""

    customer = models.ForeignKey(
        Customer,
        on_delete=models.CASCADE,
        related_name="years",
        db_index=False,  # customer_year_unique starts with it
    )
    year = models.PositiveSmallIntegerField(_("year"))
    # Preliminary info form (一般客户信息调查表)
    revenue = models.DecimalField(_("revenue (CNY)"), validators=NON_NEGATIVE, **MONEY)
    employees = models.PositiveIntegerField(_("employees"), null=True, blank=True)
    # Target-customer info form (目标客户信息调查表)
    profit = models.DecimalField(_("profit (CNY)"), **MONEY)
    it_budget = models.DecimalField(_("IT budget (CNY)"), validators=NON_NEGATIVE, **MONEY)
    it_spend = models.DecimalField(_("actual IT spend (CNY)"), validators=NON_NEGATIVE, **MONEY)
    it_staff = models.PositiveIntegerField(_("IT staff"), null=True, blank=True)
    business_strategy = models.TextField(_("business strategy"), blank=True, max_length=5000)
    it_landscape = models.TextField(_("IT systems and main vendors"), blank=True, max_length=5000)
    planned_projects = models.TextField(_("planned IT projects"), blank=True, max_length=5000)
    # Percent of both forms' fields (and the BU's rated attributes) that are filled; kept by
    # customers.services so lists can filter and sort on it.
    completeness = models.PositiveSmallIntegerField(_("completeness (%)"), default=0)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])
    objects = CustomerYearQuerySet.as_manager()

    class Meta:
        ordering = ["customer", "-year"]
        verbose_name = _("customer facts for a year")
        verbose_name_plural = _("customer facts by year")
        constraints = [
            models.UniqueConstraint(fields=["customer", "year"], name="customer_year_unique"),
        ]
        # The list's completeness filters: a year's complete (or partial) customers.
        indexes = [
            models.Index(
                fields=["year", "completeness", "customer"], name="customer_year_completeness"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.customer} {self.year}"


# Defined beside what uses them; imported here so they load with the app's models (see above).
from customers.attributes import Attribute, AttributeOption, AttributeValue  # noqa: E402, F401
from customers.imports.runs import ImportRun  # noqa: E402, F401
from customers.preliminary.models import (  # noqa: E402, F401
    Nomination,
    PreliminaryList,
    ResearcherNudge,
)
