"""Writing an import: every insert and update worked out first (counted for the preview), then
written in one transaction through `customers.imports.store`.
"""

from __future__ import annotations

import functools
from collections import defaultdict

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from customers.completeness import Completeness, all_fields
from customers.credit_code_regions import registered_region
from customers.imports.cells import IMPORTED_FACTS
from customers.imports.checking import Reference
from customers.imports.matching import Plan, column_among
from customers.imports.store import CUSTOMER_FIELDS, YEAR_FIELDS, store_for
from customers.models import AttributeValue, Contact, Customer, CustomerYear


class Writer:
    """Works out every insert and update first (counted for the preview), then writes them."""

    def __init__(self, plans: dict[tuple, Plan], reference: Reference, by, filename: str):
        self.plans = [p for p in plans.values() if p.rows]
        self.reference = reference
        self.by = by
        self.reason = (_("Import of %(file)s") % {"file": filename})[:100]
        self.counts = defaultdict(int)
        self.rated: dict[int, tuple[dict[int, str], tuple[str, ...]]] = {}

    def _load_stored(self) -> None:
        """What is stored for the customers of the file: all their years, so a changed region
        or industry also refreshes the completeness of years the file does not mention."""
        existing_ids = [p.pk for p in self.plans if p.pk]
        self.stored_years: dict[tuple[int, int], dict] = {}
        self.years_of: dict[int, list[int]] = defaultdict(list)
        self.stored_ratings: dict[tuple[int, int], dict[int, int]] = defaultdict(dict)
        self.links: set[tuple[int, int]] = set()
        self.key_contacts: set[int] = set()
        through = Customer.segments.through
        for among in column_among("customer_id", existing_ids):
            for values in CustomerYear.objects.filter(among).values(
                "customer_id", "year", *YEAR_FIELDS
            ):
                self.stored_years[(values["customer_id"], values["year"])] = values
                self.years_of[values["customer_id"]].append(values["year"])
            for customer_id, year, attribute_id, option_id in AttributeValue.objects.filter(
                among
            ).values_list("customer_id", "year", "attribute_id", "option_id"):
                self.stored_ratings[(customer_id, year)][attribute_id] = option_id
            self.links.update(
                through.objects.filter(among).values_list("customer_id", "segment_id")
            )
            self.key_contacts.update(
                Contact.objects.filter(among, is_key_decision_maker=True).values_list(
                    "customer_id", flat=True
                )
            )

    def _rated_attributes(self, bu_id: int) -> tuple[dict[int, str], tuple[str, ...]]:
        """A BU's rated attributes (id -> key) and every field its customer-years should have."""
        if bu_id not in self.rated:
            keys = self.reference.applicable_keys(bu_id)
            self.rated[bu_id] = (
                {self.reference.attributes[k].pk: k for k in keys},
                all_fields(keys),
            )
        return self.rated[bu_id]

    def prepare(self) -> None:
        self._load_stored()
        for plan in self.plans:
            stored = plan.existing or {}
            values = {
                "name_zh": stored.get("name_zh", ""),
                "name_en": stored.get("name_en", ""),
                "region": stored.get("region", ""),
                "industry": stored.get("industry", ""),
            }
            for row in plan.rows:  # later rows win
                values["name_zh"] = row.name
                if row.name_en:
                    values["name_en"] = row.name_en
                if row.region:
                    values["region"] = row.region
                if row.industry:
                    values["industry"] = row.industry
                plan.new_segments.update(row.segment_ids)
            if not values["region"]:  # neither the file nor the database says: the code does
                codes = [row.credit_code for row in plan.rows if row.credit_code]
                values["region"] = (codes and registered_region(codes[-1])) or ""
            plan.values = values
            if plan.pk is not None:
                plan.new_segments = {s for s in plan.new_segments if (plan.pk, s) not in self.links}
                changed = any(values[f] != stored[f] for f in CUSTOMER_FIELDS)
                plan.changed = changed
                if changed or plan.new_segments:
                    self.counts["customers_updated"] += 1
                else:
                    self.counts["customers_unchanged"] += 1
            else:
                plan.changed = True
                self.counts["customers_created"] += 1

        # Facts and ratings per customer-year, with completeness from what will be stored.
        self.years: list[tuple[Plan, int, dict, bool]] = []  # plan, year, values, is new
        self.ratings: list[tuple[Plan, int, int, int, bool]] = []
        empty_facts = dict.fromkeys(YEAR_FIELDS)
        for plan in self.plans:
            attribute_ids, fields = self._rated_attributes(plan.rows[0].bu.pk)
            customer_values = {
                "region": plan.values["region"],
                "industry": plan.values["industry"],
                "key_decision_maker": plan.pk in self.key_contacts,
            }
            in_file = set()
            for row in plan.rows:
                in_file.add(row.year)
                stored = self.stored_years.get((plan.pk, row.year)) if plan.pk else None
                stored_ratings = self.stored_ratings.get((plan.pk, row.year), {}) if plan.pk else {}
                if stored is None and not row.facts and not row.ratings:
                    continue  # nothing to record for this year: no empty facts row
                values = {**(stored or empty_facts), **row.facts}
                for fact in ("business_strategy", "it_landscape", "planned_projects"):
                    values[fact] = values[fact] or ""
                for attribute_id, option_id in row.ratings.items():
                    old = stored_ratings.get(attribute_id)
                    if old != option_id:
                        self.ratings.append((plan, row.year, attribute_id, option_id, old is None))
                        self.counts["ratings_written"] += 1
                rated = {
                    key: pk in stored_ratings or pk in row.ratings
                    for pk, key in attribute_ids.items()
                }
                percent = _percent(values, customer_values, rated, fields)
                changed = (
                    stored is None
                    or percent != stored["completeness"]
                    or any(values[f] != stored[f] for f in IMPORTED_FACTS)
                )
                values["completeness"] = percent
                if changed:
                    self.years.append((plan, row.year, values, stored is None))
                    self.counts["facts_created" if stored is None else "facts_updated"] += 1
            if plan.pk and plan.changed:
                # Other stored years of a customer whose region or industry changed.
                for year in self.years_of.get(plan.pk, ()):
                    if year in in_file:
                        continue
                    stored = self.stored_years[(plan.pk, year)]
                    stored_ratings = self.stored_ratings.get((plan.pk, year), {})
                    rated = {key: pk in stored_ratings for pk, key in attribute_ids.items()}
                    percent = _percent(stored, customer_values, rated, fields)
                    if percent != stored["completeness"]:
                        self.years.append((plan, year, {**stored, "completeness": percent}, False))

    @transaction.atomic
    def write(self) -> None:
        store = store_for(
            now=timezone.now(),
            user_id=self.by.pk if self.by is not None else None,
            reason=self.reason,
        )
        new = [p for p in self.plans if p.pk is None]
        ids = store.create_customers(
            [
                {
                    **p.values,
                    "credit_code": p.rows[0].credit_code,
                    "business_unit_id": p.rows[0].bu.pk,
                }
                for p in new
            ]
        )
        for plan, pk in zip(new, ids, strict=True):
            plan.pk = pk
        store.update_customers({p.pk: p.values for p in self.plans if p.existing and p.changed})
        store.link_segments(
            [(plan.pk, segment) for plan in self.plans for segment in sorted(plan.new_segments)]
        )
        store.write_years(
            [
                (
                    {
                        **{f: values[f] for f in YEAR_FIELDS},
                        "customer_id": plan.pk,
                        "year": year,
                    },
                    is_new,
                )
                for plan, year, values, is_new in self.years
            ]
        )
        store.write_ratings(
            [
                (
                    {
                        "customer_id": plan.pk,
                        "year": year,
                        "attribute_id": attribute,
                        "option_id": option,
                    },
                    is_new,
                )
                for plan, year, attribute, option, is_new in self.ratings
            ]
        )


@functools.cache
def _share_percent(filled: int, total: int) -> int:
    return Completeness(filled=filled, total=total, missing=()).percent


def _percent(values: dict, customer_values: dict, rated: dict, fields: tuple[str, ...]) -> int:
    """`completeness(...).percent` of a customer-year, without building the list of what is
    missing (this runs once per row of the file). Filled means as in customers.completeness:
    not None, not empty text, not False."""
    merged = {**values, **customer_values, **rated}
    filled = 0
    for name in fields:
        value = merged.get(name)
        if value is not None and value != "" and value is not False:
            filled += 1
    return _share_percent(filled, len(fields))
