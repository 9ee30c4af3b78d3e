"""Writes to the customer database. Every function checks permission itself."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from customers.completeness import FACT_FIELDS, Completeness, all_fields, completeness
from customers.models import Attribute, AttributeValue, Customer, CustomerYear
from organisation import permissions
from organisation.permissions import Action

# What an account manager may change on a customer they own.
RELATIONSHIP_FIELDS = ("status", "relationship_notes")


def customer_year_completeness(
    *, customer: Customer, year: int, facts: dict | None = None
) -> Completeness:
    """Completeness of one customer-year: the given facts, or what is stored."""
    if facts is None:
        facts = (
            CustomerYear.objects.filter(customer=customer, year=year).values(*FACT_FIELDS).first()
            or {}
        )
    keys = list(
        Attribute.objects.for_business_unit(customer.business_unit_id).values_list("key", flat=True)
    )
    rated = set(
        AttributeValue.objects.filter(customer=customer, year=year).values_list(
            "attribute__key", flat=True
        )
    )
    values = {
        **facts,
        "region": customer.region,
        "industry": customer.industry,
        "key_decision_maker": customer.contacts.filter(is_key_decision_maker=True).exists(),
        **{key: key in rated for key in keys},
    }
    return completeness(values, all_fields(keys))


def customer_year_refresh(*, customer: Customer, year: int) -> CustomerYear:
    """Store the customer-year's completeness (creating the row if needed)."""
    row, _created = CustomerYear.objects.get_or_create(customer=customer, year=year)
    row.completeness = customer_year_completeness(customer=customer, year=year).percent
    row.save(update_fields=["completeness", "updated_at"])
    return row


def _require_edit(user, customer: Customer) -> None:
    permissions.require(user, Action.EDIT_CUSTOMERS, customer.business_unit)


def _check_segments(customer: Customer, segments) -> None:
    foreign = [s.code for s in segments if s.business_unit_id != customer.business_unit_id]
    if foreign:
        raise ValidationError(
            {
                "segments": _("These segments are not in the customer's BU: %(codes)s")
                % {"codes": ", ".join(foreign)}
            }
        )


@transaction.atomic
def customer_save(*, customer: Customer, segments, by) -> Customer:
    """Create or update a customer's master data (researchers of its BU)."""
    _require_edit(by, customer)
    _check_segments(customer, segments)
    customer.full_clean()
    customer.save()
    customer.segments.set(segments)
    return customer


@transaction.atomic
def customer_relationship_save(*, customer: Customer, values: dict, by) -> Customer:
    """An account manager updates the relationship fields of a customer they own."""
    may_edit_all = permissions.can(by, Action.EDIT_CUSTOMERS, customer.business_unit)
    owns = customer.account_manager_id == by.pk and permissions.can(
        by, Action.EDIT_CUSTOMER_RELATIONSHIP, customer.business_unit
    )
    if not (may_edit_all or owns):
        raise PermissionDenied("edit_customer_relationship")
    for field in RELATIONSHIP_FIELDS:
        if field in values:
            setattr(customer, field, values[field])
    customer.full_clean()
    customer.save(update_fields=[*RELATIONSHIP_FIELDS, "updated_at"])
    return customer


@transaction.atomic
def customer_year_save(
    *, customer: Customer, year: int, facts: dict, ratings: dict, by
) -> CustomerYear:
    """Save one customer-year from a survey form.

    `facts`: field -> value for the fields the form shows; `ratings`: attribute -> option or None.
    """
    _require_edit(by, customer)
    row = CustomerYear.objects.filter(customer=customer, year=year).first() or CustomerYear(
        customer=customer, year=year
    )
    for field, value in facts.items():
        if field not in FACT_FIELDS:
            raise ValueError(field)
        setattr(row, field, value)
    row.full_clean()
    for attribute, option in ratings.items():
        if option is None:
            AttributeValue.objects.filter(
                customer=customer, year=year, attribute=attribute
            ).delete()
        else:
            if option.attribute_id != attribute.pk:
                raise ValidationError(_("This option belongs to another attribute."))
            AttributeValue.objects.update_or_create(
                customer=customer, year=year, attribute=attribute, defaults={"option": option}
            )
    # Completeness is computed before the one save, so the history shows one change, not two.
    stored = {field: getattr(row, field) for field in FACT_FIELDS}
    row.completeness = customer_year_completeness(
        customer=customer, year=year, facts=stored
    ).percent
    row.save()
    return row


@transaction.atomic
def customer_archive(*, customer: Customer, by) -> Customer:
    """Archive, never delete: the customer's history stays, it leaves the working lists."""
    _require_edit(by, customer)
    if customer.archived_at is None:
        customer.archived_at = timezone.now()
        customer.save(update_fields=["archived_at", "updated_at"])
    return customer


@transaction.atomic
def customer_restore(*, customer: Customer, by) -> Customer:
    _require_edit(by, customer)
    customer.archived_at = None
    customer.save(update_fields=["archived_at", "updated_at"])
    return customer


@transaction.atomic
def customer_contacts_save(*, customer: Customer, formset, by) -> None:
    """Save the contacts (decision makers) formset of the target-customer form."""
    _require_edit(by, customer)
    formset.instance = customer
    formset.save()
