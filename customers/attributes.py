"""Rated attributes (e.g. outsourcing attitude), their options, and customers' ratings by year.

customers/models.py imports these models, so Django loads them with the app's models.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from organisation.models import BusinessUnit, localised


class AttributeQuerySet(models.QuerySet):
    def for_business_unit(self, business_unit):
        """Company-wide attributes and those defined for this BU."""
        return self.filter(Q(business_unit__isnull=True) | Q(business_unit=business_unit))


class Attribute(models.Model):
    """A rated attribute (e.g. outsourcing attitude) with a keyed list of options."""

    key = models.SlugField(_("key"), max_length=50, unique=True)
    name_zh = models.CharField(_("Chinese name"), max_length=100)
    name_en = models.CharField(_("English name"), max_length=100, blank=True)
    description = models.CharField(_("description"), max_length=300, blank=True)
    business_unit = models.ForeignKey(
        BusinessUnit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="attributes",
        verbose_name=_("business unit"),
        help_text=_("Empty: used company-wide."),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    objects = AttributeQuerySet.as_manager()

    class Meta:
        ordering = ["order", "key"]
        verbose_name = _("rated attribute")
        verbose_name_plural = _("rated attributes")

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return localised(self.name_zh, self.name_en)


class AttributeOption(models.Model):
    attribute = models.ForeignKey(Attribute, on_delete=models.CASCADE, related_name="options")
    key = models.SlugField(_("key"), max_length=50)
    name_zh = models.CharField(_("Chinese name"), max_length=100)
    name_en = models.CharField(_("English name"), max_length=100, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["attribute", "order", "key"]
        verbose_name = _("attribute option")
        verbose_name_plural = _("attribute options")
        constraints = [
            models.UniqueConstraint(fields=["attribute", "key"], name="attribute_option_unique"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return localised(self.name_zh, self.name_en)


class AttributeValueQuerySet(models.QuerySet):
    def ratings_of(self, customer, year: int):
        """The customer's ratings of `year`, with their attributes and options."""
        return self.filter(customer=customer, year=year).select_related("attribute", "option")


class AttributeValue(models.Model):
    """A customer's rating on one attribute in one year."""

    customer = models.ForeignKey(
        "customers.Customer",
        on_delete=models.CASCADE,
        related_name="attribute_values",
        db_index=False,  # attribute_value_unique starts with it
    )
    year = models.PositiveSmallIntegerField(_("year"))
    attribute = models.ForeignKey(Attribute, on_delete=models.PROTECT, related_name="values")
    option = models.ForeignKey(AttributeOption, on_delete=models.PROTECT, related_name="values")

    # History is read by customer only (see Customer.history).
    history = HistoricalRecords(no_db_index=["attribute", "option"])
    objects = AttributeValueQuerySet.as_manager()

    class Meta:
        verbose_name = _("attribute value")
        verbose_name_plural = _("attribute values")
        constraints = [
            models.UniqueConstraint(
                fields=["customer", "year", "attribute"], name="attribute_value_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.customer} {self.year} {self.attribute.key}={self.option.key}"

    def clean(self) -> None:
        if self.option_id and self.attribute_id and self.option.attribute_id != self.attribute_id:
            raise ValidationError({"option": _("This option belongs to another attribute.")})
