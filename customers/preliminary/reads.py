"""Preliminary annual lists (初步客户名单, step 2.3.2): the reads for the pages (progress,
nominations, workload, candidates) and the year rules of the lists.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db.models import Count, Q
from django.utils.translation import gettext as _

from customers.completeness import PRELIMINARY_FORM, all_fields, completeness
from customers.models import (
    Attribute,
    AttributeValue,
    Customer,
    CustomerYear,
    Nomination,
    PreliminaryList,
)
from organisation.models import Role, Segment
from prioritizer import years

User = get_user_model()

NUDGE_INTERVAL = timedelta(hours=24)
MAX_QUOTA = 10000
# The facts each missing-field key stands for, as the survey forms label them.
FACT_FIELDS = ("revenue", "employees", "profit", "it_budget", "it_spend", "it_staff")
TEXT_FIELDS = ("business_strategy", "it_landscape", "planned_projects")


def allowed_new_list_years() -> range:
    """New lists are for this year or next year (the plan is made in October–November)."""
    return years.preliminary_list_years()


def default_planning_year() -> int:
    """From October the lists being worked on are next year's."""
    return years.planning_year_for_preliminary_lists()


def researchers_of(segment: Segment):
    """Users holding the researcher role in the segment's BU: the only ones who may be assigned."""
    return (
        User.objects.filter(
            role_memberships__role=Role.RESEARCHER,
            role_memberships__business_unit_id=segment.business_unit_id,
            is_active=True,
        )
        .distinct()
        .order_by("username")
    )


def responsible_candidates(segment: Segment):
    """People who work on the segment: its segment managers and the roles held over its BU."""
    return (
        User.objects.filter(is_active=True)
        .filter(
            Q(role_memberships__segment=segment)
            | Q(
                role_memberships__business_unit_id=segment.business_unit_id,
                role_memberships__role__in=[Role.BU_VP, Role.RESEARCHER, Role.ACCOUNT_MANAGER],
            )
        )
        .distinct()
        .order_by("username")
    )


@dataclass(frozen=True)
class Progress:
    quota: int | None
    proposed_quota: int | None
    collected: int
    preliminary_complete: int
    fully_complete: int
    unassigned: int

    @property
    def target(self) -> int:
        """What the bar measures against: the quota once set, else the proposal, else what is in."""
        return self.quota or self.proposed_quota or self.collected

    def percent_of_target(self, count: int) -> int:
        if not self.target:
            return 0
        return min(100, round(100 * count / self.target))

    @property
    def collected_percent(self) -> int:
        return self.percent_of_target(self.collected)

    @property
    def bar(self) -> dict[str, int]:
        """Widths (percent of the target) of the stacked bar's three parts, never above 100."""
        full = self.percent_of_target(self.fully_complete)
        preliminary = self.percent_of_target(self.preliminary_complete)
        collected = self.collected_percent
        preliminary = max(preliminary, full)
        return {
            "full": full,
            "preliminary_only": preliminary - full,
            "collected_only": max(collected, preliminary) - preliminary,
        }

    @property
    def over_quota(self) -> bool:
        return self.quota is not None and self.collected > self.quota


def progress_by_list(lists) -> dict[int, Progress]:
    """Progress of many lists in four grouped queries: list pk -> Progress."""
    lists = list(lists)
    nominations = Nomination.objects.filter(preliminary_list__in=lists)

    def counts(queryset) -> dict[int, int]:
        return dict(
            queryset.order_by()
            .values("preliminary_list")
            .annotate(n=Count("pk"))
            .values_list("preliminary_list", "n")
        )

    collected = counts(nominations)
    preliminary = counts(nominations.preliminary_form_complete())
    full = counts(nominations.fully_complete())
    unassigned = counts(nominations.filter(researcher__isnull=True))
    return {
        pl.pk: Progress(
            quota=pl.quota,
            proposed_quota=pl.proposed_quota,
            collected=collected.get(pl.pk, 0),
            preliminary_complete=preliminary.get(pl.pk, 0),
            fully_complete=full.get(pl.pk, 0),
            unassigned=unassigned.get(pl.pk, 0),
        )
        for pl in lists
    }


def preliminary_list_progress(preliminary_list: PreliminaryList) -> Progress:
    return progress_by_list([preliminary_list])[preliminary_list.pk]


