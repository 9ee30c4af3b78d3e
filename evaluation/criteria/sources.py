"""What a criterion may read: a customer fact or a rated attribute, and what kind of value."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from customers.reference import Industry, Region


@dataclass(frozen=True)
class Source:
    key: str
    label: str
    kind: str  # "number", "category" or "boolean"
    options: tuple[str, ...] = ()


FACT_SOURCES = {
    "revenue": Source("revenue", _("Revenue"), "number"),
    "profit": Source("profit", _("Profit"), "number"),
    "it_budget": Source("it_budget", _("IT budget"), "number"),
    "it_spend": Source("it_spend", _("Actual IT spend"), "number"),
    "employees": Source("employees", _("Employees"), "number"),
    "it_staff": Source("it_staff", _("IT staff"), "number"),
    "region": Source("region", _("Region"), "category", tuple(Region.values)),
    "industry": Source("industry", _("Industry"), "category", tuple(Industry.values)),
    "key_decision_maker": Source("key_decision_maker", _("Key decision maker known"), "boolean"),
}


def available_sources(business_unit_id: int | None = None) -> dict[str, Source]:
    """Facts plus the rated attributes usable in a BU (all attributes when no BU is given)."""
    from customers.models import Attribute

    attributes = Attribute.objects.prefetch_related("options")
    if business_unit_id is not None:
        attributes = attributes.for_business_unit(business_unit_id)
    sources = dict(FACT_SOURCES)
    for attribute in attributes:
        options = tuple(option.key for option in attribute.options.all())
        sources.setdefault(
            attribute.key, Source(attribute.key, attribute.name, "category", options)
        )
    return sources
