"""Export of customers with one year's facts and ratings, in the import's own format.

The columns are those `customers.imports.service` reads, so an exported file imports back unchanged.
Headers follow the active language (the importer accepts both). Text a spreadsheet would run as
a formula gets a leading single quote, which the importer takes off again; numbers stay numbers;
control characters an XLSX cannot hold are left out (`prioritizer.spreadsheets`, which writes
the file).
"""

from __future__ import annotations

from collections import defaultdict

from django.db.models import QuerySet
from django.utils.translation import get_language

from customers.imports.cells import COLUMNS, IMPORTED_FACTS
from customers.models import Attribute, AttributeValue, Customer, CustomerYear
from prioritizer.spreadsheets import CONTENT_TYPES, Sheet, csv_bytes, to_xlsx

CHUNK = 2000


def _headers(attributes: list[Attribute]) -> list[str]:
    chinese = (get_language() or "").startswith("zh")
    headers = [COLUMNS[key] if chinese else key for key in COLUMNS]
    taken = {h.casefold() for h in headers}
    for attribute in attributes:
        name = attribute.name_zh.strip()
        same_name = sum(1 for a in attributes if a.name_zh.strip() == name)
        # A Chinese name only where it names this attribute alone; the key always does.
        if chinese and name and same_name == 1 and name.casefold() not in taken:
            headers.append(name)
        else:
            headers.append(attribute.key)
        taken.add(headers[-1].casefold())
    return headers


def _rows(queryset: QuerySet, year: int, attributes: list[Attribute]):
    """One list of cell values per customer: text as str, amounts as Decimal, counts as int."""
    customers = queryset.order_by("name_zh", "pk").values_list(
        "pk", "credit_code", "name_zh", "name_en", "business_unit__code", "region", "industry"
    )
    through = Customer.segments.through
    seen = set()
    batch = []
    for customer in customers.iterator(chunk_size=CHUNK):
        if customer[0] in seen:  # a filter across segments may repeat a customer
            continue
        seen.add(customer[0])
        batch.append(customer)
        if len(batch) == CHUNK:
            yield from _batch_rows(batch, year, attributes, through)
            batch = []
    if batch:
        yield from _batch_rows(batch, year, attributes, through)


def _batch_rows(batch, year, attributes, through):
    ids = [c[0] for c in batch]
    segments = defaultdict(list)
    for customer_id, code in (
        through.objects.filter(customer_id__in=ids)
        .order_by("segment__code")
        .values_list("customer_id", "segment__code")
    ):
        segments[customer_id].append(code)
    facts = {
        row[0]: row[1:]
        for row in CustomerYear.objects.filter(customer_id__in=ids, year=year).values_list(
            "customer_id", *IMPORTED_FACTS
        )
    }
    ratings = defaultdict(dict)
    for customer_id, attribute_id, option_key in AttributeValue.objects.filter(
        customer_id__in=ids, year=year
    ).values_list("customer_id", "attribute_id", "option__key"):
        ratings[customer_id][attribute_id] = option_key
    for pk, credit_code, name_zh, name_en, bu, region, industry in batch:
        yield [
            credit_code or "",
            name_zh,
            name_en,
            bu,
            ";".join(segments.get(pk, [])),
            region,
            industry,
            year,
            *facts.get(pk, (None,) * len(IMPORTED_FACTS)),
            *(ratings[pk].get(a.pk, "") for a in attributes),
        ]


def _sheet(headers: list[str], rows) -> Sheet:
    """The header row plain, as the importer reads it; amounts shown with two decimals."""
    money = dict.fromkeys(range(8, 12), "#,##0.00")  # revenue, profit, it_budget, it_spend
    return Sheet(
        key="customers", title="customers", headers=headers, rows=rows, formats=money, plain=True
    )


def customers_export(queryset: QuerySet, *, year: int, fmt: str) -> tuple[bytes, str, str]:
    """The customers of `queryset` with their facts and ratings of `year`.

    Returns (content, content type, file name). The caller narrows `queryset` to what the user
    may see (`Customer.objects.visible_to(user)`).
    """
    if fmt not in CONTENT_TYPES:
        raise ValueError(fmt)
    attribute_ids = (
        AttributeValue.objects.filter(year=year, customer__in=queryset.values("pk"))
        .values("attribute_id")
        .distinct()
    )
    attributes = list(Attribute.objects.filter(pk__in=attribute_ids).order_by("order", "key"))
    headers = _headers(attributes)
    sheet = _sheet(headers, _rows(queryset, year, attributes))
    content = csv_bytes(sheet) if fmt == "csv" else to_xlsx([sheet])
    return content, CONTENT_TYPES[fmt], f"customers-{year}.{fmt}"