def field_labels(business_unit_id: int) -> dict[str, str]:
    """What each completeness field is called on the survey forms, in the active language."""
    labels = {
        "region": Customer._meta.get_field("region").verbose_name,
        "industry": Customer._meta.get_field("industry").verbose_name,
        "key_decision_maker": _("key decision maker"),
    }
    for name in (*FACT_FIELDS, *TEXT_FIELDS):
        labels[name] = CustomerYear._meta.get_field(name).verbose_name
    for attribute in Attribute.objects.for_business_unit(business_unit_id):
        labels[attribute.key] = attribute.name
    return {key: str(label) for key, label in labels.items()}


@dataclass(frozen=True)
class NominationRow:
    nomination: Nomination
    completeness: int
    preliminary_missing: tuple[str, ...]
    missing: tuple[str, ...]
    missing_labels: tuple[str, ...] = ()

    @property
    def preliminary_complete(self) -> bool:
        return not self.preliminary_missing

    @property
    def complete(self) -> bool:
        return not self.missing


def nomination_rows(preliminary_list: PreliminaryList) -> list[NominationRow]:
    """Each nomination with its facts-year completeness and the fields still missing.

    Reads in a fixed number of queries whatever the list's length.
    """
    year = preliminary_list.facts_year
    nominations = list(
        preliminary_list.nominations.select_related("customer", "researcher").order_by(
            "customer__name_zh"
        )
    )
    customer_ids = [n.customer_id for n in nominations]
    facts = {
        row["customer_id"]: row
        for row in CustomerYear.objects.filter(customer_id__in=customer_ids, year=year).values(
            "customer_id", "completeness", *FACT_FIELDS, *TEXT_FIELDS
        )
    }
    with_decision_maker = set(
        Customer.objects.filter(pk__in=customer_ids, contacts__is_key_decision_maker=True)
        .values_list("pk", flat=True)
        .distinct()
    )
    attribute_keys = list(
        Attribute.objects.for_business_unit(preliminary_list.segment.business_unit_id).values_list(
            "key", flat=True
        )
    )
    rated: dict[int, set[str]] = {}
    for customer_id, key in AttributeValue.objects.filter(
        customer_id__in=customer_ids, year=year
    ).values_list("customer_id", "attribute__key"):
        rated.setdefault(customer_id, set()).add(key)
    fields = all_fields(attribute_keys)
    labels = field_labels(preliminary_list.segment.business_unit_id)
    rows = []
    for nomination in nominations:
        customer = nomination.customer
        values = {
            **facts.get(customer.pk, {}),
            "region": customer.region,
            "industry": customer.industry,
            "key_decision_maker": customer.pk in with_decision_maker,
            **{key: key in rated.get(customer.pk, set()) for key in attribute_keys},
        }
        result = completeness(values, fields)
        rows.append(
            NominationRow(
                nomination=nomination,
                completeness=facts.get(customer.pk, {}).get("completeness", 0),
                preliminary_missing=completeness(values, PRELIMINARY_FORM).missing,
                missing=result.missing,
                missing_labels=tuple(labels.get(key, key) for key in result.missing),
            )
        )
    return rows


def researcher_workload(preliminary_list: PreliminaryList) -> list[dict]:
    """Per assigned researcher: nominations, incomplete ones, and when last nudged."""
    counts = (
        preliminary_list.nominations.filter(researcher__isnull=False)
        .values("researcher")
        .annotate(total=Count("pk"))
    )
    incomplete = dict(
        preliminary_list.nominations.incomplete()
        .filter(researcher__isnull=False)
        .values("researcher")
        .annotate(n=Count("pk"))
        .values_list("researcher", "n")
    )
    last_nudged = {}
    for nudge in preliminary_list.nudges.order_by("sent_at"):
        last_nudged[nudge.researcher_id] = nudge.sent_at
    users = User.objects.in_bulk([row["researcher"] for row in counts])
    return sorted(
        (
            {
                "researcher": users[row["researcher"]],
                "total": row["total"],
                "incomplete": incomplete.get(row["researcher"], 0),
                "last_nudged": last_nudged.get(row["researcher"]),
            }
            for row in counts
        ),
        key=lambda item: item["researcher"].username,
    )


def nomination_candidates(preliminary_list: PreliminaryList, query: str, limit: int = 20):
    """Active customers of the list's BU matching a Chinese/English name or credit code,
    not already nominated."""
    query = query.strip()
    if not query:
        return Customer.objects.none()
    return (
        Customer.objects.active()
        .filter(business_unit_id=preliminary_list.segment.business_unit_id)
        .filter(
            Q(name_zh__icontains=query)
            | Q(name_en__icontains=query)
            | Q(credit_code__iexact=query)
            | Q(credit_code__istartswith=query)
        )
        .exclude(nominations__preliminary_list=preliminary_list)
        .order_by("name_zh")[:limit]
    )
