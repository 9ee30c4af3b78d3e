"""Company matching for inquiries: normalised names (pure) and the customer/duplicate look-ups.

A name is normalised by NFKC (full-width to half-width), case folding, dropping spaces and
punctuation, and stripping common legal-form suffixes (有限公司, 股份有限公司, Co., Ltd. …), so
"宁波精工汽配有限公司" and "宁波 精工汽配(有限公司)" compare equal. On PostgreSQL the customer
suggestions also use trigram similarity (pg_trgm), which catches typing slips; elsewhere a
substring search stands in for it.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import timedelta

from django.db import connection
from django.db.models import Q
from django.utils import timezone

# Longest first, so 股份有限公司 is stripped before 有限公司.
SUFFIXES = sorted(
    [
        "股份有限公司",
        "有限责任公司",
        "集团有限公司",
        "集团股份有限公司",
        "有限公司",
        "股份公司",
        "集团公司",
        "集团",
        "公司",
        "总公司",
        "分公司",
        "coltd",
        "companylimited",
        "company",
        "limited",
        "ltd",
        "inc",
        "corp",
        "corporation",
        "co",
        "gmbh",
        "llc",
        "plc",
    ],
    key=len,
    reverse=True,
)
DUPLICATE_WINDOW = timedelta(days=30)


def normalise_name(text: str) -> str:
    """The comparable core of a company name (may be empty)."""
    text = unicodedata.normalize("NFKC", text or "").casefold()
    kept = "".join(
        char for char in text if not (char.isspace() or unicodedata.category(char)[0] in "PSZC")
    )
    stripped = True
    while stripped and kept:
        stripped = False
        for suffix in SUFFIXES:
            if kept.endswith(suffix) and len(kept) > len(suffix):
                kept = kept[: -len(suffix)]
                stripped = True
                break
    return kept[:200]


@dataclass(frozen=True)
class CustomerMatch:
    customer: object
    reason: str  # "credit_code", "name" or "similar"
    score: float


def uses_trigrams() -> bool:
    return connection.vendor == "postgresql"


def customer_matches(customers, *, name: str, credit_code: str = "", limit: int = 5):
    """Likely existing customers among `customers` (a queryset the user may see), best first."""
    matches: list[CustomerMatch] = []
    seen: set[int] = set()
    if credit_code:
        for customer in customers.filter(credit_code=credit_code)[:1]:
            matches.append(CustomerMatch(customer, "credit_code", 1.0))
            seen.add(customer.pk)
    core = normalise_name(name)
    if len(core) >= 2:
        for customer, score in _similar(customers.exclude(pk__in=seen), name, core, limit * 2):
            same = normalise_name(customer.name_zh) == core or (
                customer.name_en and normalise_name(customer.name_en) == core
            )
            matches.append(CustomerMatch(customer, "name" if same else "similar", score))
    matches.sort(key=lambda m: ({"credit_code": 0, "name": 1, "similar": 2}[m.reason], -m.score))
    return matches[:limit]


def _similar(customers, name: str, core: str, limit: int):
    if uses_trigrams():
        from django.contrib.postgres.search import TrigramSimilarity

        # `%` (trigram_similar) and icontains can both use the trigram index on name_zh.
        rows = (
            customers.filter(Q(name_zh__trigram_similar=name) | Q(name_zh__icontains=core))
            .annotate(similarity=TrigramSimilarity("name_zh", name))
            .order_by("-similarity")[:limit]
        )
        return [(row, float(row.similarity)) for row in rows]
    rows = customers.filter(Q(name_zh__icontains=core) | Q(name_en__icontains=core))[:limit]
    return [(row, 0.5) for row in rows]


def recent_duplicate(inquiries, *, normalised_name: str, credit_code: str = "", now=None):
    """The most recent inquiry of the last 30 days from the same company, or None."""
    now = now or timezone.now()
    condition = Q()
    if normalised_name:
        condition |= Q(normalised_name=normalised_name)
    if credit_code:
        condition |= Q(credit_code=credit_code)
    if not condition:
        return None
    return (
        inquiries.filter(condition, received_at__gte=now - DUPLICATE_WINDOW)
        .order_by("-received_at")
        .first()
    )
