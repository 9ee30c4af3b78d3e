"""What a customer file is checked against: the reference data (BUs, segments, rated attributes
and their options, regions, industries), the header, and the checked row the other steps use.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from customers.imports.cells import ALIASES, COLUMNS, REQUIRED, choices_lookup
from customers.models import Attribute, AttributeOption
from customers.reference import Industry, Region
from organisation.models import BusinessUnit, Segment
from prioritizer.tabular import (
    MAX_CELL,
    Problem,
    header_key,
    header_lookup,
    map_header,
    require_columns,
)
from prioritizer.text import control_character


@dataclass
class Reference:
    units: dict[str, BusinessUnit]
    segments: dict[str, Segment]
    attributes: dict[str, Attribute]
    options: dict[int, dict[str, int]]  # attribute id -> option key or name -> option id
    option_keys: dict[int, str]
    regions: dict[str, str]
    industries: dict[str, str]
    applicable: dict[int, tuple[str, ...]] = field(default_factory=dict)  # bu id -> keys

    @classmethod
    def load(cls) -> Reference:
        attributes = {a.key: a for a in Attribute.objects.all()}
        options: dict[int, dict[str, int]] = defaultdict(dict)
        option_keys: dict[int, str] = {}
        for option in AttributeOption.objects.all():
            names = options[option.attribute_id]
            for name in (option.name_zh, option.name_en):
                if name:
                    names.setdefault(header_key(name), option.pk)
            option_keys[option.pk] = option.key
        # Keys win over names: a key is exact.
        for option in AttributeOption.objects.values_list("attribute_id", "key", "pk"):
            options[option[0]][header_key(option[1])] = option[2]
        return cls(
            units={u.code: u for u in BusinessUnit.objects.all()},
            segments={s.code: s for s in Segment.objects.all()},
            attributes=attributes,
            options=dict(options),
            option_keys=option_keys,
            regions=choices_lookup(Region),
            industries=choices_lookup(Industry),
        )

    def applicable_keys(self, bu_id: int) -> tuple[str, ...]:
        """The rated attributes of a BU: company-wide ones and its own."""
        if bu_id not in self.applicable:
            self.applicable[bu_id] = tuple(
                a.key
                for a in self.attributes.values()
                if a.business_unit_id is None or a.business_unit_id == bu_id
            )
        return self.applicable[bu_id]


@dataclass(slots=True)
class Row:
    number: int
    credit_code: str | None
    name: str
    name_en: str
    bu: BusinessUnit
    segment_ids: tuple[int, ...]
    region: str
    industry: str
    year: int
    facts: dict[str, Any]  # only the cells that were filled
    ratings: dict[int, int]  # attribute id -> option id
    display: dict[str, Any] | None  # for the preview: its first rows only


def map_columns(header: list, reference: Reference, problems: list[Problem]):
    """Column index -> field name ("attr:<key>" for rated attributes), header text by field."""
    lookup = header_lookup(COLUMNS, ALIASES)
    for attribute in reference.attributes.values():
        lookup.setdefault(header_key(attribute.key), f"attr:{attribute.key}")
    for attribute in reference.attributes.values():
        for name in (attribute.name_zh,):
            lookup.setdefault(header_key(name), f"attr:{attribute.key}")
    columns, labels = map_header(header, lookup, problems, _unknown_column)
    require_columns(labels, REQUIRED, COLUMNS, problems)
    return columns, labels


def _unknown_column(index: int, text: str) -> Problem:
    if control_character(text) is not None or len(text) > MAX_CELL:
        return Problem(1, f"#{index + 1}", _("This header is not a column name."))
    return Problem(
        1,
        text,
        _(
            "Unknown column “%(column)s”: use the columns of docs/file-formats.md or the key of a rated attribute."
        )
        % {"column": text},
    )
